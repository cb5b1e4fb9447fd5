"""``fieldcheck``: the laptop's command line. With no command it starts the desktop app.

Exit status: 0 done, 1 the input was refused (the message says why), 2 usage error or the
data directory cannot be used (for ``import-photos``: the disk filled up and the import
stopped; what was imported before stays; without a command: there is no display).
``sync``: 0 clean, 1 conflicts or rejected changes wait, 2 the server could not be reached
or refused the sign-in.

Every line for people is in the user's language (``--language`` or the locale: see
``cli_text``); ``--json`` output, codes and exit statuses are the same in every language.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldcheck import cli_archive, cli_sync, logs
from fieldcheck.cli_messages import (
    error_text,
    fail,
    plan_error_text,
    problem_text,
    refusal_text,
    stopped_text,
)
from fieldcheck.cli_text import (
    N_,
    _,
    choose_language,
    language,
    ngettext,
    use_language,
)
from fieldcheck.core import compounds as core_compounds
from fieldcheck.core.compounds import CompoundListRow
from fieldcheck.core.photo_import import ImportOutcome, ImportStatus, import_photos
from fieldcheck.display import display_missing
from fieldcheck.domain import demo
from fieldcheck.domain.errors import FieldcheckError, PlanImportError
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.domain.stages import Stage
from fieldcheck.export.plan_list import read_plan_file
from fieldcheck.languages import ENGLISH, LANGUAGES
from fieldcheck.launcher import version_line
from fieldcheck.paths import DATA_DIR_ENV, DataPaths, resolve_data_dir
from fieldcheck.store.database import Store

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("fieldcheck.cli")  # not __name__: "__main__" under ``python -m``


def build_parser() -> argparse.ArgumentParser:
    """The command line, its help in the language in use (call ``use_language`` first)."""
    parser = argparse.ArgumentParser(
        prog="fieldcheck",
        description=_(
            "Field inspections and before/after evidence for old-compound renovation. "
            "Without a command, the desktop app starts."
        ),
    )
    parser.add_argument(
        "--data-dir",
        help=_(
            "where the laptop's data lives (default: ${variable} or the platform's user data "
            "folder)"
        ).format(variable=DATA_DIR_ENV),
    )
    parser.add_argument(
        "--language", choices=LANGUAGES, help=_("language of the app and of the commands")
    )
    parser.add_argument(
        "--version", action="version", version=version_line(), help=_("print the version and quit")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo_cmd = commands.add_parser("demo", help=_("seed the demo district (27 compounds)"))
    demo_cmd.add_argument("--year", type=int, default=dt.date.today().year, help=_("plan year"))

    compounds = commands.add_parser("compounds", help=_("the compounds of the renovation plan"))
    compound_cmds = compounds.add_subparsers(dest="compound_command", metavar="ACTION")
    importer = compound_cmds.add_parser("import", help=_("load the plan list from CSV or XLSX"))
    importer.add_argument("file", type=Path)
    lister = compound_cmds.add_parser("list", help=_("print the compounds"))
    lister.add_argument("--json", action="store_true", help=_("one JSON array"))

    photos = commands.add_parser(
        "import-photos", help=_("import photo files and folders (recursively) as evidence")
    )
    photos.add_argument("--compound", required=True, help=_("compound id or code"))
    photos.add_argument("--category", default="", help=_("renovation category code (1..5)"))
    photos.add_argument("--item", default="", help=_("checklist item code"))
    photos.add_argument("--phase", required=True, choices=[p.value for p in Phase])
    photos.add_argument("--inspector", default=None, help=_("who took them (default: you)"))
    photos.add_argument("--json", action="store_true", help=_("one JSON object per file a line"))
    photos.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    cli_sync.add_parser(commands)
    cli_archive.add_parser(commands)
    return parser


def asked_language(argv: Sequence[str]) -> str | None:
    """The ``--language`` of ``argv``, read before the full parser (whose help it translates)
    exists; the full parser checks the value."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--language")
    known, _rest = early.parse_known_args(argv)
    language: str | None = known.language
    return language


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    use_language(choose_language(asked_language(argv)))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if display_missing():
            fail(
                _(
                    "no display to show the desktop app on (DISPLAY and WAYLAND_DISPLAY are "
                    "not set); start it in a desktop session, or run a command: fieldcheck --help"
                )
            )
            return EXIT_USAGE
        from fieldcheck.app import run_gui

        return run_gui(args.data_dir, args.language)
    if args.command == "verify-archive":  # needs no data directory
        return cli_archive.run(args)
    if args.command == "compounds" and args.compound_command is None:
        parser.parse_args([*argv, "--help"])
    paths = DataPaths(resolve_data_dir(args.data_dir))
    name = " ".join(filter(None, [args.command, getattr(args, "compound_command", None)]))
    logs.hold()
    logs.log_start(f"command {name}", paths.root, language())
    try:
        store = Store.open(paths)
    except FieldcheckError as exc:
        fail(error_text(exc))
        return EXIT_USAGE
    logs.write_to(paths)
    try:
        if args.command == "demo":
            return seed_demo(store, args.year)
        if args.command == "import-photos":
            return import_photo_files(store, args)
        if args.command == "sync":
            return cli_sync.run(store, args)
        if args.compound_command == "import":
            return import_compounds(store, args.file)
        return list_compounds(store, as_json=args.json)
    except Exception:
        log.exception("the command %s failed unexpectedly", name)
        raise
    finally:
        store.close()


def seed_demo(store: Store, year: int) -> int:
    compounds = demo.demo_compounds(year)
    with store.write() as session:
        created = core_compounds.seed_demo(session, year).value
    added = ngettext(
        "demo district {district}: {count} compound added, {existing} already there",
        "demo district {district}: {count} compounds added, {existing} already there",
        created,
    )
    print(
        added.format(
            district=demo.DEMO_DISTRICT.name, count=created, existing=len(compounds) - created
        )
    )
    return EXIT_OK


