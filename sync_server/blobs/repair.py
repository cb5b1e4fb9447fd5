"""Blobs whose stored file no longer hashes to its name (SYNC-RESEARCH F17): quarantined,
then restored from a laptop.

:func:`quarantine_blob` is the one action for a damaged or vanished blob file, whoever
finds it (a download streaming it, a range request verifying it first, the scheduled
scrub): under the counter lock the file is hashed once more, and if it still does not match
it is moved to ``<data-dir>/quarantine/`` (never deleted), the row is marked and a
``blob_quarantined`` ledger entry says so. From then on downloads answer 409
``blob_under_repair`` and the check reports the blob missing to every laptop, so the next
sync of one that holds the photo uploads it again; :func:`mark_restored` (called when that
upload is verified and published) clears the mark with a ``blob_restored`` entry.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlmodel import Session

from sync_server.admin.plan import server_admin
from sync_server.auth.principal import Principal
from sync_server.blobs.models import Blob
from sync_server.blobs.storage import BlobFiles
from sync_server.db import Database
from sync_server.ledger import chain
from sync_server.ledger.keys import Signer
from sync_server.state import lock_counter
from sync_server.timeutil import utcnow

log = logging.getLogger(__name__)
QUARANTINED, RESTORED = "blob_quarantined", "blob_restored"
#: The ledger entry kinds this module writes (besides ``blob`` and record ``version``s).
KINDS = (QUARANTINED, RESTORED)


def quarantine_blob(
    db: Database, files: BlobFiles, signer: Signer, sha256: str, *, reason: str
) -> bool:
    """Quarantine blob ``sha256`` if its file is damaged or gone (``reason`` names who
    found it, for the log). True when it was quarantined now; False when the file is intact,
    the blob unknown or already under repair. Safe to call from any server process."""
    with db.writing() as session:
        lock_counter(session)
        blob = session.get(Blob, sha256)
        if blob is None or blob.quarantined_at is not None:
            return False
        try:
            if files.matches(sha256):
                return False
        except FileNotFoundError:
            pass
        moved = files.quarantine(sha256)
        _mark_quarantined(session, server_admin(), blob)
        chain.sign_checkpoint(session, signer)
        session.commit()
    where = f"moved to {moved}" if moved else "its file is gone"
    log.error(
        "blob %s does not hash to its name (found by %s): %s; it is reported as missing until "
        "a laptop uploads it again",
        sha256,
        reason,
        where,
    )
    return True


def _mark_quarantined(session: Session, actor: Principal, blob: Blob) -> None:
    blob.quarantined_at = utcnow()
    session.add(blob)
    _entry(session, actor, blob.sha256, QUARANTINED)


def mark_restored(
    session: Session, principal: Principal, blob: Blob, set_aside: Path | None
) -> None:
    """A verified upload by ``principal`` replaced a blob's damaged or missing file (the
    counter lock is held; the caller commits). A damage nobody had noticed yet (the upload
    found it) is recorded as a quarantine first."""
    if blob.quarantined_at is None:
        _mark_quarantined(session, server_admin(), blob)
    blob.quarantined_at = None
    session.add(blob)
    _entry(session, principal, blob.sha256, RESTORED)
    log.warning(
        "blob %s restored from an upload by %s (device %s)%s",
        blob.sha256,
        principal.username,
        principal.device_id,
        f"; the damaged file is kept at {set_aside}" if set_aside else "",
    )


def _entry(session: Session, actor: Principal, sha256: str, kind: str) -> None:
    chain.append(
        session,
        kind=kind,
        blob_sha256=sha256,
        actor=actor.username,
        device_id=actor.device_id,
        payload_sha256=sha256,
    )
