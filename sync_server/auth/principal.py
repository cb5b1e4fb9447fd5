"""Who is asking: the authenticated user, their device and what their scopes are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldcheck.protocol.auth import Role


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: Role
    all_scopes: bool
    scope_ids: frozenset[str]
    device_id: str
    token_hash: str
    expires_at: dt.datetime
    #: When the token ends whatever its use (``expires_at`` slides up to it, never past).
    ends_at: dt.datetime | None = None

    def can_read(self, scope_id: str) -> bool:
        """Admins and all-scope users read everything; others only their sub-districts."""
        return self.role is Role.ADMIN or self.all_scopes or scope_id in self.scope_ids

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
