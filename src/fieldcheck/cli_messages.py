"""The command line's messages for typed errors: chosen by the error's ``code`` (or a sync
error's ``kind``), filled from its ``params``, never parsed from the English message.

In English the core's own message is printed, as it always was: it names the details (the
value, the file, the OS's reason). In another language the message comes from the tables
below, translated through the gettext catalog; a code missing from them falls back to
"Something went wrong" with the English message. The tables cover the codes the command line
can meet; the desktop app keeps its own (Qt) tables in ``ui/``, with the same Chinese wording
(docs/decisions/0046-cli-language.md).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from fieldcheck.cli_text import N_, _, language
from fieldcheck.domain.errors import FieldcheckError, PlanImportError, RowProblem
from fieldcheck.export.plan_list import COLUMNS
from fieldcheck.languages import ENGLISH
from fieldcheck.sync.errors import SyncError, SyncErrorKind

FALLBACK = N_("Something went wrong: {message}")

#: FieldcheckError codes: opening the data folder, naming a compound, checklist templates.
ERRORS: dict[str, str] = {
    "store_unreadable": N_("The database {path} cannot be opened: {reason}."),
    "store_newer": N_(
        "The database {path} was written by a newer version of fieldcheck. "
        "Install the newer version to open it."
    ),
    "store_migration_failed": N_(
        "Upgrading the database {path} failed: {reason}. The data as it was is kept in {backup}."
    ),
    "compound_missing": N_("There is no compound with the id or code {id}."),
    "template_invalid": N_("The checklist template {source} is invalid ({where}: {problem})."),
    "template_unreadable": N_("The checklist template {source} cannot be read."),
    "template_missing": N_(
        "The checklist template {template_id} version {version} is not installed."
    ),
    "template_duplicate": N_("The checklist template {source} is installed twice."),
}

#: Plan list problems (``RowProblem.code``): the whole file, or one cell of a row.
PLAN_PROBLEMS: dict[str, str] = {
    "plan_too_large": N_("the file is larger than {limit_mb} MB"),
    "plan_unreadable": N_("the file cannot be read ({detail})"),
    "plan_not_xlsx": N_("the file is named .xlsx but is not an Excel workbook"),
    "plan_bad_xlsx": N_("the file is not a readable Excel workbook ({detail})"),
    "plan_not_text": N_("the file is not a text (CSV) file"),
    "plan_encoding": N_("the file is neither UTF-8 nor GB18030 text"),
    "plan_empty": N_("the file is empty"),
    "plan_no_rows": N_("the file has a heading but no compounds"),
    "plan_columns": N_("missing column(s): {missing}"),
    "plan_cell_empty": N_("the cell is empty"),
    "plan_not_number": N_("“{value}” is not a number"),
    "plan_not_whole": N_("“{value}” is not a whole number"),
    "plan_not_choice": N_("“{value}” is not one of: {choices}"),
    "plan_duplicate_code": N_("the code {value} is already used on row {first_row}"),
}

#: ``compound_invalid`` (a fact of a compound that cannot be right), by the fact.
COMPOUND_FACTS: dict[str, str] = {
    "code": N_("the compound code is empty"),
    "name": N_("the compound name is empty"),
    "year_built": N_("year built {value} is not plausible (1900 to 2100)"),
    "floor_area_m2": N_("the floor area must be above 0 m²"),
    "buildings": N_("a compound has at least one building"),
    "households": N_("the number of households cannot be negative"),
    "plan_year": N_("plan year {value} is not plausible (2000 to 2100)"),
}

#: Photo refusals (``ImportOutcome.code``) and why an import stopped.
REFUSALS: dict[str, str] = {
    "photo_missing": N_("The file disappeared before it was read."),
    "photo_unreadable": N_("The file cannot be read."),
    "photo_not_a_file": N_("Not a regular file."),
    "photo_empty": N_("The file is empty."),
    "photo_too_large": N_("The file is too large."),
    "photo_unsupported": N_(
        "This image format is not accepted as evidence (use JPEG, PNG, HEIC, TIFF)."
    ),
    "photo_not_image": N_("Not a photo."),
    "photo_damaged": N_("The photo is damaged or unreadable."),
    "photo_bomb": N_("Too many pixels (a decompression bomb or not a photo)."),
    "disk_full": N_("The disk is full: not imported."),
    "not_imported": N_("Not imported: the import stopped."),
    "import_failed": N_("Importing this file failed: {reason}"),
}
STOPPED: dict[str, str] = {
    "disk_full": N_("the disk holding the data directory is full"),
}

#: Failed syncs and sign-ins: by the server's code for sign-ins, else by the kind.
SYNC_KINDS: dict[SyncErrorKind, str] = {
    SyncErrorKind.UNREACHABLE: N_(
        "The server {server} cannot be reached. Check the address and the network."
    ),
    SyncErrorKind.NOT_JSON: N_(
        "The answer was a web page, not the fieldcheck server: the Wi-Fi may want you to log "
        "in through a browser first."
    ),
    SyncErrorKind.PROTOCOL: N_(
        "The server's answer could not be understood. Is {server} a fieldcheck server?"
    ),
    SyncErrorKind.SERVER: N_("The server had a problem. Nothing was lost; try again later."),
    SyncErrorKind.AUTH: N_("The server refused the sign-in."),
    SyncErrorKind.REFUSED: N_("The server refused the request ({code})."),
    SyncErrorKind.CANCELLED: N_("The sync was cancelled."),
    SyncErrorKind.HISTORY: N_(
        "The server's history changed (restored from an older backup?). Syncing is stopped "
        "until you look at it in the app under Needs attention."
    ),
}
SIGN_IN_CODES: dict[str, str] = {
    "bad_credentials": N_("Wrong user name or password."),
    "empty": N_("Enter the user name and the password."),
    "user_disabled": N_("This account is disabled. Contact the bureau."),
    "device_revoked": N_(
        "This laptop was revoked by the bureau. Nothing on it was deleted; contact the bureau."
    ),
    "token_expired": N_("The sign-in expired."),
    "invalid_token": N_("The sign-in is no longer valid."),
    "device_mismatch": N_("The sign-in belongs to another laptop."),
}


def fail(message: str) -> None:
    """A refusal or failure on stderr, after the program's name."""
    print(f"fieldcheck: {message}", file=sys.stderr)


