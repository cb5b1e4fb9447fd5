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
from sync_server.auth.names import username_key
from sync_server.auth.passwords import hash_password, password_problem, verify_password
from sync_server.auth.principal import Principal
from sync_server.errors import ApiError
from sync_server.settings import Settings
from sync_server.timeutil import as_utc, utcnow

#: A token's expiry is slid only when that moves it by more than this (one write a day).
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


def find_user(session: Session, username: str) -> User | None:
    """The account ``username`` names, however it is cased or spaced."""
    return session.exec(select(User).where(User.username_key == username_key(username))).first()


def existing_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise ApiError(404, "unknown_user", f"no user {username!r}")
    return user


def create_user(session: Session, data: UserCreate) -> User:
    name, key = data.username.strip(), username_key(data.username)
    if not key:
        raise ApiError(422, "invalid_username", "a username cannot be empty or only spaces")
    existing = find_user(session, name)
    if existing is not None:
        raise ApiError(409, "user_exists", f"user {existing.username!r} already exists")
    problem = password_problem(data.password, name)
    if problem:
        raise ApiError(422, "weak_password", problem)
    if data.role is not Role.ADMIN and not data.all_scopes and not data.scopes:
        raise ApiError(422, "no_scope", "an inspector or reviewer needs --scope or --all-scopes")
    scopes = resolve_scopes(session, data.scopes)
    user = User(
        username=name,
        username_key=key,
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
    """Check the password (slowed after failures, see :mod:`backoff`) and issue a token
    bound to the device. One argon2 verification whatever the username; a disabled account
    gets the same answer whatever the password.

    A failed attempt is recorded in the session before the 401 is raised: the caller must
    commit on that error too."""
    user = find_user(session, username)
    device = session.get(Device, (user.id, device_id)) if user and user.id else None
    if user is not None and user.id is not None and device and device.revoked_at is None:
        keys = [backoff.device_key(user.id, device_id)]  # signed in here before: trusted
    else:
        keys = backoff.untrusted_keys(username_key(username), client_ip)
    backoff.check(session, keys, free=settings.login_free_failures, cap=settings.login_max_delay_s)
    matched = verify_password(password, user.password_hash if user else None)
    if not matched:
        backoff.record_failure(session, keys)
    if user is not None and user.disabled:
        raise ApiError(401, "user_disabled", "this account is disabled; contact the bureau")
    if user is None or not matched:
        raise ApiError(401, "bad_credentials", "wrong username or password")
    assert user.id is not None
    if device is not None and device.revoked_at is not None:
        raise ApiError(401, "device_revoked", "this device was revoked; contact the bureau")
    if device is None:
        session.add(Device(user_id=user.id, device_id=device_id, label=device_label))
    backoff.clear(session, list(dict.fromkeys([keys[0], backoff.device_key(user.id, device_id)])))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + dt.timedelta(days=min(settings.token_ttl_days, settings.token_max_days))
    session.add(
        Token(
            token_hash=hash_token(token),
            user_id=user.id,
            device_id=device_id,
            created_at=now,
            expires_at=expires,
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


def authenticate(
    session: Session, token: str, device_header: str | None, settings: Settings
) -> Principal:
    """The principal behind a bearer token, checked against the user and device *now*. The
    token works only with its device's ``X-Device-Id`` and only until the earlier of its
    sliding expiry and its absolute end (``token_max_days`` after sign-in)."""
    row = session.get(Token, hash_token(token))
    user = session.get(User, row.user_id) if row is not None else None
    if row is not None and (user is None or user.disabled):
        raise ApiError(401, "user_disabled", "this account is disabled; contact the bureau")
    if row is None or user is None or row.revoked_at is not None:
        raise ApiError(401, "invalid_token", "the token is unknown or was logged out")
    if not device_header:
        raise ApiError(401, "device_required", "send X-Device-Id: the device the token is for")
    if device_header != row.device_id:
        raise ApiError(401, "device_mismatch", "the token belongs to another device")
    if min(as_utc(row.expires_at), _absolute_end(row, settings)) <= utcnow():
        raise ApiError(401, "token_expired", "the token expired; log in again")
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
        expires_at=min(as_utc(row.expires_at), _absolute_end(row, settings)),
        ends_at=_absolute_end(row, settings),
    )


def _absolute_end(row: Token, settings: Settings) -> dt.datetime:
    return as_utc(row.created_at) + dt.timedelta(days=settings.token_max_days)


def needs_slide(principal: Principal, settings: Settings) -> bool:
    """Whether sliding would move the expiry by more than a day (one write a day at most)."""
    slid = utcnow() + dt.timedelta(days=settings.token_ttl_days)
    if principal.ends_at is not None:
        slid = min(slid, principal.ends_at)
    return slid - principal.expires_at > SLIDE_GRANULARITY


def slide(session: Session, token_hash: str, settings: Settings) -> dt.datetime:
    """Push the token's expiry to a full idle term from now, never past its absolute end;
    returns the new expiry."""
    row = session.get(Token, token_hash)
    expires = utcnow() + dt.timedelta(days=settings.token_ttl_days)
    if row is not None:
        expires = min(expires, _absolute_end(row, settings))
        row.expires_at = expires
        session.add(row)
    return expires


def logout(session: Session, token_hash: str) -> None:
    row = session.get(Token, token_hash)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)


def sign_out_everywhere(session: Session, user_id: int) -> int:
    """Revoke every live token of the user (every device signs in again); returns how many."""
    now = utcnow()
    tokens = session.exec(
        select(Token).where(Token.user_id == user_id, col(Token.revoked_at).is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = now
        session.add(token)
    return len(tokens)


def _require_another_admin(session: Session, user: User, doing: str) -> None:
    """Refuse (409) to leave the server without an active admin."""
    if user.role is not Role.ADMIN or user.disabled:
        return
    others = session.exec(
        select(User.id).where(
            User.role == Role.ADMIN, col(User.disabled).is_(False), User.id != user.id
        )
    ).first()
    if others is None:
        raise ApiError(409, "last_admin", f"{user.username} is the last active admin: {doing}")


def set_disabled(session: Session, username: str, disabled: bool) -> User:
    """Disable (every token revoked for good) or enable (the user signs in again) a user;
    the last active admin cannot be disabled."""
    user = existing_user(session, username)
    if disabled:
        _require_another_admin(session, user, "make another admin first")
        assert user.id is not None
        sign_out_everywhere(session, user.id)
    user.disabled = disabled
    session.add(user)
    return user


def set_role(session: Session, username: str, role: Role) -> User:
    """Change a user's role; the last active admin keeps his."""
    user = existing_user(session, username)
    if role is not Role.ADMIN:
        _require_another_admin(session, user, "make another admin first")
    if role is not Role.ADMIN and not user.all_scopes:
        assert user.id is not None
        if session.exec(select(UserScope).where(UserScope.user_id == user.id)).first() is None:
            raise ApiError(422, "no_scope", "an inspector or reviewer needs sub-districts")
    user.role = role
    session.add(user)
    return user


def revoke_device(session: Session, username: str, device_id: str) -> Device:
    user = find_user(session, username)
    device = session.get(Device, (user.id, device_id)) if user and user.id else None
    if device is None:
        raise ApiError(404, "unknown_device", f"user {username!r} has no device {device_id!r}")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        session.add(device)
    return device
