"""Account tables: users with a role and scopes, their devices, hashed tokens and the
failed-login counters that slow password guessing."""

from __future__ import annotations

import datetime as dt

from pydantic import StrictBool
from sqlmodel import Field, SQLModel

from fieldcheck.protocol.auth import Role
from sync_server.db_base import ServerTable
from sync_server.timeutil import utcnow


class UserBase(SQLModel):
    username: str = Field(unique=True, index=True, min_length=1, max_length=64)
    role: Role = Field(max_length=16)
    all_scopes: bool = False


class User(UserBase, ServerTable, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    #: The username as compared (``sync_server.auth.names.username_key``); unique.
    username_key: str = Field(unique=True, index=True, max_length=64)
    password_hash: str
    disabled: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)


class UserCreate(UserBase):
    """What ``user add`` needs: scopes are sub-district ids, codes or names."""

    model_config = {"extra": "forbid"}

    password: str = Field(min_length=1, max_length=256)  # the rules: auth.passwords
    scopes: list[str] = Field(default_factory=list)
    all_scopes: StrictBool = False  # JSON true or false, not 0 or "yes"


class UserScope(ServerTable, table=True):
    __tablename__ = "user_scope"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    scope_id: str = Field(foreign_key="scope.id", primary_key=True, max_length=64)


class Device(ServerTable, table=True):
    __tablename__ = "device"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    device_id: str = Field(primary_key=True, max_length=64)
    label: str = ""
    created_at: dt.datetime = Field(default_factory=utcnow)
    revoked_at: dt.datetime | None = None


class Token(ServerTable, table=True):
    """A bearer token, stored only as the SHA-256 of the token the device holds."""

    __tablename__ = "token"
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    device_id: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None


class LoginFailure(ServerTable, table=True):
    """Consecutive failed logins per key (``user:NAME`` or ``ip:ADDRESS``)."""

    __tablename__ = "login_failure"
    key: str = Field(primary_key=True, max_length=200)
    failures: int = 0
    last_failed_at: dt.datetime = Field(default_factory=utcnow)
