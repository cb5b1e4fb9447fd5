"""Login, token and identity bodies (SYNC-RESEARCH §6.3)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from fieldcheck.protocol.base import ClientId, WireModel, WireResponse


class Role(StrEnum):
    INSPECTOR = "inspector"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class LoginRequest(WireModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: ClientId
    device_label: str = Field(default="", max_length=128)


class ScopePublic(WireResponse):
    """A sub-district the user may read (and, by role, write)."""

    id: str
    code: str
    name: str


class UserPublic(WireResponse):
    id: int
    username: str
    role: Role
    all_scopes: bool
    disabled: bool = False


class TokenResponse(WireResponse):
    token: str
    token_type: str = "bearer"
    expires_at: dt.datetime
    device_id: str
    user: UserPublic
    scopes: list[ScopePublic]


class MeResponse(WireResponse):
    user: UserPublic
    device_id: str
    expires_at: dt.datetime
    scopes: list[ScopePublic]
