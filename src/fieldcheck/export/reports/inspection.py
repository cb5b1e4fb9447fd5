"""The inspection report: cover, summary by category, each item with its answer and
before/after photo pairs side by side, rectification actions, review rounds and verdicts,
and the acceptance signatures when the compound has them."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Table

from fieldcheck.domain.photo import Phase
from fieldcheck.domain.register import REGISTER_ITEM_CODE
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
from fieldcheck.export.summary import ItemResult, category_summaries, item_results
from fieldcheck.export.texts import (
    ACTION_STATUS_LABELS,
    ANSWER_LABELS,
    VERDICT_LABELS,
    local_time,
)

PAIRS_PER_ITEM = 2
Pair = tuple[CatalogueEntry | None, CatalogueEntry | None]


def photo_pairs(item_code: str, entries: Sequence[CatalogueEntry]) -> list[Pair]:
    """Before beside after for one item: photos of one viewpoint first, then the rest in
    catalogue order."""
    mine = [e for e in entries if e.photo.photo.item_code == item_code]
    before = [e for e in mine if e.photo.photo.phase is Phase.BEFORE]
    after = [e for e in mine if e.photo.photo.phase is not Phase.BEFORE]
    pairs: list[Pair] = []
    for b in list(before):
        vp = b.photo.photo.viewpoint_id
        match = next((a for a in after if vp and a.photo.photo.viewpoint_id == vp), None)
        if match is not None:
            pairs.append((b, match))
            before.remove(b)
            after.remove(match)
    while before or after:
        pairs.append((before.pop(0) if before else None, after.pop(0) if after else None))
    return pairs[:PAIRS_PER_ITEM]


def answer_text(result: ItemResult, t: Texts) -> str:
    fields = {f.key: f for f in result.item.fields}
    parts = []
    for values in result.entries:
        for key, value in sorted(values.items()):
            if key not in fields or value is None:
                continue
            spec = fields[key]
            shown = ANSWER_LABELS[value].get(t.language) if value in ANSWER_LABELS else value
            if spec.options and spec.option(str(value)) is not None:
                option = spec.option(str(value))
                shown = option.label.get(t.language) if option else value
            parts.append(f"{spec.label.get(t.language)}: {shown}{spec.unit}")
    return "; ".join(parts) if parts else t("未答", "not answered")


def result_text(result: ItemResult, t: Texts) -> str:
    if result.failed:
        return t("不合格", "Fail")
    if result.not_applicable:
        return t("不适用", "N/A")
    return t("合格", "Pass") if result.answered else t("未答", "Open")


def inspection_pdf(
    programme: ProgrammeArchive,
    archive: CompoundArchive,
    bundle: InspectionBundle,
    entries: Sequence[CatalogueEntry],
    language: str,
    cells: PhotoCells | None = None,
) -> bytes:
    t = Texts(language)
    cells = cells or PhotoCells()
    lang = t.language
    inspection, compound = bundle.inspection, archive.compound
    results = item_results(bundle)
    kind = inspection.kind.label.get(lang)
    story: Story = [
        gap(30 * mm),
        para(t("老旧小区综合整治改造", "Old residential compound renovation"), "subtitle"),
        para(t(f"{kind}报告", f"{kind} report"), "title"),
        facts(
            [
                (t("小区", "Compound"), f"{compound.name}（{compound.code}）"),
                (t("地址", "Address"), compound.address),
                (t("街道", "Sub-district"), archive.sub_district),
                (t("检查类型", "Inspection"), kind),
                (t("检查日期", "Started on"), inspection.started_on.isoformat()),
                (t("检查员", "Inspector"), inspection.inspector),
                (t("状态", "Status"), inspection.status.value),
                (
                    t("清单", "Checklist"),
                    f"{bundle.template.title.get(lang)} v{inspection.template_version}",
                ),
                (t("编制单位", "Issued by"), programme.source_organization),
                (t("截至日期", "As of"), programme.as_of.isoformat()),
            ]
        ),
        PageBreak(),
        para(t("一、分类汇总", "1. Summary by category"), "h1"),
    ]
    summary_rows: list[list[object]] = [
        [
            t("类别", "Category"),
            t("项数", "Items"),
            t("已答", "Answered"),
            t("不合格", "Failed"),
            t("得分", "Score"),
        ]
    ]
    for s in category_summaries(results):
        score = f"{s.earned} / {s.possible}" if s.possible else "—"
        summary_rows.append(
            [
                f"{s.category.value} {s.category.label.get(lang)}",
                s.items,
                s.answered,
                s.failed,
                score,
            ]
        )
    story.append(table(summary_rows, [80 * mm, 20 * mm, 20 * mm, 20 * mm, BODY_WIDTH - 140 * mm]))
    story.append(para(t("二、检查项", "2. Items"), "h1"))
    for result in results:
        item = result.item
        story.append(CondPageBreak(40 * mm))
        block: Story = [para(f"{item.code} {item.label.get(lang)}", "h2")]
        answer = answer_text(result, t)
        if item.code == REGISTER_ITEM_CODE:
            answer = t("见违法建设登记表", "see the illegal-structure register")
        rows = [
            (t("回答", "Answer"), answer),
            (t("结论", "Result"), result_text(result, t)),
        ]
        if result.notes:
            rows.append((t("备注", "Note"), "; ".join(result.notes)))
        block.append(facts(rows))
        pairs = photo_pairs(item.code, entries)
        if pairs:
            block.append(gap(2 * mm))
            headings = (t("整治前", "Before"), t("整治后 / 施工中", "After / during"))
            block.append(photo_grid(cells, pairs, t, headings))
        story.append(KeepTogether(block))
    story += actions_section(bundle, t)
    story += reviews_section(bundle, t)
    if archive.acceptance is not None and archive.acceptance.signatures:
        story.append(para(t("五、签字", "5. Signatures"), "h1"))
        story.append(signature_table(archive, t))
    footer = f"{compound.name} · {kind} · {inspection.started_on.isoformat()}"
    return build_pdf(story, f"{compound.name} {kind}", footer, t)


def actions_section(bundle: InspectionBundle, t: Texts) -> Story:
    story: Story = [para(t("三、整改措施", "3. Rectification actions"), "h1")]
    if not bundle.actions:
        return [*story, para(t("无。", "None."))]
    rows: list[list[object]] = [
        [
            t("检查项", "Item"),
            t("整改内容", "What"),
            t("责任单位", "Organisation"),
            t("期限", "Due"),
            t("状态", "Status"),
            t("核验", "Verified"),
        ]
    ]
    for a in sorted(bundle.actions, key=lambda a: (a.action.item_code, a.action.id)):
        verified = f"{a.verified_by} {a.verified_on.isoformat()}" if a.verified_on else ""
        rows.append(
            [
                a.action.item_code,
                a.description,
                a.action.assignee_org,
                a.action.due.isoformat(),
                ACTION_STATUS_LABELS[a.action.status.value].get(t.language),
                verified,
            ]
        )
    return [
        *story,
        table(rows, [16 * mm, 52 * mm, 36 * mm, 22 * mm, 18 * mm, BODY_WIDTH - 144 * mm]),
    ]


def reviews_section(bundle: InspectionBundle, t: Texts) -> Story:
    story: Story = [para(t("四、审核意见", "4. Review rounds"), "h1")]
    if not bundle.reviews:
        return [*story, para(t("无。", "None."))]
    rows: list[list[object]] = [
        [
            t("轮次", "Round"),
            t("提交", "Submitted"),
            t("审核人", "Reviewer"),
            t("结论", "Verdict"),
            t("意见", "Comment"),
        ]
    ]
    for r in sorted(bundle.reviews, key=lambda r: r.number):
        verdict = VERDICT_LABELS[r.verdict.value].get(t.language) if r.verdict else ""
        items = "; ".join(
            f"{v.item_code}: {VERDICT_LABELS[v.verdict.value].get(t.language)}"
            + (f" ({v.score}/5)" if v.score else "")
            + (f" {v.comment}" if v.comment else "")
            for v in r.items
        )
        comment = " ".join(part for part in (r.comment, items) if part)
        rows.append(
            [
                r.number,
                f"{r.submitted_by} {local_time(r.submitted_at)}",
                f"{r.reviewer} {local_time(r.decided_at)}",
                verdict,
                comment,
            ]
        )
    return [*story, table(rows, [14 * mm, 38 * mm, 38 * mm, 18 * mm, BODY_WIDTH - 108 * mm])]


def signature_table(archive: CompoundArchive, t: Texts) -> Table:
    assert archive.acceptance is not None
    rows: list[list[object]] = [
        [
            t("角色", "Role"),
            t("单位", "Organisation"),
            t("签字人", "Name"),
            t("意见", "Opinion"),
            t("时间", "Signed"),
        ]
    ]
    for s in archive.acceptance.signatures:
        rows.append([s.role, s.organisation, s.name, s.opinion, local_time(s.signed_at)])
    return table(rows, [28 * mm, 50 * mm, 24 * mm, 36 * mm, BODY_WIDTH - 138 * mm])
