"""The desktop bundle (``packaging/desktop/``), built once for this module with PyInstaller
the way ``./dev bundle --package`` builds it, and run as an inspector's laptop runs it: no
Python, no .venv, only the folder.

It holds what the app reads at run time and not the server; it prints its version; it starts
offscreen and in a real X window (Xvfb), creates its data folder with the demo district,
logs that its window is shown and quits cleanly on SIGTERM; it imports a JPEG and a HEIC
from the shared corpus through ``import-photos``; it says there is no display in one line;
and it opens a data folder of an older fieldcheck (schema 0003): migrated, backed up, data
intact. The bundle's size, build time and start time are printed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldcheck import __version__
from tests.conftest import REPO, SHARED

BUILD_SCRIPT = REPO / "packaging" / "desktop" / "build.py"
CORPUS = SHARED / "corpus"
JPEG = CORPUS / "exif-orientation-examples" / "Landscape_6.jpg"
HEIC = CORPUS / "pillow_heif" / "tests" / "images" / "heif_other" / "empty_icc.heic"
OLD_SCHEMA = "0003"
START_TIMEOUT_S = 180.0


def load_build_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("desktop_build", BUILD_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Bundle:
    folder: Path
    dist: Path
    say: Callable[[str], None]

    @property
    def executable(self) -> Path:
        return self.folder / "fieldcheck"

    @property
    def internal(self) -> Path:
        return self.folder / "_internal"

    def env(self, data_dir: Path, **extra: str) -> dict[str, str]:
        """The environment of a laptop: no virtual env, no project on the Python path."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "UV_"))
        }
        env["FIELDCHECK_DATA_DIR"] = str(data_dir)
        env.update(extra)
        return env

    def run(self, data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.executable), *args],
            env=self.env(data_dir, **extra),
            cwd=data_dir.parent,
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, pytestconfig) -> Bundle:
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")

    def say(line: str) -> None:
        """A line on the terminal, past pytest's capture (the sizes and times asked for)."""
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(line)

    out = tmp_path_factory.mktemp("bundle")
    began = time.monotonic()
    built = subprocess.run(
        [
            sys.executable,
            str(BUILD_SCRIPT),
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
            "--package",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    folder = out / "dist" / "fieldcheck"
    size, files = load_build_script().folder_size(folder)
    say(
        f"desktop bundle: {size / 2**20:.0f} MiB in {files} files, "
        f"built in {time.monotonic() - began:.0f} s"
    )
    return Bundle(folder, out / "dist", say)


def wait_for_log(log_file: Path, text: str, process: subprocess.Popen[str]) -> str:
    """The first log line holding ``text``, once written; fails if the process ends first."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if log_file.exists():
            for line in log_file.read_text(encoding="utf-8").splitlines():
                if text in line:
                    return line
        if process.poll() is not None:
            pytest.fail(f"the bundle exited ({process.returncode}) before logging {text!r}")
        time.sleep(0.05)
    pytest.fail(f"the bundle did not log {text!r} within {START_TIMEOUT_S:.0f} s")


@contextmanager
def running(
    bundle: Bundle, data_dir: Path, *args: str, **extra: str
) -> Iterator[subprocess.Popen[str]]:
    """The bundle's app as a process, stopped (killed if need be) when the block ends."""
    process = subprocess.Popen(
        [str(bundle.executable), *args],
        env=bundle.env(data_dir, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=60)


def start_and_quit(bundle: Bundle, data_dir: Path, label: str, *args: str, **extra: str) -> str:
    """Start the app, wait for its window and its start-up check, SIGTERM it; returns the
    log. Prints the start time (process start to the window shown)."""
    log_file = data_dir / "logs" / "fieldcheck.log"
    began = time.monotonic()
    with running(bundle, data_dir, *args, **extra) as process:
        shown = wait_for_log(log_file, "the main window is shown", process)
        start_s = time.monotonic() - began
        wait_for_log(log_file, "integrity pass:", process)
        process.send_signal(signal.SIGTERM)
        _out, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
    bundle.say(f"desktop bundle start ({label}): window shown {start_s:.1f} s after launch")
    log = log_file.read_text(encoding="utf-8")
    assert shown in log
    assert "SIGTERM received: the app quits" in log
    assert log.rstrip().endswith("the app has quit")
    assert "Traceback" not in log
    assert " WARNING " not in log, log
    assert " ERROR " not in log, log
    return log


def test_the_bundle_holds_what_the_app_reads_and_not_the_server(bundle):
    internal = bundle.internal
    assert os.access(bundle.executable, os.X_OK)
    resources = internal / "fieldcheck" / "resources"
    assert (resources / "translations" / "fieldcheck_zh_CN.qm").is_file()
    assert (resources / "locale" / "zh_CN" / "LC_MESSAGES" / "fieldcheck.mo").is_file()
    assert (resources / "templates" / "renovation-checklist-v1.json").is_file()
    assert (resources / "fonts" / "wqy-microhei.ttc").is_file()
    source_versions = REPO / "src" / "fieldcheck" / "store" / "migrations" / "versions"
    bundled_versions = internal / "fieldcheck" / "store" / "migrations" / "versions"
    assert sorted(p.name for p in bundled_versions.glob("*.py")) == sorted(
        p.name for p in source_versions.glob("*.py")
    )
    qt = internal / "PySide6" / "Qt"
    for plugin in (
        "platforms/libqoffscreen.so",
        "platforms/libqxcb.so",
        "imageformats/libqjpeg.so",
    ):
        assert (qt / "plugins" / plugin).is_file(), plugin
    assert (qt / "translations" / "qtbase_zh_CN.qm").is_file()
    assert list(internal.glob("_pillow_heif*.so"))  # the HEIC decoder with its libheif
    assert list((internal / "pillow_heif.libs").glob("libheif*.so*"))
    names = {path.name for path in internal.rglob("*")}
    assert not names & {"sync_server", "fastapi", "uvicorn", "psycopg"}
    assert not any("common-passwords" in name for name in names)
    (package,) = bundle.dist.glob(f"fieldcheck-{__version__}-linux-*.tar.gz")
    with tarfile.open(package) as archive:
        assert f"fieldcheck-{__version__}/fieldcheck" in archive.getnames()


def test_the_bundle_prints_its_version(bundle, tmp_path):
    began = time.monotonic()
    result = bundle.run(tmp_path / "data", "--version")
    elapsed = time.monotonic() - began
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"fieldcheck {__version__}\n"
    assert not (tmp_path / "data").exists()
    bundle.say(f"desktop bundle: fieldcheck --version took {elapsed:.2f} s")


@pytest.fixture(scope="module")
def started(bundle, tmp_path_factory) -> Path:
    """A data folder the bundle's app created on its first start (offscreen, in Chinese)."""
    data_dir = tmp_path_factory.mktemp("laptop") / "new" / "fieldcheck-data"
    start_and_quit(
        bundle, data_dir, "offscreen", "--language", "zh_CN", QT_QPA_PLATFORM="offscreen"
    )
    return data_dir


def test_the_app_starts_offscreen_creates_its_data_folder_and_quits(bundle, started):
    assert (started / "fieldcheck.sqlite3").is_file()
    log = (started / "logs" / "fieldcheck.log").read_text(encoding="utf-8")
    assert "language zh_CN" in log
    assert "the main window is shown (Qt platform offscreen" in log
    listed = bundle.run(started, "compounds", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 27  # the demo district, seeded on first start


def test_the_bundle_imports_a_jpeg_and_a_heic(bundle, started):
    result = bundle.run(
        started,
        "import-photos",
        "--compound",
        "CG-01",
        "--phase",
        "before",
        "--inspector",
        "张三",
        "--json",
        str(JPEG),
        str(HEIC),
    )
    assert result.returncode == 0, result.stderr
    jpeg, heic = (json.loads(line) for line in result.stdout.splitlines())
    assert (jpeg["status"], jpeg["orientation"]) == ("imported", 6)
    assert heic["status"] == "imported"
    assert (heic["width"], heic["height"]) == (1025, 900)
    assert heic["gps"]["lat"] == pytest.approx(46.754703, abs=1e-5)  # EXIF read from the HEIC
    blobs = [path for path in (started / "blobs").rglob("*") if path.is_file()]
    assert {path.name for path in blobs} >= {jpeg["sha256"], heic["sha256"]}

    again = bundle.run(
        started, "--language", "zh_CN", "import-photos", "--compound", "CG-01",
        "--phase", "before", str(HEIC),
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "重复" in again.stdout  # the CLI's Chinese catalog is in the bundle


@contextmanager
def xvfb() -> Iterator[str]:
    """A real X server on a free display number, stopped after the block."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as announced:
            number = announced.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{int(number)}"
    finally:
        server.terminate()
        server.communicate(timeout=60)


def test_the_app_opens_a_real_window_under_x(bundle, tmp_path):
    with xvfb() as display:
        log = start_and_quit(
            bundle, tmp_path / "data", "xcb (Xvfb)", DISPLAY=display, QT_QPA_PLATFORM=""
        )
    assert "the main window is shown (Qt platform xcb" in log


def test_without_a_display_the_bundle_says_so(bundle, tmp_path):
    result = bundle.run(
        tmp_path / "data", DISPLAY="", WAYLAND_DISPLAY="", QT_QPA_PLATFORM="", LANG="zh_CN.UTF-8"
    )
    assert result.returncode == 2
    assert result.stderr.startswith("fieldcheck: 没有可显示桌面程序的屏幕")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "data").exists()


@pytest.fixture
def old_data_dir(tmp_path) -> tuple[Path, str]:
    """A data folder of an older fieldcheck: the demo district and one photo written at
    today's schema, then taken down to schema 0003 with the migrations' own downgrades.
    Returns the folder and the photo's hash."""
    from alembic import command

    from fieldcheck.cli import seed_demo
    from fieldcheck.core.compounds import resolve_compound
    from fieldcheck.core.photo_import import import_photos
    from fieldcheck.domain.photo import Phase, PhotoTarget
    from fieldcheck.paths import DataPaths
    from fieldcheck.store import migrate
    from fieldcheck.store.database import Store
    from fieldcheck.store.engine import make_engine

    paths = DataPaths(tmp_path / "old")
    store = Store.open(paths)
    try:
        seed_demo(store, 2026)
        with store.read() as session:
            compound = resolve_compound(session, "CG-02")
        target = PhotoTarget(compound_id=compound, phase=Phase.BEFORE, inspector="李四")
        summary = import_photos(store, [JPEG], target)
        (outcome,) = summary.outcomes
        assert outcome.photo is not None
        sha256 = outcome.photo.sha256
    finally:
        store.close()
    engine = make_engine(paths.database)
    try:
        command.downgrade(migrate.alembic_config(engine), OLD_SCHEMA)
        assert migrate.current_revision(engine) == OLD_SCHEMA
    finally:
        engine.dispose()
    return paths.root, sha256


def test_an_older_data_folder_is_upgraded_with_a_backup_and_keeps_its_data(bundle, old_data_dir):
    from fieldcheck.store import migrate

    data_dir, sha256 = old_data_dir
    listed = bundle.run(data_dir, "compounds", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 27

    database = sqlite3.connect(data_dir / "fieldcheck.sqlite3")
    try:
        version = database.execute("SELECT version_num FROM alembic_version").fetchone()
        photos = database.execute("SELECT sha256, inspector FROM photo").fetchall()
    finally:
        database.close()
    assert version == (migrate.head_revision(),)
    assert photos == [(sha256, "李四")]

    (backup,) = (data_dir / "backups").glob(f"fieldcheck-{OLD_SCHEMA}-*.sqlite3")
    kept = sqlite3.connect(backup)
    try:
        assert kept.execute("SELECT version_num FROM alembic_version").fetchone() == (OLD_SCHEMA,)
        assert kept.execute("SELECT count(*) FROM compound").fetchone() == (27,)
        assert kept.execute("SELECT sha256 FROM photo").fetchall() == [(sha256,)]
    finally:
        kept.close()

    again = bundle.run(
        data_dir, "import-photos", "--compound", "CG-02", "--phase", "before", "--json", str(JPEG)
    )
    assert json.loads(again.stdout)["status"] == "duplicate"  # the photo and its blob are there
    log = (data_dir / "logs" / "fieldcheck.log").read_text(encoding="utf-8")
    assert f"from schema {OLD_SCHEMA} to {migrate.head_revision()}; backup {backup}" in log
