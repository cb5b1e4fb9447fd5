"""What every report shares: the embedded CJK font (reportlab subsets it), paragraph styles
that wrap Chinese, an A4 document with page numbers, photo cells from scaled-down derived
copies, and tables. Documents are built with ``invariant`` set, so the same content gives the
same PDF bytes (no clock, no random id)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from fieldcheck.export.catalogue import CatalogueEntry
from fieldcheck.export.fonts import find_cjk_font
from fieldcheck.export.images import ImageUnreadableError, scaled_jpeg

FONT = "FieldcheckCJK"
REPORT_IMAGE_PX = 800
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN


@cache
def register_font() -> str:
    found = find_cjk_font()
    pdfmetrics.registerFont(TTFont(FONT, str(found.path), subfontIndex=found.index))
    # Every canvas starts in this font instead of Helvetica, so no unembedded font is named.
    rl_config.canvas_basefontname = FONT
    return FONT


@cache
def styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=12),
        "caption": ParagraphStyle("caption", parent=base, fontSize=7.5, leading=10),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=8 * mm
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontSize=14, leading=20, spaceBefore=5 * mm, spaceAfter=2 * mm
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=11, leading=16, spaceBefore=3 * mm, spaceAfter=1.5 * mm
        ),
    }


@dataclass
class Texts:
    """Picks the Chinese or English of each label (Chinese first)."""

    language: str = "zh_CN"

    @property
    def zh(self) -> bool:
        return self.language.lower().startswith("zh")

    def __call__(self, zh: str, en: str) -> str:
        return zh if self.zh else en


def escape(text: object) -> str:
    return (
        str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if text is not None
        else ""
    )


def para(text: object, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), styles()[style])


def table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    header: bool = True,
    style: str = "cell",
) -> Table:
    cells = [[c if isinstance(c, Flowable) else para(c, style) for c in row] for row in rows]
    out = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")))
    out.setStyle(TableStyle(commands))
    return out


def facts(rows: Sequence[tuple[str, object]]) -> Table:
    """A two-column table of label and value, without a heading row."""
    return table([(k, v) for k, v in rows], [40 * mm, BODY_WIDTH - 40 * mm], header=False)


@dataclass
class PhotoCells:
    """Scaled-down copies of photos, made once per package run and reused by every report."""

    cache: dict[str, bytes] = field(default_factory=dict)

    def jpeg(self, entry: CatalogueEntry) -> bytes | None:
        key = entry.photo.photo.sha256
        if key not in self.cache:
            try:
                self.cache[key] = scaled_jpeg(entry.photo, REPORT_IMAGE_PX, quality=75)
            except (ImageUnreadableError, OSError):
                self.cache[key] = b""
        return self.cache[key] or None

    def cell(self, entry: CatalogueEntry | None, width: float, t: Texts) -> list[Flowable]:
        if entry is None:
            return [para(t("（无照片）", "(no photo)"), "caption")]
        data = self.jpeg(entry)
        out: list[Flowable] = []
        if data is None:
            out.append(para(t("（照片无法显示）", "(the photo cannot be shown)"), "caption"))
        else:
            image = Image(io.BytesIO(data))
            scale = min(width / image.imageWidth, 70 * mm / image.imageHeight)
            image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
            out.append(image)
        caption = entry.caption
        out.append(
            para(
                f"{entry.number:04d} · {caption.time} · {caption.subject}"
                f" · {t('摄影', 'by')} {caption.photographer}",
                "caption",
            )
        )
        return out


def photo_grid(
    cells: PhotoCells,
    pairs: Sequence[tuple[CatalogueEntry | None, CatalogueEntry | None]],
    t: Texts,
    headings: tuple[str, str] | None = None,
) -> Table:
    width = BODY_WIDTH / 2 - 6
    rows: list[list[Any]] = []
    if headings:
        rows.append([para(headings[0], "cell"), para(headings[1], "cell")])
    for left, right in pairs:
        rows.append([cells.cell(left, width, t), cells.cell(right, width, t)])
    grid = Table(rows, colWidths=[BODY_WIDTH / 2] * 2)
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.4, colors.grey),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),
            ]
        )
    )
    return grid


def build_pdf(story: list[Flowable], title: str, footer: str, t: Texts) -> bytes:
    register_font()
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="fieldcheck",
        creator="fieldcheck",
        producer="fieldcheck",
        subject=footer,
        invariant=True,
        initialFontName=FONT,
        lang="zh-CN" if t.zh else "en",
    )

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, footer)
        page = t(f"第 {document.page} 页", f"Page {document.page}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, page)
        canvas.restoreState()

    frame = Frame(MARGIN, MARGIN, BODY_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    doc.build(story)
    return out.getvalue()


def gap(height: float = 4 * mm) -> Spacer:
    return Spacer(1, height)


Story = list[Flowable]
Section = Callable[[], Story]
