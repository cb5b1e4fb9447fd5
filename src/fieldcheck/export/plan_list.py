"""Reading the bureau's plan list of compounds from CSV or XLSX.

The first row holds the column names (English keys or the Chinese headings below); every
further non-empty row is one compound. Every bad row is reported with its row number as the
spreadsheet shows it and the reason, and nothing is returned unless every row is good.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from fieldcheck.domain.compound import (
    Compound,
    ManagementStatus,
    default_schedule,
    validate_compound_facts,
)
from fieldcheck.domain.errors import PlanImportError, RowProblem, ValidationError
from fieldcheck.domain.stages import Stage
from fieldcheck.domain.text import BilingualText

MAX_PLAN_FILE_BYTES = 20 * 1024 * 1024

#: column key -> accepted headings (lower-cased, stripped)
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "小区编码", "编码"),
    "name": ("name", "小区名称", "名称"),
    "address": ("address", "地址", "小区地址"),
    "sub_district": ("sub_district", "sub-district", "街道", "街道办事处"),
    "year_built": ("year_built", "建成年份", "建成年代"),
    "floor_area_m2": ("floor_area_m2", "floor_area", "建筑面积", "建筑面积(m²)", "建筑面积（m²）"),
    "buildings": ("buildings", "楼栋数"),
    "households": ("households", "户数"),
    "management": ("management", "物业管理", "物业管理状况"),
    "plan_year": ("plan_year", "计划年度", "计划年份"),
    "stage": ("stage", "阶段", "当前阶段"),
}
REQUIRED = ("code", "name", "sub_district", "year_built", "floor_area_m2", "buildings",
            "households", "plan_year")  # fmt: skip


@dataclass(frozen=True)
class PlanRow:
    """One good row of a plan list: the facts of a compound and its sub-district's name."""

    row: int
    code: str
    name: str
    address: str
    sub_district: str
    year_built: int
    floor_area_m2: float
    buildings: int
    households: int
    management: ManagementStatus
    plan_year: int
    stage: Stage | None

    @property
    def built_after_2000(self) -> bool:
        return self.year_built > 2000

    def to_compound(self, compound_id: str, sub_district_id: str) -> Compound:
        """The compound this row describes, with the district's standard schedule; a row
        without a stage is at plan inclusion."""
        return Compound(
            id=compound_id,
            code=self.code,
            name=self.name,
            address=self.address,
            sub_district_id=sub_district_id,
            year_built=self.year_built,
            floor_area_m2=self.floor_area_m2,
            buildings=self.buildings,
            households=self.households,
            management=self.management,
            plan_year=self.plan_year,
            stage=self.stage or Stage.PLAN_INCLUSION,
            schedule=default_schedule(self.plan_year),
        )


def read_plan_file(path: Path) -> list[PlanRow]:
    """Read and check a CSV or XLSX plan list; PlanImportError lists every bad row."""
    try:
        size = path.stat().st_size
        if size > MAX_PLAN_FILE_BYTES:
            raise _whole_file(
                path,
                f"the file is larger than {MAX_PLAN_FILE_BYTES // 2**20} MB",
                "plan_too_large",
                limit_mb=MAX_PLAN_FILE_BYTES // 2**20,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise _whole_file(
            path, f"cannot be read: {exc.strerror}", "plan_unreadable", detail=str(exc.strerror)
        ) from exc
    if data.startswith(b"PK"):
        table = _xlsx_rows(path, data)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        raise _whole_file(path, "is named .xlsx but is not an Excel workbook", "plan_not_xlsx")
    else:
        table = _csv_rows(path, data)
    return parse_plan_rows(table, source=path.name)


def _whole_file(path: Path, reason: str, code: str, **params: Any) -> PlanImportError:
    problem = RowProblem(0, reason, code=code, params=params)
    return PlanImportError(f"{path.name}: {reason}", [problem], "plan_unreadable")


