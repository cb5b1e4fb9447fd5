"""The Needs attention panel in the inspector's language: a conflict made by a second laptop
and changes the real server rejected (an edit after a colleague submitted the inspection; an
inspection outside the inspector's area), shown in English and in Chinese with field labels,
translated values and plain explanations of the server's codes, never internal field names
or the server's English message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.categories import Category
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.protocol.ops import Entity
from fieldcheck.protocol.records import ENTITY_FIELDS
from fieldcheck.ui.record_texts import REJECTIONS, field_label, rejection_reason, translate
from sync_server.testing import PASSWORD, ApiClient
from tests.faults.helpers import status_move

from .conftest import type_text
from .sync_steps import answer_entrances, signed_in, sync_now

pytestmark = pytest.mark.usefixtures("fast_retries")

SERVER_SOURCES = Path(__file__).resolve().parents[2] / "sync_server"
#: Every internal field name a record can carry, and the keys of item 1.1's answer values.
RAW_NAMES = {name for fields in ENTITY_FIELDS.values() for name in fields.model_fields} | {
    f.key for f in shipped_catalog().latest().item("1.1").fields
}
LATIN = re.compile("[A-Za-z]")


def open_panel(app, count: int = 1):  # type: ignore[no-untyped-def]
    app.window.sync.open_attention()
    panel = app.window.sync.attention_dialog
    app.qtbot.waitUntil(lambda: panel.list.count() == count)
    return panel


def column(table, index: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(row, index).text() for row in range(table.rowCount())]


def raw_names_in(texts: list[str]) -> set[str]:
    """The internal names among ``texts`` and among their comma- or 、-separated parts."""
    parts = {part.strip() for text in texts for part in re.split("[,、，]", text)}
    return (set(texts) | parts) & RAW_NAMES


def conflict_on_entrances_and_note(start_app, server, make_laptop, language: str, code: str):  # type: ignore[no-untyped-def]
    """The app and a second laptop (bob) both change item 1.1's entrances and its note."""
    app, inspection = signed_in(start_app, server, language, code)
    answer_entrances(app, 3)
    assert sync_now(app).error is None
    bob = make_laptop("bob")
    assert bob.sync().error is None
    bob.answer(inspection, "1.1", {"entrances": 5}, note="东门有门岗")
    assert bob.sync().error is None
    item = app.item(Category.SECURITY_FIRE, "1.1")
    item.editors["entrances"].spin.setValue(4)
    type_text(item.note_edit, "西门无门岗")
    app.save_all()
    assert sync_now(app).conflicts == 1
    return open_panel(app)


@pytest.mark.parametrize(
    ("language", "code", "expected_labels", "expected_changed", "created"),
    [
        ("en", "CG-01", {"Entrances", "Note"}, "Note, Answers", "Created"),
        ("zh_CN", "CG-02", {"出入口数量", "备注"}, "备注、填写内容", "新建"),
    ],
)
def test_a_conflict_names_fields_and_changes_in_the_inspectors_words(
    start_app, server, make_laptop, language, code, expected_labels, expected_changed, created
):
    panel = conflict_on_entrances_and_note(start_app, server, make_laptop, language, code)
    assert panel.current().kind == "conflict"
    labels = column(panel.compare, 0)
    assert set(labels) == expected_labels
    assert raw_names_in(labels) == set()
    changed = column(panel.history, 3)
    assert raw_names_in(changed) == set()
    assert expected_changed in changed  # bob's version changed the values and the note
    assert changed[-1] == created  # the first version, not a list of every field
    if language == "zh_CN":
        assert not any(LATIN.search(text) for text in labels + changed)


def locked_rejection(start_app, server, language: str, code: str):  # type: ignore[no-untyped-def]
    """The app's edit to an answer after a colleague (the same inspector on another device)
    submitted the inspection: the server rejects it as ``locked``."""
    app, inspection = signed_in(start_app, server, language, code)
    answer_entrances(app, 2)
    assert sync_now(app).error is None
    colleague = ApiClient(server.url)
    colleague.login("alice", PASSWORD, f"colleague-{code}")
    assert status_move(server, colleague, inspection, "submitted") == ("applied", None)
    answer_entrances(app, 8)
    assert sync_now(app).rejected == 1
    panel = open_panel(app)
    item = panel.current()
    assert (item.kind, item.code) == ("rejected", "locked")
    assert item.reason  # the server's English message, which the panel must not show
    return panel, item


