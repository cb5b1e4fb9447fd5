"""The pull phase (SYNC-RESEARCH §6.8): pages of changes per scope, each page and its new
cursor applied in one local transaction.

A pulled head overwrites the local record unless the record has a local edit waiting
(pending, in flight, deferred, or in an open conflict): then the local edit stays and only
the newest head seen is noted, so the push decides merge or conflict. Echoes of our own
pushes (a head at the revision the laptop already holds) are skipped. A change whose parent
has not arrived yet is parked and applied when the parent comes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from fieldcheck.protocol.changes import Change
from fieldcheck.protocol.ops import Entity
from fieldcheck.protocol.records import parent_of
from fieldcheck.store.syncbook import cursors, marks, records
from fieldcheck.store.syncbook import parked as parking
from fieldcheck.store.syncbook.entities import ENTITY_TABLES
from fieldcheck.store.syncbook.records import PageMarks
from fieldcheck.store.syncbook.restores import restore_noted
from fieldcheck.store.syncbook.states import RestoreNote
from fieldcheck.sync.pull_rows import WRITE_ERRORS, PageRows, changed_columns, validated

log = logging.getLogger(__name__)

#: Parents before children when a page holds both.
ORDER = {entity: rank for rank, entity in enumerate(ENTITY_TABLES)}


@dataclass
class PageResult:
    applied: int = 0
    kept_local: int = 0
    echoes: int = 0
    parked: int = 0
    blobs_needed: list[str] = field(default_factory=list)
    #: The compounds whose records the page changed on the laptop (for the views to reload).
    compounds: set[str] = field(default_factory=set)
    _written: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list, repr=False)


@dataclass
class _Page:
    """One page being applied: its lookups and writes, its records' sync marks, the records
    held by local edits, the parked changes (those already waiting and those parked now), and
    the tally."""

    session: Session
    rows: PageRows
    marks: PageMarks
    held: set[tuple[str, str]]
    parked: dict[tuple[str, str], Change]
    result: PageResult = field(default_factory=PageResult)

    def park(self, change: Change) -> None:
        parking.park(self.session, change)
        self.parked[(change.entity.value, change.id)] = change
        self.result.parked += 1

    def apply(self, change: Change) -> None:
        """Apply one pulled head: keep a held record's local edit, skip an echo, park a
        change whose parents are missing or whose data does not fit, else write it."""
        entity, result = change.entity.value, self.result
        if entity not in ENTITY_TABLES:
            return
        self.marks.seen(entity, change.id, change.scope_id, change.rev)
        if (entity, change.id) in self.held:
            self.marks.hold(entity, change.id, change.conflict_state)
            self.rows.note_server_fields(self.session, entity, change.id, change.rev, change.data)
            result.kept_local += 1
            return
        if self.marks.is_echo(entity, change.id, change.rev):
            self.rows.note_server_fields(self.session, entity, change.id, change.rev, change.data)
            result.echoes += 1
            return
        data = dict(change.data)
        if not self.rows.parents_present(entity, data) or not self.rows.write(
            self.session, entity, change.id, change.rev, data
        ):
            self.park(change)
            return
        self.marks.applied(entity, change.id, change.rev, change.conflict_state)
        result.applied += 1
        result._written.append((entity, change.id, data))
        if entity == "photo" and data.get("sha256"):
            result.blobs_needed.append(str(data["sha256"]))

    def flush(self) -> None:
        """Write the queued rows, then their sync marks."""
        self.rows.flush(self.session)
        self.marks.flush(self.session)

    def retry_parked(self) -> None:
        """Apply the parked changes (parents first) whose parents are now on the laptop."""
        for key, change in sorted(self.parked.items(), key=lambda p: ORDER.get(p[0][0], 9)):
            if not self.rows.parents_present(key[0], dict(change.data)):
                continue
            parking.unpark(self.session, *key)
            del self.parked[key]
            self.apply(change)


def _apply_all(session: Session, changes: list[Change], one_by_one: bool) -> PageResult:
    waiting = parking.parked_changes(session)
    known = [c for c in [*changes, *waiting.values()] if c.entity.value in ENTITY_TABLES]
    ids = list({c.id for c in known})
    page = _Page(
        session,
        PageRows.load(session, [(c.entity.value, c.id, c.data) for c in known], one_by_one),
        PageMarks.load(session, ids),
        marks.held(session, ids),
        waiting,
    )
    for change in sorted(changes, key=lambda c: (ORDER.get(c.entity.value, 9), c.seq)):
        page.apply(change)
    page.flush()
    page.retry_parked()
    page.flush()
    return page.result


def apply_page(session: Session, scope_id: str, changes: list[Change], last_seq: int) -> PageResult:
    """Apply one page and move the scope's cursor, in the caller's (single) transaction.

    The page's rows are written in bulk; if the database refuses one of them (a unique
    constraint, say), the bulk attempt is rolled back and the page applied again one change
    at a time, so only the refused change is parked and the rest still applies."""
    try:
        with session.begin_nested():
            result = _apply_all(session, changes, one_by_one=False)
    except WRITE_ERRORS:
        log.warning(
            "the database refused a row of a page of %s in bulk; applying it one change at a time",
            scope_id,
            exc_info=True,
        )
        result = _apply_all(session, changes, one_by_one=True)
    cursors.move_cursor(session, scope_id, last_seq)
    result.compounds = compounds_of(session, result._written)
    return result


def compounds_of(session: Session, records: list[tuple[str, str, dict[str, Any]]]) -> set[str]:
    """The compounds ``records`` (entity, id, data) belong to: a compound itself, a record
    naming its ``compound_id``, else found through its parents on the laptop (an answer's
    inspection, an annotation's photo, a retraction's record). Parents are read once each."""
    found: set[str] = set()
    parents: dict[tuple[str, str], tuple[str, str, dict[str, Any]] | None] = {}
    for entity, record_id, data in records:
        for _depth in range(4):  # retraction → answer → inspection → compound at most
            if entity == Entity.COMPOUND.value:
                found.add(record_id)
                break
            if data.get("compound_id"):
                found.add(str(data["compound_id"]))
                break
            try:
                parent_entity, parent_field = parent_of(Entity(entity), data)
            except (KeyError, ValueError):
                break
            if parent_entity is None or parent_entity.value not in ENTITY_TABLES:
                break
            key = (parent_entity.value, str(data.get(parent_field, "")))
            if key not in parents:
                row = session.get(ENTITY_TABLES[key[0]], key[1])
                parents[key] = (*key, row.model_dump()) if row is not None else None
            if parents[key] is None:
                break
            entity, record_id, data = parents[key]  # type: ignore[misc]
    return found


def restore_server_version(
    session: Session, op_id: str, entity: str, record_id: str, rev: int, data: dict[str, Any]
) -> bool:
    """Put the server's version (``rev``, ``data``) back on a record whose rejected change
    was given up (op ``op_id``). A record with a newer local edit waiting keeps it (the
    push settles that); False then, or when the data does not fit the local table."""
    if marks.held(session, [record_id]) & {(entity, record_id)}:
        restore_noted(session, op_id, RestoreNote.KEPT)
        return False
    try:
        with session.begin_nested():
            _write_row(session, entity, record_id, rev, dict(data))
            session.flush()
    except WRITE_ERRORS:
        log.warning(
            "the server's version of %s %s does not fit the local table; the local copy stays",
            entity,
            record_id,
            exc_info=True,
        )
        restore_noted(session, op_id, RestoreNote.KEPT)
        return False
    records.restored(session, entity, record_id, rev)
    restore_noted(session, op_id, RestoreNote.DONE)
    return True


def _write_row(
    session: Session, entity: str, record_id: str, rev: int, data: dict[str, Any]
) -> None:
    """Insert or update one local row from the server's data through the ORM (the restore
    of a single record; pages go through :class:`PageRows`)."""
    table = ENTITY_TABLES[entity]
    fresh = validated(entity, record_id, rev, data)
    row = session.get(table, record_id)
    if row is None:
        session.add(table(**dict(fresh)))
        return
    for name, value in changed_columns(entity, fresh, data).items():
        setattr(row, name, value)
    session.add(row)
