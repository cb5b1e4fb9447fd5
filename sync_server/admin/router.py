"""``/v1/admin``: users (create, list, disable, enable, change role, sign out everywhere)
and device revocation; admins only. Changes take effect on the affected user's next
request."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlmodel import col, select

from fieldcheck.protocol.auth import Role, UserPublic
from fieldcheck.protocol.base import WireModel
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


class RoleChange(WireModel):
    role: Role


@router.post("/users/{username}/disable", response_model=UserPublic, responses=ERRORS)
def disable_user(username: str, _admin: AdminPrincipal, session: WriteSession):
    """Disable a user: every token of theirs is revoked for good (enabling again does not
    revive them). The last active admin cannot be disabled."""
    user = service.set_disabled(session, username, True)
    session.commit()
    return service.public_user(user)


@router.post("/users/{username}/enable", response_model=UserPublic, responses=ERRORS)
def enable_user(username: str, _admin: AdminPrincipal, session: WriteSession):
    """Enable a user again; they sign in anew on each device."""
    user = service.set_disabled(session, username, False)
    session.commit()
    return service.public_user(user)


@router.post("/users/{username}/role", response_model=UserPublic, responses=ERRORS)
def change_role(username: str, body: RoleChange, _admin: AdminPrincipal, session: WriteSession):
    """Give a user another role; the last active admin stays an admin."""
    user = service.set_role(session, username, body.role)
    session.commit()
    return service.public_user(user)


@router.post("/users/{username}/signout-all", status_code=204, responses=ERRORS)
def sign_out_user(username: str, _admin: AdminPrincipal, session: WriteSession) -> Response:
    """Revoke every token of a user (every device signs in again; nothing else changes)."""
    user = service.existing_user(session, username)
    assert user.id is not None
    service.sign_out_everywhere(session, user.id)
    session.commit()
    return Response(status_code=204)


@router.post("/users/{username}/devices/{device_id}/revoke", status_code=204, responses=ERRORS)
def revoke_device(username: str, device_id: str, _admin: AdminPrincipal, session: WriteSession):
    """Revoke one device of a user; its tokens stop working, its data stays on the laptop."""
    service.revoke_device(session, username, device_id)
    session.commit()
