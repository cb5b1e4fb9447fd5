"""``/v1/admin``: users (create, list, disable, enable) and device revocation; admins only.
Changes take effect on the affected user's next request."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col, select

from fieldcheck.protocol.auth import UserPublic
from sync_server.auth import service
from sync_server.auth.models import User, UserCreate
from sync_server.deps import AdminPrincipal, ReadSession, WriteSession
from sync_server.openapi import ERRORS

router = APIRouter(prefix="/v1/admin", tags=["admin"])


@router.get("/users", response_model=list[UserPublic], responses=ERRORS)
def list_users(_admin: AdminPrincipal, session: ReadSession):
    users = session.exec(select(User).order_by(col(User.username))).all()
    return [service.public_user(u) for u in users]


@router.post("/users", response_model=UserPublic, status_code=201, responses=ERRORS)
def add_user(body: UserCreate, _admin: AdminPrincipal, session: WriteSession):
    """Create a user with a role and sub-district scopes (ids, codes or names)."""
    user = service.create_user(session, body)
    session.commit()
    return service.public_user(user)


@router.post("/users/{username}/disable", response_model=UserPublic, responses=ERRORS)
def disable_user(username: str, _admin: AdminPrincipal, session: WriteSession):
    """Disable a user: every token of theirs stops working on its next request."""
    user = service.set_disabled(session, username, True)
    session.commit()
    return service.public_user(user)


@router.post("/users/{username}/enable", response_model=UserPublic, responses=ERRORS)
def enable_user(username: str, _admin: AdminPrincipal, session: WriteSession):
    user = service.set_disabled(session, username, False)
    session.commit()
    return service.public_user(user)


@router.post("/users/{username}/devices/{device_id}/revoke", status_code=204, responses=ERRORS)
def revoke_device(username: str, device_id: str, _admin: AdminPrincipal, session: WriteSession):
    """Revoke one device of a user; its tokens stop working, its data stays on the laptop."""
    service.revoke_device(session, username, device_id)
    session.commit()
