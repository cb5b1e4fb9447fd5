"""Translated texts of the sync GUI: what a failed sync or sign-in means, chosen by the
error's ``kind`` and the server's ``code`` (never parsed from the English message), and the
names of the sync phases and of the per-record and per-photo states."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from fieldcheck.core.sync_marks import PhotoMark, RecordMark
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.progress import Phase
from fieldcheck.ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "SyncMessages"

_BY_KIND: dict[SyncErrorKind, str] = {
    SyncErrorKind.UNREACHABLE: QT_TRANSLATE_NOOP(
        "SyncMessages",
        "The server {server} cannot be reached. Check the address and the network; "
        "fieldcheck tries again later.",
    ),
    SyncErrorKind.NOT_JSON: QT_TRANSLATE_NOOP(
        "SyncMessages",
        "The answer was a web page, not the fieldcheck server: the Wi-Fi may want you to log "
        "in through a browser first.",
    ),
    SyncErrorKind.PROTOCOL: QT_TRANSLATE_NOOP(
        "SyncMessages",
        "The server's answer could not be understood. Is {server} a fieldcheck server?",
    ),
    SyncErrorKind.SERVER: QT_TRANSLATE_NOOP(
        "SyncMessages", "The server had a problem. Nothing was lost; fieldcheck tries again later."
    ),
    SyncErrorKind.AUTH: QT_TRANSLATE_NOOP(
        "SyncMessages", "The server refused the sign-in. Sign in again."
    ),
    SyncErrorKind.REFUSED: QT_TRANSLATE_NOOP(
        "SyncMessages", "The server refused the request ({code})."
    ),
    SyncErrorKind.CANCELLED: QT_TRANSLATE_NOOP("SyncMessages", "The sync was cancelled."),
    SyncErrorKind.HISTORY: QT_TRANSLATE_NOOP(
        "SyncMessages",
        "The server's history changed (restored from an older backup?). Syncing is stopped "
        "until you look at it under Needs attention.",
    ),
}

_AUTH_CODES: dict[str, str] = {
    "bad_credentials": QT_TRANSLATE_NOOP("SyncMessages", "Wrong user name or password."),
    "empty": QT_TRANSLATE_NOOP("SyncMessages", "Enter the user name and the password."),
    "user_disabled": QT_TRANSLATE_NOOP(
        "SyncMessages", "This account is disabled. Contact the bureau."
    ),
    "device_revoked": QT_TRANSLATE_NOOP(
        "SyncMessages",
        "This laptop was revoked by the bureau. Nothing on it was deleted; contact the bureau.",
    ),
    "token_expired": QT_TRANSLATE_NOOP("SyncMessages", "The sign-in expired. Sign in again."),
    "invalid_token": QT_TRANSLATE_NOOP(
        "SyncMessages", "The sign-in is no longer valid. Sign in again."
    ),
    "device_mismatch": QT_TRANSLATE_NOOP(
        "SyncMessages", "The sign-in belongs to another laptop. Sign in again."
    ),
}

PHASES: dict[Phase, str] = {
    Phase.SIGN_IN: QT_TRANSLATE_NOOP("SyncMessages", "Signing in…"),
    Phase.STATUS: QT_TRANSLATE_NOOP("SyncMessages", "Asking the server…"),
    Phase.BLOBS: QT_TRANSLATE_NOOP("SyncMessages", "Uploading photos"),
    Phase.PUSH: QT_TRANSLATE_NOOP("SyncMessages", "Sending changes…"),
    Phase.PULL: QT_TRANSLATE_NOOP("SyncMessages", "Receiving changes…"),
    Phase.DOWNLOAD: QT_TRANSLATE_NOOP("SyncMessages", "Downloading photos…"),
    Phase.CHECKPOINT: QT_TRANSLATE_NOOP("SyncMessages", "Checking the server's ledger…"),
    Phase.DONE: QT_TRANSLATE_NOOP("SyncMessages", "Finishing…"),
}

#: Per-record sync states (``sync_state.record_states``) as a list shows them.
RECORD_STATES: dict[RecordMark, str] = {
    RecordMark.SYNCED: QT_TRANSLATE_NOOP("SyncMessages", "Synced"),
    RecordMark.PENDING: QT_TRANSLATE_NOOP("SyncMessages", "Waiting to upload"),
    RecordMark.CONFLICT: QT_TRANSLATE_NOOP("SyncMessages", "Conflict: needs attention"),
    RecordMark.REJECTED: QT_TRANSLATE_NOOP(
        "SyncMessages", "Rejected by the server: needs attention"
    ),
    RecordMark.LOCAL: QT_TRANSLATE_NOOP("SyncMessages", "Not synced yet"),
}
#: Per-photo states (``sync_marks.photo_sync_state``) as the gallery's tooltips name them.
PHOTO_STATES: dict[PhotoMark, str] = {
    PhotoMark.ON_SERVER: QT_TRANSLATE_NOOP("SyncMessages", "On the server"),
    PhotoMark.WAITING: QT_TRANSLATE_NOOP("SyncMessages", "Waiting to upload"),
    PhotoMark.ATTENTION: QT_TRANSLATE_NOOP(
        "SyncMessages",
        "Needs attention: refused by the server, in conflict, or the file on this laptop changed",
    ),
    PhotoMark.NEVER_SYNCED: QT_TRANSLATE_NOOP("SyncMessages", "Not synced yet"),
}
#: Record kinds (entities) as the Needs attention panel names them.
ENTITIES: dict[str, str] = {
    "compound": QT_TRANSLATE_NOOP("SyncMessages", "Compound"),
    "inspection": QT_TRANSLATE_NOOP("SyncMessages", "Inspection"),
    "illegal_structure": QT_TRANSLATE_NOOP("SyncMessages", "Illegal structure"),
    "viewpoint": QT_TRANSLATE_NOOP("SyncMessages", "Viewpoint"),
    "photo": QT_TRANSLATE_NOOP("SyncMessages", "Photo"),
    "answer": QT_TRANSLATE_NOOP("SyncMessages", "Answer"),
    "annotation": QT_TRANSLATE_NOOP("SyncMessages", "Annotation"),
    "rectification_action": QT_TRANSLATE_NOOP("SyncMessages", "Rectification"),
    "retraction": QT_TRANSLATE_NOOP("SyncMessages", "Removal"),
}
#: The small mark shown in a list column for each state.
STATE_MARKS = {
    RecordMark.SYNCED: "✓",
    RecordMark.PENDING: "↑",
    RecordMark.CONFLICT: "⚠",
    RecordMark.REJECTED: "✕",
    RecordMark.LOCAL: "",
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def sync_error_text(error: SyncError, server: str = "") -> str:
    """The translated sentence for a failed sync or sign-in."""
    if error.kind is SyncErrorKind.AUTH and error.code in _AUTH_CODES:
        return tr(_AUTH_CODES[error.code])
    template = _BY_KIND.get(error.kind, _BY_KIND[SyncErrorKind.PROTOCOL])
    return tr(template).format(server=server, code=error.code or error.status or "")


def phase_text(phase: Phase) -> str:
    return tr(PHASES.get(phase, PHASES[Phase.STATUS]))


def state_text(state: RecordMark) -> str:
    return tr(RECORD_STATES.get(state, RECORD_STATES[RecordMark.LOCAL]))


def photo_state_text(state: PhotoMark) -> str:
    return tr(PHOTO_STATES.get(state, PHOTO_STATES[PhotoMark.NEVER_SYNCED]))


def entity_text(entity: str) -> str:
    return tr(ENTITIES[entity]) if entity in ENTITIES else entity
