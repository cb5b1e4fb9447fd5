"""Request dependencies: the app's context, a database session per request, and the
authenticated principal (with its token's expiry slid forward at most once a day)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from sync_server.auth import service as auth_service
from sync_server.auth.principal import Principal
from sync_server.blobs.chunks import ChunkSlots
from sync_server.blobs.storage import BlobFiles
from sync_server.blobs.thumbnails import Thumbnails
from sync_server.db import Database
from sync_server.errors import ApiError
from sync_server.ledger.keys import Signer
from sync_server.settings import Settings


@dataclass(frozen=True)
class AppContext:
    """Everything built once per app and handed to routes: no globals."""

    settings: Settings
    db: Database
    signer: Signer
    blob_files: BlobFiles
    thumbnails: Thumbnails
    chunk_slots: ChunkSlots


def get_context(request: Request) -> AppContext:
    return request.app.state.context


Context = Annotated[AppContext, Depends(get_context)]


def _read_session(context: Context) -> Iterator[Session]:
    with context.db.reading() as session:
        yield session


def _write_session(context: Context) -> Iterator[Session]:
    with context.db.writing() as session:
        yield session


#: A session for reading; never commits.
ReadSession = Annotated[Session, Depends(_read_session)]
#: A session whose transaction takes the write lock up front; the route commits it once.
WriteSession = Annotated[Session, Depends(_write_session)]

_bearer = HTTPBearer(auto_error=False, description="a device-bound token from /v1/auth/login")


def current_principal(
    request: Request,
    response: Response,
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(
            401,
            "not_authenticated",
            "send Authorization: Bearer <token> (log in at /v1/auth/login)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with context.db.reading() as session:
        principal = auth_service.authenticate(
            session, credentials.credentials, request.headers.get("x-device-id"), context.settings
        )
    request.state.user_id = principal.user_id  # for the request's log line
    expires = principal.expires_at
    if auth_service.needs_slide(principal, context.settings):
        with context.db.writing() as session:
            expires = auth_service.slide(session, principal.token_hash, context.settings)
            session.commit()
    response.headers["Token-Expires"] = expires.isoformat()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def optional_principal(
    request: Request,
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The principal when a valid token (and its device) came with the request, else None;
    never an error, and the token's expiry is not slid."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    try:
        with context.db.reading() as session:
            return auth_service.authenticate(
                session, credentials.credentials, request.headers.get("x-device-id"),
                context.settings,
            )  # fmt: skip
    except ApiError:
        return None


#: The caller when authenticated, else None (for answers that say more to some).
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require_admin(principal: CurrentPrincipal) -> Principal:
    if not principal.is_admin:
        raise ApiError(403, "forbidden_role", "only a bureau admin may do this")
    return principal


AdminPrincipal = Annotated[Principal, Depends(require_admin)]
