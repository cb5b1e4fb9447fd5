"""Blob files without rows (F13: ``kill -9`` between the rename into blobs/ and the row) are
re-hashed on start: recorded as verified or quarantined; ``verify`` re-hashes every stored blob
and changes nothing (F17)."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import select

from sync_server.blobs.recovery import recover_orphans
from sync_server.blobs.storage import BlobFiles
from sync_server.db import open_database
from sync_server.ledger import chain
from sync_server.ledger.keys import load_or_create_signer
from sync_server.ledger.models import LedgerRow
from sync_server.settings import Settings
from sync_server.testing import jpeg_like, run_cli, server_env


def blob_path(data_dir: Path, sha: str) -> Path:
    return data_dir / "blobs" / sha[:2] / sha[2:4] / sha


def place(data_dir: Path, sha: str, data: bytes) -> Path:
    """Write a blob file by hand, as a publish does (read-only, by its name)."""
    path = blob_path(data_dir, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, 0o444)
    return path


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_start_records_orphan_blobs_and_quarantines_corrupt_ones(make_world, backend):
    world = make_world(backend)
    alice = world.client("alice")
    data = os.urandom(150_000)
    sha = hashlib.sha256(data).hexdigest()
    location = alice.create_upload(sha, len(data)).headers["Location"]
    assert alice.patch_chunk(location, 0, data[:50_000]).status_code == 204
    bad = os.urandom(5000)
    bad_sha = hashlib.sha256(b"what the bytes were " + bad).hexdigest()
    world.server.stop()
    # the last chunk was written and the part renamed into blobs/, then the process died
    (part,) = (world.data_dir / "incoming").glob(f"{sha}.*.part")
    part.unlink()
    place(world.data_dir, sha, data)
    place(world.data_dir, bad_sha, bad)
    world.server.start()

    got = alice.request("GET", f"/v1/blobs/{sha}")  # alice started the upload: hers
    assert got.status_code == 200
    assert got.content == data
    retried = alice.create_upload(sha, len(data))
    assert retried.headers["Blob-Status"] == "verified"
    assert retried.headers["Upload-Offset"] == str(len(data))
    head = alice.request("HEAD", location, headers=alice.tus_headers())
    assert (head.headers["Upload-Offset"], head.headers["Blob-Status"]) == (
        str(len(data)),
        "verified",
    )
    late = alice.patch_chunk(location, 50_000, data[50_000:])
    assert late.status_code == 409
    assert late.headers["Upload-Offset"] == str(len(data))
    entries = world.client("root").request("GET", "/v1/ledger", params={"limit": 1000}).json()
    (entry,) = [e for e in entries["entries"] if e["blob_sha256"] == sha]
    assert entry["actor"] == "alice"

    assert world.client("root").request("GET", f"/v1/blobs/{bad_sha}").status_code == 404
    assert not blob_path(world.data_dir, bad_sha).exists()
    (moved,) = (world.data_dir / "quarantine").iterdir()
    assert moved.name.startswith(f"{bad_sha}.")
    assert moved.read_bytes() == bad
    assert bad_sha in world.server.log()
    verify = run_cli(["verify"], world.env)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "0 mismatched" in verify.stdout
    assert "chain intact" in verify.stdout


def test_verify_reports_a_corrupted_blob_and_changes_nothing(make_world):
    world = make_world("sqlite")
    alice = world.client("alice")
    data = jpeg_like(20_000)
    sha = hashlib.sha256(data).hexdigest()
    assert alice.upload(data).headers["Blob-Status"] == "verified"
    clean = run_cli(["verify"], world.env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "1 checked, 0 mismatched" in clean.stdout
    path = blob_path(world.data_dir, sha)
    os.chmod(path, 0o644)
    flipped = bytes([data[0] ^ 1]) + data[1:]
    path.write_bytes(flipped)
    os.chmod(path, 0o444)
    stray = hashlib.sha256(b"stray").hexdigest()
    place(world.data_dir, stray, b"stray")
    before = sorted(p.relative_to(world.data_dir) for p in world.data_dir.rglob("*"))
    report = run_cli(["verify"], world.env)
    assert report.returncode == 1
    assert f"MISMATCH {sha}" in report.stdout
    assert f"ORPHAN   {stray}" in report.stdout
    assert path.read_bytes() == flipped
    after = sorted(p.relative_to(world.data_dir) for p in world.data_dir.rglob("*"))
    assert [p for p in after if "sqlite3" not in p.name] == [
        p for p in before if "sqlite3" not in p.name
    ]


def test_verify_without_a_server_database_says_so(tmp_path):
    done = run_cli(["verify"], server_env(tmp_path / "nothing-here"))
    assert done.returncode == 1
    assert "no server database" in done.stderr
    assert not (tmp_path / "nothing-here").exists()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_scanning_at_once_record_an_orphan_once(make_world, backend):
    world = make_world(backend)
    world.server.stop()
    data = os.urandom(40_000)
    sha = hashlib.sha256(data).hexdigest()
    place(world.data_dir, sha, data)
    settings = Settings.from_env(env=world.env)
    databases = [open_database(settings) for _ in range(3)]
    files = BlobFiles(settings.blob_dir, settings.incoming_dir, min_free_bytes=0, fsync=False)
    signer = load_or_create_signer(settings.key_dir, settings.ledger_origin)
    with ThreadPoolExecutor(len(databases)) as pool:
        found = list(pool.map(lambda db: recover_orphans(db, files, signer), databases))
    assert sorted(sha for f in found for sha in f.recovered) == [sha]
    with databases[0].reading() as session:
        entries = session.exec(select(LedgerRow).where(LedgerRow.blob_sha256 == sha)).all()
        assert len(entries) == 1
        assert chain.verify_chain(session)[0]
    for database in databases:
        database.dispose()
