"""Benchmark of the laptop's sync engine (issue 5), side by side in one run on loopback.

A real ``fieldcheck-server serve`` (SQLite, fsync off for both sides alike) and a laptop data
directory seeded with the demo district; then

(a) upload throughput: N photo-sized blobs (4–8 MB of random bytes between JPEG markers)
    through the sync engine (re-hash, tus POST, adaptive checksummed PATCH chunks, blob
    check, status, checkpoint) versus the raw baseline: the same number and sizes of blobs
    (other random bytes: the server deduplicates by hash) each sent as ONE streaming tus
    PATCH of the whole file with no client-side hashing — the least work the same server
    process needs for those bytes (the bench server accepts 16 MiB bodies for it). Target:
    engine ≥ 0.8 × raw. A third column, a bare loop of the same tus requests the engine
    makes (POST, 4 MiB PATCHes with checksums), separates the engine's own cost from the
    protocol's. Blocks rotate the order of the three to spread machine noise.
(b) bytes re-sent after the connection is cut in the middle of a photo (FaultProxy
    ``limit_data`` upstream), then healed; target ≤ one chunk.
(c) a no-op sync against a server holding 100,000 records: requests, and bytes on the wire
    both ways counted by FaultProxy; target one request, < 2 KB. The records are filled
    in-process through the server's push code (as ``bench/server_sync.py`` does) in another
    sub-district than the laptop's, so the laptop is up to date without pulling them.
(d) a first pull: N records (inspections with nine answers each, filled in-process into a
    third sub-district) pulled into a fresh laptop data dir by ``SyncEngine.run()`` (status,
    pages of ``PAGE_SIZE``, local apply, checkpoint) versus the raw baseline: the same pages
    fetched with ``requests`` and their rows inserted with plain ``sqlite3`` ``executemany``
    into the laptop's own schema (same pragmas, one transaction per page with its cursor, no
    checks) — the least work possible for those bytes. Records/s of both, ratio, ms/record.

    .venv/bin/python bench/sync_client.py [--photos 200] [--block 20] [--records 100000]
        [--pull-records 20000] [--only abcd]

``--only d`` runs the first-pull part alone (about a minute with the default 20,000).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from server_sync import fill_records  # noqa: E402

from fieldcheck import cli  # noqa: E402
from fieldcheck.domain.ids import new_id  # noqa: E402
from fieldcheck.paths import DataPaths  # noqa: E402
from fieldcheck.photos.blobs import BlobStore, StagedBlob  # noqa: E402
from fieldcheck.store.database import Store  # noqa: E402
from fieldcheck.store.sync_state import meta  # noqa: E402
from fieldcheck.store.tables import PhotoRow  # noqa: E402
from fieldcheck.sync.blobs import STEADY_CHUNK, TUS  # noqa: E402
from fieldcheck.sync.engine import PAGE_SIZE, SyncEngine  # noqa: E402
from fieldcheck.sync.http import HttpConfig  # noqa: E402
from sync_server.settings import Settings  # noqa: E402
from sync_server.testing import (  # noqa: E402
    COMPOUNDS,
    PASSWORD,
    SCOPES,
    ApiClient,
    ServerProcess,
    b64,
    run_cli,
    server_env,
)
from tests.faults.proxy import UPSTREAM, FaultProxy, Toxic  # noqa: E402

MB = 1_000_000
#: The sub-district (d) fills and pulls: none of (a)-(c) writes there.
PULL_SCOPE = "XC"
#: The three ways the same kind of bytes go up in (a).
SIDES = ["engine", "raw", "chunked"]


def jpeg_like(rng: random.Random, size: int) -> bytes:
    """``size`` bytes that start and end like a JPEG and are random (incompressible) inside."""
    return b"\xff\xd8\xff\xe0" + rng.randbytes(size - 6) + b"\xff\xd9"


def add_local_photos(store: Store, blobs: BlobStore, payloads: list[bytes]) -> int:
    """Put the bytes in the laptop's blob store with a photo record each (as an import
    leaves them), so the engine's blob phase finds them. Returns the bytes added."""
    rows = []
    for data in payloads:
        blobs.incoming.mkdir(parents=True, exist_ok=True)
        temp = blobs.incoming / f"{new_id()}.tmp"
        temp.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        blobs.commit(StagedBlob(temp, sha, len(data)))
        rows.append(
            PhotoRow(
                id=new_id(),
                sha256=sha,
                original_name=f"{sha[:8]}.jpg",
                size_bytes=len(data),
                mime="image/jpeg",
                format="JPEG",
                width=4000,
                height=3000,
                phase="before",
                compound_id=COMPOUNDS["CG-01"],
                imported_at=dt.datetime.now(dt.UTC),
            )
        )
    with store.write() as session:
        session.add_all(rows)
    return sum(len(p) for p in payloads)


