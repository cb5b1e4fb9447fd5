"""Given-up changes whose record waits for the server's version (``discard_rejected`` on a
record the server has): listed for the next sync, and the outcome noted beside the server's
result in ``outbox_sync.result["dismissed"]["restore"]``."""

from __future__ import annotations

from sqlmodel import Session

from fieldcheck.store.sync_tables import OutboxSyncRow
from fieldcheck.store.syncbook.outbox_sync import ops_in_state
from fieldcheck.store.syncbook.states import OutboxState, RestoreNote

_DISMISSED = OutboxState.DISMISSED.value
#: The key of the :class:`RestoreNote` in a dismissed op's note.
RESTORE_KEY = "restore"


def pending_restores(session: Session) -> list[tuple[str, str, str]]:
    """(op id, entity, record id) of given-up changes whose record still waits for the
    server's version."""
    return [
        (row.op_id, row.entity, row.entity_id)
        for row, sync in ops_in_state(session, OutboxState.DISMISSED)
        if ((sync.result or {}).get(_DISMISSED) or {}).get(RESTORE_KEY) == RestoreNote.PENDING
    ]


def restore_noted(session: Session, op_id: str, outcome: RestoreNote) -> None:
    """Note how a pending restore ended (``done``, or ``kept`` when it could not be)."""
    sync = session.get(OutboxSyncRow, op_id)
    if sync is None or not sync.result:
        return
    note = dict(sync.result.get(_DISMISSED) or {})
    sync.result = {**sync.result, _DISMISSED: {**note, RESTORE_KEY: outcome.value}}
    session.add(sync)
