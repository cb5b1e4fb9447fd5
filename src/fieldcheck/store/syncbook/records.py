"""What the laptop knows of each record on the server (``sync_record``): the server revision
its local copy is based on, whether it is clean (equal to the server's at that revision), the
newest head seen, and the server's conflict state. One function per event that changes it,
and :class:`PageMarks` for the rows of a pulled page, written in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from fieldcheck.protocol.changes import ConflictState
from fieldcheck.protocol.ops import Op, OpResult, OpStatus
from fieldcheck.store.bulk import rows_with
from fieldcheck.store.sync_tables import SyncRecordRow
from fieldcheck.store.tables import utcnow

_RECORDS: Table = SyncRecordRow.__table__  # type: ignore[attr-defined]


def _record(session: Session, entity: str, record_id: str) -> SyncRecordRow:
    return session.get(SyncRecordRow, (entity, record_id)) or SyncRecordRow(
        entity=entity, id=record_id
    )


def server_rev(session: Session, entity: str, record_id: str) -> int:
    """The server revision the local copy is based on (0: never seen on the server)."""
    record = session.get(SyncRecordRow, (entity, record_id))
    return record.server_rev if record is not None else 0


def server_revs(session: Session) -> dict[tuple[str, str], int]:
    """(entity, id) -> server revision of every record the server once confirmed."""
    return {
        (r.entity, r.id): r.server_rev
        for r in session.exec(select(SyncRecordRow).where(SyncRecordRow.server_rev > 0)).all()
    }


def confirmed(session: Session, op: Op, result: OpResult) -> None:
    """The server applied (or merged) ``op``: the local copy is based on its revision now,
    and clean unless the server merged other fields in. An op that resolves a conflict
    clears the record's conflict state."""
    record = _record(session, op.entity.value, op.id)
    rev = result.head_rev or result.rev or record.server_rev
    record.server_rev = rev
    record.seen_rev = max(record.seen_rev, rev)
    record.clean = result.status is OpStatus.APPLIED
    if op.resolves:
        record.conflict_state = ConflictState.NONE
    record.updated_at = utcnow()
    session.add(record)


def flag_conflict(session: Session, entity: str, record_id: str) -> None:
    """The server found a hard conflict on the record: its local copy is not the server's."""
    record = _record(session, entity, record_id)
    record.conflict_state, record.clean = ConflictState.HARD, False
    session.add(record)


def rebased(session: Session, entity: str, record_id: str, rev: int) -> None:
    """A local edit now starts from the server's revision ``rev`` (a conflict was resolved,
    or a given-up change waits for the server's version): not clean until confirmed."""
    record = session.get(SyncRecordRow, (entity, record_id))
    if record is not None:
        record.server_rev, record.clean = rev, False
        session.add(record)


def reconciled(session: Session, op: Op, result: OpResult) -> None:
    """A reconcile op was applied: the local copy is the version the server matched or
    restored."""
    record = _record(session, op.entity.value, op.id)
    record.server_rev = result.rev or record.server_rev
    record.seen_rev = max(result.head_rev or 0, record.server_rev)
    record.clean = True  # the local copy is that version
    record.updated_at = utcnow()
    session.add(record)


def restored(session: Session, entity: str, record_id: str, rev: int) -> None:
    """The server's version ``rev`` was put back on the local record."""
    record = _record(session, entity, record_id)
    record.server_rev, record.seen_rev, record.clean = rev, max(record.seen_rev, rev), True
    record.updated_at = utcnow()
    session.add(record)


@dataclass
class PageMarks:
    """The ``sync_record`` rows one pulled page reads and writes, as dicts, looked up with
    one query and written with one upsert. A row new to the laptop is written only once
    :meth:`hold` or :meth:`applied` kept it; a row that existed is written when touched."""

    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _kept: set[tuple[str, str]] = field(default_factory=set)
    _touched: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session, record_ids: Iterable[str]) -> PageMarks:
        marks = cls()
        for record in rows_with(session, _RECORDS, "id", record_ids):
            marks.rows[(record.entity, record.id)] = dict(record._mapping)
        marks._kept = set(marks.rows)
        return marks

    def _row(self, entity: str, record_id: str) -> dict[str, Any]:
        key = (entity, record_id)
        if key not in self.rows:
            self.rows[key] = {
                "entity": entity,
                "id": record_id,
                "scope_id": "",
                "server_rev": 0,
                "seen_rev": 0,
                "clean": False,
                "conflict_state": ConflictState.NONE.value,
                "updated_at": utcnow(),
            }
        self._touched.add(key)
        return self.rows[key]

    def seen(self, entity: str, record_id: str, scope_id: str, rev: int) -> None:
        """A head at ``rev`` of the record arrived from the scope."""
        row = self._row(entity, record_id)
        row["scope_id"] = scope_id
        row["seen_rev"] = max(row["seen_rev"], rev)

    def is_echo(self, entity: str, record_id: str, rev: int) -> bool:
        """True when the local copy is clean at ``rev`` or later: the head is our own push."""
        row = self._row(entity, record_id)
        return bool(row["clean"]) and rev <= row["server_rev"]

    def hold(self, entity: str, record_id: str, conflict_state: ConflictState) -> None:
        """The record keeps its local edit; only the server's conflict state is noted."""
        self._row(entity, record_id)["conflict_state"] = conflict_state.value
        self._kept.add((entity, record_id))

    def applied(self, entity: str, record_id: str, rev: int, conflict_state: ConflictState) -> None:
        """The head at ``rev`` was written to the local record: clean at that revision."""
        self._row(entity, record_id).update(
            server_rev=rev, clean=True, conflict_state=conflict_state.value, updated_at=utcnow()
        )
        self._kept.add((entity, record_id))

    def flush(self, session: Session) -> None:
        """Upsert the rows touched since the last flush."""
        keep = [self.rows[k] for k in self._touched if k in self._kept]
        if keep:
            upsert = sqlite_insert(_RECORDS)
            columns = {c.name: upsert.excluded[c.name] for c in _RECORDS.columns}
            session.connection().execute(
                upsert.on_conflict_do_update(index_elements=["entity", "id"], set_=columns),
                keep,
            )
        self._touched = set()
