"""The package's tables as :class:`~fieldcheck.export.tables.Sheet` rows, its acceptance
record as JSON and its GeoJSON: plain data from the content model, Chinese headings with
English beside them."""

from __future__ import annotations

from typing import Any

from fieldcheck.domain.categories import Category
from fieldcheck.export.catalogue import CatalogueEntry
from fieldcheck.export.model import CompoundArchive, ProgrammeArchive
from fieldcheck.export.summary import category_summaries, item_results
from fieldcheck.export.tables import Cell, Sheet
from fieldcheck.export.texts import (
    ACTION_STATUS_LABELS,
    ANSWER_LABELS,
    PHASE_LABELS,
    VERDICT_LABELS,
    local_time,
)


def compound_list(programme: ProgrammeArchive) -> Sheet:
    rows = []
    for archive in sorted(programme.compounds, key=lambda a: a.compound.code):
        c = archive.compound
        removed = sum(s.status.value == "removed" for s in archive.structures)
        rows.append(
            (
                c.code,
                c.name,
                archive.sub_district,
                c.address,
                c.year_built,
                c.floor_area_m2,
                c.buildings,
                c.households,
                c.stage.label.zh,
                len(archive.inspections),
                len(archive.photos),
                len(archive.structures),
                removed,
            )
        )
    headings = (
        "编码 Code",
        "小区 Compound",
        "街道 Sub-district",
        "地址 Address",
        "建成年份 Built",
        "建筑面积㎡ Floor area",
        "楼栋 Buildings",
        "户数 Households",
        "阶段 Stage",
        "检查 Inspections",
        "照片 Photos",
        "违建 Structures",
        "已拆 Removed",
    )
    return Sheet("小区", headings, tuple(rows))


def _value_text(value: Any) -> str:
    if isinstance(value, str) and value in ANSWER_LABELS:
        return ANSWER_LABELS[value].zh
    return "" if value is None else str(value)


def checklists(archive: CompoundArchive) -> list[Sheet]:
    answer_rows: list[tuple[Cell, ...]] = []
    summary_rows: list[tuple[Cell, ...]] = []
    for bundle in sorted(
        archive.inspections, key=lambda b: (b.inspection.started_on, b.inspection.id)
    ):
        inspection = bundle.inspection
        kind = inspection.kind.label.zh
        results = item_results(bundle)
        for result in results:
            fields = {f.key: f for f in result.item.fields}
            entries = result.entries or ({},)
            for number, values in enumerate(entries):
                text = "；".join(
                    f"{fields[k].label.zh}：{_value_text(v)}{fields[k].unit}"
                    for k, v in sorted(values.items())
                    if k in fields and v is not None
                )
                answer_rows.append(
                    (
                        inspection.started_on.isoformat(),
                        kind,
                        inspection.inspector,
                        result.item.category.value,
                        result.item.code,
                        result.item.label.zh,
                        number if result.item.repeating else None,
                        text,
                        "；".join(result.notes),
                        "不合格" if result.failed else ("合格" if result.answered else "未答"),
                        result.item.points,
                        result.earned if result.item.points else None,
                    )
                )
        for summary in category_summaries(results):
            summary_rows.append(
                (
                    inspection.started_on.isoformat(),
                    kind,
                    summary.category.value,
                    summary.category.label.zh,
                    summary.items,
                    summary.answered,
                    summary.failed,
                    summary.earned,
                    summary.possible,
                )
            )
    return [
        Sheet(
            "检查结果",
            (
                "日期 Date",
                "检查类型 Kind",
                "检查员 Inspector",
                "类别 Category",
                "编号 Item",
                "检查项 Label",
                "条目 Entry",
                "回答 Answer",
                "备注 Note",
                "结论 Result",
                "分值 Points",
                "得分 Earned",
            ),
            tuple(answer_rows),
        ),
        Sheet(
            "分类汇总",
            (
                "日期 Date",
                "检查类型 Kind",
                "类别 Category",
                "名称 Name",
                "项数 Items",
                "已答 Answered",
                "不合格 Failed",
                "得分 Earned",
                "满分 Possible",
            ),
            tuple(summary_rows),
        ),
    ]


def register(archive: CompoundArchive) -> Sheet:
    rows = tuple(
        (
            index,
            s.location,
            s.type.label.zh,
            s.area_m2,
            s.user,
            s.status.label.zh,
            s.status_date.isoformat() if s.status_date else "",
            s.note,
            s.id,
        )
        for index, s in enumerate(
            sorted(archive.structures, key=lambda s: (s.location, s.id)), start=1
        )
    )
    headings = (
        "序号 No.",
        "位置 Location",
        "类型 Type",
        "面积㎡ Area",
        "使用人 User",
        "状态 Status",
        "状态日期 Status date",
        "备注 Note",
        "记录 Record id",
    )
    return Sheet("违法建设登记", headings, rows)


