"""Shared fixtures: a fresh data directory and an open store per test, built through the same
code the app and the command line use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Commands run by tests speak English unless a test sets a locale (tests/cli/test_cli_language).
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _close_the_log() -> Iterator[None]:
    """A test that started the app or a command in-process leaves no log handler behind."""
    yield
    from fieldcheck import logs

    logs.stop()


@pytest.fixture
def data_paths(tmp_path: Path):
    from fieldcheck.paths import DataPaths

    return DataPaths(tmp_path / "data")


@pytest.fixture
def store(data_paths) -> Iterator:
    from fieldcheck.store.database import Store

    opened = Store.open(data_paths)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(store):
    """A store holding the demo district, seeded the way ``fieldcheck demo`` does it."""
    from fieldcheck.domain import demo
    from fieldcheck.store import plan

    with store.write() as session:
        plan.save_plan(
            session,
            demo.DEMO_DISTRICT,
            list(demo.DEMO_SUB_DISTRICTS),
            demo.demo_compounds(2026),
            record_changes=False,
        )
    return store


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator:
    """``tmpfs(mib)``: a fresh tmpfs of that size (root only), for a real ENOSPC from the
    kernel, nothing mocked; unmounted after the test."""
    import subprocess

    mounted: list[Path] = []

    def mount(mib: int) -> Path:
        if os.geteuid() != 0:
            pytest.skip("mounting a tmpfs needs root")
        point = tmp_path / f"tmpfs-{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={mib}m", "tmpfs", str(point)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)
