"""``fieldcheck-server verify`` catches forgeries (issue 10, point 2): each one is made the way
an intruder with access to the database or the blob directory would (SQL through sqlite3 or
psycopg, a file edit, the project's own hash function), then the real command is run."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import col, select

from sync_server.db import open_database
from sync_server.ledger import chain
from sync_server.ledger.models import LedgerRow
from sync_server.settings import Settings
from sync_server.testing import answer_op, inspection_op, jpeg_like, run_cli
from tests.server.conftest import World, start_world

PHOTO = jpeg_like(4096)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(request, tmp_path_factory, pg_cluster) -> Iterator[tuple[World, dict]]:
    """A server with an inspection, an answer and a blob; the forgeries are undone after each
    test, so the next starts from an intact archive."""
    world = start_world(tmp_path_factory, request.param, pg_cluster)
    try:
        alice = world.client("alice")
        inspection = inspection_op()
        answer = answer_op(inspection["id"], note="original")
        assert alice.upload(PHOTO).headers["Blob-Status"] == "verified"
        assert alice.push([inspection, answer]).status_code == 200
        yield world, {"inspection": inspection["id"], "answer": answer["id"]}
    finally:
        world.server.stop()


def verify(world: World) -> tuple[int, dict]:
    done = run_cli(["verify", "--json"], world.env)
    assert done.stderr == "", done.stderr
    return done.returncode, json.loads(done.stdout)


def sql(world: World, statement: str, *params) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Run one statement straight on the server's database (``?`` placeholders)."""
    if world.backend == "sqlite":
        import sqlite3

        with sqlite3.connect(world.data_dir / "server.sqlite3", timeout=30) as db:
            return db.execute(statement, params).fetchall()
    import psycopg

    url = world.env["FIELDCHECK_DATABASE_URL"]
    with psycopg.connect(url) as db:
        cursor = db.execute(statement.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []


def blob_file(world: World) -> Path:
    sha = hashlib.sha256(PHOTO).hexdigest()
    return world.data_dir / "blobs" / sha[:2] / sha[2:4] / sha


@contextmanager
def note_edited(world: World, table: str, where: str, *params) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The JSON ``data`` of one row of ``table`` with its answer's note rewritten."""
    ((data,),) = sql(world, f"SELECT data FROM {table} WHERE {where}", *params)
    original = data if isinstance(data, str) else json.dumps(data)
    forged = json.dumps({**json.loads(original), "note": "forged"})
    cast = "?" if world.backend == "sqlite" else "?::json"
    update = f"UPDATE {table} SET data = {cast} WHERE {where}"
    sql(world, update, forged, *params)
    try:
        yield
    finally:
        sql(world, update, original, *params)


@contextmanager
def version_data_edited(world: World, ids: dict) -> Iterator[tuple[str, str, str]]:
    with note_edited(world, "record_version", "record_id = ? AND rev = 1", ids["answer"]):
        yield "record_version", f"answer/{ids['answer']}/1", "payload_hash"


@contextmanager
def record_data_edited(world: World, ids: dict) -> Iterator[tuple[str, str, str]]:
    with note_edited(world, "record", "id = ?", ids["answer"]):
        yield "record", f"answer/{ids['answer']}", "head_differs"


@contextmanager
def ledger_rechained(world: World, ids: dict) -> Iterator[tuple[str, str, str]]:
    """Entry 2's actor rewritten and every later hash recomputed with the project's own
    function, so the chain alone looks intact; only the signed checkpoints can tell."""
    database = open_database(Settings.from_env(env=world.env))
    saved = {}
    try:
        with database.writing() as session:
            rows = session.exec(select(LedgerRow).order_by(col(LedgerRow.idx))).all()
            prev = chain.GENESIS
            for row in rows:
                saved[row.idx] = (row.actor, row.prev_hash, row.entry_hash)
                if row.idx == 2:
                    row.actor = "mallory"
                row.prev_hash = prev
                row.entry_hash = prev = chain.entry_hash(prev, row)
                session.add(row)
            session.commit()
        with database.reading() as session:
            assert chain.verify_chain(session)[0], "the forger's chain is self-consistent"
        ((size,),) = sql(world, "SELECT MAX(size) FROM checkpoint")
        yield "checkpoint", str(size), "head_differs"
    finally:
        with database.writing() as session:
            for idx, (actor, prev_hash, entry_hash) in saved.items():
                row = session.get(LedgerRow, idx)
                row.actor, row.prev_hash, row.entry_hash = actor, prev_hash, entry_hash
                session.add(row)
            session.commit()
        database.dispose()


@contextmanager
def checkpoint_column_edited(world: World, column: str, order: str, forge, problem: str):  # type: ignore[no-untyped-def]
    """One column of the first or last checkpoint (``order``) rewritten with ``forge``."""
    select_one = f"SELECT size, {column} FROM checkpoint ORDER BY size {order} LIMIT 1"
    ((size, value),) = sql(world, select_one)
    update = f"UPDATE checkpoint SET {column} = ? WHERE size = ?"
    sql(world, update, forge(value), size)
    try:
        yield "checkpoint", str(size), problem
    finally:
        sql(world, update, value, size)


def checkpoint_edited(world: World, ids: dict):  # type: ignore[no-untyped-def]
    """The latest checkpoint's head replaced: it no longer says what was signed."""
    return checkpoint_column_edited(world, "head", "DESC", lambda _: "ab" * 32, "note")


def checkpoint_signature_edited(world: World, ids: dict):  # type: ignore[no-untyped-def]
    """The first checkpoint's signed note changed by one character."""
    return checkpoint_column_edited(
        world, "note", "ASC", lambda note: note.replace("\n", "\n\n", 1), "signature"
    )


@contextmanager
def blob_byte_flipped(world: World, ids: dict) -> Iterator[tuple[str, str, str]]:
    path = blob_file(world)
    os.chmod(path, 0o644)
    path.write_bytes(bytes([PHOTO[0] ^ 1]) + PHOTO[1:])
    try:
        yield "blob", hashlib.sha256(PHOTO).hexdigest(), "blob_hash"
    finally:
        path.write_bytes(PHOTO)
        os.chmod(path, 0o444)


@contextmanager
def blob_file_removed(world: World, ids: dict) -> Iterator[tuple[str, str, str]]:
    path = blob_file(world)
    moved = path.with_name("moved-away")
    os.replace(path, moved)
    try:
        yield "blob", hashlib.sha256(PHOTO).hexdigest(), "blob_missing"
    finally:
        os.replace(moved, path)


FORGERIES: dict[str, Callable] = {
    "version_data_edited": version_data_edited,
    "record_data_edited": record_data_edited,
    "ledger_rechained": ledger_rechained,
    "checkpoint_edited": checkpoint_edited,
    "checkpoint_signature_edited": checkpoint_signature_edited,
    "blob_byte_flipped": blob_byte_flipped,
    "blob_file_removed": blob_file_removed,
}


def test_an_intact_archive_verifies(archive):
    world, _ids = archive
    code, report = verify(world)
    assert (code, report["ok"], report["mismatches"]) == (0, True, [])
    assert report["checked"]["record_version"] >= 2
    assert report["checked"]["blob"] == 1
    human = run_cli(["verify"], world.env)
    assert human.returncode == 0
    assert "archive intact" in human.stdout


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_verify_names_each_forgery(archive, forgery):
    world, ids = archive
    with FORGERIES[forgery](world, ids) as (table, name, problem):
        code, report = verify(world)
        human = run_cli(["verify"], world.env)
    assert code == 1
    assert not report["ok"]
    named = {(m["table"], m["id"], m["problem"]) for m in report["mismatches"]}
    assert (table, name, problem) in named, report["mismatches"]
    assert all(isinstance(m["index"], int | None) for m in report["mismatches"])
    if forgery == "ledger_rechained":
        assert not [m for m in report["mismatches"] if m["table"] == "ledger"]
    assert human.returncode == 1
    assert f"MISMATCH {name} ({table}" in human.stdout
    assert verify(world)[0] == 0, "undoing the forgery makes the archive intact again"
