"""``/v1/health``: whether the server is up and its version, for anyone (a load balancer, a
monitor); for a bureau admin's token also the last background scrub's result."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request

from fieldcheck.protocol.base import WireResponse
from sync_server.deps import Context, OptionalPrincipal
from sync_server.ledger import scrub

router = APIRouter(tags=["health"])


class ScrubHealth(WireResponse):
    """The last finished scrub pass: when, whether the archive was intact, how many
    mismatches (``fieldcheck-server verify`` names them); and a pass under way, if any."""

    last_finished_at: dt.datetime | None
    ok: bool | None
    mismatches: int
    running_since: dt.datetime | None
    interval_s: int


class Health(WireResponse):
    status: str = "up"
    version: str
    scrub: ScrubHealth | None = None


@router.get(
    "/v1/health",
    response_model=Health,
    response_model_exclude_unset=True,
    # Anyone may ask (the empty requirement); an admin's token adds the scrub's result.
    openapi_extra={"security": [{"HTTPBearer": []}, {}]},
)
def health(request: Request, context: Context, principal: OptionalPrincipal) -> Health:
    """Up and the API version; with an admin's token, the last scrub too."""
    version = request.app.version
    if principal is None or not principal.is_admin:
        return Health(status="up", version=version)
    last = scrub.status(context.db)
    return Health(
        status="up",
        version=version,
        scrub=ScrubHealth(
            last_finished_at=last.finished_at,
            ok=last.ok,
            mismatches=last.mismatches,
            running_since=last.running_since,
            interval_s=context.settings.scrub_interval_s,
        ),
    )
