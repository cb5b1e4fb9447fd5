"""Checklist templates: items, their answer fields, photo rules and the stages they apply in.

A template is versioned data (see ``resources/templates/``); ``parse_template`` turns the
decoded file into frozen dataclasses and names every problem it finds. An inspection pins the
template id and version it was started with, so a newer version never changes old inspections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fieldcheck.domain.categories import Category
from fieldcheck.domain.errors import TemplateError
from fieldcheck.domain.text import BilingualText

TEMPLATE_FORMAT = 1

_TEMPLATE_KEYS = {"format", "template_id", "version", "released", "title", "header_fields",
                  "categories", "notes"}  # fmt: skip
_CATEGORY_KEYS = {"code", "name", "items"}
_ITEM_KEYS = {"code", "label", "fields", "photo_rule", "stages", "points", "repeating", "basis"}
_FIELD_KEYS = {"key", "type", "label", "unit", "min", "max", "not_above", "options"}
MAX_POINTS = 100


class AnswerType(StrEnum):
    """How one field of a checklist item is answered."""

    PASS_FAIL = "pass_fail"
    COUNT = "count"
    MEASUREMENT = "measurement"
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"
    DOCUMENT = "document"


class PhotoRule(StrEnum):
    """When an item needs photo evidence."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    ON_FAIL = "on_fail"


class ItemStage(StrEnum):
    """The inspection stages in which a checklist item applies (S, C, K in RENOVATION.md B.6)."""

    SURVEY = "survey"
    CONSTRUCTION = "construction"
    ACCEPTANCE = "acceptance"


@dataclass(frozen=True)
class ChoiceOption:
    value: str
    label: BilingualText


