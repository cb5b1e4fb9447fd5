"""Abandoned uploads go away while the server runs, not only when it starts: every
``upload_sweep_seconds`` expired uploads and staged files no upload owns are removed (tus
expiration), so their bytes neither fill the disk nor count against anyone's limits."""

from __future__ import annotations

import logging

import anyio
from starlette.concurrency import run_in_threadpool

from sync_server.blobs.service import sweep_expired
from sync_server.blobs.storage import BlobFiles
from sync_server.db import Database

log = logging.getLogger(__name__)


def sweep_once(db: Database, files: BlobFiles) -> int:
    """One sweep in its own write transaction; how many uploads expired."""
    with db.writing() as session:
        swept = sweep_expired(session, files)
        session.commit()
    return swept


async def sweep_forever(db: Database, files: BlobFiles, interval_s: float) -> None:
    """Sweep every ``interval_s`` seconds until cancelled; a failed sweep is logged and the
    next one tried (the disk may be full, the database busy)."""
    while True:
        await anyio.sleep(interval_s)
        try:
            swept = await run_in_threadpool(sweep_once, db, files)
        except Exception:
            log.exception("sweeping expired uploads failed; trying again later")
            continue
        if swept:
            log.info("swept %d expired upload(s)", swept)
