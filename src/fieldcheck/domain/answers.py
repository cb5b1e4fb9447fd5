"""Validation of checklist answers against the item they answer.

An answer is a mapping of field key to value. A field left out or set to None is not yet
answered; anything else must fit the field's type and limits, or a ValidationError names the
field and the problem (``code`` tells which, ``params`` give the limits for the message).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from fieldcheck.domain.checklist import AnswerType, ChecklistItem, FieldSpec
from fieldcheck.domain.errors import ValidationError

PASS_FAIL_VALUES = ("pass", "fail", "na")
MAX_TEXT_LENGTH = 4000


def validate_answer(item: ChecklistItem, values: dict[str, Any]) -> dict[str, Any]:
    """Return the cleaned values of an answer to ``item``; raise ValidationError otherwise."""
    if not isinstance(values, dict):
        raise ValidationError("an answer must be a mapping of field to value", "answer_shape")
    unknown = sorted(set(values) - {f.key for f in item.fields})
    if unknown:
        raise ValidationError(
            f"item {item.code} has no field {unknown[0]!r}",
            "answer_unknown_field",
            {"item": item.code, "field": unknown[0]},
        )
    cleaned = {
        spec.key: validate_value(spec, values[spec.key], item.code)
        for spec in item.fields
        if values.get(spec.key) is not None
    }
    for spec in item.fields:
        bound = cleaned.get(spec.not_above)
        value = cleaned.get(spec.key)
        if spec.not_above and value is not None and bound is not None and value > bound:
            raise ValidationError(
                f"item {item.code}: {spec.key} ({value}) "
                f"cannot be above {spec.not_above} ({bound})",
                "answer_above_total",
                {"item": item.code, "field": spec.key, "value": value, "limit": bound},
            )
    return cleaned


def validate_value(spec: FieldSpec, value: Any, item_code: str = "") -> Any:
    """Check one value against its field; return it in canonical form."""
    params: dict[str, Any] = {"item": item_code, "field": spec.key, "value": value}

    def fail(code: str, problem: str, **extra: Any) -> ValidationError:
        where = f"item {item_code}, " if item_code else ""
        return ValidationError(f"{where}field {spec.key}: {problem}", code, {**params, **extra})

    kind = spec.type
    if kind is AnswerType.PASS_FAIL:
        if value not in PASS_FAIL_VALUES:
            raise fail("answer_pass_fail", "must be pass, fail or not applicable")
        return value
    if kind is AnswerType.COUNT:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise fail("answer_not_whole", "must be a whole number")
        _check_range(spec, value, fail)
        return value
    if kind is AnswerType.MEASUREMENT:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise fail("answer_not_number", "must be a number")
        _check_range(spec, float(value), fail)
        return float(value)
    if kind is AnswerType.CHOICE:
        if not isinstance(value, str) or spec.option(value) is None:
            raise fail("answer_unknown_option", f"{value!r} is not one of the options")
        return value
    if kind is AnswerType.DATE:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError) as exc:
            raise fail("answer_not_date", "must be a date YYYY-MM-DD") from exc
    if not isinstance(value, str):
        raise fail("answer_not_text", "must be text")
    if len(value) > MAX_TEXT_LENGTH:
        raise fail("answer_too_long", f"is longer than {MAX_TEXT_LENGTH} characters")
    return value


def _check_range(spec: FieldSpec, value: float, fail: Any) -> None:
    if spec.minimum is not None and value < spec.minimum:
        raise fail("answer_below_min", f"{value} is below {spec.minimum}", limit=spec.minimum)
    if spec.maximum is not None and value > spec.maximum:
        raise fail("answer_above_max", f"{value} is above {spec.maximum}", limit=spec.maximum)


def is_failed(item: ChecklistItem, values: dict[str, Any]) -> bool:
    """True when any pass/fail field of the answer says fail."""
    return any(
        values.get(spec.key) == "fail" for spec in item.fields if spec.type is AnswerType.PASS_FAIL
    )


def is_complete(item: ChecklistItem, values: dict[str, Any]) -> bool:
    """True when every field of the item has a value."""
    return all(values.get(spec.key) is not None for spec in item.fields)


def has_value(values: dict[str, Any]) -> bool:
    """True when at least one field of an answer has a value."""
    return any(value is not None for value in values.values())


def is_answered(item: ChecklistItem, entries: list[dict[str, Any]]) -> bool:
    """Whether ``item`` counts as answered, given the values of its live entries: a repeating
    item once any entry has a value, any other item once its answer is complete."""
    if item.repeating:
        return any(has_value(values) for values in entries)
    return any(is_complete(item, values) for values in entries)
