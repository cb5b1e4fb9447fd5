"""The local tables' side of applying a pulled page: what the page needs from the laptop
database, looked up with one query per table instead of several per change, and its rows
validated against the local table and written in bulk (``executemany``) instead of one
ORM flush per change.

:class:`PageRows` knows nothing of held records, echoes or parking; ``fieldcheck.sync.pull``
decides those and hands it the rows to write. With ``one_by_one`` every write goes to the
database at once in its own savepoint, so a row the database refuses (a unique constraint,
say) fails alone; the bulk mode writes everything at :meth:`PageRows.flush`. The page's
``sync_record`` rows are the sync book's (``fieldcheck.store.syncbook.records.PageMarks``).
"""

from __future__ import annotations

import functools
import logging
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError, create_model
from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from fieldcheck.protocol.ops import Entity
from fieldcheck.protocol.records import SERVER_FIELDS, parent_of
from fieldcheck.store.bulk import rows_with
from fieldcheck.store.syncbook.entities import ENTITY_TABLES
from fieldcheck.store.tables import DistrictRow, SubDistrictRow, utcnow

log = logging.getLogger(__name__)

#: What a row that does not fit the local table raises, on validation or on writing.
WRITE_ERRORS = (ValidationError, ValueError, TypeError, IntegrityError)


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


_PLACES: tuple[type[SQLModel], ...] = (DistrictRow, SubDistrictRow)
#: Every local table a synced record may point at, by table name.
_BY_TABLE = {_table(t).name: t for t in (*_PLACES, *ENTITY_TABLES.values())}


def _nullable(table: type[SQLModel], name: str) -> bool:
    field = table.model_fields.get(name)
    return field is None or type(None) in typing.get_args(field.annotation)


