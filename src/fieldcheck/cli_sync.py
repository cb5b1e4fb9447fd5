"""``fieldcheck sync``: one full sync from the command line, and its summary.

Exit status: 0 a clean sync; 1 synced, but conflicts, rejected changes or integrity alerts
wait for the inspector; 2 the server could not be reached, answered nonsense or refused the
sign-in (the message says which; nothing on the laptop was changed or lost).

Lines for people are in the language of ``fieldcheck.cli_text``; ``--json`` is not translated.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fieldcheck.cli_messages import because, fail, sync_error_text
from fieldcheck.cli_text import _
from fieldcheck.store.database import Store
from fieldcheck.store.syncbook.meta import peek_meta
from fieldcheck.sync.credentials import TokenStore
from fieldcheck.sync.engine import SyncEngine
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.http import HttpConfig
from fieldcheck.sync.report import SyncOutcome, SyncReport

EXIT_CLEAN, EXIT_ATTENTION, EXIT_FAILED = 0, 1, 2
#: Sign-in refusals after which the stored token is useless.
DEAD_TOKEN_CODES = frozenset({"token_expired", "invalid_token", "device_mismatch"})


def add_parser(commands: Any) -> None:
    """Register ``sync`` on the ``fieldcheck`` command parser's subcommands."""
    sync = commands.add_parser("sync", help=_("sync with the server once and print a summary"))
    sync.add_argument("--server", help=_("server address (default: the last one used)"))
    sync.add_argument("--user", help=_("user name (default: the last one used)"))
    sync.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("sign in with the password read from stdin (not needed with a stored sign-in)"),
    )
    sync.add_argument("--json", action="store_true", help=_("print the summary as one JSON object"))
    sync.add_argument(
        "--timeout", type=float, default=60.0, help=_("seconds to wait for an answer (default 60)")
    )


def run(store: Store, args: argparse.Namespace) -> int:
    with store.read() as session:
        settings = peek_meta(session)
    server = args.server or (settings.server_url if settings else "")
    user = args.user or (settings.username if settings else "")
    if not server or not user:
        fail(_("give --server URL and --user NAME for the first sync"))
        return EXIT_FAILED
    tokens = TokenStore(store.paths.root)
    token = None if args.password_stdin else tokens.load(server, user)
    if token is None and not args.password_stdin:
        fail(
            _("not signed in to {server} as {user}; run again with --password-stdin").format(
                server=server, user=user
            )
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
                return _failed(args, server, exc, _("sign-in failed"))
            tokens.save(server, user, answer.token)
        report = engine.run()
    finally:
        engine.close()
    if report.error is not None:
        if report.error.kind is SyncErrorKind.AUTH and report.error.code in DEAD_TOKEN_CODES:
            tokens.forget(server, user)
        return _failed(args, server, report.error, _("sync failed"), report)
    _print(args, server, report)
    return EXIT_ATTENTION if report.needs_attention else EXIT_CLEAN


def _failed(
    args: argparse.Namespace,
    server: str,
    error: SyncError,
    what: str,
    report: SyncReport | None = None,
) -> int:
    hint = ""
    if error.kind is SyncErrorKind.AUTH and error.code != "device_revoked":
        hint = _(" — sign in again with --password-stdin")
    if args.json:
        body: dict[str, Any] = report.as_dict() if report else {"outcome": SyncOutcome.FAILED.value}
        body["error"] = {"kind": error.kind.value, "code": error.code, "message": error.message}
        print(json.dumps(body, ensure_ascii=False, default=str))
    fail(because(what, sync_error_text(error, server)) + hint)
    fail(_("nothing on this laptop was changed or lost"))
    return EXIT_FAILED


def summary_line(report: SyncReport) -> str:
    return _(
        "{pushed} records pushed, {pulled} pulled; {uploaded} photos uploaded, {skipped} "
        "already there, {downloaded} downloaded; {conflicts} conflicts, {rejected} rejected "
        "waiting; {megabytes} MB sent in {requests} requests"
    ).format(
        pushed=report.records_pushed,
        pulled=report.records_pulled,
        uploaded=report.photos_uploaded,
        skipped=report.photos_skipped,
        downloaded=report.photos_downloaded,
        conflicts=report.conflicts,
        rejected=report.rejected,
        megabytes=f"{report.bytes_sent / 1e6:.1f}",
        requests=report.requests,
    )


def _print(args: argparse.Namespace, server: str, report: SyncReport) -> None:
    if args.json:
        print(json.dumps({"server": server, **report.as_dict()}, ensure_ascii=False, default=str))
        return
    if report.outcome is SyncOutcome.NOOP:
        print(_("{server}: already up to date").format(server=server))
    else:
        print(f"{server}: {summary_line(report)}")
    if report.reconciled:
        restored = _(
            "note: the server was restored from an older backup ({reason}); this laptop sent "
            "back {count} records it had lost"
        )
        print(
            restored.format(reason=report.reconcile_reason, count=report.records_restored),
            file=sys.stderr,
        )
    if report.held:
        held = _("note: {count} changes wait until the server accepts their kind of record")
        print(held.format(count=report.held))
    for alert in report.integrity_alerts:
        alerted = _("integrity alert: {alert}; the photo was not uploaded")
        print(alerted.format(alert=alert), file=sys.stderr)
    if report.needs_attention:
        print(_("some changes need attention (conflicts or rejected changes); see the app"))