@dataclass(frozen=True)
class FieldSpec:
    """One answer field of an item: a key, a type and the limits its value must respect."""

    key: str
    type: AnswerType
    label: BilingualText
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    not_above: str = ""
    options: tuple[ChoiceOption, ...] = ()

    def option(self, value: str) -> ChoiceOption | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a checklist: what to check, how to answer it, what photos it needs."""

    code: str
    category: Category
    label: BilingualText
    fields: tuple[FieldSpec, ...]
    photo_rule: frozenset[PhotoRule]
    stages: frozenset[ItemStage]
    points: int | None = None
    repeating: bool = False
    basis: str = ""

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class ChecklistTemplate:
    """A versioned checklist template: header fields and the items of all five categories."""

    template_id: str
    version: int
    released: dt.date
    title: BilingualText
    header_fields: tuple[FieldSpec, ...]
    items: tuple[ChecklistItem, ...]
    _by_code: dict[str, ChecklistItem] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code.update({item.code: item for item in self.items})

    @property
    def key(self) -> tuple[str, int]:
        return (self.template_id, self.version)

    def item(self, code: str) -> ChecklistItem | None:
        return self._by_code.get(code)

    def items_in(self, category: Category) -> list[ChecklistItem]:
        return [item for item in self.items if item.category is category]

    def __iter__(self) -> Iterator[ChecklistItem]:
        return iter(self.items)


def parse_template(data: Any, source: str = "template") -> ChecklistTemplate:
    """Build a template from decoded JSON; raise TemplateError naming the first problem."""
    return _TemplateParser(source).template(data)


class _TemplateParser:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, problem: str) -> TemplateError:
        return TemplateError(
            f"{self.source}: {where}: {problem}",
            "template_invalid",
            {"source": self.source, "where": where, "problem": problem},
        )

    def only(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r}")

    def text(self, data: Any, where: str) -> BilingualText:
        try:
            return BilingualText.from_dict(data, where)
        except TemplateError as exc:
            raise self.fail(where, "both 'zh' and 'en' must be non-empty strings") from exc

    def need(self, data: dict[str, Any], key: str, kind: type, where: str) -> Any:
        value = data.get(key)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.fail(where, f"'{key}' must be a {kind.__name__}")
        return value

    def template(self, data: Any) -> ChecklistTemplate:
        if not isinstance(data, dict):
            raise self.fail("top level", "expected a JSON object")
        self.only(data, _TEMPLATE_KEYS, "top level")
        fmt = data.get("format")
        if fmt != TEMPLATE_FORMAT:
            raise self.fail("format", f"unsupported template format {fmt!r}")
        template_id = self.need(data, "template_id", str, "template_id")
        version = self.need(data, "version", int, "version")
        if version < 1:
            raise self.fail("version", "must be 1 or more")
        try:
            released = dt.date.fromisoformat(self.need(data, "released", str, "released"))
        except ValueError as exc:
            raise self.fail("released", "must be a date YYYY-MM-DD") from exc
        title = self.text(data.get("title"), "title")
        header = tuple(
            self.field_spec(f, f"header field {i + 1}")
            for i, f in enumerate(self.need(data, "header_fields", list, "header_fields"))
        )
        self.check_fields(header, "header_fields")
        items: list[ChecklistItem] = []
        seen: set[str] = set()
        for c, cat in enumerate(self.need(data, "categories", list, "categories")):
            items.extend(self.category(cat, f"category {c + 1}", seen))
        covered = {item.category for item in items}
        missing = [c.value for c in Category if c not in covered]
        if missing:
            raise self.fail("categories", f"no items for categories {', '.join(missing)}")
        return ChecklistTemplate(template_id, version, released, title, header, tuple(items))

    def category(self, data: Any, where: str, seen: set[str]) -> list[ChecklistItem]:
        if not isinstance(data, dict):
            raise self.fail(where, "expected an object")
        self.only(data, _CATEGORY_KEYS, where)
        code = self.need(data, "code", str, where)
        try:
            category = Category(code)
        except ValueError as exc:
            raise self.fail(where, f"unknown category code {code!r}") from exc
        items = []
        for i, raw in enumerate(self.need(data, "items", list, where)):
            item = self.item(raw, category, f"{where}, item {i + 1}")
            if item.code in seen:
                raise self.fail(f"item {item.code}", "item code used twice")
            seen.add(item.code)
            items.append(item)
        return items

    def item(self, data: Any, category: Category, where: str) -> ChecklistItem:
        if not isinstance(data, dict):
            raise self.fail(where, "expected an object")
        code = self.need(data, "code", str, where)
        where = f"item {code}"
        self.only(data, _ITEM_KEYS, where)
        if not code.startswith(f"{category.value}."):
            raise self.fail(where, f"code must start with '{category.value}.'")
        fields = tuple(
            self.field_spec(f, f"{where}, field {i + 1}")
            for i, f in enumerate(self.need(data, "fields", list, where))
        )
        if not fields:
            raise self.fail(where, "an item needs at least one field")
        self.check_fields(fields, where)
        try:
            photo_rule = frozenset(PhotoRule(p) for p in data.get("photo_rule", []))
            stages = frozenset(ItemStage(s) for s in self.need(data, "stages", list, where))
        except ValueError as exc:
            raise self.fail(where, str(exc)) from exc
        if not stages:
            raise self.fail(where, "an item must apply in at least one stage")
        points = data.get("points")
        if points is not None and (
            not isinstance(points, int) or isinstance(points, bool) or not 0 < points <= MAX_POINTS
        ):
            raise self.fail(where, f"'points' must be a whole number from 1 to {MAX_POINTS}")
        repeating = data.get("repeating", False)
        if not isinstance(repeating, bool):
            raise self.fail(where, "'repeating' must be true or false")
        return ChecklistItem(
            code=code,
            category=category,
            label=self.text(data.get("label"), where),
            fields=fields,
            photo_rule=photo_rule,
            stages=stages,
            points=points,
            repeating=repeating,
            basis=str(data.get("basis", "")),
        )

    def field_spec(self, data: Any, where: str) -> FieldSpec:
        if not isinstance(data, dict):
            raise self.fail(where, "expected an object")
        key = self.need(data, "key", str, where)
        where = f"{where} ({key})"
        self.only(data, _FIELD_KEYS, where)
        try:
            kind = AnswerType(data.get("type", ""))
        except ValueError as exc:
            raise self.fail(where, f"unknown answer type {data.get('type')!r}") from exc
        low, high = data.get("min"), data.get("max")
        for limit in (low, high):
            if limit is not None and (
                not isinstance(limit, int | float) or isinstance(limit, bool)
            ):
                raise self.fail(where, "'min' and 'max' must be numbers")
        if low is not None and high is not None and low > high:
            raise self.fail(where, "'min' is above 'max'")
        if kind is not AnswerType.CHOICE and "options" in data:
            raise self.fail(where, "only a choice has options")
        options: tuple[ChoiceOption, ...] = ()
        if kind is AnswerType.CHOICE:
            raw_options = self.need(data, "options", list, where)
            options = tuple(
                ChoiceOption(self.need(o, "value", str, where), self.text(o.get("label"), where))
                for o in raw_options
                if isinstance(o, dict)
            )
            if len(options) != len(raw_options) or len(options) < 2:
                raise self.fail(where, "a choice needs at least two options with value and label")
            if len({o.value for o in options}) != len(options):
                raise self.fail(where, "option values must be unique")
        if kind is AnswerType.MEASUREMENT and not data.get("unit"):
            raise self.fail(where, "a measurement needs a unit")
        return FieldSpec(
            key=key,
            type=kind,
            label=self.text(data.get("label"), where),
            unit=str(data.get("unit", "")),
            minimum=low,
            maximum=high,
            not_above=str(data.get("not_above", "")),
            options=options,
        )

    def check_fields(self, fields: tuple[FieldSpec, ...], where: str) -> None:
        keys = [f.key for f in fields]
        if len(set(keys)) != len(keys):
            raise self.fail(where, "field keys must be unique")
        for f in fields:
            if f.not_above and f.not_above not in keys:
                raise self.fail(where, f"field {f.key!r} refers to unknown field {f.not_above!r}")
