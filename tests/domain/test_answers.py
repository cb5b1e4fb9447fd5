"""Answer validation against the shipped template: every answer type, its limits, and the
messages' codes and parameters that the UI translates."""

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.answers import is_answered, is_complete, is_failed, validate_answer
from fieldcheck.domain.checklist import AnswerType
from fieldcheck.domain.errors import ValidationError


@pytest.fixture(scope="module")
def template():
    return shipped_catalog().latest()


def item_with(template, *kinds):
    return next(i for i in template if {f.type for f in i.fields} >= set(kinds))


def test_pass_fail_accepts_three_values_and_marks_failure(template):
    item = template.item("1.10")
    for value in ("pass", "fail", "na"):
        assert validate_answer(item, {item.fields[0].key: value}) == {item.fields[0].key: value}
    assert is_failed(item, {item.fields[0].key: "fail"})
    assert not is_failed(item, {item.fields[0].key: "na"})
    with pytest.raises(ValidationError) as caught:
        validate_answer(item, {item.fields[0].key: "yes"})
    assert caught.value.code == "answer_pass_fail"


def test_count_must_be_a_whole_number_not_below_zero(template):
    item = item_with(template, AnswerType.COUNT)
    key = next(f.key for f in item.fields if f.type is AnswerType.COUNT)
    assert validate_answer(item, {key: 3}) == {key: 3}
    assert validate_answer(item, {key: 3.0}) == {key: 3}
    for bad, code in (
        (2.5, "answer_not_whole"),
        ("3", "answer_not_whole"),
        (True, "answer_not_whole"),
        (-1, "answer_below_min"),
    ):
        with pytest.raises(ValidationError) as caught:
            validate_answer(item, {key: bad})
        assert caught.value.code == code


def test_measurement_respects_its_range(template):
    item = template.item("1.4")
    spec = next(f for f in item.fields if f.type is AnswerType.MEASUREMENT)
    assert spec.unit
    assert validate_answer(item, {spec.key: 30}) == {spec.key: 30.0}
    with pytest.raises(ValidationError) as caught:
        validate_answer(item, {spec.key: spec.maximum + 1})
    assert caught.value.code == "answer_above_max"
    assert caught.value.params["limit"] == spec.maximum
    for bad in ("thirty", float("nan"), float("inf")):
        with pytest.raises(ValidationError) as caught:
            validate_answer(item, {spec.key: bad})
        assert caught.value.code == "answer_not_number"


def test_choice_accepts_only_its_options(template):
    item = template.item("4.2")
    spec = next(f for f in item.fields if f.type is AnswerType.CHOICE)
    assert validate_answer(item, {spec.key: spec.options[0].value})
    with pytest.raises(ValidationError) as caught:
        validate_answer(item, {spec.key: "teleported"})
    assert caught.value.code == "answer_unknown_option"


def test_date_and_text(template):
    item = template.item("2.2")
    date_key = next(f.key for f in item.fields if f.type is AnswerType.DATE)
    assert validate_answer(item, {date_key: "2026-05-01"}) == {date_key: "2026-05-01"}
    with pytest.raises(ValidationError) as caught:
        validate_answer(item, {date_key: "May 1st"})
    assert caught.value.code == "answer_not_date"
    text_item = item_with(template, AnswerType.TEXT)
    text_key = next(f.key for f in text_item.fields if f.type is AnswerType.TEXT)
    with pytest.raises(ValidationError) as caught:
        validate_answer(text_item, {text_key: 42})
    assert caught.value.code == "answer_not_text"
    with pytest.raises(ValidationError) as caught:
        validate_answer(text_item, {text_key: "x" * 5000})
    assert caught.value.code == "answer_too_long"


def test_working_count_cannot_exceed_total(template):
    item = template.item("1.5")
    working = next(f for f in item.fields if f.not_above)
    with pytest.raises(ValidationError) as caught:
        validate_answer(item, {working.key: 9, working.not_above: 4})
    assert caught.value.code == "answer_above_total"
    assert validate_answer(item, {working.key: 4, working.not_above: 9})


def test_unknown_field_and_partial_answers(template):
    item = template.item("1.1")
    with pytest.raises(ValidationError) as caught:
        validate_answer(item, {"colour": "red"})
    assert caught.value.code == "answer_unknown_field"
    first = item.fields[0].key
    partial = validate_answer(item, {first: 2, item.fields[1].key: None})
    assert partial == {first: 2}
    assert not is_complete(item, partial)


def test_a_repeating_item_is_answered_once_any_entry_has_a_value(template):
    facade, entrances = template.item("3.7"), template.item("1.1")
    assert facade.repeating
    assert not entrances.repeating
    assert not is_answered(facade, [])
    assert not is_answered(facade, [{}, {"notes": None}])
    assert is_answered(facade, [{}, {"facade_sound": "pass"}])
    assert not is_answered(entrances, [{"entrances": 2}])  # a single answer must be complete
    assert is_answered(entrances, [{"entrances": 2, "guard_post": "pass"}])