def _english() -> bool:
    return language() == ENGLISH


def _fill(template: str, params: Mapping[str, Any], message: str) -> str:
    """``template`` translated and filled; the fallback when a parameter is missing."""
    try:
        return _(template).format(**{"message": message, **params})
    except (KeyError, IndexError, ValueError):
        return _(FALLBACK).format(message=message)


def error_text(error: FieldcheckError) -> str:
    """The message for a typed error in the language in use."""
    if _english():
        return error.message
    return _fill(ERRORS.get(error.code, FALLBACK), error.params, error.message)


def column_name(key: str) -> str:
    """A plan list column as the user knows it: its key in English, its heading in Chinese."""
    if _english() or key not in COLUMNS:
        return key
    return next((heading for heading in COLUMNS[key] if not heading.isascii()), key)


def problem_reason(problem: RowProblem) -> str:
    """Why a row (or the whole file) cannot be imported."""
    if _english():
        return problem.reason
    if problem.code == "compound_invalid":
        template = COMPOUND_FACTS.get(problem.params.get("field", ""), FALLBACK)
    else:
        template = PLAN_PROBLEMS.get(problem.code, FALLBACK)
    params = dict(problem.params)
    if "missing" in params:
        params["missing"] = _(", ").join(column_name(key) for key in params["missing"])
    return _fill(template, params, problem.reason)


def problem_text(problem: RowProblem) -> str:
    """``row 4, column 'year_built': …`` with the row number as the spreadsheet shows it."""
    if _english():
        return str(problem)
    reason = problem_reason(problem)
    if problem.column:
        return _("row {row}, column “{column}”: {reason}").format(
            row=problem.row, column=column_name(problem.column), reason=reason
        )
    return _("row {row}: {reason}").format(row=problem.row, reason=reason)


def plan_error_text(error: PlanImportError, source: str) -> str:
    """The headline of a refused plan list: what is wrong with the file, or how many rows."""
    if _english():
        return error.message
    if error.code == "plan_invalid":
        return _("{source}: {count} row(s) cannot be imported; nothing was imported").format(
            source=source, count=len(error.problems)
        )
    reason = problem_reason(error.problems[0]) if error.problems else error.message
    return because(source, reason)


def because(subject: str, reason: str) -> str:
    """``subject: reason``, with the colon of the language in use."""
    return _("{subject}: {reason}").format(subject=subject, reason=reason)


def refusal_text(code: str, reason: str) -> str:
    """Why a photo was refused (``reason`` is the importer's English text)."""
    if _english():
        return reason
    return _fill(REFUSALS.get(code, FALLBACK), {"reason": reason}, reason)


def stopped_text(code: str, reason: str) -> str:
    """Why a photo import stopped."""
    if _english():
        return reason
    return _fill(STOPPED.get(code, FALLBACK), {}, reason)


def sync_error_text(error: SyncError, server: str) -> str:
    """What a failed sync or sign-in means."""
    if _english():
        return error.message
    if error.kind is SyncErrorKind.AUTH and error.code in SIGN_IN_CODES:
        template = SIGN_IN_CODES[error.code]
    else:
        template = SYNC_KINDS.get(error.kind, FALLBACK)
    params = {"server": server, "code": error.code or error.status or ""}
    return _fill(template, params, error.message)
