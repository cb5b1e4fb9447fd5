"""The pull phase (SYNC-RESEARCH §6.8): pages of changes per scope, each page and its new
cursor applied in one local transaction.

A pulled head overwrites the local record unless the record has a local edit waiting
(pending, in flight, deferred, or in an open conflict): then the local edit stays and only
the newest head seen is noted, so the push decides merge or conflict. Echoes of our own
pushes (a head at the revision the laptop already holds) are skipped. A change whose parent
has not arrived yet is parked and applied when the parent comes.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from fieldcheck.protocol.changes import Change
from fieldcheck.protocol.ops import Entity
from fieldcheck.protocol.records import SERVER_FIELDS, parent_of
from fieldcheck.store.sync_state import (
    ENTITY_TABLES,
    RESTORE_DONE,
    RESTORE_KEPT,
    UNSENT_STATES,
    restore_noted,
)
from fieldcheck.store.sync_tables import (
    ConflictRow,
    ParkedChangeRow,
    SyncCursorRow,
    SyncRecordRow,
)
from fieldcheck.store.tables import DistrictRow, OutboxRow, SubDistrictRow, utcnow

#: Parents before children when a page holds both.
ORDER = {entity: rank for rank, entity in enumerate(ENTITY_TABLES)}
#: Every local table a synced record may point at, by table name.
_BY_TABLE = {
    t.__tablename__: t  # type: ignore[attr-defined]
    for t in (DistrictRow, SubDistrictRow, *ENTITY_TABLES.values())
}


@dataclass
class PageResult:
    applied: int = 0
    kept_local: int = 0
    echoes: int = 0
    parked: int = 0
    blobs_needed: list[str] = field(default_factory=list)


def cursors(session: Session) -> dict[str, int]:
    return {r.scope_id: r.last_seq for r in session.exec(select(SyncCursorRow)).all()}


def _held(session: Session, entity: str, record_id: str) -> bool:
    """True when the record has a local edit the server has not settled."""
    waiting = session.exec(
        select(OutboxRow.seq).where(
            OutboxRow.entity == entity,
            OutboxRow.entity_id == record_id,
            col(OutboxRow.state).in_(UNSENT_STATES),
        )
    ).first()
    if waiting is not None:
        return True
    return (
        session.exec(
            select(ConflictRow.id).where(
                ConflictRow.entity == entity,
                ConflictRow.record_id == record_id,
                col(ConflictRow.state).in_(["open", "resolving"]),
            )
        ).first()
        is not None
    )


def _held_in_page(session: Session, changes: list[Change]) -> set[tuple[str, str]]:
    """Of the page's records, those with a local edit the server has not settled (two
    queries for the page instead of two per change)."""
    ids = list({c.id for c in changes})
    waiting = session.exec(
        select(OutboxRow.entity, OutboxRow.entity_id).where(
            col(OutboxRow.entity_id).in_(ids), col(OutboxRow.state).in_(UNSENT_STATES)
        )
    ).all()
    open_conflicts = session.exec(
        select(ConflictRow.entity, ConflictRow.record_id).where(
            col(ConflictRow.record_id).in_(ids), col(ConflictRow.state).in_(["open", "resolving"])
        )
    ).all()
    return {(e, i) for e, i in waiting} | {(e, i) for e, i in open_conflicts}


def _records_in_page(
    session: Session, changes: list[Change]
) -> dict[tuple[str, str], SyncRecordRow]:
    ids = list({c.id for c in changes})
    rows = session.exec(select(SyncRecordRow).where(col(SyncRecordRow.id).in_(ids))).all()
    return {(r.entity, r.id): r for r in rows}


def _parent_present(session: Session, entity: str, data: dict[str, Any]) -> bool:
    """True when every record the change points at (its foreign keys and, for a retraction,
    the withdrawn record) is on the laptop, so writing it cannot break a reference."""
    table = ENTITY_TABLES[entity]
    for key in table.__table__.foreign_keys:  # type: ignore[attr-defined]
        value = data.get(key.parent.name)
        target = _BY_TABLE.get(key.column.table.name)
        if value is not None and target is not None and session.get(target, value) is None:
            return False
    try:
        parent_entity, parent_field = parent_of(Entity(entity), data)
    except (KeyError, ValueError):
        return True
    if parent_entity is None or parent_entity.value not in ENTITY_TABLES:
        return True
    parent_table = ENTITY_TABLES[parent_entity.value]
    return session.get(parent_table, str(data.get(parent_field, ""))) is not None


def _nullable(table: type[SQLModel], name: str) -> bool:
    field = table.model_fields.get(name)
    return field is None or type(None) in typing.get_args(field.annotation)


def _write_row(session: Session, entity: str, record_id: str, rev: int, data: dict) -> None:
    """Insert or update the local row from the server's data (ISO text becomes dates; a
    null the local column cannot hold keeps the local default). ValidationError when the
    data does not fit the local table."""
    table = ENTITY_TABLES[entity]
    values = {k: v for k, v in data.items() if v is not None or _nullable(table, k)}
    fresh = table.model_validate({**values, "id": record_id, "rev": rev})
    row = session.get(table, record_id)
    if row is None:
        session.add(fresh)
        return
    for name in type(fresh).model_fields:
        if name in values or name == "rev":
            setattr(row, name, getattr(fresh, name))
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()  # type: ignore[attr-defined]
    session.add(row)


def _write(session: Session, change: Change) -> bool:
    """Write the change's row; False (nothing written) when its data does not fit the local
    table — a newer server's fields, say — so it is parked instead of breaking the page."""
    try:
        with session.begin_nested():
            _write_row(session, change.entity.value, change.id, change.rev, dict(change.data))
            session.flush()
    except (ValidationError, ValueError, TypeError, IntegrityError):
        return False
    return True


