"""``/v1/auth``: login, refresh, logout (this token or every token of the user);
``/v1/me``: who the token belongs to."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from fieldcheck.protocol.auth import LoginRequest, MeResponse, TokenResponse
from sync_server.auth import service
from sync_server.auth.client_address import client_address
from sync_server.auth.models import User
from sync_server.auth.principal import Principal
from sync_server.deps import Context, CurrentPrincipal, ReadSession, WriteSession
from sync_server.errors import ApiError
from sync_server.openapi import ERRORS

router = APIRouter(tags=["auth"])


@router.post("/v1/auth/login", response_model=TokenResponse, responses=ERRORS)
def login(body: LoginRequest, request: Request, session: WriteSession, context: Context):
    """Check the password and issue a bearer token bound to ``device_id``."""
    client_ip = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        context.settings.trusted_proxies,
    )
    try:
        result = service.login(
            session,
            context.settings,
            username=body.username,
            password=body.password,
            device_id=body.device_id,
            device_label=body.device_label,
            client_ip=client_ip,
        )
    except ApiError:
        session.commit()  # keep the failure count that slows the next guess
        raise
    session.commit()
    return result


@router.post("/v1/auth/refresh", response_model=MeResponse, responses=ERRORS)
def refresh(principal: CurrentPrincipal, session: WriteSession, context: Context):
    """Extend the token's lifetime to the full term from now; the token stays the same."""
    expires = service.slide(session, principal.token_hash, context.settings)
    session.commit()
    return _me(session, principal, expires)


@router.delete("/v1/auth/token", status_code=204, responses=ERRORS)
def logout(principal: CurrentPrincipal, session: WriteSession) -> Response:
    """Log this token out; the device keeps its data and may log in again."""
    service.logout(session, principal.token_hash)
    session.commit()
    return Response(status_code=204)


@router.delete("/v1/auth/tokens", status_code=204, responses=ERRORS)
def logout_everywhere(principal: CurrentPrincipal, session: WriteSession) -> Response:
    """Sign out everywhere: every token of this user, on every device, stops working (after
    a lost laptop, say); each device signs in again and keeps its data."""
    service.sign_out_everywhere(session, principal.user_id)
    session.commit()
    return Response(status_code=204)


@router.get("/v1/me", response_model=MeResponse, responses=ERRORS)
def me(principal: CurrentPrincipal, session: ReadSession):
    """The user, device and scopes behind the token."""
    return _me(session, principal, principal.expires_at)


def _me(session: Session, principal: Principal, expires: dt.datetime) -> MeResponse:
    user = session.get(User, principal.user_id)
    assert user is not None
    return MeResponse(
        user=service.public_user(user),
        device_id=principal.device_id,
        expires_at=expires,
        scopes=service.public_scopes(service.user_scopes(session, user)),
    )
