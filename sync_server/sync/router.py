"""``/v1/sync`` and ``/v1/records``: status, push, changes and record history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query

from fieldcheck.faults import crash_point
from fieldcheck.protocol.changes import ChangesPage, RecordHistory
from fieldcheck.protocol.ops import Entity, PushRequest, PushResponse
from fieldcheck.protocol.status import SyncStatus
from sync_server.deps import Context, CurrentPrincipal, ReadSession, WriteSession
from sync_server.errors import ApiError
from sync_server.ledger import chain
from sync_server.openapi import ERRORS
from sync_server.state import lock_counter
from sync_server.sync import reads, service
from sync_server.timeutil import utcnow

router = APIRouter(tags=["sync"])


@router.get("/v1/sync/status", response_model=SyncStatus, responses=ERRORS)
def sync_status(
    principal: CurrentPrincipal,
    session: ReadSession,
    context: Context,
    ledger_seen: Annotated[str | None, Header(max_length=200)] = None,
):
    """Whether anything is to do: compare ``scopes[*].max_seq`` with your cursors.

    Send ``Ledger-Seen: <size>:<head base64>`` from your last stored checkpoint; the answer's
    ``ledger_seen`` says whether the server's history still contains it."""
    return reads.status(session, principal, context.signer, ledger_seen)


@router.post("/v1/sync/push", response_model=PushResponse, responses=ERRORS)
def push(body: PushRequest, principal: CurrentPrincipal, session: WriteSession, context: Context):
    """Apply a batch of ops in one transaction; one result per op, in order."""
    if body.device_id != principal.device_id:
        raise ApiError(403, "device_mismatch", "device_id is not the device this token is for")
    lock_counter(session)
    results = service.push_ops(session, principal, body.device_id, body.ops, body.clock_offset_s)
    chain.sign_checkpoint(session, context.signer)
    crash_point("server_push_uncommitted")  # F12: killed inside the push transaction
    session.commit()
    crash_point("server_push_committed")  # F2/F12: committed, no answer sent
    return PushResponse(results=results, server_time=utcnow())


@router.get("/v1/sync/changes", response_model=ChangesPage, responses=ERRORS)
def changes(
    principal: CurrentPrincipal,
    session: ReadSession,
    scope: Annotated[str, Query(min_length=1, max_length=64)],
    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=reads.MAX_PAGE)] = 500,
):
    """Changes in ``scope`` after change number ``since`` (exclusive), ascending."""
    return reads.changes(session, principal, scope, since, limit)


@router.get(
    "/v1/records/{entity}/{record_id}/versions", response_model=RecordHistory, responses=ERRORS
)
def record_versions(
    entity: Entity, record_id: str, principal: CurrentPrincipal, session: ReadSession
):
    """All versions of one record, conflict candidates included."""
    return reads.history(session, principal, entity, record_id)