def raw_upload(http: requests.Session, url: str, path: Path, sha: str) -> None:
    """The baseline: tus creation, then the whole file streamed in one PATCH."""
    size = path.stat().st_size
    created = http.post(
        f"{url}/v1/uploads",
        headers={**TUS, "Upload-Length": str(size), "Upload-Metadata": f"sha256 {b64(sha)}"},
        timeout=(10, 120),
    )
    assert created.status_code == 201, created.text
    with open(path, "rb") as body:
        done = http.patch(
            f"{url}/v1/uploads/{sha}",
            data=body,
            headers={
                **TUS,
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(size),
            },
            timeout=(10, 300),
        )
    assert (done.status_code, done.headers.get("Blob-Status")) == (204, "verified"), done.text


def chunked_upload(http: requests.Session, url: str, path: Path, sha: str) -> None:
    """The protocol floor: the same tus POST + 4 MiB checksummed PATCHes as the engine, in a
    bare loop (no re-hash, no database, no adaptive sizing, no progress)."""
    data = path.read_bytes()
    created = http.post(
        f"{url}/v1/uploads",
        headers={**TUS, "Upload-Length": str(len(data)), "Upload-Metadata": f"sha256 {b64(sha)}"},
        timeout=(10, 120),
    )
    assert created.status_code == 201, created.text
    for offset in range(0, len(data), STEADY_CHUNK):
        chunk = data[offset : offset + STEADY_CHUNK]
        digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        done = http.patch(
            f"{url}/v1/uploads/{sha}",
            data=chunk,
            headers={
                **TUS,
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Upload-Checksum": f"sha256 {digest}",
            },
            timeout=(10, 120),
        )
        assert done.status_code == 204, done.text


