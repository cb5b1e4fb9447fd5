"""Faults with real processes: ``kill -9`` of the importer at named and at random points, and a
full disk (a tiny tmpfs). Afterwards no record lacks its blob or outbox entry, every blob is
whole, orphan blobs are listed by the integrity pass, and a second import completes."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldcheck.paths import DataPaths
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.store.database import Store
from fieldcheck.store.integrity import run_integrity_pass
from fieldcheck.store.photos import list_photos
from fieldcheck.store.syncbook import outbox


def cli(data_dir: Path, *args: str, crash_at: str = "") -> subprocess.Popen:
    env = {**os.environ, "FIELDCHECK_DATA_DIR": str(data_dir)}
    env.pop("FIELDCHECK_CRASH_AT", None)
    if crash_at:
        env["FIELDCHECK_CRASH_AT"] = crash_at
    return subprocess.Popen(
        [sys.executable, "-m", "fieldcheck.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def import_args(compound_id: str, folder: Path) -> list[str]:
    return ["import-photos", "--compound", compound_id, "--phase", "before", "--json", str(folder)]


@pytest.fixture
def card(tmp_path, jpeg, put):
    """A camera card of 40 distinct JPEGs big enough to take a moment each."""
    folder = tmp_path / "card"
    for i in range(40):
        put(folder / f"IMG_{i:04}.jpg", jpeg((1200, 900), color=(i * 6, 100, 200 - i * 4)))
    return folder


def check_invariants(data_paths: DataPaths, compound_id: str) -> tuple[int, int]:
    """Assert the evidence invariants; returns (records, recovered blobs)."""
    store = Store.open(data_paths)
    try:
        blobs = BlobStore(data_paths.blobs)
        with store.read() as session:
            photos = list_photos(session, compound_id)
            entries = [e for e in outbox.pending(session) if e.entity == "photo"]
        assert {e.entity_id for e in entries} == {p.id for p in photos}
        for sha in blobs.iter_hashes():  # no torn blob: every file holds what its name says
            assert hashlib.sha256(blobs.path_for(sha).read_bytes()).hexdigest() == sha
        present = set(blobs.iter_hashes())
        assert {p.sha256 for p in photos} <= present  # no record without its blob
        report = run_integrity_pass(store)
        assert {r.sha256 for r in report.recovered} == present - {p.sha256 for p in photos}
        assert report.quick_check == ("ok",)
        assert report.missing_blobs == ()
        return len(photos), len(report.recovered)
    finally:
        store.close()


def test_kill_at_named_and_random_points(demo_store, data_paths, compound_id, card):
    demo_store.close()
    args = import_args(compound_id, card)
    # after the 4th blob is durable, before any record: only orphans, all recovered
    crashed = cli(data_paths.root, *args, crash_at="blob_committed:4")
    crashed.communicate(timeout=120)
    assert crashed.returncode == -signal.SIGKILL
    assert check_invariants(data_paths, compound_id)[0] == 0
    assert check_invariants(data_paths, compound_id)[1] >= 4
    # inside the records' transaction, before its commit: still no row
    crashed = cli(data_paths.root, *args, crash_at="photos_recorded:1")
    crashed.communicate(timeout=120)
    assert crashed.returncode == -signal.SIGKILL
    assert check_invariants(data_paths, compound_id)[0] == 0
    # anywhere at all
    chance = random.Random(20261128)
    for _ in range(2):
        process = cli(data_paths.root, *args)
        time.sleep(chance.uniform(1.0, 4.0))
        process.kill()
        process.communicate(timeout=60)
        check_invariants(data_paths, compound_id)
    finish = cli(data_paths.root, *args)
    out, err = finish.communicate(timeout=120)
    assert finish.returncode == 0, err
    assert {json.loads(line)["status"] for line in out.splitlines()} <= {"imported", "duplicate"}
    assert check_invariants(data_paths, compound_id) == (40, 0)  # the orphans were adopted


@pytest.fixture
def tiny_disk(tmp_path):
    """An 8 MiB tmpfs (root only): a real ENOSPC from the kernel, nothing mocked."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_stops_the_import_and_keeps_what_was_imported(
    tiny_disk, corpus, compound_id, demo_store_at
):
    data_paths = DataPaths(tiny_disk / "data")
    demo_store_at(data_paths.root).close()
    folder = corpus / "exif-orientation-examples"  # 18 photos, 5 MiB (and their thumbnails)
    process = cli(data_paths.root, *import_args(compound_id, folder))
    out, err = process.communicate(timeout=120)
    lines = [json.loads(line) for line in out.splitlines()]
    assert process.returncode == 2
    assert "disk" in err
    assert "full" in err
    assert "imported before it stay saved" in err
    imported = [line for line in lines if line["status"] == "imported"]
    assert imported, "some photos fit before the disk filled"
    assert len(imported) < 18
    assert "disk_full" in {line["code"] for line in lines}
    records, _ = check_invariants(data_paths, compound_id)
    assert records == len(imported)
