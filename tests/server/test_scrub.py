"""The background scrub (issue 10, point 2): ``serve`` runs the checks of ``verify`` on a
schedule, one process at a time, and admins read the last result in ``/v1/health``."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time

import pytest

from sync_server.blobs.storage import BlobFiles
from sync_server.db import open_database
from sync_server.ledger import scrub
from sync_server.ledger.keys import read_signer
from sync_server.migrate import migrate
from sync_server.settings import Settings
from sync_server.testing import jpeg_like


def wait_for(condition, timeout: float = 120.0):
    """Poll ``condition`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not true within {timeout} s")


def health(client) -> dict:
    response = client.request("GET", "/v1/health")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_serve_scrubs_on_schedule_and_admins_see_the_result(make_world, backend):
    world = make_world(backend, {"FIELDCHECK_SCRUB_INTERVAL": "1"})
    alice, root = world.client("alice"), world.client("root")
    data = jpeg_like(4096)
    assert alice.upload(data).headers["Blob-Status"] == "verified"
    version = world.client().request("GET", "/openapi.json").json()["info"]["version"]
    assert health(world.client()) == {"status": "up", "version": version}
    assert health(alice) == {"status": "up", "version": version}
    started = dt.datetime.now(dt.UTC)

    def finished_after(moment):
        def check():
            found = health(root)["scrub"]
            done = found["last_finished_at"]
            return found if done and dt.datetime.fromisoformat(done) > moment else None

        return check

    clean = wait_for(finished_after(started))
    assert (clean["ok"], clean["mismatches"], clean["interval_s"]) == (True, 0, 1)
    sha = hashlib.sha256(data).hexdigest()
    path = world.data_dir / "blobs" / sha[:2] / sha[2:4] / sha
    os.chmod(path, 0o644)
    path.write_bytes(b"X" + data[1:])
    flipped = dt.datetime.now(dt.UTC)
    found = wait_for(finished_after(flipped))
    assert (found["ok"], found["mismatches"]) == (False, 1)
    assert "scrub: 1 mismatch" in world.server.log()
    assert sha in world.server.log()
    # The damaged file is moved aside (never deleted) and no longer served.
    assert not path.exists()
    assert [p.read_bytes() for p in (world.data_dir / "quarantine").iterdir()] == [b"X" + data[1:]]
    assert alice.request("GET", f"/v1/blobs/{sha}").status_code == 409


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_only_one_process_scrubs_at_a_time(make_world, backend):
    world = make_world(backend, {"FIELDCHECK_SCRUB_INTERVAL": "0"})  # serve does not scrub
    settings = Settings.from_env(env=world.env)
    db = open_database(settings)
    try:
        migrate(db)
        scrub.ensure_row(db)
        day = dt.timedelta(days=1)
        assert scrub.claim(db, "first", day)
        assert not scrub.claim(db, "second", day), "the lease is held"
        assert scrub.status(db).running_since is not None
        files = BlobFiles(settings.blob_dir, settings.incoming_dir, min_free_bytes=0, fsync=False)
        signer = read_signer(settings.key_dir, settings.ledger_origin)
        scrubber = scrub.Scrubber(db, files, signer, interval_s=86_400)
        scrubber.owner = "first"
        report = scrubber.run_pass()
        assert report is not None
        assert report.ok
        last = scrub.status(db)
        assert (last.ok, last.mismatches, last.running_since) == (True, 0, None)
        assert not scrub.claim(db, "second", day), "the last pass is not a day old"
        assert scrub.claim(db, "second", dt.timedelta(0)), "due again: the lease is free"
        assert not scrub.claim(db, "third", dt.timedelta(0))
    finally:
        db.dispose()
