"""The FastAPI application factory: ``create_app(settings)`` builds everything once and
hands it to the routes through ``app.state.context``; nothing is built at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from sync_server.admin.router import router as admin_router
from sync_server.auth.passwords import warm_up
from sync_server.auth.router import router as auth_router
from sync_server.blobs.chunks import ChunkSlots
from sync_server.blobs.recovery import recover_orphans
from sync_server.blobs.router import router as blobs_router
from sync_server.blobs.router import tus as tus_router
from sync_server.blobs.storage import BlobFiles
from sync_server.blobs.sweeper import sweep_forever, sweep_once
from sync_server.blobs.thumbnails import Thumbnails
from sync_server.db import open_database
from sync_server.deps import AppContext
from sync_server.errors import install_error_handlers
from sync_server.health import router as health_router
from sync_server.ledger.keys import load_or_create_signer
from sync_server.ledger.router import router as ledger_router
from sync_server.ledger.scrub import Scrubber
from sync_server.limits import BodyLimitMiddleware
from sync_server.openapi import install as install_openapi
from sync_server.request_log import RequestLogMiddleware
from sync_server.settings import Settings
from sync_server.sync.router import router as sync_router

API_VERSION = "1.0.0"


def create_app(settings: Settings) -> FastAPI:
    """Build the app for ``settings`` (the schema must already be migrated). Blob files an
    interrupted upload left without a row are recorded or quarantined, and expired uploads
    are swept away, now and then every ``upload_sweep_seconds`` while it serves."""
    db = open_database(settings)
    files = BlobFiles(
        settings.blob_dir,
        settings.incoming_dir,
        min_free_bytes=settings.min_free_bytes,
        fsync=settings.fsync,
        quarantine_dir=settings.quarantine_dir,
    )
    files.ensure_dirs()
    context = AppContext(
        settings=settings,
        db=db,
        signer=load_or_create_signer(settings.key_dir, settings.ledger_origin),
        blob_files=files,
        thumbnails=Thumbnails(settings.thumbnail_dir),
        chunk_slots=ChunkSlots(settings.max_parallel_chunks),
    )
    scrubber = Scrubber(db, files, context.signer, settings.scrub_interval_s)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        scrubber.start()  # the background scrub runs while the server serves
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sweep_forever, db, files, settings.upload_sweep_seconds)
            yield
            tasks.cancel_scope.cancel()
        scrubber.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="fieldcheck sync server",
        version=API_VERSION,
        description="Accounts, record sync, resumable photo uploads (tus 1.0) and the "
        "evidence ledger of fieldcheck. Every error answers with an ErrorBody.",
    )
    app.state.context = context
    recover_orphans(db, files, context.signer)
    sweep_once(db, files)
    warm_up()  # the dummy hash unknown usernames are checked against, made once
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(
        BodyLimitMiddleware, limit=settings.max_json_bytes, exempt_prefix="/v1/uploads"
    )
    app.add_middleware(RequestLogMiddleware)  # outermost: sees every answer
    routers = (auth_router, sync_router, blobs_router, tus_router, ledger_router, admin_router)
    for router in (*routers, health_router):
        app.include_router(router)
    return app
