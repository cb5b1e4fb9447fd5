"""Translated messages for typed errors: chosen by the error's ``code``, filled from its
``params`` (never parsed from the English message text)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.stages import Stage
from fieldcheck.ui.formatting import format_number
from fieldcheck.ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "ErrorMessages"

_GONE = QT_TRANSLATE_NOOP("ErrorMessages", "This record no longer exists.")
_NOT_IN_INSPECTION = QT_TRANSLATE_NOOP("ErrorMessages", "This item is not part of the inspection.")

MESSAGES: dict[str, str] = {
    "answer_pass_fail": QT_TRANSLATE_NOOP("ErrorMessages", "Choose pass, fail or not applicable."),
    "answer_not_whole": QT_TRANSLATE_NOOP("ErrorMessages", "Enter a whole number."),
    "answer_not_number": QT_TRANSLATE_NOOP("ErrorMessages", "Enter a number."),
    "answer_below_min": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{value} is below the minimum of {limit}."
    ),
    "answer_above_max": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{value} is above the maximum of {limit}."
    ),
    "answer_above_total": QT_TRANSLATE_NOOP(
        "ErrorMessages", "{value} cannot be more than the total ({limit})."
    ),
    "answer_unknown_option": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Choose one of the listed options."
    ),
    "answer_not_date": QT_TRANSLATE_NOOP("ErrorMessages", "Enter a date."),
    "answer_not_text": QT_TRANSLATE_NOOP("ErrorMessages", "Enter text."),
    "answer_too_long": QT_TRANSLATE_NOOP("ErrorMessages", "The text is too long."),
    "answer_unknown_item": _NOT_IN_INSPECTION,
    "answer_unknown_field": _NOT_IN_INSPECTION,
    "answer_shape": _NOT_IN_INSPECTION,
    "answer_retracted": QT_TRANSLATE_NOOP(
        "ErrorMessages", "This entry was removed and can no longer be changed."
    ),
    "retraction_reason": QT_TRANSLATE_NOOP("ErrorMessages", "Enter the reason for the removal."),
    "retraction_twice": QT_TRANSLATE_NOOP("ErrorMessages", "This entry was already removed."),
    "retraction_target_missing": _GONE,
    "inspector_empty": QT_TRANSLATE_NOOP("ErrorMessages", "Enter the inspector's name."),
    "inspection_submitted": QT_TRANSLATE_NOOP(
        "ErrorMessages", "This inspection is submitted and can no longer be changed."
    ),
    "inspection_frozen": QT_TRANSLATE_NOOP(
        "ErrorMessages", "This inspection is accepted and can no longer be changed."
    ),
    "structure_location": QT_TRANSLATE_NOOP("ErrorMessages", "Enter where the structure is."),
    "structure_area": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The area must be above 0 m² and at most {limit} m²."
    ),
    "stage_not_allowed": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The compound cannot move from “{current}” to “{target}”."
    ),
    "stage_reason_required": QT_TRANSLATE_NOOP(
        "ErrorMessages", "Moving back to an earlier stage needs a reason."
    ),
    "stage_removal_pending": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "{count} illegal structures are not removed yet: the removal stage cannot be skipped.",
    ),
    "compound_missing": _GONE,
    "inspection_missing": _GONE,
    "structure_missing": _GONE,
    "store_unreadable": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The database {path} cannot be opened: {reason}."
    ),
    "store_newer": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "The database {path} was written by a newer version of fieldcheck. "
        "Install the newer version to open it.",
    ),
    "store_migration_failed": QT_TRANSLATE_NOOP(
        "ErrorMessages",
        "Upgrading the database {path} failed: {reason}. The data as it was is kept in {backup}.",
    ),
    "template_invalid": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The checklist template {source} is invalid ({where}: {problem})."
    ),
    "template_unreadable": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The checklist template {source} cannot be read."
    ),
    "template_missing": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The checklist template {template_id} version {version} is not installed."
    ),
    "template_duplicate": QT_TRANSLATE_NOOP(
        "ErrorMessages", "The checklist template {source} is installed twice."
    ),
}

_FALLBACK = QT_TRANSLATE_NOOP("ErrorMessages", "Something went wrong: {message}")


def error_text(error: FieldcheckError, language: str) -> str:
    """The message for ``error`` in the installed UI language."""
    template = MESSAGES.get(error.code, _FALLBACK)
    params = {"message": error.message, **_readable(error.params, language)}
    text = QCoreApplication.translate(CONTEXT, template)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return QCoreApplication.translate(CONTEXT, _FALLBACK).format(message=error.message)


def _readable(params: dict[str, Any], language: str) -> dict[str, Any]:
    """Numbers without trailing zeros, stage codes as stage labels."""
    stages = {stage.value for stage in Stage}
    readable: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = format_number(value)
        elif key in ("current", "target") and value in stages:
            value = Stage(value).label.get(language)
        readable[key] = value
    return readable