def _note_server_fields(session: Session, change: Change) -> None:
    """Copy the fields only the server writes (a photo's receipt time and clock-skew flag)
    onto a local row whose own data stays as it is: an echo of our push, or a record with a
    local edit waiting. No laptop ever edits these, so there is nothing to conflict with."""
    table = ENTITY_TABLES[change.entity.value]
    names = [n for n in SERVER_FIELDS if n in table.model_fields and n in change.data]
    row = session.get(table, change.id) if names else None
    if row is None:
        return
    try:
        fresh = table.model_validate({**row.model_dump(), **{n: change.data[n] for n in names}})
    except ValidationError:
        return  # a newer server's spelling; the next full pull brings it again
    for name in names:
        setattr(row, name, getattr(fresh, name))
    session.add(row)


def apply_change(
    session: Session,
    change: Change,
    result: PageResult,
    held: set[tuple[str, str]] | None = None,
    records: dict[tuple[str, str], SyncRecordRow] | None = None,
) -> None:
    """Apply one pulled head; ``held`` and ``records`` are the page's, looked up at once."""
    entity = change.entity.value
    if entity not in ENTITY_TABLES:
        return
    key = (entity, change.id)
    record = records.get(key) if records is not None else session.get(SyncRecordRow, key)
    if record is None:
        record = SyncRecordRow(entity=entity, id=change.id, clean=False)
    record.scope_id = change.scope_id
    record.seen_rev = max(record.seen_rev, change.rev)
    if (key in held) if held is not None else _held(session, entity, change.id):
        record.conflict_state = change.conflict_state.value
        session.add(record)
        _note_server_fields(session, change)
        result.kept_local += 1
        return
    if record.clean and change.rev <= record.server_rev:
        _note_server_fields(session, change)
        result.echoes += 1
        return
    if not _parent_present(session, entity, change.data) or not _write(session, change):
        session.merge(
            ParkedChangeRow(
                entity=entity,
                id=change.id,
                rev=change.rev,
                scope_id=change.scope_id,
                conflict_state=change.conflict_state.value,
                data=dict(change.data),
            )
        )
        result.parked += 1
        return
    record.server_rev, record.clean = change.rev, True
    record.conflict_state = change.conflict_state.value
    record.updated_at = utcnow()
    session.add(record)
    result.applied += 1
    if entity == "photo" and change.data.get("sha256"):
        result.blobs_needed.append(str(change.data["sha256"]))


def apply_page(session: Session, scope_id: str, changes: list[Change], last_seq: int) -> PageResult:
    """Apply one page and move the scope's cursor, in the caller's (single) transaction."""
    result = PageResult()
    held, records = _held_in_page(session, changes), _records_in_page(session, changes)
    for change in sorted(changes, key=lambda c: (ORDER.get(c.entity.value, 9), c.seq)):
        apply_change(session, change, result, held, records)
    _retry_parked(session, result)
    cursor = session.get(SyncCursorRow, scope_id) or SyncCursorRow(scope_id=scope_id)
    cursor.last_seq = last_seq
    session.add(cursor)
    return result


def _retry_parked(session: Session, result: PageResult) -> None:
    parked = sorted(
        session.exec(select(ParkedChangeRow)).all(), key=lambda p: ORDER.get(p.entity, 9)
    )
    for row in parked:
        if not _parent_present(session, row.entity, row.data):
            continue
        session.delete(row)
        session.flush()
        change = Change(
            seq=0,
            entity=Entity(row.entity),
            id=row.id,
            rev=row.rev,
            scope_id=row.scope_id,
            conflict_state=row.conflict_state,  # type: ignore[arg-type]
            data=row.data,
        )
        apply_change(session, change, result)


def restore_server_version(
    session: Session, op_id: str, entity: str, record_id: str, rev: int, data: dict[str, Any]
) -> bool:
    """Put the server's version (``rev``, ``data``) back on a record whose rejected change
    was given up (op ``op_id``). A record with a newer local edit waiting keeps it (the
    push settles that); False then, or when the data does not fit the local table."""
    if _held(session, entity, record_id):
        restore_noted(session, op_id, RESTORE_KEPT)
        return False
    try:
        with session.begin_nested():
            _write_row(session, entity, record_id, rev, dict(data))
            session.flush()
    except (ValidationError, ValueError, TypeError, IntegrityError):
        restore_noted(session, op_id, RESTORE_KEPT)
        return False
    record = session.get(SyncRecordRow, (entity, record_id)) or SyncRecordRow(
        entity=entity, id=record_id
    )
    record.server_rev, record.seen_rev, record.clean = rev, max(record.seen_rev, rev), True
    record.updated_at = utcnow()
    session.add(record)
    restore_noted(session, op_id, RESTORE_DONE)
    return True
