"""Benchmark of the sync server (issue 4), SQLite and PostgreSQL side by side in one run.

For each backend: a real ``fieldcheck-server serve`` on loopback, seeded with the demo
district; then

1. the cost of a no-op sync (one ``GET /v1/sync/status`` for an up-to-date laptop) with
   1,000 records and again with 100,000 records and 20,000 small blobs — target ratio ≤ 1.5;
2. push throughput (ops/s) of one laptop sending batches of 200 ops;
3. p50/p99 request latency with 50 concurrent simulated laptops doing mixed push, pull and
   upload on loopback.

The archive is filled in-process through the same push and blob code the routes use (HTTP
would only make the fill slower). Figures and ratios are the last lines printed.

    .venv/bin/python bench/server_sync.py [--large 100000] [--blobs 20000] [--laptops 50]

With the issue's sizes it takes about 8 minutes on 2 shared cores (most of it filling
100,000 records twice); ``--large 20000 --blobs 4000`` gives the same shape in about 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import shutil
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fieldcheck.protocol.auth import Role
from fieldcheck.protocol.ops import Op
from sync_server.admin.plan import server_admin
from sync_server.blobs.service import record_blob
from sync_server.blobs.storage import BlobFiles
from sync_server.db import open_database
from sync_server.ledger import chain
from sync_server.ledger.keys import load_or_create_signer
from sync_server.settings import Settings
from sync_server.state import lock_counter
from sync_server.sync.service import push_ops
from sync_server.testing import (
    COMPOUNDS,
    PASSWORD,
    SCOPES,
    ApiClient,
    PgCluster,
    ServerProcess,
    answer_op,
    inspection_op,
    run_cli,
    server_env,
)

BATCH = 200
INSPECTORS = 5


def fill_records(settings: Settings, target: int, compound_codes: list[str]) -> None:
    """Add inspections with answers until about ``target`` records exist (in-process)."""
    database = open_database(settings)
    signer = load_or_create_signer(settings.key_dir, settings.ledger_origin)
    inspector = dataclasses.replace(server_admin(), role=Role.INSPECTOR, username="bench-fill")
    done = 0
    while done < target:
        ops: list[Op] = []
        while len(ops) < 1000 and done + len(ops) < target:
            inspection = inspection_op(compound_codes[(done + len(ops)) % len(compound_codes)])
            ops.append(Op.model_validate(inspection))
            for item in range(9):
                ops.append(Op.model_validate(answer_op(inspection["id"], f"Q{item}")))
        with database.writing() as session:
            lock_counter(session)
            push_ops(session, inspector, "bench-fill", ops)
            chain.sign_checkpoint(session, signer)
            session.commit()
        done += len(ops)
    database.dispose()


def fill_blobs(settings: Settings, count: int) -> None:
    """Publish ``count`` small verified blobs through the blob service (in-process)."""
    database = open_database(settings)
    signer = load_or_create_signer(settings.key_dir, settings.ledger_origin)
    files = BlobFiles(settings.blob_dir, settings.incoming_dir, min_free_bytes=0, fsync=False)
    files.ensure_dirs()
    principal = server_admin()
    for start in range(0, count, 1000):
        with database.writing() as session:
            lock_counter(session)
            for _ in range(min(1000, count - start)):
                data = os.urandom(64)
                sha = hashlib.sha256(data).hexdigest()
                files.part(sha, principal.username).write_bytes(data)
                files.publish(sha, principal.username)
                record_blob(session, principal, sha, len(data), "image/jpeg")
            chain.sign_checkpoint(session, signer)
            session.commit()
    database.dispose()


def noop_sync_cost(laptop: ApiClient, repeats: int = 200) -> tuple[float, int]:
    """Median seconds of a no-op sync of an up-to-date laptop, and requests it needed."""
    cursors = {
        s: v["max_seq"]
        for s, v in laptop.request("GET", "/v1/sync/status").json()["scopes"].items()
    }
    times, requests_made = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        status = laptop.request("GET", "/v1/sync/status").json()
        requests_made = 1
        behind = [s for s, v in status["scopes"].items() if v["max_seq"] > cursors.get(s, 0)]
        assert not behind, "the benchmark laptop should be up to date"
        times.append(time.perf_counter() - started)
    return statistics.median(times), requests_made


def push_throughput(laptop: ApiClient, ops_total: int = 4000) -> float:
    codes = [c for c in COMPOUNDS if c.startswith("CG")]
    sent, started = 0, time.perf_counter()
    while sent < ops_total:
        ops = []
        while len(ops) < BATCH:
            inspection = inspection_op(codes[sent % len(codes)])
            ops += [inspection, *(answer_op(inspection["id"], f"P{i}") for i in range(9))]
        response = laptop.push(ops)
        assert response.status_code == 200, response.text
        sent += len(ops)
    return sent / (time.perf_counter() - started)


def concurrent_mix(url: str, laptops: int, rounds: int) -> tuple[float, float, int]:
    """p50 and p99 (seconds) of every request of ``laptops`` threads doing push/pull/upload."""
    clients = [ApiClient(url) for _ in range(laptops)]
    for index, client in enumerate(clients):
        client.login(f"insp{index % INSPECTORS}", PASSWORD, f"bench-laptop-{index}")
    latencies: list[float] = []
    lock = threading.Lock()

    def timed(call, *args, **kwargs):
        started = time.perf_counter()
        response = call(*args, **kwargs)
        with lock:
            latencies.append(time.perf_counter() - started)
        assert response.status_code < 500, response.text
        return response

    def laptop(client: ApiClient) -> None:
        cursor = 0
        for round_ in range(rounds):
            inspection = inspection_op("CG-03")
            timed(
                client.push, [inspection, *(answer_op(inspection["id"], f"M{i}") for i in range(4))]
            )
            page = timed(
                client.request,
                "GET",
                "/v1/sync/changes",
                params={"scope": SCOPES["CG"], "since": cursor, "limit": 100},
            ).json()
            cursor = page["last_seq"]
            if round_ % 2 == 0:
                data = os.urandom(20_000)
                sha = hashlib.sha256(data).hexdigest()
                created = timed(client.create_upload, sha, len(data))
                timed(client.patch_chunk, created.headers["Location"], 0, data)
            timed(client.request, "GET", "/v1/sync/status")

    with ThreadPoolExecutor(laptops) as pool:
        list(pool.map(laptop, clients))
    latencies.sort()
    return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)], len(latencies)


def run_backend(name: str, database_url: str | None, args: argparse.Namespace) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"fieldcheck-bench-{name}-"))
    env = server_env(data_dir, database_url)
    for cli_args, stdin in (
        (["demo", "--year", "2026"], None),
        (["user", "add", "root", "--role", "admin", "--password-stdin"], PASSWORD),
    ):
        done = run_cli(cli_args, env, stdin)
        assert done.returncode == 0, done.stderr
    settings = Settings.from_env(env=env)
    server = ServerProcess(env).start()
    try:
        admin = ApiClient(server.url)
        admin.login("root", PASSWORD, "bench-admin")
        for index in range(INSPECTORS):
            admin.request(
                "POST",
                "/v1/admin/users",
                json={
                    "username": f"insp{index}",
                    "role": "inspector",
                    "password": PASSWORD,
                    "scopes": ["CG", "DG", "XC", "NH", "BY"],
                },
            ).raise_for_status()
        codes = sorted(COMPOUNDS)
        print(f"[{name}] filling {args.small} records", flush=True)
        fill_records(settings, args.small, codes)
        laptop = ApiClient(server.url)
        laptop.login("insp0", PASSWORD, "bench-noop")
        small, small_requests = noop_sync_cost(laptop)
        print(f"[{name}] filling to {args.large} records and {args.blobs} blobs", flush=True)
        started = time.perf_counter()
        fill_records(settings, args.large - args.small, codes)
        fill_blobs(settings, args.blobs)
        print(f"[{name}] fill took {time.perf_counter() - started:.0f} s", flush=True)
        large, large_requests = noop_sync_cost(laptop)
        print(f"[{name}] push throughput", flush=True)
        ops_per_s = push_throughput(laptop)
        print(f"[{name}] {args.laptops} concurrent laptops", flush=True)
        p50, p99, count = concurrent_mix(server.url, args.laptops, args.rounds)
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "noop_small_ms": small * 1000,
        "noop_large_ms": large * 1000,
        "noop_ratio": large / small,
        "noop_requests": max(small_requests, large_requests),
        "push_ops_s": ops_per_s,
        "p50_ms": p50 * 1000,
        "p99_ms": p99 * 1000,
        "mixed_requests": count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--blobs", type=int, default=20_000)
    parser.add_argument("--laptops", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    cluster = None
    try:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                results[backend] = run_backend(backend, None, args)
                continue
            reason = PgCluster.available()
            if reason:
                print(f"[postgresql] skipped: {reason}")
                continue
            cluster = cluster or PgCluster().start()
            results[backend] = run_backend(backend, cluster.create_database("bench"), args)
    finally:
        if cluster:
            cluster.stop()
    print()
    print(
        f"server sync benchmark: {args.small} vs {args.large} records + {args.blobs} blobs, "
        f"{args.laptops} laptops x {args.rounds} rounds"
    )
    for backend, r in results.items():
        print(
            f"{backend:10s} no-op sync {r['noop_small_ms']:.2f} ms -> {r['noop_large_ms']:.2f} ms "
            f"(ratio {r['noop_ratio']:.2f}, target <= 1.5; {r['noop_requests']:.0f} request) | "
            f"push {r['push_ops_s']:.0f} ops/s | mixed p50 {r['p50_ms']:.1f} ms "
            f"p99 {r['p99_ms']:.1f} ms over {r['mixed_requests']:.0f} requests"
        )


if __name__ == "__main__":
    main()
