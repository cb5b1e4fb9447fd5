"""Blob files against blob rows: the start-up scan and the scrub (SYNC-RESEARCH F13, F17).

A ``kill -9`` between publishing a blob (the rename into ``blobs/``) and committing its row
leaves a file without a row. On start every such file is re-hashed under the counter lock
(``BEGIN IMMEDIATE`` on SQLite, the counter row on PostgreSQL), so a process finishing the
same upload or scanning at the same time is waited for: a match becomes a verified blob with
its ledger entry, a mismatch is moved to ``<data-dir>/quarantine/`` (never deleted) and logged.

The scrub (``fieldcheck-server verify``) re-hashes every stored blob and changes nothing.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlmodel import col, select

from fieldcheck.photos.formats import PREFIX_BYTES
from sync_server.admin.plan import server_admin
from sync_server.blobs.media import sniffed_or_octets
from sync_server.blobs.models import Blob, Upload
from sync_server.blobs.service import record_blob
from sync_server.blobs.storage import BlobFiles
from sync_server.db import Database
from sync_server.ledger import chain
from sync_server.ledger.keys import Signer
from sync_server.state import lock_counter

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class Recovery:
    recovered: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)


@dataclass
class Scrub:
    checked: int = 0
    mismatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.mismatched or self.missing)


def orphans(db: Database, files: BlobFiles) -> Iterator[str]:
    """Stored files without a ``blob`` row."""
    names = files.stored()
    while chunk := list(itertools.islice(names, BATCH)):
        with db.reading() as session:
            known = set(session.exec(select(Blob.sha256).where(col(Blob.sha256).in_(chunk))).all())
        yield from (sha for sha in chunk if sha not in known)


def recover_orphans(db: Database, files: BlobFiles, signer: Signer) -> Recovery:
    """Insert (verified) or quarantine every blob file left without a row."""
    found = Recovery()
    for sha in list(orphans(db, files)):
        with db.writing() as session:
            lock_counter(session)
            if session.get(Blob, sha) is not None:
                continue  # another process finished it meanwhile
            try:
                intact = files.matches(sha)
            except FileNotFoundError:
                continue  # another process quarantined it meanwhile
            if not intact:
                target = files.quarantine(sha)
                found.quarantined.append(sha)
                log.error(
                    "blob file %s without a row does not hash to its name; moved to %s", sha, target
                )
                continue
            uploads = session.exec(select(Upload).where(Upload.sha256 == sha)).all()
            # the interrupted upload tells who sent it: the one whose part file was published
            upload = next((u for u in uploads if not files.part(sha, u.created_by).exists()), None)
            uploader = server_admin()
            if upload is not None:
                uploader = dataclasses.replace(uploader, username=upload.created_by)
            path = files.path(sha)
            with open(path, "rb") as handle:
                content_type = sniffed_or_octets(handle.read(PREFIX_BYTES), sha)
            record_blob(session, uploader, sha, path.stat().st_size, content_type)
            if upload is not None:
                session.delete(upload)
            chain.sign_checkpoint(session, signer)
            session.commit()
            found.recovered.append(sha)
            log.warning("blob file %s had no row (interrupted upload); re-hashed and recorded", sha)
    return found


def scrub(db: Database, files: BlobFiles) -> Scrub:
    """Re-hash every stored blob against its row; report files without rows. Read-only."""
    report, after = Scrub(), ""
    while True:
        with db.reading() as session:
            shas = session.exec(
                select(Blob.sha256)
                .where(col(Blob.sha256) > after)
                .order_by(col(Blob.sha256))
                .limit(BATCH)
            ).all()
        if not shas:
            break
        for sha in shas:
            report.checked += 1
            try:
                if not files.matches(sha):
                    report.mismatched.append(sha)
            except FileNotFoundError:
                report.missing.append(sha)
        after = shas[-1]
    report.orphans = list(orphans(db, files))
    return report
