"""The acceptance record (竣工验收表): the compound, each item with its score 1–5 and a
remark, the conclusion, the signers and the date."""

from __future__ import annotations

from reportlab.lib.units import mm

from fieldcheck.export.model import CompoundArchive, ProgrammeArchive
from fieldcheck.export.reports.inspection import signature_table
from fieldcheck.export.reports.layout import (
    BODY_WIDTH,
    Story,
    Texts,
    build_pdf,
    facts,
    gap,
    para,
    table,
)


def acceptance_pdf(programme: ProgrammeArchive, archive: CompoundArchive, language: str) -> bytes:
    t = Texts(language)
    record = archive.acceptance
    if record is None:
        raise ValueError(f"compound {archive.compound.code} has no acceptance record")
    c = archive.compound
    story: Story = [
        para(t("老旧小区综合整治改造工程竣工验收表", "Completion acceptance record"), "title"),
        facts(
            [
                (t("小区", "Compound"), f"{c.name}（{c.code}）"),
                (t("地址", "Address"), c.address),
                (t("街道", "Sub-district"), archive.sub_district),
                (t("建筑面积", "Floor area"), f"{c.floor_area_m2:,.0f} ㎡"),
                (
                    t("验收日期", "Accepted on"),
                    record.accepted_on.isoformat()
                    if record.accepted_on
                    else t("未完成", "pending"),
                ),
                (t("验收快照 SHA-256", "Snapshot SHA-256"), record.snapshot_sha256),
            ]
        ),
        para(t("验收项目", "Items"), "h2"),
    ]
    rows: list[list[object]] = [
        [t("序号", "No."), t("项目", "Item"), t("评分（1–5）", "Score (1–5)"), t("备注", "Remark")]
    ]
    for item in record.items:
        label = item.label_zh if t.zh else item.label_en
        rows.append([item.code, label, item.score if item.score is not None else "—", item.remark])
    scored = [i.score for i in record.items if i.score is not None]
    if scored:
        rows.append(["", t("平均", "Average"), f"{sum(scored) / len(scored):.1f}", ""])
    story.append(table(rows, [14 * mm, 80 * mm, 26 * mm, BODY_WIDTH - 120 * mm]))
    story.append(para(t("验收结论", "Conclusion"), "h2"))
    story.append(para(record.conclusion or "—"))
    story.append(para(t("参验单位签字", "Signatures"), "h2"))
    if record.signatures:
        story.append(signature_table(archive, t))
    else:
        story.append(para(t("尚无签字。", "Not signed yet.")))
    story.append(gap())
    story.append(para(f"{t('编制单位', 'Issued by')}: {programme.source_organization}", "small"))
    footer = f"{c.name} · {t('竣工验收表', 'Acceptance record')}"
    return build_pdf(story, footer, footer, t)