def throughput(args: argparse.Namespace, server: ServerProcess, laptop: Store, token: str):  # type: ignore[no-untyped-def]
    """Bytes per second of the engine, the single-PATCH baseline and the chunked floor."""
    rngs = {side: random.Random(seed) for seed, side in enumerate(SIDES)}
    sizes_rng = random.Random(9)
    blobs = BlobStore(laptop.paths.blobs)
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    with laptop.read() as db:
        http.headers["X-Device-Id"] = meta(db).device_id
    seconds = dict.fromkeys(SIDES, 0.0)
    sent = dict.fromkeys(SIDES, 0)
    scratch = Path(tempfile.mkdtemp(prefix="fieldcheck-bench-raw-"))
    done = 0
    chunk_sizes: list[int] = []
    while done < args.photos:
        count = min(args.block, args.photos - done)
        sizes = [sizes_rng.randint(4 * MB, 8 * MB) for _ in range(count)]
        shift = (done // args.block) % len(SIDES)
        for side in SIDES[shift:] + SIDES[:shift]:  # rotate the order block by block
            payloads = [jpeg_like(rngs[side], size) for size in sizes]
            sent[side] += sum(sizes)
            if side == "engine":
                add_local_photos(laptop, blobs, payloads)
                engine = SyncEngine(laptop, server.url, token=token, parallel_uploads=args.parallel)
                started = time.perf_counter()
                report = engine.run()
                seconds[side] += time.perf_counter() - started
                engine.close()
                assert (report.error, report.photos_uploaded) == (None, count), report
                chunk_sizes += report.chunk_sizes
                continue
            files = []
            for index, data in enumerate(payloads):
                path = scratch / f"{index}.bin"
                path.write_bytes(data)
                files.append((path, hashlib.sha256(data).hexdigest()))
            upload = raw_upload if side == "raw" else chunked_upload
            started = time.perf_counter()
            for path, sha in files:
                upload(http, server.url, path, sha)
            seconds[side] += time.perf_counter() - started
            for path, _ in files:
                path.unlink()
        done += count
        print(f"  (a) {done}/{args.photos} photos each way", flush=True)
    http.close()
    rates = {side: sent[side] / seconds[side] for side in SIDES}
    return rates, sent["engine"], chunk_sizes


def resend_after_cut(server: ServerProcess, laptop: Store, token: str) -> tuple[int, int, int]:
    """(bytes re-sent, size of the chunk in flight at the cut, photo size)."""
    blobs = BlobStore(laptop.paths.blobs)
    size = 6 * MB
    add_local_photos(laptop, blobs, [jpeg_like(random.Random(7), size)])
    with FaultProxy(upstream_port=server.port) as proxy:
        proxy.add(Toxic.limit_data(size // 2, UPSTREAM))
        engine = SyncEngine(laptop, proxy.url, token=token, config=HttpConfig(attempts=1))
        cut = engine.run()
        engine.close()
        assert cut.error is not None, "the cut did not happen"
        proxy.heal()
        engine = SyncEngine(laptop, proxy.url, token=token)
        resumed = engine.run()
        engine.close()
        assert (resumed.error, resumed.photos_uploaded) == (None, 1), resumed
    resent = cut.bytes_sent + resumed.bytes_sent - size
    committed = size - resumed.bytes_sent
    return resent, cut.bytes_sent - committed, size


def noop_on_the_wire(server: ServerProcess, laptop: Store, token: str) -> tuple[int, int, int, str]:
    """(requests, connections, bytes both ways, outcome) of one sync of an up-to-date laptop."""
    with FaultProxy(upstream_port=server.port) as proxy:
        engine = SyncEngine(laptop, proxy.url, token=token)
        report = engine.run()
        engine.close()
        return report.requests, proxy.connections, proxy.bytes_up + proxy.bytes_down, report.outcome


def fresh_laptop(root: Path) -> Store:
    """A laptop data dir as ``fieldcheck demo`` leaves it (the plan, nothing pulled)."""
    assert cli.main(["--data-dir", str(root), "demo", "--year", "2026"]) == 0
    return Store.open(DataPaths(root))


def engine_pull(server: ServerProcess, root: Path, username: str) -> tuple[int, float]:
    """(records pulled, seconds) of a fresh laptop's first ``SyncEngine.run()``."""
    laptop = fresh_laptop(root)
    engine = SyncEngine(laptop, server.url)
    engine.sign_in(username, PASSWORD)
    started = time.perf_counter()
    report = engine.run()
    seconds = time.perf_counter() - started
    engine.close()
    laptop.close()
    assert report.error is None, report.error
    return report.records_pulled, seconds


def _sql_value(value: object) -> object:
    """What SQLAlchemy's JSON columns store for a dict or list; anything else as it is."""
    return json.dumps(value) if isinstance(value, dict | list) else value


def raw_pull(server: ServerProcess, root: Path, token: str) -> tuple[int, float]:
    """(records, seconds) of the baseline: the scope's pages fetched with ``requests`` and
    inserted with ``executemany`` into the laptop's schema, one transaction per page."""
    fresh_laptop(root).close()  # the same tables (and plan rows) the engine writes into
    db = sqlite3.connect(DataPaths(root).database, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    columns = {
        table: {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    http.headers["X-Device-Id"] = "bench-pull-raw"
    now, since, records = dt.datetime.now(dt.UTC).isoformat(), 0, 0
    started = time.perf_counter()
    while True:
        page = http.get(
            f"{server.url}/v1/sync/changes",
            params={"scope": SCOPES[PULL_SCOPE], "since": since, "limit": PAGE_SIZE},
            timeout=(10, 120),
        ).json()
        batches: dict[tuple[str, tuple[str, ...]], list[list[object]]] = {}
        for change in page["changes"]:
            row = {"id": change["id"], "rev": change["rev"], "updated_at": now, **change["data"]}
            names = tuple(n for n in row if n in columns[change["entity"]])
            values = [_sql_value(row[n]) for n in names]
            batches.setdefault((change["entity"], names), []).append(values)
        db.execute("BEGIN IMMEDIATE")
        for (table, names), rows in batches.items():
            quoted = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" * len(names))
            db.executemany(f"INSERT OR REPLACE INTO {table} ({quoted}) VALUES ({marks})", rows)
        db.execute(
            "INSERT OR REPLACE INTO sync_cursor (scope_id, last_seq) VALUES (?, ?)",
            (page["scope_id"], page["last_seq"]),
        )
        db.execute("COMMIT")
        records += len(page["changes"])
        since = page["last_seq"]
        if not page["has_more"]:
            break
    seconds = time.perf_counter() - started
    http.close()
    db.close()
    return records, seconds


def first_pull(server: ServerProcess, env: dict[str, str], admin: ApiClient, args):  # type: ignore[no-untyped-def]
    """Fill ``--pull-records`` records in ``PULL_SCOPE``; then the engine's first pull and
    the raw baseline of the same pages, each into a fresh data dir, in alternating order."""
    admin.request(
        "POST",
        "/v1/admin/users",
        json={
            "username": "bench-pull",
            "role": "inspector",
            "password": PASSWORD,
            "scopes": [PULL_SCOPE],
        },
    ).raise_for_status()
    started = time.perf_counter()
    codes = [c for c in sorted(COMPOUNDS) if c.startswith(PULL_SCOPE)]
    fill_records(Settings.from_env(env=env), args.pull_records, codes)
    print(f"  fill took {time.perf_counter() - started:.0f} s", flush=True)
    client = ApiClient(server.url)
    token = client.login("bench-pull", PASSWORD, "bench-pull-raw")["token"]
    root = Path(tempfile.mkdtemp(prefix="fieldcheck-bench-pull-"))
    totals = {"engine": [0, 0.0], "raw": [0, 0.0]}
    for round_ in range(args.pull_rounds):
        sides = ["raw", "engine"] if round_ % 2 == 0 else ["engine", "raw"]
        for side in sides:
            where = root / f"{side}-{round_}"
            if side == "engine":
                records, seconds = engine_pull(server, where, "bench-pull")
            else:
                records, seconds = raw_pull(server, where, token)
            totals[side][0] += records
            totals[side][1] += seconds
            print(f"  (d) round {round_ + 1} {side}: {records} records in {seconds:.1f} s")
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--block", type=int, default=20)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--parallel", type=int, default=1, help="engine uploads at a time")
    parser.add_argument("--pull-records", type=int, default=20_000, help="records (d) pulls")
    parser.add_argument("--pull-rounds", type=int, default=1, help="(d) runs of each side")
    parser.add_argument("--only", default="abcd", help="the parts to run, e.g. d")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="fieldcheck-bench-sync-"))
    env = server_env(
        root / "server",
        None,
        {"FIELDCHECK_FSYNC": "0", "FIELDCHECK_MAX_CHUNK_BYTES": str(16 * 1024 * 1024)},
    )
    for cli_args, stdin in (
        (["demo", "--year", "2026"], None),
        (["user", "add", "root", "--role", "admin", "--password-stdin"], PASSWORD),
    ):
        done = run_cli(cli_args, env, stdin)
        assert done.returncode == 0, done.stderr
    server = ServerProcess(env).start()
    try:
        admin = ApiClient(server.url)
        admin.login("root", PASSWORD, "bench-admin")
        if set(args.only) & set("abc"):
            admin.request(
                "POST",
                "/v1/admin/users",
                json={
                    "username": "bench",
                    "role": "inspector",
                    "password": PASSWORD,
                    "scopes": ["CG"],
                },
            ).raise_for_status()
            laptop = fresh_laptop(root / "laptop")
            engine = SyncEngine(laptop, server.url)
            token = engine.sign_in("bench", PASSWORD).token
            assert engine.run().error is None  # pulls the plan: the laptop is up to date
            engine.close()
        if "a" in args.only:
            print(f"(a) {args.photos} photos of 4-8 MB, engine vs raw, blocks of {args.block}")
            rates, total, chunks = throughput(args, server, laptop, token)
        if "b" in args.only:
            print("(b) connection cut mid-photo")
            resent, in_flight, photo = resend_after_cut(server, laptop, token)
        if "c" in args.only:
            print(f"(c) filling {args.records} records in another sub-district")
            small = noop_on_the_wire(server, laptop, token)
            started = time.perf_counter()
            settings = Settings.from_env(env=env)
            fill_records(
                settings, args.records, [c for c in sorted(COMPOUNDS) if c.startswith("DG")]
            )
            print(f"  fill took {time.perf_counter() - started:.0f} s", flush=True)
            large = noop_on_the_wire(server, laptop, token)
        if set(args.only) & set("abc"):
            laptop.close()
        if "d" in args.only:
            print(f"(d) first pull of {args.pull_records} records in {PULL_SCOPE}")
            pulled = first_pull(server, env, admin, args)
    finally:
        server.stop()

    print()
    print(f"sync client benchmark on loopback, {os.cpu_count()} cores, server fsync off")
    if "a" in args.only:
        engine, raw, chunked = rates["engine"], rates["raw"], rates["chunked"]
        print(
            f"(a) upload {args.photos} photos ({total / MB:.0f} MB): engine "
            f"{engine / MB:.1f} MB/s vs raw single-PATCH {raw / MB:.1f} MB/s -> ratio "
            f"{engine / raw:.2f} (target >= 0.80); vs bare 4 MiB tus loop "
            f"{chunked / MB:.1f} MB/s -> ratio {engine / chunked:.2f}; "
            f"engine chunks {min(chunks) // 1024}-{max(chunks) // 1024} KiB"
        )
    if "b" in args.only:
        print(
            f"(b) cut mid-photo ({photo / MB:.0f} MB): {resent} bytes re-sent, chunk in flight "
            f"{in_flight} bytes -> {resent / max(in_flight, 1):.2f} chunk (target <= 1)"
        )
    if "c" in args.only:
        print(
            f"(c) no-op sync: {small[0]} request / {small[2]} B before the fill -> {large[0]} "
            f"request / {large[2]} B on {large[1]} connection with {args.records} more records "
            f"on the server ({large[3]}; target 1 request, < 2048 B)"
        )
    if "d" in args.only:
        (engine_n, engine_s), (raw_n, raw_s) = pulled["engine"], pulled["raw"]
        print(
            f"(d) first pull, pages of {PAGE_SIZE}: engine {engine_n / engine_s:,.0f} records/s "
            f"({1000 * engine_s / engine_n:.3f} ms/record, {engine_n} records in "
            f"{engine_s:.1f} s) vs raw requests + sqlite3 executemany "
            f"{raw_n / raw_s:,.0f} records/s ({1000 * raw_s / raw_n:.3f} ms/record, {raw_n} "
            f"records in {raw_s:.1f} s) -> ratio {(engine_n / engine_s) / (raw_n / raw_s):.2f}"
        )


if __name__ == "__main__":
    main()