def references(entity: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The (table name, id) of every record the change points at: its foreign keys and,
    for a retraction, the withdrawn record. Writing it breaks no reference once all are on
    the laptop."""
    found: list[tuple[str, str]] = []
    for key in _table(ENTITY_TABLES[entity]).foreign_keys:
        value = data.get(key.parent.name)
        if value is not None and key.column.table.name in _BY_TABLE:
            found.append((key.column.table.name, value))
    try:
        parent_entity, parent_field = parent_of(Entity(entity), data)
    except (KeyError, ValueError):
        return found
    if parent_entity is not None and parent_entity.value in ENTITY_TABLES:
        table = _table(ENTITY_TABLES[parent_entity.value]).name
        found.append((table, str(data.get(parent_field, ""))))
    return found


@functools.cache
def _validator(table: type[SQLModel]) -> type[BaseModel]:
    """A plain pydantic model with the table's fields (types, defaults, constraints): the
    same validation as the table model's ``model_validate`` without building an
    instrumented ORM object for every row (a tenth of the cost)."""
    fields: dict[str, Any] = {n: (f.annotation, f) for n, f in table.model_fields.items()}
    return create_model(f"{table.__name__}Values", **fields)


def validated(entity: str, record_id: str, rev: int, data: dict[str, Any]) -> BaseModel:
    """The server's data as the values of a local row (ISO text becomes dates; a null the
    local column cannot hold keeps the local default); ValidationError when it does not fit."""
    table = ENTITY_TABLES[entity]
    values = {k: v for k, v in data.items() if v is not None or _nullable(table, k)}
    return _validator(table).model_validate({**values, "id": record_id, "rev": rev})


def changed_columns(entity: str, fresh: BaseModel, data: dict[str, Any]) -> dict[str, Any]:
    """What an update of an existing row sets: the fields the server sent (a null the local
    column cannot hold left out), the revision, and ``updated_at`` where the table has it."""
    table = ENTITY_TABLES[entity]
    names = {k for k, v in data.items() if v is not None or _nullable(table, k)} | {"rev"}
    values = {n: getattr(fresh, n) for n in table.model_fields if n in names and n != "id"}
    if "updated_at" in table.model_fields:
        values["updated_at"] = utcnow()
    return values


@dataclass
class PageRows:
    """The rows one page reads and writes. ``present`` holds, per table name, the ids on the
    laptop or written by this page."""

    one_by_one: bool
    present: dict[str, set[str]] = field(default_factory=dict)
    _inserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _updates: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, session: Session, keys: list[tuple[str, str, dict[str, Any]]], one_by_one: bool
    ) -> PageRows:
        """Look up, for the (entity, id, data) of a page's changes, every referenced and
        every own row: one query per table."""
        rows = cls(one_by_one)
        wanted: dict[str, set[str]] = {}
        for entity, record_id, data in keys:
            wanted.setdefault(_table(ENTITY_TABLES[entity]).name, set()).add(record_id)
            for referenced, value in references(entity, data):
                if isinstance(value, str):  # anything else is on no laptop
                    wanted.setdefault(referenced, set()).add(value)
        for name, ids in wanted.items():
            table = _table(_BY_TABLE[name])
            rows.present[name] = {r.id for r in rows_with(session, table, "id", ids)}
        return rows

    def parents_present(self, entity: str, data: dict[str, Any]) -> bool:
        return all(
            isinstance(value, str) and value in self.present.get(table, ())
            for table, value in references(entity, data)
        )

    def write(
        self, session: Session, entity: str, record_id: str, rev: int, data: dict[str, Any]
    ) -> bool:
        """Insert or update the record's row; False (nothing written) when its data does not
        fit the local table. In bulk mode a refusal by the database surfaces at flush."""
        try:
            fresh = validated(entity, record_id, rev, data)
        except (ValidationError, ValueError, TypeError):
            log.warning(
                "pulled %s %s does not fit the local table", entity, record_id, exc_info=True
            )
            return False
        table = _table(ENTITY_TABLES[entity])
        present = self.present.setdefault(table.name, set())
        if record_id in present:
            return self._update(session, entity, record_id, changed_columns(entity, fresh, data))
        values = {c.name: getattr(fresh, c.name) for c in table.columns}
        if self.one_by_one:
            try:
                with session.begin_nested():
                    session.connection().execute(insert(table), [values])
            except WRITE_ERRORS:
                log.warning("the database refused pulled %s %s", entity, record_id, exc_info=True)
                return False
        else:
            self._inserts.setdefault(entity, []).append(values)
        present.add(record_id)
        return True

    def note_server_fields(
        self, session: Session, entity: str, record_id: str, rev: int, data: dict[str, Any]
    ) -> None:
        """Set only the fields the server alone writes (a photo's receipt time, clock offset
        and skew flag) on a row present on the laptop whose own data stays as it is: an echo
        of our push, or a record with a local edit waiting. No laptop edits them, so there is
        nothing to conflict with; data a newer server spells differently is left for later."""
        table = ENTITY_TABLES[entity]
        names = [n for n in SERVER_FIELDS if n in table.model_fields and n in data]
        if not names or record_id not in self.present.get(_table(table).name, ()):
            return
        try:
            fresh = validated(entity, record_id, rev, data)
        except (ValidationError, ValueError, TypeError):
            log.info("server fields of %s %s left for later", entity, record_id, exc_info=True)
            return
        self._update(session, entity, record_id, {n: getattr(fresh, n) for n in names})

    def _update(
        self, session: Session, entity: str, record_id: str, values: dict[str, Any]
    ) -> bool:
        """Set ``values`` on an existing row: at once in one-by-one mode (False if the
        database refuses), else queued with the other updates of the same columns."""
        params = [{"_id": record_id, **values}]
        if self.one_by_one:
            table = _table(ENTITY_TABLES[entity])
            try:
                with session.begin_nested():
                    session.connection().execute(
                        update(table).where(table.c.id == bindparam("_id")), params
                    )
            except WRITE_ERRORS:
                log.warning("the database refused pulled %s %s", entity, record_id, exc_info=True)
                return False
        else:
            self._updates.setdefault((entity, tuple(values)), []).extend(params)
        return True

    def flush(self, session: Session) -> None:
        """Write what the page queued: inserts table by table, parents first, then updates.
        Raises one of WRITE_ERRORS if the database refuses."""
        connection = session.connection()
        for entity in ENTITY_TABLES:
            if self._inserts.get(entity):
                connection.execute(insert(_table(ENTITY_TABLES[entity])), self._inserts[entity])
        for (entity, _names), params in self._updates.items():
            table = _table(ENTITY_TABLES[entity])
            connection.execute(update(table).where(table.c.id == bindparam("_id")), params)
        self._inserts, self._updates = {}, {}
