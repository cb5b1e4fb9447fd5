"""Fault-suite fixtures: one real server per test module (seeded like ``tests/sync``), which a
scenario kills with SIGKILL by its own PID and restarts on the same port, with or without a
named fault point (``FIELDCHECK_CRASH_AT`` / ``FIELDCHECK_FAIL_AT``); laptops as in
``tests/sync``; and a :class:`FaultProxy` in front of the server."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from fieldcheck.faults import CRASH_ENV, FAIL_ENV
from fieldcheck.sync.http import HttpConfig
from sync_server.testing import ServerProcess
from tests.faults.proxy import FaultProxy
from tests.sync.conftest import Server, make_laptop, serving

__all__ = ["make_laptop"]

#: One try per request and short timeouts: a fault shows in seconds, not minutes.
ONCE = HttpConfig(connect_timeout=2, read_timeout=5, attempts=1, backoff_base=0.01)


def kill9(server: Server) -> None:
    process = server.process.process
    assert process is not None
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


def restart(server: Server, crash_at: str | None = None, fail_at: str | None = None) -> None:
    """Kill the server (SIGKILL) if it runs and start it again on the same port, with the
    given fault point armed (or none)."""
    kill9(server)
    env = {k: v for k, v in server.env.items() if k not in (CRASH_ENV, FAIL_ENV)}
    if crash_at:
        env[CRASH_ENV] = crash_at
    if fail_at:
        env[FAIL_ENV] = fail_at
    server.process = ServerProcess(env, port=server.process.port).start()


def wait_dead(server: Server, timeout: float = 15) -> int:
    """The exit status of a server that killed itself at a crash point."""
    process = server.process.process
    assert process is not None
    return process.wait(timeout=timeout)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    yield from serving(tmp_path_factory.mktemp("fault-server"))


@pytest.fixture
def clean_server(server) -> Iterator[Server]:
    """The module's server, running without fault points before and after the test."""
    if server.process.process is None or server.process.process.poll() is not None:
        restart(server)
    yield server
    if (
        server.process.process.poll() is not None
        or CRASH_ENV in server.process.env
        or FAIL_ENV in server.process.env
    ):
        restart(server)


@pytest.fixture
def proxy(clean_server) -> Iterator[FaultProxy]:
    with FaultProxy(upstream_port=clean_server.process.port) as running:
        yield running
