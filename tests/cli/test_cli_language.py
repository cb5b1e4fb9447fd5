"""The ``fieldcheck`` command line speaks the user's language: Chinese when ``--language
zh_CN`` or the locale asks for it, English otherwise; ``--json`` is the same in every
language. And the gettext catalog is complete and compiled."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from fieldcheck.cli_text import choose_language
from fieldcheck.languages import CHINESE, ENGLISH
from tests.commands import fieldcheck
from tools import translations

CHINESE_ENV = {"LANG": "zh_CN.UTF-8"}
ENGLISH_ENVS = [{"LANG": "C"}, {"LANG": "en_US.UTF-8"}]

BAD_PLAN = (
    "code,name,sub_district,year_built,floor_area_m2,buildings,households,plan_year\n"
    "A-1,一院,老城街道,1990,1000,2,20,2027\n"
    "A-2,,老城街道,1990,1000,2,20,2027\n"
    "A-3,三院,老城街道,nineteen,1000,2,20,2027\n"
    "A-1,重复,老城街道,1990,1000,2,20,2027\n"
)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with the demo district."""
    folder = tmp_path / "data"
    assert fieldcheck(folder, "demo", "--year", "2026").returncode == 0
    return folder


def test_the_demo_summary_follows_the_locale(tmp_path):
    chinese = fieldcheck(tmp_path / "zh", "demo", env=CHINESE_ENV)
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.strip() == "示范区：新增 27 个小区，0 个已存在"
    for number, env in enumerate(ENGLISH_ENVS):
        english = fieldcheck(tmp_path / f"en{number}", "demo", env=env)
        assert english.returncode == 0, english.stderr
        assert english.stdout.strip() == "demo district 示范区: 27 compounds added, 0 already there"


def test_the_language_option_wins_over_the_locale(data):
    chinese = fieldcheck(data, "--language", "zh_CN", "compounds", "list", env={"LANG": "C"})
    assert chinese.stdout.rstrip().endswith("共 27 个小区")
    english = fieldcheck(data, "--language", "en", "compounds", "list", env=CHINESE_ENV)
    assert english.stdout.rstrip().endswith("\n27 compounds")