def actions_and_reviews(archive: CompoundArchive, entries: list[CatalogueEntry]) -> list[Sheet]:
    numbers = {e.photo.photo.id: f"{e.number:04d}" for e in entries}
    actions: list[tuple[Cell, ...]] = []
    rounds: list[tuple[Cell, ...]] = []
    verdicts: list[tuple[Cell, ...]] = []
    for bundle in sorted(
        archive.inspections, key=lambda b: (b.inspection.started_on, b.inspection.id)
    ):
        kind = bundle.inspection.kind.label.zh
        for a in sorted(bundle.actions, key=lambda a: (a.action.item_code, a.action.id)):
            actions.append(
                (
                    kind,
                    a.action.item_code,
                    a.description,
                    a.action.assignee_org,
                    a.assignee,
                    a.action.due.isoformat(),
                    ACTION_STATUS_LABELS[a.action.status.value].zh,
                    a.done_on.isoformat() if a.done_on else "",
                    a.verified_by,
                    a.verified_on.isoformat() if a.verified_on else "",
                    "、".join(numbers.get(p, p) for p in a.photo_ids),
                    a.remark,
                )
            )
        for r in sorted(bundle.reviews, key=lambda r: r.number):
            rounds.append(
                (
                    kind,
                    r.number,
                    r.submitted_by,
                    local_time(r.submitted_at),
                    r.reviewer,
                    local_time(r.decided_at),
                    VERDICT_LABELS[r.verdict.value].zh if r.verdict else "",
                    r.comment,
                )
            )
            for v in sorted(r.items, key=lambda v: (v.item_code, v.entry)):
                verdicts.append(
                    (
                        kind,
                        r.number,
                        v.item_code,
                        v.entry,
                        VERDICT_LABELS[v.verdict.value].zh,
                        v.score,
                        v.comment,
                    )
                )
    return [
        Sheet(
            "整改措施",
            (
                "检查 Inspection",
                "检查项 Item",
                "整改内容 What",
                "责任单位 Organisation",
                "责任人 Assignee",
                "期限 Due",
                "状态 Status",
                "完成 Done",
                "核验人 Verified by",
                "核验日期 Verified on",
                "照片 Photos",
                "备注 Remark",
            ),
            tuple(actions),
        ),
        Sheet(
            "审核轮次",
            (
                "检查 Inspection",
                "轮次 Round",
                "提交人 Submitted by",
                "提交时间 Submitted at",
                "审核人 Reviewer",
                "决定时间 Decided at",
                "结论 Verdict",
                "意见 Comment",
            ),
            tuple(rounds),
        ),
        Sheet(
            "逐项意见",
            (
                "检查 Inspection",
                "轮次 Round",
                "检查项 Item",
                "条目 Entry",
                "结论 Verdict",
                "评分 Score",
                "意见 Comment",
            ),
            tuple(verdicts),
        ),
    ]


def acceptance(archive: CompoundArchive) -> dict[str, Any]:
    record = archive.acceptance
    assert record is not None
    return {
        "compound_id": record.compound_id,
        "compound": archive.compound.name,
        "snapshot_sha256": record.snapshot_sha256,
        "accepted_on": record.accepted_on.isoformat() if record.accepted_on else None,
        "conclusion": record.conclusion,
        "items": [
            {
                "code": i.code,
                "label_zh": i.label_zh,
                "label_en": i.label_en,
                "score": i.score,
                "remark": i.remark,
            }
            for i in record.items
        ],
        "signatures": [
            {
                "role": s.role,
                "organisation": s.organisation,
                "name": s.name,
                "signed_at": s.signed_at.isoformat(),
                "opinion": s.opinion,
                "signature_b64": s.signature_b64,
                "key_fingerprint": s.key_fingerprint,
            }
            for s in record.signatures
        ],
    }


def geojson(archive: CompoundArchive, entries: list[CatalogueEntry]) -> dict[str, Any]:
    c = archive.compound
    features: list[dict[str, Any]] = []
    compound_props = {
        "kind": "compound",
        "code": c.code,
        "name": c.name,
        "address": c.address,
        "sub_district": archive.sub_district,
        "floor_area_m2": c.floor_area_m2,
        "households": c.households,
    }
    if archive.outline:
        ring = [list(p) for p in archive.outline]
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        geometry: dict[str, Any] | None = {"type": "Polygon", "coordinates": [ring]}
    else:
        located = [e.photo.photo.location for e in entries if e.photo.photo.location]
        geometry = (
            {
                "type": "Point",
                "coordinates": [
                    round(sum(p.lon for p in located) / len(located), 7),
                    round(sum(p.lat for p in located) / len(located), 7),
                ],
            }
            if located
            else None
        )
        compound_props["geometry_source"] = "mean of photo locations" if located else "unknown"
    features.append({"type": "Feature", "geometry": geometry, "properties": compound_props})
    for e in entries:
        record = e.photo.photo
        if record.location is None:
            continue
        point = [record.location.lon, record.location.lat]
        if record.location.alt is not None:
            point.append(record.location.alt)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {
                    "kind": "photo",
                    "number": e.number,
                    "file": f"photos/{e.file_name}",
                    "sha256": record.sha256,
                    "phase": record.phase.value,
                    "phase_label": PHASE_LABELS[record.phase].zh,
                    "category": Category(record.category).label.zh if record.category else "",
                    "item": e.item_label,
                    "location_source": (
                        record.location_source.value if record.location_source else None
                    ),
                    "subject": e.caption.subject,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
