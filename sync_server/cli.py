"""``fieldcheck-server``: serve the API and administer accounts and the compound plan.

Every command takes ``--data-dir`` (default ``FIELDCHECK_SERVER_DATA_DIR``, else the
platform's site data directory); the database is SQLite under it unless
``FIELDCHECK_DATABASE_URL`` names another.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fieldcheck.domain.errors import PlanImportError
from fieldcheck.protocol.auth import Role
from sync_server.settings import LOG_LEVELS

if TYPE_CHECKING:
    from sqlmodel import Session

    from sync_server.settings import Settings

HELP_DATA_DIR = "where the server keeps its database, blobs and keys"


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the command; the two land in different places
    # because a command's parser would otherwise reset a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help=HELP_DATA_DIR)
    parser = argparse.ArgumentParser(prog="fieldcheck-server", description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, dest="global_data_dir", metavar="DATA_DIR", help=HELP_DATA_DIR
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", parents=[common], help="run the API server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8750, help="port (default 8750)")
    serve.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        help="the log's level (default: FIELDCHECK_LOG_LEVEL, else INFO); "
        "FIELDCHECK_LOG_FORMAT=json writes one JSON object a line",
    )
    user = commands.add_parser("user", parents=[common], help="manage accounts")
    user_cmds = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_cmds.add_parser("add", parents=[common], help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument(
        "--scope",
        action="extend",
        nargs="+",
        default=[],
        metavar="SUBDISTRICT",
        help="sub-districts (code, name or id) the user works in; repeatable",
    )
    add.add_argument("--all-scopes", action="store_true", help="every sub-district")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    for action, text in (
        ("disable", "disable an account (its tokens are revoked for good)"),
        ("enable", "enable an account again"),
        ("signout-all", "sign a user out on every device"),
    ):
        cmd = user_cmds.add_parser(action, parents=[common], help=text)
        cmd.add_argument("name")
    role = user_cmds.add_parser("role", parents=[common], help="change an account's role")
    role.add_argument("name")
    role.add_argument("--role", required=True, choices=[r.value for r in Role])
    compounds = commands.add_parser("compounds", parents=[common], help="the compound plan")
    compound_cmds = compounds.add_subparsers(
        dest="compounds_command", metavar="ACTION", required=True
    )
    imp = compound_cmds.add_parser("import", parents=[common], help="import a CSV/XLSX plan list")
    imp.add_argument("file", type=Path)
    demo = commands.add_parser("demo", parents=[common], help="seed the demo district")
    demo.add_argument("--year", type=int, default=None, help="plan year (default: this year)")
    verify = commands.add_parser(
        "verify",
        parents=[common],
        help="check the ledger chain, its signed checkpoints, every record version and every "
        "stored blob against it; changes nothing (exit 1 on any mismatch)",
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from sync_server.errors import ApiError
    from sync_server.settings import Settings

    settings = Settings.from_env(args.data_dir or args.global_data_dir)
    try:
        return _run(args, settings)
    except ApiError as exc:
        print(f"fieldcheck-server: {exc.message}", file=sys.stderr)
        return 1
    except PlanImportError as exc:
        print(f"fieldcheck-server: {exc.message}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from sync_server.db import open_database
    from sync_server.migrate import migrate

    if args.command == "verify":
        return _verify(settings, args.json)
    database = open_database(settings)
    migrate(database)
    if args.command == "serve":
        database.dispose()
        return _serve(args, settings)
    with database.writing() as session:
        message = _admin_command(args, session, settings)
        session.commit()
    database.dispose()
    print(message)
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from sync_server.app import create_app
    from sync_server.request_log import configure_logging

    level = args.log_level or settings.log_level
    configure_logging(level, settings.log_format)
    print(
        f"fieldcheck-server: data in {settings.data_dir}, database "
        f"{'SQLite' if settings.is_sqlite else 'PostgreSQL'}",
        flush=True,
    )
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level=level.lower(),
        log_config=None,  # uvicorn's records go through the handler above
        access_log=False,  # the request lines are ours (with the path template, the user)
        # The client's address comes from X-Forwarded-For only through the server's own
        # FIELDCHECK_TRUSTED_PROXIES (auth/client_address.py), never uvicorn's default
        # trust of loopback.
        proxy_headers=False,
    )
    return 0


def _verify(settings: Settings, as_json: bool) -> int:
    """Check the ledger, its checkpoints, record versions and blobs, read-only."""
    import json

    from sqlalchemy.exc import SQLAlchemyError

    from sync_server.blobs.recovery import orphans
    from sync_server.blobs.storage import BlobFiles
    from sync_server.db import open_database
    from sync_server.ledger.keys import read_signer
    from sync_server.ledger.verify import mismatch_lines, summary_lines, verify_archive

    if settings.database_url is None and not (settings.data_dir / "server.sqlite3").is_file():
        print(f"fieldcheck-server: no server database in {settings.data_dir}", file=sys.stderr)
        return 1
    try:
        signer = read_signer(settings.key_dir, settings.ledger_origin)
    except (OSError, ValueError) as exc:
        print(f"fieldcheck-server: cannot read the server's key: {exc}", file=sys.stderr)
        return 1
    database = open_database(settings)
    files = BlobFiles(
        settings.blob_dir, settings.incoming_dir, min_free_bytes=0, fsync=settings.fsync
    )
    try:
        report = verify_archive(database, files, signer.public_raw)
        unrecorded = list(orphans(database, files))
    except SQLAlchemyError as exc:
        print(f"fieldcheck-server: cannot read the database: {exc.args[0]}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    if as_json:
        print(json.dumps({**report.as_json(), "unrecorded_blob_files": unrecorded}, indent=2))
        return 0 if report.ok else 1
    for line in mismatch_lines(report):
        print(line)
    for sha in unrecorded:
        print(f"ORPHAN   {sha}: a file without a row (the next start re-hashes it)")
    for line in summary_lines(report, unrecorded=len(unrecorded)):
        print(line)
    return 0 if report.ok else 1


def _admin_command(args: argparse.Namespace, session: Session, settings: Settings) -> str:
    from sync_server.admin import plan
    from sync_server.auth import service
    from sync_server.auth.models import UserCreate
    from sync_server.ledger import chain
    from sync_server.ledger.keys import load_or_create_signer

    if args.command == "user" and args.user_command == "add":
        password = _read_password(args.password_stdin)
        user = service.create_user(
            session,
            UserCreate(
                username=args.name,
                role=Role(args.role),
                all_scopes=args.all_scopes,
                password=password,
                scopes=args.scope,
            ),
        )
        return f"user {user.username} added ({user.role.value})"
    if args.command == "user" and args.user_command == "signout-all":
        user = service.existing_user(session, args.name)
        assert user.id is not None
        count = service.sign_out_everywhere(session, user.id)
        return f"user {user.username} signed out everywhere ({count} token(s) revoked)"
    if args.command == "user" and args.user_command == "role":
        user = service.set_role(session, args.name, Role(args.role))
        return f"user {user.username} is now {user.role.value}"
    if args.command == "user":
        user = service.set_disabled(session, args.name, args.user_command == "disable")
        return f"user {user.username} {args.user_command}d"
    if args.command == "compounds":
        from fieldcheck.export.plan_list import read_plan_file

        summary = plan.import_rows(session, read_plan_file(args.file))
    else:
        summary = plan.seed_demo(session, args.year)
    chain.sign_checkpoint(session, load_or_create_signer(settings.key_dir, settings.ledger_origin))
    for refused in summary.refused:
        print(f"  refused {refused.id}: {refused.message}", file=sys.stderr)
    return (
        f"compounds: {summary.created} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged; {summary.scopes_added} sub-districts added"
    )


def _read_password(from_stdin: bool) -> str:
    """The new password, typed twice (or one line of stdin); the rules are checked when
    the account is made."""
    from sync_server.errors import ApiError

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise ApiError(400, "password_mismatch", "the passwords differ")
    return password


if __name__ == "__main__":
    sys.exit(main())
