"""Per record, what the laptop shows and what a pull must respect: the mark a list shows
(synced, pending, rejected, in conflict, never sent) and whether a local edit waits for the
server (then a pulled head does not overwrite it)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from fieldcheck.store.sync_tables import SyncRecordRow
from fieldcheck.store.syncbook import conflicts
from fieldcheck.store.syncbook.states import UNSENT_STATES, OutboxState, RecordMark
from fieldcheck.store.tables import OutboxRow


def held(session: Session, record_ids: list[str]) -> set[tuple[str, str]]:
    """Of the records ``record_ids``, the (entity, id) of those with a local edit the server
    has not settled: an unsent outbox entry or an unsettled conflict (two queries for any
    number)."""
    waiting = session.exec(
        select(OutboxRow.entity, OutboxRow.entity_id).where(
            col(OutboxRow.entity_id).in_(record_ids), col(OutboxRow.state).in_(UNSENT_STATES)
        )
    ).all()
    return {(e, i) for e, i in waiting} | conflicts.unsettled(session, record_ids)


def _shown(state: str) -> RecordMark:
    """The mark of an outbox entry not done."""
    if state in UNSENT_STATES:
        return RecordMark.PENDING
    if state == OutboxState.CONFLICT:
        return RecordMark.CONFLICT
    if state == OutboxState.REJECTED:
        return RecordMark.REJECTED
    return RecordMark.LOCAL  # superseded or dismissed: shows nothing of its own


def record_states(session: Session, entity: str, ids: list[str]) -> dict[str, RecordMark]:
    """Per record, what a list shows: ``synced`` (the server confirmed every change),
    ``pending`` (changes wait to go up), ``conflict`` or ``rejected`` (needs attention), or
    ``local`` (never sent)."""
    states = {i: RecordMark.LOCAL for i in ids}
    confirmed = session.exec(
        select(SyncRecordRow.id).where(
            SyncRecordRow.entity == entity,
            col(SyncRecordRow.id).in_(ids),
            SyncRecordRow.server_rev > 0,
        )
    ).all()
    states.update({i: RecordMark.SYNCED for i in confirmed})
    rows = session.exec(
        select(OutboxRow.entity_id, OutboxRow.state).where(
            OutboxRow.entity == entity,
            col(OutboxRow.entity_id).in_(ids),
            OutboxRow.state != OutboxState.DONE,
        )
    ).all()
    for record_id, state in rows:
        shown = _shown(state)
        if shown is RecordMark.CONFLICT and not conflicts.has_open_conflict(
            session, entity, record_id
        ):
            continue  # settled by a later resolution
        if shown.urgency > states[record_id].urgency:
            states[record_id] = shown
    return states
