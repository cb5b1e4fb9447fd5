"""Signing in and out of the sync server and one sync run, for the app's sync worker (the CLI's
``fieldcheck sync`` does the same steps). The password is used once for the sign-in and never
kept; the token goes to the ``TokenStore`` in the data folder (or the OS keyring), and is
forgotten when the server says it is dead. A sync says what it changed: the sync marks of
every compound, and every view of the compounds whose records it pulled or put back."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from fieldcheck.core.changes import Changes, Done
from fieldcheck.paths import DataPaths
from fieldcheck.store.database import Store
from fieldcheck.sync.credentials import TokenStore
from fieldcheck.sync.engine import SyncEngine
from fieldcheck.sync.errors import SyncErrorKind
from fieldcheck.sync.http import HttpConfig
from fieldcheck.sync.progress import CancelFlag, Progress
from fieldcheck.sync.report import SyncReport

#: Sign-in refusals after which the stored token is useless (the user must sign in again).
DEAD_TOKEN_CODES = frozenset({"token_expired", "invalid_token", "device_mismatch"})


def token_store(paths: DataPaths) -> TokenStore:
    """The token store of a data folder (looked for the OS keyring once per folder)."""
    return _token_store(paths.root)


@functools.cache
def _token_store(root: Path) -> TokenStore:
    return TokenStore(root)


def sign_in(
    store: Store,
    server_url: str,
    username: str,
    password: str,
    *,
    config: HttpConfig | None = None,
) -> None:
    """Get a token for ``username`` with ``password`` and keep the token (SyncError when the
    server cannot be reached or refuses)."""
    engine = SyncEngine(store, server_url, config=config)
    try:
        answer = engine.sign_in(username, password)
    finally:
        engine.close()
    token_store(store.paths).save(server_url, username, answer.token)


def sign_out(paths: DataPaths, server_url: str, username: str) -> None:
    """Forget the token; the local data stays as it is."""
    token_store(paths).forget(server_url, username)


def run_sync(
    store: Store,
    server_url: str,
    username: str,
    *,
    config: HttpConfig | None = None,
    cancel: CancelFlag | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Done[SyncReport]:
    """One full sync with the stored token; the report (its ``error`` says why a sync
    failed) and what the sync changed."""
    tokens = token_store(store.paths)
    engine = SyncEngine(
        store,
        server_url,
        token=tokens.load(server_url, username),
        config=config,
        cancel=cancel,
        on_progress=on_progress,
    )
    try:
        report = engine.run()
    finally:
        engine.close()
    error = report.error
    if error and error.kind is SyncErrorKind.AUTH and error.code in DEAD_TOKEN_CODES:
        tokens.forget(server_url, username)
    return Done(report, sync_changes(report))


def sync_changes(report: SyncReport) -> Changes:
    """A sync may change any record's sync mark (``compounds``); the compounds whose records
    it pulled or put back change throughout."""
    marks = Changes(compounds=True)
    if not report.compounds_pulled:
        return marks
    pulled = Changes(
        compound_ids=frozenset(report.compounds_pulled),
        inspections=True,
        answers=True,
        structures=True,
        photos=True,
        pulled=True,
    )
    return marks | pulled