def import_compounds(store: Store, path: Path) -> int:
    try:
        rows = read_plan_file(path)
    except PlanImportError as exc:
        fail(plan_error_text(exc, path.name))
        for problem in exc.problems:
            if problem.row:
                print(f"  {problem_text(problem)}", file=sys.stderr)
        return EXIT_REFUSED
    with store.write() as session:
        created, updated = core_compounds.import_plan(session, rows).value
    flagged = [r.code for r in rows if r.built_after_2000]
    read = ngettext(
        "{file}: {count} compound read, {created} added, {updated} updated",
        "{file}: {count} compounds read, {created} added, {updated} updated",
        len(rows),
    )
    print(read.format(file=path.name, count=len(rows), created=created, updated=updated))
    if flagged:
        note = _("note: built after 2000, outside the old-compound definition: {codes}")
        print(note.format(codes=_(", ").join(flagged)))
    return EXIT_OK


def compound_json(row: CompoundListRow) -> dict[str, Any]:
    compound, deadline = row.compound, row.deadline
    return {
        "id": compound.id,
        "code": compound.code,
        "name": compound.name,
        "address": compound.address,
        "sub_district": row.sub_district or None,
        "year_built": compound.year_built,
        "built_after_2000": compound.built_after_2000,
        "floor_area_m2": compound.floor_area_m2,
        "buildings": compound.buildings,
        "households": compound.households,
        "management": compound.management.value,
        "plan_year": compound.plan_year,
        "stage": compound.stage.value,
        "next_deadline": (
            {"stage": deadline.stage.value, "due": deadline.planned_due.isoformat()}
            if deadline and deadline.planned_due
            else None
        ),
        "overdue": row.overdue,
    }


def list_compounds(store: Store, *, as_json: bool) -> int:
    with store.read() as session:
        listed = core_compounds.compound_rows(session, dt.date.today(), sync_marks=False)
    rows = [compound_json(row) for row in listed]
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    for r in rows:
        deadline = r["next_deadline"]
        due = f"{stage_name(deadline['stage'])} {deadline['due']}" if deadline else "-"
        flags = " " + _("OVERDUE") if r["overdue"] else ""
        flags += " " + _("BUILT>2000") if r["built_after_2000"] else ""
        sub = r["sub_district"] or ""
        stage = stage_name(r["stage"])
        print(f"{r['code']:<8} {r['name']:<12} {sub:<8} {stage:<26} {due}{flags}")
    print(ngettext("{count} compound", "{count} compounds", len(rows)).format(count=len(rows)))
    return EXIT_OK


def stage_name(code: str) -> str:
    """A stage as listed: its code in English (as scripts read it), its label otherwise."""
    return code if language() == ENGLISH else Stage(code).label.get(language())


#: How each outcome is listed (the status words of ``--json`` stay these codes).
STATUS_WORDS: dict[ImportStatus, str] = {
    ImportStatus.IMPORTED: N_("imported"),
    ImportStatus.DUPLICATE: N_("duplicate"),
    ImportStatus.REFUSED: N_("refused"),
}


def photo_json(outcome: ImportOutcome) -> dict[str, Any]:
    photo = outcome.photo
    return {
        "path": str(outcome.path),
        "status": outcome.status.value,
        "sha256": photo.sha256 if photo else None,
        "reason": outcome.reason or None,
        "code": outcome.code or None,
        "captured_at": photo.captured_at.isoformat() if photo and photo.captured_at else None,
        "gps": (
            {"lat": photo.location.lat, "lon": photo.location.lon}
            if photo and photo.location
            else None
        ),
        "orientation": photo.orientation if photo else None,
        "width": photo.width if photo else None,
        "height": photo.height if photo else None,
        "future_dated": photo.future_dated if photo else None,
        "photo_id": photo.id if photo else None,
    }


def import_photo_files(store: Store, args: argparse.Namespace) -> int:
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
    try:
        with store.read() as session:
            compound_id = core_compounds.resolve_compound(session, args.compound)
        target = PhotoTarget(
            compound_id=compound_id,
            phase=Phase(args.phase),
            category=args.category,
            item_code=args.item,
            inspector=getpass.getuser() if args.inspector is None else args.inspector,
        )
    except FieldcheckError as exc:
        fail(error_text(exc))
        return EXIT_USAGE

    def show(outcome: ImportOutcome) -> None:
        if args.json:
            print(json.dumps(photo_json(outcome), ensure_ascii=False), flush=True)
            return
        status = _(STATUS_WORDS[outcome.status])
        if outcome.status is ImportStatus.REFUSED:
            why = outcome.reason.removeprefix(f"{outcome.path.name}: ")
            print(f"{status:<10} {outcome.path}: {refusal_text(outcome.code, why)}", flush=True)
        else:
            future = outcome.photo is not None and outcome.photo.future_dated
            flag = " " + _("(dated in the future)") if future else ""
            print(f"{status:<10} {outcome.path}{flag}", flush=True)

    summary = import_photos(store, args.paths, target, on_outcome=show, keep_outcomes=False)
    print(
        _("{imported} imported, {duplicates} duplicates, {refused} refused").format(
            imported=summary.imported, duplicates=summary.duplicates, refused=summary.refused
        ),
        file=sys.stderr if args.json else sys.stdout,
    )
    if summary.stopped_code:
        stopped = stopped_text(summary.stopped_code, summary.stopped_reason)
        fail(
            _("the import stopped: {reason}; the photos imported before it stay saved").format(
                reason=stopped
            )
        )
        return EXIT_USAGE
    return EXIT_REFUSED if summary.refused else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
