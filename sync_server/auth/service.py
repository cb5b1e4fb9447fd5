"""Account services: creating users, logging in, checking and sliding tokens, logging out.

Nothing here commits; the route (or command) that calls it commits once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlmodel import Session, col, select

from fieldcheck.protocol.auth import Role, ScopePublic, TokenResponse, UserPublic
from sync_server.admin.models import Scope
from sync_server.auth import backoff
from sync_server.auth.models import Device, Token, User, UserCreate, UserScope
from sync_server.auth.passwords import hash_password, verify_password
from sync_server.auth.principal import Principal
from sync_server.errors import ApiError
from sync_server.settings import Settings
from sync_server.timeutil import as_utc, utcnow

#: A token is extended when less than its lifetime minus this is left (one write a day).
SLIDE_GRANULARITY = dt.timedelta(days=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def resolve_scopes(session: Session, keys: list[str]) -> list[Scope]:
    """Scopes named by id, code or name; an unknown name is an error naming it."""
    found = []
    for key in keys:
        scope = (
            session.get(Scope, key)
            or session.exec(select(Scope).where((Scope.code == key) | (Scope.name == key))).first()
        )
        if scope is None:
            raise ApiError(404, "unknown_scope", f"no sub-district {key!r}; import the plan first")
        found.append(scope)
    return found


def create_user(session: Session, data: UserCreate) -> User:
    if session.exec(select(User).where(User.username == data.username)).first():
        raise ApiError(409, "user_exists", f"user {data.username!r} already exists")
    if data.role is not Role.ADMIN and not data.all_scopes and not data.scopes:
        raise ApiError(422, "no_scope", "an inspector or reviewer needs --scope or --all-scopes")
    scopes = resolve_scopes(session, data.scopes)
    user = User(
        username=data.username,
        role=data.role,
        all_scopes=data.all_scopes,
        password_hash=hash_password(data.password),
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    for scope in scopes:
        session.add(UserScope(user_id=user.id, scope_id=scope.id))
    return user


def user_scopes(session: Session, user: User) -> list[Scope]:
    if user.role is Role.ADMIN or user.all_scopes:
        return list(session.exec(select(Scope).order_by(col(Scope.code))).all())
    return list(
        session.exec(
            select(Scope)
            .join(UserScope, col(UserScope.scope_id) == col(Scope.id))
            .where(UserScope.user_id == user.id)
            .order_by(col(Scope.code))
        ).all()
    )


def public_user(user: User) -> UserPublic:
    assert user.id is not None
    return UserPublic(
        id=user.id,
        username=user.username,
        role=user.role,
        all_scopes=user.all_scopes,
        disabled=user.disabled,
    )


def public_scopes(scopes: list[Scope]) -> list[ScopePublic]:
    return [ScopePublic(id=s.id, code=s.code, name=s.name) for s in scopes]


def login(
    session: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    device_id: str,
    device_label: str,
    client_ip: str,
) -> TokenResponse:
    """Check the password (slowed after failures) and issue a token bound to the device.

    A failed attempt is recorded in the session before the 401 is raised: the caller must
    commit on that error too."""
    keys = backoff.failure_keys(username, client_ip)
    backoff.check(session, keys, free=settings.login_free_failures, cap=settings.login_max_delay_s)
    user = session.exec(select(User).where(User.username == username)).first()
    if not verify_password(password, user.password_hash if user else None) or user is None:
        backoff.record_failure(session, keys)
        raise ApiError(401, "bad_credentials", "wrong username or password")
    if user.disabled:
        raise ApiError(401, "user_disabled", "this account is disabled; contact the bureau")
    assert user.id is not None
    device = session.get(Device, (user.id, device_id))
    if device is not None and device.revoked_at is not None:
        raise ApiError(401, "device_revoked", "this device was revoked; contact the bureau")
    if device is None:
        session.add(Device(user_id=user.id, device_id=device_id, label=device_label))
    backoff.clear(session, keys[:1])
    token = secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(days=settings.token_ttl_days)
    session.add(
        Token(
            token_hash=hash_token(token), user_id=user.id, device_id=device_id, expires_at=expires
        )
    )
    scopes = user_scopes(session, user)
    return TokenResponse(
        token=token,
        expires_at=expires,
        device_id=device_id,
        user=public_user(user),
        scopes=public_scopes(scopes),
    )


def authenticate(session: Session, token: str, device_header: str | None) -> Principal:
    """The principal behind a bearer token, checked against the user and device *now*."""
    row = session.get(Token, hash_token(token))
    if row is None or row.revoked_at is not None:
        raise ApiError(401, "invalid_token", "the token is unknown or was logged out")
    if as_utc(row.expires_at) <= utcnow():
        raise ApiError(401, "token_expired", "the token expired; log in again")
    if device_header is not None and device_header != row.device_id:
        raise ApiError(401, "device_mismatch", "the token belongs to another device")
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        raise ApiError(401, "user_disabled", "this account is disabled; contact the bureau")
    device = session.get(Device, (row.user_id, row.device_id))
    if device is None or device.revoked_at is not None:
        raise ApiError(401, "device_revoked", "this device was revoked; contact the bureau")
    scope_ids = frozenset(
        session.exec(select(UserScope.scope_id).where(UserScope.user_id == user.id)).all()
    )
    return Principal(
        user_id=row.user_id,
        username=user.username,
        role=user.role,
        all_scopes=user.all_scopes,
        scope_ids=scope_ids,
        device_id=row.device_id,
        token_hash=row.token_hash,
        expires_at=as_utc(row.expires_at),
    )


def needs_slide(principal: Principal, settings: Settings) -> bool:
    ttl = dt.timedelta(days=settings.token_ttl_days)
    return principal.expires_at - utcnow() < ttl - SLIDE_GRANULARITY


def slide(session: Session, token_hash: str, settings: Settings) -> dt.datetime:
    """Push the token's expiry to a full lifetime from now; returns the new expiry."""
    row = session.get(Token, token_hash)
    expires = utcnow() + dt.timedelta(days=settings.token_ttl_days)
    if row is not None:
        row.expires_at = expires
        session.add(row)
    return expires


def logout(session: Session, token_hash: str) -> None:
    row = session.get(Token, token_hash)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)


def set_disabled(session: Session, username: str, disabled: bool) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise ApiError(404, "unknown_user", f"no user {username!r}")
    user.disabled = disabled
    session.add(user)
    return user


def revoke_device(session: Session, username: str, device_id: str) -> Device:
    user = session.exec(select(User).where(User.username == username)).first()
    device = session.get(Device, (user.id, device_id)) if user and user.id else None
    if device is None:
        raise ApiError(404, "unknown_device", f"user {username!r} has no device {device_id!r}")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        session.add(device)
    return device