def test_language_comes_from_the_first_locale_variable_set():
    assert choose_language(None, {"LANGUAGE": "zh_CN:en", "LANG": "C"}) == CHINESE
    assert choose_language(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == ENGLISH
    assert choose_language(None, {"LC_ALL": "", "LANG": "zh_TW.UTF-8"}) == CHINESE
    assert choose_language(None, {"LANG": "C.UTF-8"}) == ENGLISH
    assert choose_language("en", {"LANG": "zh_CN.UTF-8"}) == ENGLISH
    assert choose_language(None, {}) == ENGLISH


def test_plan_row_errors_are_told_in_chinese(data, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text(BAD_PLAN, encoding="utf-8")
    done = fieldcheck(data, "compounds", "import", str(plan), env=CHINESE_ENV)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines == [
        "fieldcheck: plan.csv：有 3 行无法导入；未导入任何内容",
        "  第 3 行，“小区名称”列：单元格为空",
        "  第 4 行，“建成年份”列：“nineteen”不是数字",
        "  第 5 行，“小区编码”列：编码 A-1 已在第 2 行使用",
    ]
    english = fieldcheck(data, "compounds", "import", str(plan), env={"LANG": "en_US.UTF-8"})
    assert english.returncode == 1
    assert english.stderr.splitlines() == [
        "fieldcheck: plan.csv: 3 row(s) cannot be imported; nothing was imported",
        "  row 3, column 'name': name is empty",
        "  row 4, column 'year_built': year_built 'nineteen' is not a number",
        "  row 5, column 'code': code A-1 is already used on row 2",
    ]


def test_a_refused_photo_says_why_in_chinese(data, tmp_path):
    note = tmp_path / "note.jpg"
    note.write_text("hello, not a photo\n", encoding="utf-8")
    args = ("import-photos", "--compound", "CG-01", "--phase", "after", str(note))
    done = fieldcheck(data, *args, env=CHINESE_ENV)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{'拒收':<10} {note}: 不是照片。",
        "已导入 0 张，重复 0 张，拒收 1 张",
    ]
    english = fieldcheck(data, *args, env={"LANG": "C"})
    assert english.returncode == 1
    assert english.stdout.splitlines()[-1] == "0 imported, 0 duplicates, 1 refused"
    assert "a text file, not a photo" in english.stdout


def test_usage_errors_are_told_in_chinese(data):
    unknown = fieldcheck(
        data, "import-photos", "--compound", "NOPE", "--phase", "after", "x.jpg", env=CHINESE_ENV
    )
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "fieldcheck: 没有 ID 或编码为 NOPE 的小区。"
    bad_phase = fieldcheck(
        data, "import-photos", "--compound", "CG-01", "--phase", "later", "x", env=CHINESE_ENV
    )
    assert bad_phase.returncode == 2
    assert bad_phase.stderr.startswith("用法：fieldcheck import-photos")
    assert "错误：参数 --phase：无效的选项：'later'" in bad_phase.stderr
    first_sync = fieldcheck(data, "sync", env=CHINESE_ENV)
    assert first_sync.returncode == 2
    assert "首次同步请提供 --server" in first_sync.stderr


def test_an_unreachable_server_is_told_in_chinese(data):
    url = f"http://127.0.0.1:{closed_port()}"
    args = ("sync", "--server", url, "--user", "alice", "--password-stdin", "--timeout", "5")
    done = fieldcheck(data, *args, env=CHINESE_ENV, stdin="secret\n")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"fieldcheck: 登录失败：无法连接服务器 {url}。请检查地址和网络。",
        "fieldcheck: 本机上的数据没有被修改或丢失",
    ]
    english = fieldcheck(data, *args, env={"LANG": "C"}, stdin="secret\n")
    assert english.returncode == 2
    assert english.stderr.startswith("fieldcheck: sign-in failed: the server cannot be reached")
    assert "nothing on this laptop was changed or lost" in english.stderr


def test_json_is_the_same_in_every_language(data, tmp_path):
    note = tmp_path / "note.jpg"
    note.write_text("hello, not a photo\n", encoding="utf-8")
    url = f"http://127.0.0.1:{closed_port()}"
    commands = [
        (("compounds", "list", "--json"), None),
        (("import-photos", "--compound", "CG-01", "--phase", "after", "--json", str(note)), None),
        (("sync", "--server", url, "--user", "alice", "--password-stdin", "--json"), "pw\n"),
    ]
    for args, stdin in commands:
        english = fieldcheck(data, *args, env={"LANG": "C"}, stdin=stdin)
        chinese = fieldcheck(data, *args, env=CHINESE_ENV, stdin=stdin)
        flagged = fieldcheck(data, "--language", "zh_CN", *args, stdin=stdin)
        assert english.stdout.strip(), args
        assert chinese.stdout == english.stdout == flagged.stdout, args
        assert chinese.returncode == english.returncode == flagged.returncode, args
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.stderr), args


def test_every_string_of_the_command_line_is_translated():
    catalog = translations.read_cli_catalog()
    template = translations.cli_template()
    untranslated = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found and found.pluralizable else (found and found.string,)
        if found is None or "fuzzy" in found.flags or not all(strings):
            untranslated.append(message.id)
    assert untranslated == [], "run: python -m tools.translations cli-fill FILE.tsv"
    stale = {m.id for m in catalog if m.id} - {m.id for m in template if m.id}
    assert stale == set(), "run: python -m tools.translations cli-update"
    assert [(m.id, errors) for m, errors in catalog.check()] == []


def test_the_mo_is_compiled_from_the_po():
    compiled = translations.compile_cli_catalog(translations.read_cli_catalog())
    committed = translations.PO_FILE.with_suffix(".mo").read_bytes()
    assert compiled == committed, "run: python -m tools.translations cli-update"
