"""``/v1/ledger`` and ``/v1/keys``: the latest signed checkpoint, the chain itself (admins),
and the public key anyone may verify checkpoints and exports with."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from fieldcheck.protocol.ledger import KeysResponse, LedgerEntry, LedgerPage, PublicKey
from fieldcheck.protocol.status import Checkpoint
from sync_server.deps import AdminPrincipal, Context, CurrentPrincipal, ReadSession
from sync_server.errors import ApiError
from sync_server.ledger import chain
from sync_server.ledger.models import LedgerRow
from sync_server.openapi import ERRORS
from sync_server.state import LEDGER, current_value
from sync_server.timeutil import as_utc

router = APIRouter(tags=["ledger"])


@router.get("/v1/ledger/checkpoint", response_model=Checkpoint, responses=ERRORS)
def checkpoint(_principal: CurrentPrincipal, session: ReadSession, context: Context):
    """The latest signed checkpoint; store it and present it as ``Ledger-Seen`` next time."""
    row = chain.latest_checkpoint(session)
    if row is None:
        raise ApiError(404, "ledger_empty", "nothing has been recorded yet")
    return chain.public_checkpoint(row, context.signer.origin)


@router.get("/v1/ledger", response_model=LedgerPage, responses=ERRORS)
def ledger(
    _admin: AdminPrincipal,
    session: ReadSession,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
):
    """Ledger entries after index ``after``, for verifiers."""
    rows = session.exec(
        select(LedgerRow)
        .where(col(LedgerRow.idx) > after)
        .order_by(col(LedgerRow.idx))
        .limit(limit)
    ).all()
    entries = [
        LedgerEntry.model_validate({**r.model_dump(), "server_ts": as_utc(r.server_ts)})
        for r in rows
    ]
    return LedgerPage(entries=entries, size=current_value(session, LEDGER))


@router.get("/v1/keys", response_model=KeysResponse)
def keys(context: Context):
    """The server's Ed25519 public key (raw, base64) and its SHA-256 fingerprint."""
    import base64

    signer = context.signer
    return KeysResponse(
        keys=[
            PublicKey(
                kid=signer.key_id,
                alg="Ed25519",
                public_b64=base64.b64encode(signer.public_raw).decode(),
                fingerprint=signer.fingerprint,
            )
        ]
    )
