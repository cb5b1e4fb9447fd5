"""The baseline survey report (摸底报告): per compound, the problems found per category, the
illegal structures (count, area, removed) and the before photos; for the district, the same
figures per compound with totals."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from fieldcheck.domain.categories import Category
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.photo import Phase
from fieldcheck.domain.register import StructureStatus
from fieldcheck.export.catalogue import CatalogueEntry
from fieldcheck.export.model import CompoundArchive, InspectionBundle, ProgrammeArchive
from fieldcheck.export.reports.layout import (
    BODY_WIDTH,
    PhotoCells,
    Story,
    Texts,
    build_pdf,
    facts,
    gap,
    para,
    photo_grid,
    table,
)
from fieldcheck.export.summary import item_results

PHOTOS_IN_SURVEY = 6


def survey_bundle(archive: CompoundArchive) -> InspectionBundle | None:
    surveys = [
        b for b in archive.inspections if b.inspection.kind is InspectionKind.BASELINE_SURVEY
    ]
    return max(surveys, key=lambda b: (b.inspection.started_on, b.inspection.id), default=None)


def failed_by_category(archive: CompoundArchive) -> dict[Category, list[str]]:
    bundle = survey_bundle(archive)
    out: dict[Category, list[str]] = {c: [] for c in Category}
    if bundle is None:
        return out
    for result in item_results(bundle):
        if result.failed:
            out[result.item.category].append(result.item.code)
    return out


def structure_figures(archive: CompoundArchive) -> tuple[int, float, int, float]:
    """Count, area, count removed, area removed."""
    removed = [s for s in archive.structures if s.status is StructureStatus.REMOVED]
    return (
        len(archive.structures),
        sum(s.area_m2 for s in archive.structures),
        len(removed),
        sum(s.area_m2 for s in removed),
    )


def _compound_story(
    programme: ProgrammeArchive,
    archive: CompoundArchive,
    entries: Sequence[CatalogueEntry],
    t: Texts,
    cells: PhotoCells,
) -> Story:
    lang = t.language
    c = archive.compound
    bundle = survey_bundle(archive)
    story: Story = [
        para(t(f"{c.name} 现状摸底报告", f"{c.name}: baseline survey report"), "h1"),
        facts(
            [
                (t("小区", "Compound"), f"{c.name}（{c.code}）"),
                (t("地址", "Address"), c.address),
                (t("街道", "Sub-district"), archive.sub_district),
                (t("建成年份", "Built"), c.year_built),
                (t("建筑面积", "Floor area"), f"{c.floor_area_m2:,.0f} ㎡"),
                (t("楼栋 / 户数", "Buildings / households"), f"{c.buildings} / {c.households}"),
                (
                    t("调查日期", "Surveyed on"),
                    bundle.inspection.started_on.isoformat() if bundle else t("未调查", "not yet"),
                ),
                (t("调查人", "Surveyed by"), bundle.inspection.inspector if bundle else ""),
            ]
        ),
        para(t("存在问题（按类别）", "Problems found, by category"), "h2"),
    ]
    labels = {i.code: i.label.get(lang) for b in archive.inspections for i in b.template}
    rows: list[list[object]] = [
        [t("类别", "Category"), t("问题数", "Problems"), t("问题项", "Items")]
    ]
    for category, codes in failed_by_category(archive).items():
        rows.append(
            [
                f"{category.value} {category.label.get(lang)}",
                len(codes),
                "; ".join(f"{code} {labels.get(code, '')}" for code in codes) or "—",
            ]
        )
    story.append(table(rows, [62 * mm, 18 * mm, BODY_WIDTH - 80 * mm]))
    count, area, removed, removed_area = structure_figures(archive)
    story.append(para(t("违法建设和临时建筑", "Illegal and temporary structures"), "h2"))
    story.append(
        facts(
            [
                (
                    t("登记", "Registered"),
                    t(f"{count} 处，{area:.1f} ㎡", f"{count}, {area:.1f} m²"),
                ),
                (
                    t("已拆除", "Removed"),
                    t(f"{removed} 处，{removed_area:.1f} ㎡", f"{removed}, {removed_area:.1f} m²"),
                ),
            ]
        )
    )
    if archive.structures:
        rows = [
            [
                t("位置", "Location"),
                t("类型", "Type"),
                t("面积㎡", "Area m²"),
                t("使用人", "User"),
                t("状态", "Status"),
            ]
        ]
        for s in sorted(archive.structures, key=lambda s: (s.location, s.id)):
            rows.append(
                [
                    s.location,
                    s.type.label.get(lang),
                    f"{s.area_m2:g}",
                    s.user,
                    s.status.label.get(lang),
                ]
            )
        story.append(gap(2 * mm))
        story.append(table(rows, [50 * mm, 36 * mm, 20 * mm, 34 * mm, BODY_WIDTH - 140 * mm]))
    before = [e for e in entries if e.photo.photo.phase is Phase.BEFORE][:PHOTOS_IN_SURVEY]
    if before:
        story.append(para(t("原址原貌照片", "Photos of the original state"), "h2"))
        pairs = [
            (before[i], before[i + 1] if i + 1 < len(before) else None)
            for i in range(0, len(before), 2)
        ]
        story.append(photo_grid(cells, pairs, t))
    return story


def survey_pdf(
    programme: ProgrammeArchive,
    archive: CompoundArchive,
    entries: Sequence[CatalogueEntry],
    language: str,
    cells: PhotoCells | None = None,
) -> bytes:
    t = Texts(language)
    story = _compound_story(programme, archive, entries, t, cells or PhotoCells())
    title = t("现状摸底报告", "Baseline survey")
    footer = f"{archive.compound.name} · {title} · {programme.source_organization}"
    return build_pdf(story, footer, footer, t)


def district_survey_pdf(
    programme: ProgrammeArchive,
    catalogues: dict[str, list[CatalogueEntry]],
    language: str,
    cells: PhotoCells | None = None,
) -> bytes:
    t = Texts(language)
    cells = cells or PhotoCells()
    compounds = sorted(programme.compounds, key=lambda a: a.compound.code)
    story: Story = [
        gap(30 * mm),
        para(t("老旧小区综合整治改造", "Old residential compound renovation"), "subtitle"),
        para(
            t(f"{programme.district} 现状摸底报告", f"{programme.district}: baseline survey"),
            "title",
        ),
        facts(
            [
                (t("编制单位", "Issued by"), programme.source_organization),
                (t("小区数", "Compounds"), len(compounds)),
                (
                    t("建筑面积合计", "Floor area"),
                    f"{sum(a.compound.floor_area_m2 for a in compounds):,.0f} ㎡",
                ),
                (t("截至日期", "As of"), programme.as_of.isoformat()),
            ]
        ),
        para(t("各小区问题及违建情况", "Problems and illegal structures per compound"), "h1"),
    ]
    heading: list[object] = [t("小区", "Compound")]
    heading += [t(f"类{c.value}", f"Cat. {c.value}") for c in Category]
    heading += [t("违建处", "Structures"), t("面积㎡", "Area m²"), t("已拆", "Removed")]
    rows: list[list[object]] = [heading]
    totals: list[float] = [0] * (len(Category) + 3)
    for archive in compounds:
        failed = failed_by_category(archive)
        count, area, removed, _removed_area = structure_figures(archive)
        figures: list[float] = [len(failed[c]) for c in Category] + [count, area, removed]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        rows.append(
            [
                f"{archive.compound.code} {archive.compound.name}",
                *[f"{v:.1f}" if isinstance(v, float) else v for v in figures],
            ]
        )
    rows.append([t("合计", "Total"), *[f"{v:.1f}" if isinstance(v, float) else v for v in totals]])
    widths = [48 * mm] + [13 * mm] * len(Category) + [18 * mm, 20 * mm]
    widths.append(BODY_WIDTH - sum(widths))
    story.append(table(rows, widths))
    story.append(
        para(
            t(
                "类1 治安防控和消防设施；类2 清理违章和配齐环卫设施；类3 环境设施和立面出新；"
                "类4 基础设施和弱电线路；类5 水、电暖专业经营设施。",
                "; ".join(f"Cat. {c.value}: {c.label.en}" for c in Category) + ".",
            ),
            "small",
        )
    )
    for archive in compounds:
        story.append(PageBreak())
        story += _compound_story(
            programme, archive, catalogues.get(archive.compound.id, []), t, cells
        )
    title = t("现状摸底报告", "Baseline survey")
    footer = f"{programme.district} · {title} · {programme.source_organization}"
    return build_pdf(story, footer, footer, t)
