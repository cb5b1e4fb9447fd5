"""Running real servers for tests and benchmarks: a free loopback port, the server as a
subprocess (stopped by its own PID), a throwaway PostgreSQL cluster, and a small HTTP client
that speaks the API (login, push, tus upload with resume).

Nothing here runs in production; it lives in the package so the test suite and ``bench/``
share one implementation.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from fieldcheck.domain.demo import DEMO_SUB_DISTRICTS, demo_compounds
from fieldcheck.domain.ids import answer_id

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SERVER_SCRIPT = Path(sys.executable).with_name("fieldcheck-server")
TIMEOUT = (5, 60)
#: The password of every account the tests and benchmarks create.
PASSWORD = "correct-horse-1"
#: The demo district's sub-district and compound ids by code (the same on every machine).
SCOPES = {s.code: s.id for s in DEMO_SUB_DISTRICTS}
COMPOUNDS = {c.code: c.id for c in demo_compounds(2026)}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(
    data_dir: Path, database_url: str | None = None, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDCHECK_")}
    env["FIELDCHECK_SERVER_DATA_DIR"] = str(data_dir)
    if database_url:
        env["FIELDCHECK_DATABASE_URL"] = database_url
    env.update(extra or {})
    return env


def run_cli(
    args: list[str],
    env: Mapping[str, str],
    stdin: str | None = None,
    script: Path = SERVER_SCRIPT,
) -> subprocess.CompletedProcess[str]:
    """Run ``fieldcheck-server ARGS`` as a user would (``script``: another installation's)."""
    return subprocess.run(
        [str(script), *args],
        env=dict(env),
        input=stdin,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )


@dataclass
class ServerProcess:
    """``fieldcheck-server serve`` on a free loopback port (``script``: another
    installation's, e.g. a baseline to compare with)."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    script: Path = SERVER_SCRIPT
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> ServerProcess:
        data_dir = Path(self.env["FIELDCHECK_SERVER_DATA_DIR"])
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = data_dir / f"server-{self.port}.log"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(self.script),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited early:\n{self.log()}")
                try:
                    if requests.get(f"{self.url}/v1/keys", timeout=5).ok:
                        return self
                except (requests.ConnectionError, requests.Timeout):  # not up yet, or busy
                    pass
                time.sleep(0.1)
            raise RuntimeError(f"server did not start in {timeout} s:\n{self.log()}")
        except BaseException:
            self.stop()  # never left running when starting failed
            raise

    def stop(self) -> None:
        """Stop our own process by its PID (SIGTERM, then SIGKILL)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""


class PgCluster:
    """A throwaway PostgreSQL 15 cluster owned by the ``postgres`` user, reachable by a Unix
    socket in its own directory (no TCP), removed on :meth:`stop`."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fieldcheck-pg-"))
        self.data, self.sockets = self.root / "data", self.root / "sock"
        self.port = free_port()
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @staticmethod
    def available() -> str | None:
        """None when a cluster can be started here, else why not."""
        if not (PG_BIN / "initdb").exists():
            return f"PostgreSQL 15 is not installed ({PG_BIN}); apt-get install postgresql"
        if os.geteuid() != 0:
            return "starting a throwaway cluster needs root (to run as the postgres user)"
        return None

    def start(self) -> PgCluster:
        self.sockets.mkdir()
        os.chmod(self.root, 0o755)
        shutil.chown(self.root, "postgres", "postgres")
        shutil.chown(self.sockets, "postgres", "postgres")
        self._run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        options = (
            f"-k {self.sockets} -p {self.port} -c listen_addresses='' -c fsync=off "
            "-c max_connections=300 -c shared_buffers=64MB"
        )
        self._run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.root / "pg.log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        )
        return self

    def stop(self) -> None:
        if self.data.exists():
            self._run(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, command: list[str], check: bool = True) -> None:
        subprocess.run(
            [*self._as_postgres, *command], check=check, capture_output=True, timeout=120, cwd="/"
        )

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        with psycopg.connect(
            host=str(self.sockets),
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@/{name}?host={self.sockets}&port={self.port}"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class ApiClient:
    """A minimal client of the API over one ``requests.Session`` with timeouts."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.device_id = ""
        self.username = ""

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return self.http.request(method, self.url(path), **kwargs)

    def login(self, username: str, password: str, device_id: str) -> dict[str, Any]:
        response = self.request(
            "POST",
            "/v1/auth/login",
            json={"username": username, "password": password, "device_id": device_id},
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        self.http.headers["Authorization"] = f"Bearer {body['token']}"
        self.http.headers["X-Device-Id"] = device_id
        self.device_id, self.username = device_id, username
        return body

    def push(self, ops: list[dict[str, Any]]) -> requests.Response:
        return self.request("POST", "/v1/sync/push", json={"device_id": self.device_id, "ops": ops})

    def tus_headers(self, **extra: str) -> dict[str, str]:
        return {"Tus-Resumable": "1.0.0", **extra}

    def create_upload(self, sha256: str, length: int) -> requests.Response:
        return self.request(
            "POST",
            "/v1/uploads",
            headers=self.tus_headers(
                **{"Upload-Length": str(length), "Upload-Metadata": f"sha256 {b64(sha256)}"}
            ),
        )

    def patch_chunk(
        self, location: str, offset: int, chunk: bytes, checksum: bool = True
    ) -> requests.Response:
        headers = self.tus_headers(
            **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
        )
        if checksum:
            digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
            headers["Upload-Checksum"] = f"sha256 {digest}"
        return self.request("PATCH", location, data=chunk, headers=headers)

    def upload(self, data: bytes, chunk_size: int = 256 * 1024) -> requests.Response:
        """Upload ``data`` by its SHA-256, resuming from the server's offset; returns the last
        response (204 with ``Blob-Status: verified`` on success)."""
        sha = hashlib.sha256(data).hexdigest()
        created = self.create_upload(sha, len(data))
        if created.status_code != 201:
            return created
        location = created.headers["Location"]
        offset = int(created.headers["Upload-Offset"])
        response = created
        while offset < len(data):
            response = self.patch_chunk(location, offset, data[offset : offset + chunk_size])
            if response.status_code == 409:
                offset = int(response.headers["Upload-Offset"])
                continue
            if response.status_code != 204:
                return response
            offset = int(response.headers["Upload-Offset"])
        return response


def answer_op(
    inspection_id: str, item: str = "A1", base_rev: int = 0, **fields: Any
) -> dict[str, Any]:
    """A push op creating (or, with ``base_rev``, updating) the answer to ``item``."""
    return {
        "op_id": str(uuid.uuid4()),
        "entity": "answer",
        "id": answer_id(inspection_id, item),
        "action": "create" if base_rev == 0 else "update",
        "base_rev": base_rev,
        "fields": {
            "inspection_id": inspection_id,
            "item_code": item,
            "values": {},
            "note": "",
            **fields,
        },
    }


def create_op(entity: str, fields: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
    """A push op creating a new ``entity`` record with ``fields``."""
    return {
        "op_id": str(uuid.uuid4()),
        "entity": entity,
        "id": record_id or str(uuid.uuid4()),
        "action": "create",
        "base_rev": 0,
        "fields": fields,
    }


def inspection_op(
    compound_code: str = "CG-01", inspection_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A push op creating an inspection of a demo compound."""
    facts = {
        "compound_id": COMPOUNDS[compound_code],
        "kind": "baseline_survey",
        "inspector": "alice",
        "started_on": "2026-03-02",
        "template_id": "renovation-checklist",
        "template_version": 1,
    }
    return create_op("inspection", {**facts, **fields}, inspection_id)


def photo_op(sha: str, compound_code: str = "CG-05", **fields: Any) -> dict[str, Any]:
    """A push op creating the photo record of blob ``sha`` in a demo compound."""
    facts = {
        "sha256": sha,
        "original_name": "IMG_0001.JPG",
        "size_bytes": 12,
        "mime": "image/jpeg",
        "format": "JPEG",
        "width": 4,
        "height": 3,
        "imported_at": "2026-03-02T08:00:00+00:00",
        "phase": "before",
        "compound_id": COMPOUNDS[compound_code],
    }
    return create_op("photo", {**facts, **fields})


def jpeg_like(size: int) -> bytes:
    """``size`` unique bytes that begin like a JPEG: what the server's sniffing takes for a
    photo, for tests whose blobs must be large or many rather than decodable."""
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
    return head + os.urandom(max(0, size - len(head)))


def ledger_entries(admin: ApiClient) -> list[dict[str, Any]]:
    """Every entry of the server's ledger, read page by page as an admin."""
    entries: list[dict[str, Any]] = []
    while True:
        page = admin.request("GET", "/v1/ledger", params={"after": len(entries), "limit": 1000})
        page.raise_for_status()
        batch = page.json()["entries"]
        if not batch:
            return entries
        entries += batch


def photo_bytes(
    size: tuple[int, int] = (400, 300),
    color: tuple[int, ...] = (200, 40, 40),
    fmt: str = "JPEG",
    orientation: int | None = None,
) -> bytes:
    """A small photo (JPEG, or HEIF through pillow-heif), with an EXIF orientation if given."""
    import io

    from PIL import Image

    if fmt == "HEIF":
        from fieldcheck.photos.formats import register_openers

        register_openers()
    tags = Image.Exif()
    if orientation is not None:
        tags[0x0112] = orientation
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, quality=90, exif=tags.tobytes())
    return out.getvalue()
