"""Sync fixtures: the real ``fieldcheck-server`` in a subprocess on a free loopback port,
seeded through its CLI (``demo``, ``user add``), and laptops — each a data directory seeded
with ``fieldcheck demo`` — that sync with it through the engine or the ``fieldcheck`` CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import col, select

from fieldcheck import cli
from fieldcheck.catalog import shipped_catalog
from fieldcheck.core.photo_import import import_photos
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.paths import DataPaths
from fieldcheck.store import inspections
from fieldcheck.store.database import Store
from fieldcheck.store.tables import OutboxRow
from fieldcheck.sync.credentials import TokenStore
from fieldcheck.sync.engine import SyncEngine
from fieldcheck.sync.http import HttpConfig
from fieldcheck.sync.report import SyncReport
from sync_server.testing import (
    COMPOUNDS,
    PASSWORD,
    SERVER_SCRIPT,
    ApiClient,
    ServerProcess,
    run_cli,
    server_env,
)

FIELDCHECK = Path(sys.executable).with_name("fieldcheck")
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
#: Fast retries for tests: the real defaults wait up to minutes.
FAST = HttpConfig(connect_timeout=5, read_timeout=30, attempts=3, backoff_base=0.01)
#: username -> sub-districts; every server of these tests has these inspectors, the first
#: ones made with ``fieldcheck-server user add``, the rest through the admin API (faster).
INSPECTORS = {"alice": ["CG"], "bob": ["CG"]}
MORE_INSPECTORS = {"carol": ["CG"], "dave": ["CG"], "erin": ["CG"], "frank": ["CG"]}


@dataclass
class Server:
    process: ServerProcess
    env: dict[str, str]
    data_dir: Path

    @property
    def url(self) -> str:
        return self.process.url

    def cli(self, *args: str, stdin: str | None = None) -> str:
        done = run_cli(list(args), self.env, stdin)
        assert done.returncode == 0, done.stderr
        return done.stdout


def start_server(data_dir: Path) -> Server:
    env = server_env(data_dir, None, {"FIELDCHECK_FSYNC": "0"})
    server = Server(ServerProcess(env), env, data_dir)
    server.cli("demo", "--year", "2026")
    adding = [_user_add(env, "root", "--role", "admin")] + [
        _user_add(env, name, "--role", "inspector", *[a for s in scopes for a in ("--scope", s)])
        for name, scopes in INSPECTORS.items()
    ]  # in parallel: each start-up costs seconds
    for process in adding:
        _out, err = process.communicate(PASSWORD + "\n", timeout=120)
        assert process.returncode == 0, err
    server.process.start()
    admin = ApiClient(server.url)
    admin.login("root", PASSWORD, "dev-root")
    for name, scopes in MORE_INSPECTORS.items():
        body = {"username": name, "role": "inspector", "password": PASSWORD, "scopes": scopes}
        assert admin.request("POST", "/v1/admin/users", json=body).status_code == 201
    return server


def _user_add(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``fieldcheck-server user add ARGS --password-stdin``, started, not awaited."""
    return subprocess.Popen(
        [str(SERVER_SCRIPT), "user", "add", *args, "--password-stdin"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def serving(data_dir: Path) -> Iterator[Server]:
    """A started server for a fixture to yield, stopped (by its own PID) afterwards."""
    running = start_server(data_dir)
    try:
        yield running
    finally:
        running.process.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    yield from serving(tmp_path_factory.mktemp("server"))


@dataclass
class Laptop:
    """One inspector's laptop: a data directory, its open store, and the server it syncs with."""

    root: Path
    store: Store
    user: str
    server_url: str
    config: HttpConfig = FAST
    engines: list[SyncEngine] = field(default_factory=list)

    def engine(self, url: str | None = None, **kwargs) -> SyncEngine:  # type: ignore[no-untyped-def]
        url = url or self.server_url
        token = TokenStore(self.root).load(self.server_url, self.user)
        kwargs.setdefault("config", self.config)
        engine = SyncEngine(self.store, url, token=token, **kwargs)
        if token is None:
            answer = engine.sign_in(self.user, PASSWORD)
            TokenStore(self.root).save(self.server_url, self.user, answer.token)
        self.engines.append(engine)
        return engine

    def sync(self, url: str | None = None, **kwargs) -> SyncReport:  # type: ignore[no-untyped-def]
        return self.engine(url, **kwargs).run()

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """``fieldcheck --data-dir ROOT ARGS`` as a user runs it."""
        return subprocess.run(
            [str(FIELDCHECK), "--data-dir", str(self.root), *args],
            input=stdin,
            text=True,
            capture_output=True,
            timeout=120,
            check=False,
        )

    def start_inspection(self, compound_code: str = "CG-01") -> str:
        with self.store.write() as session:
            return inspections.start_inspection(
                session,
                COMPOUNDS[compound_code],
                InspectionKind.BASELINE_SURVEY,
                self.user,
                shipped_catalog().latest(),
                dt.date(2026, 3, 2),
            ).id

    def answer(self, inspection_id: str, item: str, values: dict, note: str = "") -> None:
        with self.store.write() as session:
            inspections.save_answer(session, shipped_catalog(), inspection_id, item, values, note)

    def import_photos(self, files: list[Path], compound_code: str = "CG-01") -> list[str]:
        target = PhotoTarget(
            compound_id=COMPOUNDS[compound_code], phase=Phase.BEFORE, inspector=self.user
        )
        summary = import_photos(self.store, files, target)
        assert summary.refused == 0, [o.reason for o in summary.outcomes]
        return [o.photo.sha256 for o in summary.outcomes if o.photo]

    def outbox(self) -> list[OutboxRow]:
        with self.store.read() as session:
            return list(session.exec(select(OutboxRow).order_by(col(OutboxRow.seq))).all())

    def close(self) -> None:
        for engine in self.engines:
            engine.close()
        self.store.close()


@pytest.fixture
def make_laptop(tmp_path, server) -> Iterator:
    made: list[Laptop] = []

    def make(user: str, name: str | None = None) -> Laptop:
        root = tmp_path / (name or f"laptop-{user}-{len(made)}")
        assert cli.main(["--data-dir", str(root), "demo", "--year", "2026"]) == 0
        laptop = Laptop(root, Store.open(DataPaths(root)), user, server.url)
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.close()


def corpus_jpegs(count: int) -> list[Path]:
    files = sorted((CORPUS / "exif-orientation-examples").glob("*.jpg"))
    assert len(files) >= count, f"the corpus at {CORPUS} is missing"
    return files[:count]


def big_jpeg(path: Path, seed: int, size: tuple[int, int] = (1600, 1200)) -> Path:
    """A real JPEG of a few MB (noise compresses badly), for multi-chunk uploads."""
    import random

    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    path.write_bytes(buffer.getvalue())
    return path


def json_summary(done: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(done.stdout.strip().splitlines()[-1])
