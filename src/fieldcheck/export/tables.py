"""Tables as XLSX (openpyxl) and CSV bytes, the same bytes for the same rows.

openpyxl stamps the workbook's creation and modification times and each ZIP entry's time
with the clock; here both are the date given, and the XLSX's ZIP entries are rewritten in
their order with that fixed time (see :func:`fieldcheck.export.bag_sink.zip_info`). CSV is
UTF-8 with a byte-order mark, so Excel opens the Chinese headings right.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from fieldcheck.export.bag_sink import zip_info

Cell = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...] = ()


def csv_bytes(sheet: Sheet) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headings)
    writer.writerows(["" if value is None else value for value in row] for row in sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[Sheet], when: dt.date, title: str = "") -> bytes:
    """A workbook of ``sheets``; ``when`` stands for its creation and modification time."""
    workbook = Workbook()
    if (default := workbook.active) is not None:
        workbook.remove(default)
    stamp = dt.datetime(when.year, when.month, when.day)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "fieldcheck"
    workbook.properties.lastModifiedBy = "fieldcheck"
    workbook.properties.title = title or None
    for sheet in sheets:
        _fill(workbook.create_sheet(sheet.title[:31]), sheet)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _fixed_zip(raw.getvalue(), when)


def _fill(ws: Any, sheet: Sheet) -> None:
    ws.append(list(sheet.headings))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in sheet.rows:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    for index, heading in enumerate(sheet.headings, start=1):
        width = sheet.widths[index - 1] if index <= len(sheet.widths) else 0
        if not width:
            longest = max(
                (_width(row[index - 1]) for row in sheet.rows if index <= len(row)), default=0
            )
            width = min(60, max(8, _width(heading), longest) + 2)
        ws.column_dimensions[get_column_letter(index)].width = width


def _width(value: Cell) -> int:
    """Display width: a CJK character takes two columns."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zip_info(item.filename, when)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item))
    return out.getvalue()
