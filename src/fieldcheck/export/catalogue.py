"""The photo catalogue (照片目录): photos numbered in time order, their file names in the
package, and the six caption elements 事由/时间/地点/人物/背景/摄影者 (RENOVATION.md B.4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldcheck.domain.categories import Category
from fieldcheck.domain.checklist import ChecklistItem
from fieldcheck.domain.evidence import Viewpoint
from fieldcheck.domain.register import IllegalStructure
from fieldcheck.export.model import ArchivePhoto, Caption, CompoundArchive
from fieldcheck.export.tables import Sheet
from fieldcheck.export.texts import (
    ARCHIVE_TZ,
    FLAG_LABELS,
    LOCATION_SOURCE_LABELS,
    PHASE_LABELS,
    PHASE_ORDER,
    TIME_SOURCE_LABELS,
    local_time,
)

EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "TIFF": "tif", "PNG": "png", "HEIF": "heic"}


@dataclass(frozen=True)
class CatalogueEntry:
    number: int
    photo: ArchivePhoto
    file_name: str  # 0001-1a2b3c4d.jpg
    caption: Caption
    time_source: str  # exif | import
    item_label: str
    annotated: bool

    @property
    def stem(self) -> str:
        return self.file_name.rsplit(".", 1)[0]


def _naive_local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(ARCHIVE_TZ).replace(tzinfo=None) if value.tzinfo else value


def photo_time(photo: ArchivePhoto) -> tuple[dt.datetime, str]:
    """When the photo was taken as the archive orders it, and where that time came from."""
    record = photo.photo
    if record.captured_at is not None:
        return _naive_local(record.captured_at), "exif"
    return _naive_local(record.imported_at), "import"


def extension(photo: ArchivePhoto) -> str:
    return EXTENSIONS.get(photo.photo.format.upper(), photo.photo.format.lower() or "bin")


def item_labels(archive: CompoundArchive, language: str = "zh") -> dict[str, str]:
    labels: dict[str, str] = {}
    for bundle in archive.inspections:
        for item in bundle.template:
            labels.setdefault(item.code, item_label(item, language))
    return labels


def item_label(item: ChecklistItem, language: str = "zh") -> str:
    return f"{item.code} {item.label.get(language)}"


def build_catalogue(archive: CompoundArchive) -> list[CatalogueEntry]:
    """Number the compound's photos 1, 2, … by time (then phase, then hash) and caption them."""
    ordered = sorted(
        archive.photos,
        key=lambda p: (
            photo_time(p)[0],
            PHASE_ORDER.index(p.photo.phase),
            p.photo.sha256,
            p.photo.id,
        ),
    )
    labels = item_labels(archive)
    viewpoints = {v.id: v for v in archive.viewpoints}
    structures = {s.id: s for s in archive.structures}
    entries = []
    for number, photo in enumerate(ordered, start=1):
        record = photo.photo
        name = f"{number:04d}-{record.sha256[:8]}.{extension(photo)}"
        when, source = photo_time(photo)
        label = labels.get(record.item_code, record.item_code)
        caption = photo.caption or derive_caption(
            archive,
            photo,
            when,
            label,
            viewpoints.get(record.viewpoint_id or ""),
            structures.get(record.structure_id or ""),
        )
        entries.append(
            CatalogueEntry(number, photo, name, caption, source, label, bool(photo.annotations))
        )
    return entries


def derive_caption(
    archive: CompoundArchive,
    photo: ArchivePhoto,
    when: dt.datetime,
    item: str,
    viewpoint: Viewpoint | None,
    structure: IllegalStructure | None,
) -> Caption:
    record, compound = photo.photo, archive.compound
    what = [compound.name]
    if record.category in {c.value for c in Category}:
        what.append(Category(record.category).label.zh)
    if item:
        what.append(item)
    what.append(PHASE_LABELS[record.phase].zh)
    place = [compound.address or compound.name]
    if viewpoint is not None and viewpoint.label:
        place.append(viewpoint.label)
    if structure is not None:
        place.append(structure.location)
    if record.location is not None:
        place.append(f"({record.location.lat:.6f}, {record.location.lon:.6f})")
    background = [f"老旧小区综合整治改造·{archive.sub_district}"]
    if structure is not None:
        background.append(f"{structure.type.label.zh} {structure.area_m2:g}㎡")
    elif viewpoint is not None and viewpoint.label:
        background.append(f"视点：{viewpoint.label}")
    return Caption(
        subject=" ".join(what),
        time=when.strftime("%Y-%m-%d %H:%M"),
        place=" ".join(place),
        people=photo.people or record.inspector,
        background="；".join(background),
        photographer=record.inspector,
    )


CATALOGUE_HEADINGS = (
    "序号 No.",
    "文件 File",
    "事由 Subject",
    "时间 Time",
    "地点 Place",
    "人物 People",
    "背景 Background",
    "摄影者 Photographer",
    "阶段 Phase",
    "类别 Category",
    "检查项 Item",
    "视点 Viewpoint",
    "SHA-256",
    "拍摄时间 Captured at",
    "时间来源 Time source",
    "设备 Device",
    "纬度 Latitude",
    "经度 Longitude",
    "位置来源 Location source",
    "标记 Flags",
    "原文件名 Original name",
    "导入时间 Imported at",
    "服务器接收 Server received",
    "批注副本 Annotated copy",
)


def catalogue_sheet(entries: list[CatalogueEntry]) -> Sheet:
    rows = []
    for entry in entries:
        record = entry.photo.photo
        captured = record.captured_at.isoformat() if record.captured_at else ""
        source = record.location_source.value if record.location_source else ""
        rows.append(
            (
                entry.number,
                f"photos/{entry.file_name}",
                entry.caption.subject,
                entry.caption.time,
                entry.caption.place,
                entry.caption.people,
                entry.caption.background,
                entry.caption.photographer,
                PHASE_LABELS[record.phase].zh,
                Category(record.category).label.zh if record.category else "",
                entry.item_label,
                record.viewpoint_id or "",
                record.sha256,
                captured,
                TIME_SOURCE_LABELS[entry.time_source].zh,
                " ".join(part for part in (record.make, record.model) if part),
                record.location.lat if record.location else None,
                record.location.lon if record.location else None,
                LOCATION_SOURCE_LABELS[source].zh if source else "",
                "、".join(
                    FLAG_LABELS[f].zh if f in FLAG_LABELS else f for f in _flags(entry.photo)
                ),
                record.original_name,
                local_time(record.imported_at),
                local_time(record.receipt.received_at) if record.receipt else "",
                f"annotated/{entry.stem}-annotated.jpg" if entry.annotated else "",
            )
        )
    return Sheet("照片目录", CATALOGUE_HEADINGS, tuple(rows))


def _flags(photo: ArchivePhoto) -> list[str]:
    flags = list(photo.flags)
    if photo.photo.future_dated and "future_dated" not in flags:
        flags.append("future_dated")
    receipt = photo.photo.receipt
    if receipt is not None and receipt.clock_skewed and "clock_skewed" not in flags:
        flags.append("clock_skewed")
    if photo.photo.location is None and "location_missing" not in flags:
        flags.append("location_missing")
    return sorted(flags)