def _csv_rows(path: Path, data: bytes) -> list[list[Any]]:
    if b"\x00" in data:
        raise _whole_file(path, "is not a text (CSV) file", "plan_not_text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _whole_file(path, "is neither UTF-8 nor GB18030 text", "plan_encoding")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(path: Path, data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _whole_file(
            path, f"is not a readable Excel workbook ({exc})", "plan_bad_xlsx", detail=str(exc)
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def parse_plan_rows(table: list[list[Any]], source: str = "plan") -> list[PlanRow]:
    """Check a table whose first row is the heading; return its rows or raise with problems."""
    if not table:
        empty = RowProblem(1, "the file is empty", code="plan_empty")
        raise PlanImportError(f"{source}: the file is empty", [empty], "plan_empty")
    columns = _map_heading(table[0], source)
    problems: list[RowProblem] = []
    rows: list[PlanRow] = []
    seen_codes: dict[str, int] = {}
    for number, raw in _data_rows(table):
        try:
            row = _parse_row(number, raw, columns)
        except _RowError as exc:
            problems.append(RowProblem(number, exc.reason, exc.column, exc.code, exc.params))
            continue
        if row.code in seen_codes:
            problems.append(
                RowProblem(
                    number,
                    f"code {row.code} is already used on row {seen_codes[row.code]}",
                    "code",
                    "plan_duplicate_code",
                    {"value": row.code, "first_row": seen_codes[row.code]},
                )
            )
            continue
        seen_codes[row.code] = number
        rows.append(row)
    if not rows and not problems:
        problems.append(
            RowProblem(2, "the file has a heading but no compounds", code="plan_no_rows")
        )
    if problems:
        raise PlanImportError(
            f"{source}: {len(problems)} row(s) cannot be imported; nothing was imported",
            problems,
        )
    return rows


def _map_heading(heading: list[Any], source: str) -> dict[str, int]:
    lookup = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, cell in enumerate(heading):
        key = lookup.get(str(cell or "").strip().lower())
        if key and key not in columns:
            columns[key] = index
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        reason = "missing column(s): " + ", ".join(f"{k} ({COLUMNS[k][1]})" for k in missing)
        problem = RowProblem(1, reason, code="plan_columns", params={"missing": missing})
        raise PlanImportError(f"{source}: {reason}", [problem], "plan_columns")
    return columns


def _data_rows(table: list[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for number, raw in enumerate(table[1:], start=2):
        if any(str(cell).strip() for cell in raw if cell is not None):
            yield number, raw


class _RowError(Exception):
    def __init__(self, column: str, reason: str, code: str, **params: Any):
        self.column, self.reason, self.code, self.params = column, reason, code, params


def _cell(raw: list[Any], columns: dict[str, int], key: str) -> Any:
    index = columns.get(key)
    if index is None or index >= len(raw):
        return None
    value = raw[index]
    return value.strip() if isinstance(value, str) else value


def _text(raw: list[Any], columns: dict[str, int], key: str, required: bool = True) -> str:
    value = _cell(raw, columns, key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _RowError(key, f"{key} is empty", "plan_cell_empty")
    return text


def _number(raw: list[Any], columns: dict[str, int], key: str, whole: bool) -> Any:
    value = _cell(raw, columns, key)
    if value is None or value == "":
        raise _RowError(key, f"{key} is empty", "plan_cell_empty")
    try:
        number = float(str(value).replace(",", "")) if not isinstance(value, int | float) else value
    except ValueError:
        raise _RowError(
            key, f"{key} {value!r} is not a number", "plan_not_number", value=value
        ) from None
    if isinstance(number, bool) or number != number:
        raise _RowError(key, f"{key} {value!r} is not a number", "plan_not_number", value=value)
    if whole:
        if float(number) != int(number):
            raise _RowError(
                key, f"{key} {value!r} is not a whole number", "plan_not_whole", value=value
            )
        return int(number)
    return float(number)


class _Labelled(Protocol):
    """An enum member the plan list names by its value or its label."""

    @property
    def value(self) -> str: ...

    @property
    def label(self) -> BilingualText: ...


_E = TypeVar("_E", bound=_Labelled)
_D = TypeVar("_D")


def _enum(
    raw: list[Any], columns: dict[str, int], key: str, enum: Iterable[_E], default: _D
) -> _E | _D:
    text = _text(raw, columns, key, required=False)
    if not text:
        return default
    for member in enum:
        if text.lower() in (member.value, member.label.zh, member.label.en.lower()):
            return member
    choices = ", ".join(m.value for m in enum)
    raise _RowError(
        key,
        f"{key} {text!r} is not one of: {choices}",
        "plan_not_choice",
        value=text,
        choices=choices,
    )


def _parse_row(number: int, raw: list[Any], columns: dict[str, int]) -> PlanRow:
    facts = {
        "code": _text(raw, columns, "code"),
        "name": _text(raw, columns, "name"),
        "year_built": _number(raw, columns, "year_built", whole=True),
        "floor_area_m2": _number(raw, columns, "floor_area_m2", whole=False),
        "buildings": _number(raw, columns, "buildings", whole=True),
        "households": _number(raw, columns, "households", whole=True),
        "plan_year": _number(raw, columns, "plan_year", whole=True),
    }
    try:
        validate_compound_facts(**facts)
    except ValidationError as exc:
        key = exc.params.get("field", "")
        params = {**exc.params, "value": facts.get(key)}
        raise _RowError(key, exc.message, exc.code, **params) from None
    return PlanRow(
        row=number,
        address=_text(raw, columns, "address", required=False),
        sub_district=_text(raw, columns, "sub_district"),
        management=_enum(raw, columns, "management", ManagementStatus, ManagementStatus.NONE),
        stage=_enum(raw, columns, "stage", Stage, None),
        **facts,
    )
