"""``fieldcheck sync``: one full sync from the command line, and its summary.

Exit status: 0 a clean sync; 1 synced, but conflicts, rejected changes or integrity alerts
wait for the inspector; 2 the server could not be reached, answered nonsense or refused the
sign-in (the message says which; nothing on the laptop was changed or lost).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fieldcheck.store.database import Store
from fieldcheck.store.sync_state import peek_meta
from fieldcheck.sync.credentials import TokenStore
from fieldcheck.sync.engine import SyncEngine, SyncReport
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.http import HttpConfig

EXIT_CLEAN, EXIT_ATTENTION, EXIT_FAILED = 0, 1, 2
#: Sign-in refusals after which the stored token is useless.
DEAD_TOKEN_CODES = frozenset({"token_expired", "invalid_token", "device_mismatch"})


def add_parser(commands: Any) -> None:
    """Register ``sync`` on the ``fieldcheck`` command parser's subcommands."""
    sync = commands.add_parser("sync", help="sync with the server once and print a summary")
    sync.add_argument("--server", help="server address (default: the last one used)")
    sync.add_argument("--user", help="user name (default: the last one used)")
    sync.add_argument(
        "--password-stdin",
        action="store_true",
        help="sign in with the password read from stdin (not needed with a stored sign-in)",
    )
    sync.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    sync.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for an answer (default 60)"
    )


def run(store: Store, args: argparse.Namespace) -> int:
    with store.read() as session:
        settings = peek_meta(session)
    server = args.server or (settings.server_url if settings else "")
    user = args.user or (settings.username if settings else "")
    if not server or not user:
        print("fieldcheck: give --server URL and --user NAME for the first sync", file=sys.stderr)
        return EXIT_FAILED
    tokens = TokenStore(store.paths.root)
    token = None if args.password_stdin else tokens.load(server, user)
    if token is None and not args.password_stdin:
        print(
            f"fieldcheck: not signed in to {server} as {user}; run again with --password-stdin",
            file=sys.stderr,
        )
        return EXIT_FAILED
    config = HttpConfig(read_timeout=args.timeout)
    engine = SyncEngine(store, server, token=token, config=config)
    try:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            try:
                answer = engine.sign_in(user, password)
            except SyncError as exc:
                return _failed(args, exc, "sign-in failed")
            tokens.save(server, user, answer.token)
        report = engine.run()
    finally:
        engine.close()
    if report.error is not None:
        if report.error.kind is SyncErrorKind.AUTH and report.error.code in DEAD_TOKEN_CODES:
            tokens.forget(server, user)
        return _failed(args, report.error, "sync failed", report)
    _print(args, server, report)
    return EXIT_ATTENTION if report.needs_attention else EXIT_CLEAN


def _failed(
    args: argparse.Namespace, error: SyncError, what: str, report: SyncReport | None = None
) -> int:
    hint = ""
    if error.kind is SyncErrorKind.AUTH:
        hint = " — sign in again with --password-stdin" if error.code != "device_revoked" else ""
    if args.json:
        body = report.as_dict() if report else {"outcome": "failed"}
        body["error"] = {"kind": error.kind.value, "code": error.code, "message": error.message}
        print(json.dumps(body, ensure_ascii=False, default=str))
    print(f"fieldcheck: {what}: {error.message}{hint}", file=sys.stderr)
    print("fieldcheck: nothing on this laptop was changed or lost", file=sys.stderr)
    return EXIT_FAILED


def summary_line(report: SyncReport) -> str:
    sent = report.bytes_sent / 1e6
    return (
        f"{report.records_pushed} records pushed, {report.records_pulled} pulled; "
        f"{report.photos_uploaded} photos uploaded, {report.photos_skipped} already there, "
        f"{report.photos_downloaded} downloaded; {report.conflicts} conflicts, "
        f"{report.rejected} rejected waiting; {sent:.1f} MB sent in {report.requests} requests"
    )


def _print(args: argparse.Namespace, server: str, report: SyncReport) -> None:
    if args.json:
        print(json.dumps({"server": server, **report.as_dict()}, ensure_ascii=False, default=str))
        return
    if report.outcome == "noop":
        print(f"{server}: already up to date")
    else:
        print(f"{server}: {summary_line(report)}")
    if report.reconciled:
        print(
            f"note: the server was restored from an older backup ({report.reconcile_reason}); "
            f"this laptop sent back {report.records_restored} records it had lost",
            file=sys.stderr,
        )
    if report.held:
        print(f"note: {report.held} changes wait until the server accepts their kind of record")
    for alert in report.integrity_alerts:
        print(f"integrity alert: {alert}; the photo was not uploaded", file=sys.stderr)
    if report.needs_attention:
        print("some changes need attention (conflicts or rejected changes); see the app")
