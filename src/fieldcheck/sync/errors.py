"""Typed sync failures: a ``kind`` to branch on, the server's error ``code`` when it sent
one, and a message that says in plain words what is wrong (never branch on the message)."""

from __future__ import annotations

from enum import StrEnum


class SyncErrorKind(StrEnum):
    #: no connection, a timeout, a refused or reset link: try again later.
    UNREACHABLE = "unreachable"
    #: the answer was not JSON (a captive portal's HTML page, a proxy's error page).
    NOT_JSON = "not_json"
    #: JSON that is cut short, malformed, or does not match the protocol.
    PROTOCOL = "protocol"
    #: the server failed (5xx) or is overloaded (429).
    SERVER = "server_error"
    #: sign-in refused: bad password, expired or unknown token, revoked device, disabled user.
    AUTH = "auth"
    #: the server refused the request for this user (403) or found it malformed (4xx).
    REFUSED = "refused"
    #: the user (or the app) cancelled the sync.
    CANCELLED = "cancelled"
    #: the server's history went backwards or changed (restored from an older backup).
    HISTORY = "history_changed"


#: Kinds after which the sync may simply be tried again later.
TRANSIENT = frozenset({SyncErrorKind.UNREACHABLE, SyncErrorKind.SERVER})


class SyncError(Exception):
    """A sync that could not go on; nothing unconfirmed was marked synced."""

    def __init__(
        self, kind: SyncErrorKind, message: str, *, code: str = "", status: int | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.code = code
        self.status = status

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT

    def __str__(self) -> str:
        return self.message
