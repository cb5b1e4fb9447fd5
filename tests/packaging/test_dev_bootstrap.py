"""``./dev`` on a stock Debian 12: only the system Python (``/usr/bin/python3``, which refuses
``pip install`` outside a venv under PEP 668) and no uv anywhere. The script must make its
own venv holding uv, then ``.venv`` on that Python, and ``./dev app`` and ``./dev test`` must
run from it. Runs on a copy of this checkout with a PATH without uv and an empty HOME; the
download caches of uv and pip are shared with this machine's to keep it to a minute.

What this machine cannot show: a Debian without the ``python3-venv`` package (``./dev``
installs it when root, else prints the ``apt-get`` line); here it is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fieldcheck import __version__
from tests.conftest import REPO

SYSTEM_PYTHON = Path("/usr/bin/python3")
PLAIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def copy_checkout(target: Path) -> Path:
    """The files git knows of (committed or not, minus the ignored ones), as a fresh clone
    would have them with this working tree's edits."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def user_cache(tool: str) -> str:
    home_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return str(home_cache / tool)


@pytest.fixture(scope="module")
def stock_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("UV_", "VIRTUAL_ENV", "PYTHON", "PYENV"))
    }
    env.update(
        PATH=PLAIN_PATH,
        HOME=str(home),
        PYTHON=str(SYSTEM_PYTHON),
        UV_CACHE_DIR=os.environ.get("UV_CACHE_DIR") or user_cache("uv"),
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR") or user_cache("pip"),
    )
    return env


@pytest.fixture(scope="module")
def checkout(tmp_path_factory, stock_env) -> Path:
    return copy_checkout(tmp_path_factory.mktemp("checkout"))


def dev(checkout: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "./dev", *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_machine_is_a_stock_debian_without_uv(stock_env):
    assert SYSTEM_PYTHON.exists()
    found = subprocess.run(
        ["bash", "-c", "command -v uv || ls ~/.local/bin/uv ~/.cargo/bin/uv"],
        env=stock_env,
        capture_output=True,
        text=True,
    )
    assert found.returncode != 0, found.stdout
    refused = subprocess.run(
        [str(SYSTEM_PYTHON), "-m", "pip", "install", "--dry-run", "--user", "uv"],
        env=stock_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Debian's Python either has no pip at all or refuses it (PEP 668).
    assert refused.returncode != 0
    assert "externally-managed-environment" in refused.stderr or "No module named pip" in (
        refused.stderr
    )


def test_setup_bootstraps_uv_and_builds_the_venv_on_the_system_python(checkout, stock_env):
    first = dev(checkout, stock_env, "setup")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "installing uv" in first.stdout
    uv = checkout / ".venv-tools" / "bin" / "uv"
    assert uv.exists()
    config = (checkout / ".venv" / "pyvenv.cfg").read_text()
    assert "home = /usr/bin\n" in config
    python = subprocess.run(
        [str(checkout / ".venv/bin/python"), "-c", "import sys, PySide6; print(sys.version)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert python.returncode == 0, python.stderr
    system_version = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
    ).stdout
    assert python.stdout == system_version

    again = dev(checkout, stock_env, "setup")
    assert again.returncode == 0, again.stderr
    assert "installing uv" not in again.stdout  # uv is bootstrapped once


def test_dev_app_runs_the_program(checkout, stock_env):
    result = dev(checkout, stock_env, "app", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(f"fieldcheck {__version__}\n")


def test_dev_test_runs_the_checks_and_pytest(checkout, stock_env):
    result = dev(
        checkout, stock_env, "test", "tests/domain/test_stages.py", "-q", "-p", "no:cacheprovider"
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for step in ("== ruff check", "== ruff format --check", "== import contracts", "== pytest"):
        assert step in result.stdout
    assert " passed" in result.stdout.splitlines()[-1]
