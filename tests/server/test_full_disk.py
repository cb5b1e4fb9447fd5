"""A push when the database's disk is full answers 507 with the error body (SQLite's
``database or disk is full``; PostgreSQL's ``DiskFull`` is mapped the same way), nothing is
half-stored, and the same push goes through once there is room again. A real full disk: the
server's data directory on a small tmpfs, filled up."""

from __future__ import annotations

import errno
import uuid
from pathlib import Path

import pytest

from sync_server.testing import answer_op, inspection_op


def fill(folder: Path) -> Path:
    """Write a file until the filesystem refuses another byte."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for block in (1024 * 1024, 4096, 1):
            with pytest.raises(OSError, match="No space left") as refused:  # noqa: PT012
                while True:
                    handle.write(b"\0" * block)
            assert refused.value.errno == errno.ENOSPC
    return filler


def big_push(inspection_id: str) -> list[dict]:
    return [
        answer_op(inspection_id, f"Z{uuid.uuid4().hex[:8]}", note="n" * 3900) for _ in range(200)
    ]


def test_a_push_on_a_full_disk_answers_507(make_world, tmpfs):
    world = make_world("sqlite", data_dir=tmpfs(48) / "server")
    alice = world.client("alice")
    inspection = inspection_op("CG-01")
    assert alice.push([inspection]).json()["results"][0]["status"] == "applied"
    filler = fill(world.data_dir)

    answers = [alice.push(big_push(inspection["id"])) for _ in range(6)]
    assert {a.status_code for a in answers} <= {200, 507}, [a.text[:300] for a in answers]
    refused = [a for a in answers if a.status_code == 507]
    assert refused, "the database grew into the full disk"
    assert refused[0].json()["code"] == "disk_full"
    assert "full" in refused[0].json()["message"]

    filler.unlink()
    ops = big_push(inspection["id"])
    again = alice.push(ops)
    assert again.status_code == 200, again.text
    assert {r["status"] for r in again.json()["results"]} == {"applied"}
    assert alice.request("GET", "/v1/sync/status").status_code == 200
