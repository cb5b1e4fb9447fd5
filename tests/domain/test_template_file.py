"""The shipped checklist template (renovation-checklist v1) against RENOVATION.md B.6."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fieldcheck.domain.categories import Category
from fieldcheck.domain.checklist import (
    AnswerType,
    ChecklistTemplate,
    FieldSpec,
    ItemStage,
    PhotoRule,
    parse_template,
)
from fieldcheck.domain.text import BilingualText

TEMPLATE_PATH = (
    Path(__file__).parents[2] / "src/fieldcheck/resources/templates/renovation-checklist-v1.json"
)

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

S, C, K = ItemStage.SURVEY, ItemStage.CONSTRUCTION, ItemStage.ACCEPTANCE
BA = {PhotoRule.BEFORE, PhotoRule.AFTER}
B = {PhotoRule.BEFORE}
A = {PhotoRule.AFTER}
FA = {PhotoRule.ON_FAIL, PhotoRule.AFTER}
DURING = {PhotoRule.DURING}
NONE: set[PhotoRule] = set()

# code: (photo rule, stages), transcribed from the five tables of RENOVATION.md B.6.
B6: dict[str, tuple[set[PhotoRule], set[ItemStage]]] = {
    "1.1": (BA, {S, K}),
    "1.2": (BA, {S, K}),
    "1.3": (A, {S, K}),
    "1.4": (A, {K}),
    "1.5": (BA, {S, K}),
    "1.6": (FA, {S, K}),
    "1.7": (BA, {S, K}),
    "1.8": (BA, {S, K}),
    "1.9": (BA, {S, K}),
    "1.10": (FA, {S, K}),
    "1.11": (BA, {S, K}),
    "1.12": (BA, {S, K}),
    "2.1": (B, {S}),
    "2.2": (A, {C, K}),
    "2.3": (A, {K}),
    "2.4": (BA, {S, K}),
    "2.5": (BA, {S, K}),
    "2.6": (A, {K}),
    "2.7": (A, {K}),
    "2.8": (A, {K}),
    "2.9": (BA, {S, K}),
    "2.10": (BA, {S, K}),
    "3.1": (BA, {S, K}),
    "3.2": (BA, {S, K}),
    "3.3": (BA, {S, K}),
    "3.4": (BA, {S, K}),
    "3.5": (BA, {S, K}),
    "3.6": (BA, {S, K}),
    "3.7": (BA, {S, C, K}),
    "3.8": (BA, {S, K}),
    "3.9": (BA, {S, K}),
    "3.10": (BA, {S, K}),
    "3.11": (A, {C, K}),
    "4.1": (BA, {S, K}),
    "4.2": (A, {C, K}),
    "4.3": (BA, {K}),
    "4.4": (A, {K}),
    "4.5": (BA, {S, K}),
    "4.6": (BA, {S, K}),
    "4.7": (DURING, {C}),
    "4.8": (A, {K}),
    "4.9": (BA, {S, K}),
    "4.10": (NONE, {S, K}),
    "5.1": (BA, {S, K}),
    "5.2": (BA, {S, K}),
    "5.3": (BA, {S, K}),
    "5.4": (A, {K}),
    "5.5": (BA, {S, K}),
    "5.6": (BA, {S}),
    "5.7": (NONE, {S, C}),
    "5.8": (A, {K}),
    "5.9": (NONE, {K}),
}

REPEATING = {"2.1", "3.7", "4.1"}


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def template(raw: dict) -> ChecklistTemplate:
    return parse_template(raw, str(TEMPLATE_PATH.name))


def all_fields(template: ChecklistTemplate) -> list[tuple[str, FieldSpec]]:
    fields = [("header", f) for f in template.header_fields]
    fields += [(item.code, f) for item in template for f in item.fields]
    return fields


def test_identity(template: ChecklistTemplate) -> None:
    assert template.key == ("renovation-checklist", 1)
    assert template.released.isoformat() == "2026-01-15"


def test_every_b6_item_present_once_in_its_category(raw: dict, template: ChecklistTemplate) -> None:
    raw_codes = [item["code"] for cat in raw["categories"] for item in cat["items"]]
    assert len(raw_codes) == 52
    assert sorted(raw_codes) == sorted(B6)
    assert [item.code for item in template] == raw_codes
    for item in template:
        assert item.category is Category(item.code.split(".")[0]), item.code
    for category in Category:
        expected = [code for code in B6 if code.split(".")[0] == category.value]
        assert [item.code for item in template.items_in(category)] == expected


def _check_text(text: BilingualText, where: str) -> None:
    assert text.zh.strip(), where
    assert text.en.strip(), where
    assert CJK.search(text.zh), f"{where}: zh label has no Chinese characters: {text.zh!r}"
    assert not CJK.search(text.en), f"{where}: en label contains Chinese: {text.en!r}"


def test_all_labels_and_options_are_bilingual(template: ChecklistTemplate) -> None:
    _check_text(template.title, "title")
    for item in template:
        _check_text(item.label, f"item {item.code}")
    for where, spec in all_fields(template):
        _check_text(spec.label, f"{where}/{spec.key}")
        for option in spec.options:
            _check_text(option.label, f"{where}/{spec.key}/{option.value}")


def test_keys_and_option_values_are_ascii_snake_case(template: ChecklistTemplate) -> None:
    snake = re.compile(r"^[a-z][a-z0-9_]*$")
    for where, spec in all_fields(template):
        assert snake.match(spec.key), f"{where}: {spec.key!r}"
        for option in spec.options:
            assert snake.match(option.value), f"{where}/{spec.key}: {option.value!r}"


def test_every_measurement_has_a_unit_and_sane_limits(template: ChecklistTemplate) -> None:
    measurements = [(w, f) for w, f in all_fields(template) if f.type is AnswerType.MEASUREMENT]
    assert measurements
    for where, spec in measurements:
        assert spec.unit, f"{where}/{spec.key}"
        assert spec.minimum is not None, f"{where}/{spec.key}"
        assert spec.maximum is not None, f"{where}/{spec.key}"
        assert spec.minimum < spec.maximum, f"{where}/{spec.key}"


def test_counts_are_never_negative(template: ChecklistTemplate) -> None:
    for where, spec in all_fields(template):
        if spec.type is AnswerType.COUNT:
            assert spec.minimum is not None, f"{where}/{spec.key}"
            assert spec.minimum >= 0, f"{where}/{spec.key}"


def test_every_item_applies_in_a_stage_as_in_b6(template: ChecklistTemplate) -> None:
    for item in template:
        assert item.stages, item.code
        assert item.stages == B6[item.code][1], item.code


def test_photo_rules_follow_b6(template: ChecklistTemplate) -> None:
    for item in template:
        assert item.photo_rule == B6[item.code][0], item.code


def test_before_and_after_items_require_both_photos(template: ChecklistTemplate) -> None:
    ba_codes = [code for code, (photo, _) in B6.items() if photo == BA]
    assert len(ba_codes) == 32
    for code in ba_codes:
        item = template.item(code)
        assert item is not None
        assert {PhotoRule.BEFORE, PhotoRule.AFTER} <= item.photo_rule, code


def test_hidden_works_need_a_during_photo(template: ChecklistTemplate) -> None:
    item = template.item("4.7")
    assert item is not None
    assert PhotoRule.DURING in item.photo_rule
    assert item.stages == {ItemStage.CONSTRUCTION}
    depth = next(f for f in item.fields if f.type is AnswerType.MEASUREMENT)
    assert depth.unit == "cm"


def test_repeating_items(template: ChecklistTemplate) -> None:
    assert {item.code for item in template if item.repeating} == REPEATING


def test_points_on_exactly_the_pass_fail_items(template: ChecklistTemplate) -> None:
    for item in template:
        has_pf = any(f.type is AnswerType.PASS_FAIL for f in item.fields)
        assert item.points == (5 if has_pf else None), item.code


def test_working_never_above_total(template: ChecklistTemplate) -> None:
    for code in ("1.5", "1.12", "5.2"):
        item = template.item(code)
        assert item is not None
        linked = [f for f in item.fields if f.not_above]
        assert len(linked) == 1, code
        total = item.field(linked[0].not_above)
        assert total is not None, code
        assert total.type is AnswerType.COUNT, code


def test_choice_items(template: ChecklistTemplate) -> None:
    def choice_zh(code: str) -> set[str]:
        item = template.item(code)
        assert item is not None
        spec = next(f for f in item.fields if f.type is AnswerType.CHOICE)
        return {o.label.zh for o in spec.options}

    assert {"违法建设", "临时建筑", "其他"} <= choice_zh("2.1")
    assert choice_zh("2.2") == {"未拆", "已拆", "保留待处理"}
    assert choice_zh("4.2") == {"入地埋设", "捆扎梳理", "桥架固定", "拆除废线"}
    status_item = template.item("2.2")
    assert status_item is not None
    assert any(f.type is AnswerType.DATE for f in status_item.fields)


def test_header_fields(template: ChecklistTemplate) -> None:
    header = {f.key: f for f in template.header_fields}
    assert {"buildings", "households", "floor_area", "year_built"} <= set(header)
    assert header["buildings"].type is AnswerType.COUNT
    assert header["households"].type is AnswerType.COUNT
    assert header["floor_area"].type is AnswerType.MEASUREMENT
    assert header["floor_area"].unit == "m²"
    year = header["year_built"]
    assert year.type is AnswerType.COUNT
    assert (year.minimum, year.maximum) == (1949, 2100)
    stage = header["inspection_stage"]
    assert {o.label.zh for o in stage.options} == {
        "摸底",
        "施工中",
        "完工自查",
        "综合验收",
        "季度考核抽查",
    }
    assert {o.value for o in header["location_source"].options} == {"exif", "plan_pin", "manual"}


def test_file_is_utf8_with_readable_chinese() -> None:
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    assert "老旧小区" in text  # written with ensure_ascii=False, not \u escapes
    assert "\\u" not in text
