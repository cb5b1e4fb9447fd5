"""Plan import from CSV and XLSX through the real ``fieldcheck`` command: good files load,
bad rows are reported by row number and reason, and a bad file imports nothing."""

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.commands import fieldcheck

HEADING_EN = ["code", "name", "address", "sub_district", "year_built", "floor_area_m2",
              "buildings", "households", "management", "plan_year"]  # fmt: skip
HEADING_ZH = ["小区编码", "小区名称", "地址", "街道", "建成年份", "建筑面积", "楼栋数", "户数",
              "物业管理", "计划年度"]  # fmt: skip
GOOD_ROWS = [
    ["LC-01", "老城一院", "老城路1号", "老城街道", 1985, 23000, 6, 310, "none", 2027],
    ["LC-02", "老城二院", "老城路2号", "老城街道", 1991, "31,500.5", 8, 402, "无物业管理", 2027],
    ["XG-01", "新港小区", "新港路9号", "新港街道", 2003, 41000, 10, 560, "professional", 2027],
]


def write_csv(path: Path, heading, rows, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        writer.writerow(heading)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, heading, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def listed(data_dir):
    result = fieldcheck(data_dir, "compounds", "list", "--json")
    assert result.returncode == 0, result.stderr
    return {c["code"]: c for c in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("writer", "heading", "suffix"),
    [(write_csv, HEADING_EN, ".csv"), (write_xlsx, HEADING_ZH, ".xlsx")],
)
def test_good_plan_list_is_imported(tmp_path, writer, heading, suffix):
    path = writer(tmp_path / f"plan{suffix}", heading, GOOD_ROWS)
    result = fieldcheck(tmp_path / "data", "compounds", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "3 compounds read, 3 added" in result.stdout
    assert "XG-01" in result.stdout  # flagged: built after 2000
    compounds = listed(tmp_path / "data")
    assert set(compounds) == {"LC-01", "LC-02", "XG-01"}
    assert compounds["LC-02"]["floor_area_m2"] == 31500.5
    assert compounds["LC-02"]["sub_district"] == "老城街道"
    assert compounds["XG-01"]["built_after_2000"] is True
    assert compounds["LC-01"]["stage"] == "plan_inclusion"
    assert compounds["LC-01"]["next_deadline"] == {"stage": "baseline_survey", "due": "2027-03-31"}


def test_reimport_updates_facts_and_keeps_ids(tmp_path):
    path = write_csv(tmp_path / "plan.csv", HEADING_EN, GOOD_ROWS)
    fieldcheck(tmp_path / "data", "compounds", "import", str(path))
    first = listed(tmp_path / "data")
    changed = [r.copy() for r in GOOD_ROWS]
    changed[0][7] = 333
    write_csv(path, HEADING_EN, changed)
    result = fieldcheck(tmp_path / "data", "compounds", "import", str(path))
    assert "0 added, 1 updated" in result.stdout
    second = listed(tmp_path / "data")
    assert second["LC-01"]["households"] == 333
    assert {c: v["id"] for c, v in first.items()} == {c: v["id"] for c, v in second.items()}


def test_gb18030_csv_from_excel_is_read(tmp_path):
    path = write_csv(tmp_path / "plan.csv", HEADING_ZH, GOOD_ROWS[:1], encoding="gb18030")
    result = fieldcheck(tmp_path / "data", "compounds", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert listed(tmp_path / "data")["LC-01"]["name"] == "老城一院"


def test_bad_rows_are_reported_and_nothing_is_imported(tmp_path):
    rows = [
        GOOD_ROWS[0],
        ["LC-03", "", "x", "老城街道", 1990, 1000, 2, 20, "none", 2027],
        ["LC-04", "四院", "x", "老城街道", "nineteen", 1000, 2, 20, "none", 2027],
        ["LC-05", "五院", "x", "老城街道", 1990, -5, 2, 20, "none", 2027],
        ["LC-01", "重复", "x", "老城街道", 1990, 1000, 2, 20, "none", 2027],
        ["LC-06", "六院", "x", "老城街道", 1990, 1000, 2.5, 20, "none", 2027],
        ["LC-07", "七院", "x", "老城街道", 1990, 1000, 2, 20, "martian", 2027],
    ]
    path = write_xlsx(tmp_path / "plan.xlsx", HEADING_EN, rows)
    result = fieldcheck(tmp_path / "data", "compounds", "import", str(path))
    assert result.returncode == 1
    err = result.stderr
    assert "6 row(s) cannot be imported; nothing was imported" in err
    assert "row 3, column 'name': name is empty" in err
    assert "row 4, column 'year_built': year_built 'nineteen' is not a number" in err
    assert "row 5, column 'floor_area_m2'" in err
    assert "row 6, column 'code': code LC-01 is already used on row 2" in err
    assert "row 7, column 'buildings'" in err
    assert "row 8, column 'management'" in err
    assert listed(tmp_path / "data") == {}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.xlsx", b"this is not a workbook", "is named .xlsx but is not an Excel workbook"),
        ("plan.xlsx", b"PK\x03\x04 broken zip", "is not a readable Excel workbook"),
        ("plan.csv", b"code,name\nA,B\n", "missing column(s): sub_district"),
        ("plan.csv", b"", "the file is empty"),
        ("plan.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "is not a text (CSV) file"),
    ],
)
def test_unreadable_plan_files_are_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = fieldcheck(tmp_path / "data", "compounds", "import", str(path))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_refused(tmp_path):
    result = fieldcheck(tmp_path / "data", "compounds", "import", str(tmp_path / "nope.csv"))
    assert result.returncode == 1
    assert "nope.csv: cannot be read" in result.stderr
