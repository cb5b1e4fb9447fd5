"""Per-category sums of an inspection for the tables and reports: items asked, answered,
failed, and the score (points of the items passed over the points of the items that apply;
an item answered "not applicable" counts for neither)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldcheck.domain.answers import is_answered, is_failed
from fieldcheck.domain.categories import Category
from fieldcheck.domain.checklist import AnswerType, ChecklistItem
from fieldcheck.export.model import InspectionBundle


@dataclass(frozen=True)
class ItemResult:
    item: ChecklistItem
    entries: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    answered: bool
    failed: bool
    not_applicable: bool

    @property
    def earned(self) -> int:
        if self.item.points is None or self.not_applicable or not self.answered:
            return 0
        return 0 if self.failed else self.item.points

    @property
    def possible(self) -> int:
        return 0 if self.item.points is None or self.not_applicable else self.item.points


@dataclass(frozen=True)
class CategorySummary:
    category: Category
    items: int
    answered: int
    failed: int
    earned: int
    possible: int


def item_results(bundle: InspectionBundle) -> list[ItemResult]:
    by_item: dict[str, list[Any]] = {}
    for answer in sorted(bundle.answers, key=lambda a: (a.item_code, a.entry)):
        by_item.setdefault(answer.item_code, []).append(answer)
    results = []
    for item in bundle.inspection.items(bundle.template):
        answers = by_item.get(item.code, [])
        values = [dict(a.values) for a in answers]
        pass_fail = [f.key for f in item.fields if f.type is AnswerType.PASS_FAIL]
        not_applicable = (
            bool(values)
            and bool(pass_fail)
            and all(v.get(key) == "na" for v in values for key in pass_fail)
        )
        results.append(
            ItemResult(
                item=item,
                entries=tuple(values),
                notes=tuple(a.note for a in answers if a.note),
                answered=is_answered(item, values),
                failed=any(is_failed(item, v) for v in values),
                not_applicable=not_applicable,
            )
        )
    return results


def category_summaries(results: list[ItemResult]) -> list[CategorySummary]:
    out = []
    for category in Category:
        mine = [r for r in results if r.item.category is category]
        if not mine:
            continue
        out.append(
            CategorySummary(
                category=category,
                items=len(mine),
                answered=sum(r.answered for r in mine),
                failed=sum(r.failed for r in mine),
                earned=sum(r.earned for r in mine),
                possible=sum(r.possible for r in mine),
            )
        )
    return out
