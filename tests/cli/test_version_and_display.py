"""``fieldcheck --version`` answers without loading the heavy libraries, and the desktop app
says in one translated line that there is no display instead of Qt's "xcb-cursor0 is needed"."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fieldcheck import __version__
from fieldcheck.display import display_missing
from fieldcheck.launcher import asks_version
from tests.commands import fieldcheck

HEAVY = ("PySide6", "sqlmodel", "sqlalchemy", "PIL", "alembic", "requests")
NO_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}


def test_version_is_printed_by_the_program(tmp_path):
    result = fieldcheck(tmp_path / "data", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"fieldcheck {__version__}\n"
    assert not (tmp_path / "data").exists()  # no data folder is made to print a version


def test_version_imports_no_heavy_library():
    probe = (
        "import sys\n"
        "from fieldcheck.launcher import main\n"
        "main(['--language', 'en', '--version'])\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"fieldcheck {__version__}", "[]"]


def test_version_is_in_the_translated_help(tmp_path):
    help_text = fieldcheck(tmp_path, "--help", env={"LANG": "zh_CN.UTF-8"}).stdout
    assert "--version" in help_text
    assert "显示版本号后退出" in help_text


@pytest.mark.parametrize(
    ("argv", "asked"),
    [
        (["--version"], True),
        (["--data-dir", "/x", "--language", "en", "--version"], True),
        (["--data-dir=/x", "--version"], True),
        (["import-photos", "--version"], False),  # a command's argument, not ours
        (["--data-dir", "--version"], False),  # a folder named --version
        ([], False),
    ],
)
def test_version_is_an_option_before_the_command(argv, asked):
    assert asks_version(argv) is asked


@pytest.mark.parametrize(
    ("environ", "platform", "missing"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ""}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_display_is_missing_only_on_linux_without_one(environ, platform, missing):
    assert display_missing(environ, platform) is missing


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("C.UTF-8", "fieldcheck: no display to show the desktop app on"),
        ("zh_CN.UTF-8", "fieldcheck: 没有可显示桌面程序的屏幕"),
    ],
)
def test_without_a_display_the_app_says_so_in_one_line(tmp_path, locale, expected):
    result = fieldcheck(tmp_path / "data", env={**NO_DISPLAY, "LANG": locale})
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected)
    assert "xcb" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_commands_need_no_display(tmp_path):
    result = fieldcheck(tmp_path / "data", "compounds", "list", env=NO_DISPLAY)
    assert result.returncode == 0, result.stderr
    assert os.environ.get("QT_QPA_PLATFORM") == "offscreen"  # the test run's own is untouched