@pytest.mark.parametrize(
    ("language", "code", "explained", "entry_label"),
    [
        ("en", "CG-03", "The inspection was already submitted or accepted", "Entry number"),
        ("zh_CN", "CG-04", "该检查已提交或已验收", "条目序号"),
    ],
)
def test_a_locked_change_is_explained_not_quoted(
    start_app, server, language, code, explained, entry_label
):
    panel, item = locked_rejection(start_app, server, language, code)
    title = panel.title.text()
    assert explained in title
    assert item.reason not in title
    assert "locked" not in title
    labels = column(panel.compare, 0)
    assert raw_names_in(labels) == set()
    assert entry_label in labels
    entrances = shipped_catalog().latest().item("1.1").field("entrances").label
    assert entrances.get(language) in labels  # the answer's values, key by key
    assert panel.send_again_button.isVisible()
    if language == "zh_CN":
        assert not LATIN.search(title.replace("1.1", ""))
        assert not any(LATIN.search(text) for text in labels)


@pytest.mark.parametrize(
    ("language", "code", "status", "explained"),
    [
        ("en", "BY-01", "In progress", "outside your sub-districts"),
        ("zh_CN", "BY-02", "进行中", "不在您负责的街道"),
    ],
)
def test_a_rejected_inspection_shows_its_values_translated(
    start_app, server, language, code, status, explained
):
    app, _inspection = signed_in(start_app, server, language, code)
    assert sync_now(app).rejected >= 1
    panel = open_panel(app)
    item = panel.current()
    assert (item.entity, item.code) == ("inspection", "forbidden_scope")
    assert explained in panel.title.text()
    assert item.reason not in panel.title.text()
    rows = dict(zip(column(panel.compare, 0), column(panel.compare, 1), strict=True))
    assert raw_names_in(list(rows)) == set()
    assert rows[field_label("inspection", "status")] == status
    assert rows[field_label("inspection", "compound_id")].startswith(f"{code} ")  # not its id
    kind = rows[field_label("inspection", "kind")]
    assert kind == InspectionKind.BASELINE_SURVEY.label.get(language)
    checklist = shipped_catalog().latest()
    assert rows[field_label("inspection", "template_id")] == checklist.title.get(language)
    # named by compound, kind and date in the list and the title, not by the start of its id
    named = f"{code} {kind} {rows[field_label('inspection', 'started_on')]}"
    assert named in panel.list.currentItem().text()
    assert named in panel.title.text()
    assert item.record_id[:8] not in panel.title.text()


def test_every_record_field_has_a_label():
    for entity, fields in ENTITY_FIELDS.items():
        unnamed = [n for n in fields.model_fields if field_label(entity.value, n) == n]
        assert unnamed == [], entity
    assert field_label(Entity.ANSWER.value, "no_such_field") == "no_such_field"


def test_every_code_the_server_rejects_with_is_explained():
    sources = "\n".join(p.read_text() for p in SERVER_SOURCES.rglob("*.py"))
    codes = set(re.findall(r'(?:_reject|Refusal)\(\s*"([a-z_]+)"', sources))
    codes |= set(re.findall(r'OpStatus\.(?:REJECTED|DEFERRED),\s*"([a-z_]+)"', sources))
    assert {"locked", "forbidden_scope", "parent_missing"} <= codes  # the scan finds them
    assert codes - set(REJECTIONS) == set()


def test_an_unknown_code_falls_back_to_the_servers_words(qapp):
    text = rejection_reason("a_future_code", "the server says why")
    assert "the server says why" in text
    assert "a_future_code" in text
    known = rejection_reason("locked", "the inspection is submitted")
    assert known == translate(REJECTIONS["locked"])
    assert "the inspection is submitted" not in known
