"""Server fixtures: a real ``fieldcheck-server serve`` subprocess on a free loopback port,
once on SQLite and once on a throwaway PostgreSQL cluster, seeded through the CLI (demo
district, first admin) and the admin API (the other accounts), as a bureau would."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sync_server.testing import (
    PASSWORD,
    ApiClient,
    PgCluster,
    ServerProcess,
    run_cli,
    server_env,
)

#: username -> (role, scopes); every module's server has these accounts.
ACCOUNTS = {
    "alice": ("inspector", ["CG"]),
    "bob": ("inspector", ["DG"]),
    "rita": ("reviewer", ["CG"]),
    "ivan": ("inspector", ["CG", "DG"]),
}


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster | None]:
    reason = PgCluster.available()
    if reason:
        yield None
        return
    cluster = PgCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@dataclass
class World:
    """A running server with the demo district and the accounts above."""

    server: ServerProcess
    env: dict[str, str]
    backend: str
    data_dir: Path
    clients: list[ApiClient] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, username: str | None = None, device_id: str | None = None) -> ApiClient:
        """A client, logged in as ``username`` on a fresh device when given."""
        api = ApiClient(self.url)
        if username:
            api.login(username, PASSWORD, device_id or f"dev-{uuid.uuid4().hex[:12]}")
        return api


def new_data_dir(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Path:
    return tmp_path_factory.mktemp(f"server-{backend}")


def start_world(
    tmp_path_factory: pytest.TempPathFactory,
    backend: str,
    pg_cluster: PgCluster | None,
    extra_env: dict[str, str] | None = None,
    data_dir: Path | None = None,
) -> World:
    url = None
    if backend == "postgresql":
        if pg_cluster is None:
            pytest.skip(PgCluster.available() or "no PostgreSQL")
        url = pg_cluster.create_database(f"fc_{uuid.uuid4().hex[:10]}")
    data_dir = data_dir or new_data_dir(tmp_path_factory, backend)
    env = server_env(data_dir, url, {"FIELDCHECK_FSYNC": "0", **(extra_env or {})})
    for args, stdin in (
        (["demo", "--year", "2026"], None),
        (["user", "add", "root", "--role", "admin", "--password-stdin"], PASSWORD),
    ):
        done = run_cli(args, env, stdin)
        assert done.returncode == 0, done.stderr
    server = ServerProcess(env).start()
    world = World(server=server, env=env, backend=backend, data_dir=data_dir)
    admin = world.client("root")
    for name, (role, scopes) in ACCOUNTS.items():
        response = admin.request(
            "POST",
            "/v1/admin/users",
            json={"username": name, "role": role, "password": PASSWORD, "scopes": scopes},
        )
        assert response.status_code == 201, response.text
    return world


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory, pg_cluster) -> Iterator[World]:
    started = start_world(tmp_path_factory, request.param, pg_cluster)
    try:
        yield started
    finally:
        started.server.stop()


@pytest.fixture
def make_world(tmp_path_factory, pg_cluster):
    """Start an extra server with its own settings (stopped after the test)."""
    started: list[World] = []

    def make(
        backend: str = "sqlite",
        extra_env: dict[str, str] | None = None,
        data_dir: Path | None = None,
    ) -> World:
        started.append(start_world(tmp_path_factory, backend, pg_cluster, extra_env, data_dir))
        return started[-1]

    yield make
    for world in started:
        world.server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``postgresql_only`` are not collected for the SQLite server at all."""
    items[:] = [
        item
        for item in items
        if not (
            item.get_closest_marker("postgresql_only")
            and getattr(item, "callspec", None) is not None
            and item.callspec.params.get("world") == "sqlite"
        )
    ]
