"""Benchmark of the sync server's memory under parallel uploads (issue 10 #6; not a timed
test). A real ``fieldcheck-server serve`` on loopback (SQLite), several users, each sending
its share of ``--uploads`` photo-sized blobs at once, one ``--chunk-mib`` PATCH each, all
released together; the server's resident memory (``VmRSS``) is sampled every 10 ms and its
peak growth over the idle server reported. Target: under 150 MB for 120 parallel 8 MiB
uploads.

With ``--baseline DIR`` (default: ``/work/main/.venv/bin`` when it exists) the same run is
made against the ``fieldcheck-server`` installed there, e.g. the current main branch, as a
second process after the first, and the ratio printed. Figures are the last lines printed.

    .venv/bin/python bench/upload_memory.py [--uploads 120] [--users 8] [--chunk-mib 8]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sync_server.testing import (
    PASSWORD,
    SERVER_SCRIPT,
    ApiClient,
    ServerProcess,
    jpeg_like,
    run_cli,
    server_env,
)

MiB = 1024 * 1024
DEFAULT_BASELINE = Path("/work/main/.venv/bin")


@dataclass
class Run:
    label: str
    idle_mb: float
    peak_mb: float
    after_mb: float
    seconds: float
    statuses: dict[int, int]

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.idle_mb


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


class PeakSampler:
    """The highest RSS of ``pid`` while running, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.01):
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self.peak = rss_mb(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


def start_server(label: str, script: Path, users: list[str]) -> ServerProcess:
    data_dir = Path(tempfile.mkdtemp(prefix=f"fc-upload-mem-{label}-"))
    env = server_env(data_dir, None, {"FIELDCHECK_FSYNC": "0"})
    for args, stdin in [
        (["demo", "--year", "2026"], None),
        *[
            (["user", "add", name, "--role", "inspector", "--scope", "CG", "--password-stdin"],
             PASSWORD)
            for name in users
        ],
    ]:  # fmt: skip
        done = run_cli(args, env, stdin, script=script)
        if done.returncode != 0:
            raise RuntimeError(f"{label}: {' '.join(args)} failed:\n{done.stderr}")
    return ServerProcess(env, script=script).start()


def run(label: str, script: Path, blobs: list[bytes], users: list[str]) -> Run:
    """Upload every blob at once, each by its user (round robin), in one PATCH."""
    server = start_server(label, script, users)
    try:
        assert server.process is not None
        pid = server.process.pid
        clients = []
        for index in range(len(blobs)):
            client = ApiClient(server.url)
            client.http.headers.update(logged_in(server, users, index % len(users)))
            clients.append(client)
        locations = []
        for client, data in zip(clients, blobs, strict=True):
            created = client.create_upload(hashlib.sha256(data).hexdigest(), len(data))
            if created.status_code != 201:
                raise RuntimeError(f"{label}: POST: {created.status_code} {created.text}")
            locations.append(created.headers["Location"])
        time.sleep(1.0)  # let the idle server settle before measuring
        idle = rss_mb(pid)
        release = threading.Barrier(len(blobs))

        def upload(index: int) -> int:
            data = blobs[index]
            digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
            headers = clients[index].tus_headers(
                **{
                    "Upload-Offset": "0",
                    "Content-Type": "application/offset+octet-stream",
                    "Upload-Checksum": f"sha256 {digest}",
                }
            )
            release.wait()
            response = clients[index].request("PATCH", locations[index], data=data, headers=headers)
            return response.status_code

        started = time.perf_counter()
        with PeakSampler(pid) as sampler, ThreadPoolExecutor(len(blobs)) as pool:
            codes = list(pool.map(upload, range(len(blobs))))
        seconds = time.perf_counter() - started
        time.sleep(1.0)
        after = rss_mb(pid)
        statuses: dict[int, int] = {}
        for code in codes:
            statuses[code] = statuses.get(code, 0) + 1
        return Run(label, idle, sampler.peak, after, seconds, statuses)
    finally:
        server.stop()


_tokens: dict[tuple[str, str], dict[str, str]] = {}


def logged_in(server: ServerProcess, users: list[str], index: int) -> dict[str, str]:
    """One login per user and server: the Authorization header (clients share it)."""
    key = (server.url, users[index])
    if key not in _tokens:
        client = ApiClient(server.url)
        client.login(users[index], PASSWORD, f"bench-{users[index]}")
        _tokens[key] = {"Authorization": client.http.headers["Authorization"]}
    return _tokens[key]


def show(result: Run) -> None:
    print(
        f"[{result.label}] idle {result.idle_mb:.0f} MB, peak {result.peak_mb:.0f} MB "
        f"(+{result.growth_mb:.0f} MB), {result.after_mb:.0f} MB a second later; "
        f"{result.seconds:.1f} s; answers {result.statuses}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=120)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--chunk-mib", type=int, default=8)
    parser.add_argument(
        "--baseline",
        type=Path,
        default=DEFAULT_BASELINE if (DEFAULT_BASELINE / "fieldcheck-server").exists() else None,
        help="a bin/ folder with another fieldcheck-server to compare with",
    )
    args = parser.parse_args()
    users = [f"uploader{n}" for n in range(args.users)]
    print(f"making {args.uploads} blobs of {args.chunk_mib} MiB", flush=True)
    blobs = [jpeg_like(args.chunk_mib * MiB) for _ in range(args.uploads)]

    this = run("this branch", SERVER_SCRIPT, blobs, users)
    show(this)
    baseline = None
    if args.baseline is not None:
        baseline = run("baseline", args.baseline / "fieldcheck-server", blobs, users)
        show(baseline)

    print()
    print(
        f"{args.uploads} parallel {args.chunk_mib} MiB uploads from {args.users} users: "
        f"server RSS growth {this.growth_mb:.0f} MB (target < 150 MB)"
    )
    if baseline is not None:
        ratio = this.growth_mb / baseline.growth_mb if baseline.growth_mb > 0 else float("nan")
        print(
            f"baseline ({args.baseline}): growth {baseline.growth_mb:.0f} MB; "
            f"ratio this/baseline {ratio:.2f}"
        )


if __name__ == "__main__":
    main()
