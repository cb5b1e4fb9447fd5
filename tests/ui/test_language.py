"""(d) The UI language: chosen at start, switched live from the menu, remembered; every
message of the Chinese translation is translated and the file is up to date with the code."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator

from fieldcheck.domain.stages import Stage
from fieldcheck.ui.compound_table import CompoundColumn
from fieldcheck.ui.i18n import CHINESE, ENGLISH, choose_language, translations_dir
from tools import translations

from .conftest import compound_id

TS_FILE = translations_dir() / "fieldcheck_zh_CN.ts"


def visible_texts(app) -> dict[str, str]:
    window, page = app.window, app.page
    panel = window.compound_list
    row = panel.model.row_of(compound_id("CG-04"))
    return {
        "menu": window.file_menu.title(),
        "tab": page.tabs.tabText(0),
        "header": panel.model.headerData(CompoundColumn.STAGE, Qt.Orientation.Horizontal),
        "stage": panel.model.index(row, CompoundColumn.STAGE).data(),
        "button": page.overview.move_button.text(),
        "status": window.network_label.text(),
    }


def test_switching_language_changes_the_texts_live(start_app, data_paths):
    app = start_app(ENGLISH)
    app.open_compound("CG-04")
    english = {
        "menu": "&File",
        "tab": "Overview",
        "header": "Stage",
        "stage": Stage.BASELINE_SURVEY.label.en,
        "button": "Move to stage…",
        "status": "Offline",
    }
    assert visible_texts(app) == english

    app.window.language_actions[CHINESE].trigger()
    chinese = {
        "menu": "文件(&F)",
        "tab": "概况",
        "header": "阶段",
        "stage": Stage.BASELINE_SURVEY.label.zh,
        "button": "转到阶段…",
        "status": "离线",
    }
    app.qtbot.waitUntil(lambda: visible_texts(app) == chinese)
    assert app.context.language == CHINESE
    assert json.loads(data_paths.settings.read_text("utf-8"))["language"] == CHINESE

    app.window.language_actions[ENGLISH].trigger()
    app.qtbot.waitUntil(lambda: visible_texts(app) == english)


def test_the_saved_language_is_used_at_the_next_start(start_app):
    app = start_app(ENGLISH)
    app.window.switch_language(CHINESE)
    app.close()
    app = start_app(language=None)
    assert app.context.language == CHINESE
    assert app.window.file_menu.title() == "文件(&F)"
    assert app.window.language_actions[CHINESE].isChecked()


@pytest.mark.parametrize(
    ("explicit", "saved", "system", "expected"),
    [
        (None, None, CHINESE, CHINESE),
        (None, None, ENGLISH, ENGLISH),
        (None, "zh_CN", ENGLISH, CHINESE),
        ("en", "zh_CN", CHINESE, ENGLISH),
        ("zh", None, ENGLISH, CHINESE),
        ("", "en", CHINESE, ENGLISH),
    ],
)
def test_language_at_start(explicit, saved, system, expected):
    assert choose_language(explicit, saved, system) == expected


def ts_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {
        (context.findtext("name"), message.findtext("source")): message.find("translation")
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_every_message_is_translated():
    messages = ts_messages(TS_FILE)
    assert len(messages) > 100
    for (context, source), translation in messages.items():
        where = f"{context}: {source!r}"
        assert translation is not None, where
        assert translation.get("type") is None, f"{where} is {translation.get('type')}"
        assert (translation.text or "").strip(), f"{where} has no translation"


def test_the_compiled_translation_matches_the_ts_file():
    compiled = QTranslator()
    assert compiled.load(str(TS_FILE.with_suffix(".qm")))
    for (context, source), translation in ts_messages(TS_FILE).items():
        assert compiled.translate(context, source) == translation.text, (context, source)


def test_the_translation_file_covers_every_string_in_the_code(tmp_path):
    """``python -m tools.translations update`` brings the file up to date."""
    fresh = tmp_path / "fresh.ts"
    translations.lupdate(fresh)
    assert set(ts_messages(fresh)) == set(ts_messages(TS_FILE))
