"""Photo records on the laptop: saving an imported photo with its outbox entry, listing,
annotation versions, and viewpoints that pair a baseline photo with later ones.

The bytes and the derived images are ``fieldcheck.photos``' business; this module only sees
what the pipeline learnt (``PreparedPhoto``) and writes it in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, func, select

from fieldcheck.domain.categories import Category
from fieldcheck.domain.errors import NotFoundError, ValidationError
from fieldcheck.domain.evidence import PlanPin, Viewpoint
from fieldcheck.domain.ids import new_id
from fieldcheck.domain.photo import (
    Annotation,
    BeforeAfterPair,
    GeoPoint,
    LocationSource,
    Phase,
    Photo,
    PhotoTarget,
    ServerReceipt,
    is_future_dated,
    validate_overlay,
)
from fieldcheck.photos.importer import PreparedPhoto
from fieldcheck.store.changes import save_change
from fieldcheck.store.tables import (
    AnnotationRow,
    CompoundRow,
    IllegalStructureRow,
    PhotoRow,
    ViewpointRow,
    utcnow,
)


def _captured_at(row: PhotoRow) -> dt.datetime | None:
    if not row.captured_at:
        return None
    return dt.datetime.fromisoformat(row.captured_at + (row.captured_offset or ""))


def to_photo(row: PhotoRow) -> Photo:
    location = None
    if row.gps_lat is not None and row.gps_lon is not None:
        location = GeoPoint(row.gps_lat, row.gps_lon, row.gps_alt)
    return Photo(
        id=row.id,
        sha256=row.sha256,
        original_name=row.original_name,
        size_bytes=row.size_bytes,
        mime=row.mime,
        format=row.format,
        make=row.make,
        model=row.model,
        captured_at=_captured_at(row),
        location=location,
        location_source=LocationSource(row.location_source) if row.location_source else None,
        orientation=row.orientation,
        width=row.width,
        height=row.height,
        imported_at=row.imported_at,
        inspector=row.inspector,
        clock_offset_s=row.clock_offset_s,
        phase=Phase(row.phase),
        compound_id=row.compound_id,
        category=row.category,
        item_code=row.item_code,
        structure_id=row.structure_id,
        viewpoint_id=row.viewpoint_id,
        future_dated=row.future_dated,
        rev=row.rev,
        receipt=_receipt(row),
    )


def _receipt(row: PhotoRow) -> ServerReceipt | None:
    if row.server_received_at is None:
        return None
    return ServerReceipt(row.server_received_at, row.received_clock_offset_s, row.clock_skew_flag)


def resolve_compound(session: Session, id_or_code: str) -> str:
    """The id of the compound with this id or code."""
    row = (
        session.get(CompoundRow, id_or_code)
        or session.exec(select(CompoundRow).where(CompoundRow.code == id_or_code)).first()
    )
    if row is None:
        raise NotFoundError(
            f"no compound with id or code {id_or_code!r}", "compound_missing", {"id": id_or_code}
        )
    return row.id


def check_target(session: Session, target: PhotoTarget) -> None:
    """Raise NotFoundError/ValidationError when the target names records that do not exist or
    belong to another compound."""
    if session.get(CompoundRow, target.compound_id) is None:
        raise NotFoundError(
            f"no compound {target.compound_id}", "compound_missing", {"id": target.compound_id}
        )
    for model, key, code in (
        (IllegalStructureRow, target.structure_id, "structure_missing"),
        (ViewpointRow, target.viewpoint_id, "viewpoint_missing"),
    ):
        if key is None:
            continue
        row = session.get(model, key)
        # isinstance: found, and narrowed from the two tables' common base (LaptopTable)
        if (
            not isinstance(row, IllegalStructureRow | ViewpointRow)
            or row.compound_id != target.compound_id
        ):
            raise NotFoundError(
                f"no {model.__tablename__} {key} in compound {target.compound_id}",
                code,
                {"id": key},
            )


def save_imported_photos(
    session: Session,
    batch: list[PreparedPhoto],
    target: PhotoTarget,
    *,
    imported_at: dt.datetime | None = None,
) -> list[tuple[Photo, bool]]:
    """Record photos whose blobs are durable, each with its outbox entry, in the caller's
    transaction; one (photo, created) per item. Bytes already recorded for the compound and
    phase (before, or earlier in ``batch``) are a duplicate: the existing photo, False."""
    hashes = {p.sha256 for p in batch}
    known = {
        row.sha256: to_photo(row)
        for row in session.exec(
            select(PhotoRow).where(
                PhotoRow.compound_id == target.compound_id,
                PhotoRow.phase == target.phase.value,
                col(PhotoRow.sha256).in_(hashes),
            )
        ).all()
    }
    imported_at = imported_at or utcnow()
    results = []
    for prepared in batch:
        if prepared.sha256 in known:
            results.append((known[prepared.sha256], False))
            continue
        row = _new_row(prepared, target, imported_at)
        save_change(session, row, entity="photo", action="create")
        known[row.sha256] = to_photo(row)
        results.append((known[row.sha256], True))
    session.flush()
    return results


def save_imported_photo(
    session: Session,
    prepared: PreparedPhoto,
    target: PhotoTarget,
    *,
    imported_at: dt.datetime | None = None,
) -> tuple[Photo, bool]:
    """One photo: see ``save_imported_photos``."""
    return save_imported_photos(session, [prepared], target, imported_at=imported_at)[0]


def _new_row(prepared: PreparedPhoto, target: PhotoTarget, imported_at: dt.datetime) -> PhotoRow:
    meta = prepared.metadata
    captured = meta.captured_at
    offset = captured.strftime("%z") if captured and captured.tzinfo else ""
    return PhotoRow(
        id=new_id(),
        sha256=prepared.sha256,
        original_name=prepared.original_name,
        size_bytes=prepared.size_bytes,
        mime=prepared.kind.mime,
        format=prepared.kind.name,
        make=meta.make,
        model=meta.model,
        captured_at=captured.replace(tzinfo=None).isoformat() if captured else None,
        captured_offset=f"{offset[:3]}:{offset[3:]}" if offset else None,
        gps_lat=meta.gps.lat if meta.gps else None,
        gps_lon=meta.gps.lon if meta.gps else None,
        gps_alt=meta.gps.alt if meta.gps else None,
        location_source=LocationSource.EXIF.value if meta.gps else None,
        orientation=meta.orientation,
        width=prepared.width,
        height=prepared.height,
        imported_at=imported_at,
        inspector=target.inspector,
        clock_offset_s=target.clock_offset_s,
        phase=target.phase.value,
        compound_id=target.compound_id,
        category=target.category,
        item_code=target.item_code,
        structure_id=target.structure_id,
        viewpoint_id=target.viewpoint_id,
        future_dated=is_future_dated(captured, imported_at),
    )


def get_photo(session: Session, photo_id: str) -> Photo:
    return to_photo(_photo_row(session, photo_id))


def _photo_row(session: Session, photo_id: str) -> PhotoRow:
    row = session.get(PhotoRow, photo_id)
    if row is None:
        raise NotFoundError(f"no photo {photo_id}", "photo_missing", {"id": photo_id})
    return row


def list_photos(
    session: Session,
    compound_id: str,
    *,
    phase: Phase | None = None,
    category: str | None = None,
    item_code: str | None = None,
) -> list[Photo]:
    """A compound's photos, optionally filtered, in capture order (unknown times last)."""
    query = select(PhotoRow).where(PhotoRow.compound_id == compound_id)
    if phase is not None:
        query = query.where(PhotoRow.phase == phase.value)
    if category is not None:
        query = query.where(PhotoRow.category == category)
    if item_code is not None:
        query = query.where(PhotoRow.item_code == item_code)
    query = query.order_by(
        col(PhotoRow.captured_at).is_(None), col(PhotoRow.captured_at), col(PhotoRow.imported_at)
    )
    return [to_photo(r) for r in session.exec(query).all()]


def recorded_hashes(session: Session) -> set[str]:
    """The SHA-256 of every blob some photo record points at."""
    return set(session.exec(select(PhotoRow.sha256).distinct()).all())


# Annotations: every save is a new version.


def _to_annotation(row: AnnotationRow) -> Annotation:
    return Annotation(
        id=row.id,
        photo_id=row.photo_id,
        version=row.version,
        shapes=tuple(row.shapes),
        author=row.author,
        created_at=row.created_at,
    )


def save_annotation(
    session: Session, photo_id: str, shapes: list[dict[str, Any]], *, author: str = ""
) -> Annotation:
    """Save the overlay as the photo's next version (with its outbox entry)."""
    _photo_row(session, photo_id)
    cleaned = validate_overlay(shapes)
    latest = session.exec(
        select(func.max(AnnotationRow.version)).where(AnnotationRow.photo_id == photo_id)
    ).one()
    row = AnnotationRow(
        id=new_id(), photo_id=photo_id, version=(latest or 0) + 1, shapes=cleaned, author=author
    )
    save_change(session, row, entity="annotation", action="create")
    session.flush()
    return _to_annotation(row)


def list_annotations(session: Session, photo_id: str) -> list[Annotation]:
    """Every version of a photo's overlay, oldest first."""
    rows = session.exec(
        select(AnnotationRow)
        .where(AnnotationRow.photo_id == photo_id)
        .order_by(col(AnnotationRow.version))
    ).all()
    return [_to_annotation(r) for r in rows]


# Viewpoints: the spot a baseline photo and its later photos share.


def _to_viewpoint(row: ViewpointRow) -> Viewpoint:
    pin = PlanPin(row.pin_x, row.pin_y) if row.pin_x is not None and row.pin_y is not None else None
    return Viewpoint(
        id=row.id,
        compound_id=row.compound_id,
        category=Category(row.category),
        item_code=row.item_code,
        structure_id=row.structure_id or "",
        label=row.label,
        pin=pin,
        bearing_deg=row.bearing_deg,
    )


def _link(session: Session, row: PhotoRow, viewpoint_id: str) -> None:
    if row.viewpoint_id == viewpoint_id:
        return
    row.viewpoint_id = viewpoint_id
    row.rev += 1
    save_change(session, row, entity="photo", action="update")


def create_viewpoint(
    session: Session,
    baseline_photo_id: str,
    *,
    category: str | None = None,
    label: str = "",
    pin: PlanPin | None = None,
    bearing_deg: float | None = None,
) -> Viewpoint:
    """Make a viewpoint from a baseline ("before") photo, which becomes its first photo. The
    category and item default to the photo's."""
    photo = _photo_row(session, baseline_photo_id)
    if photo.phase != Phase.BEFORE.value:
        raise ValidationError(
            "a viewpoint starts from a baseline (before) photo",
            "viewpoint_needs_baseline",
            {"phase": photo.phase},
        )
    if photo.viewpoint_id is not None:
        return _to_viewpoint(session.get(ViewpointRow, photo.viewpoint_id))  # type: ignore[arg-type]
    chosen = Category(category or photo.category or Category.ENVIRONMENT_FACADE.value)
    row = ViewpointRow(
        id=new_id(),
        compound_id=photo.compound_id,
        category=chosen.value,
        item_code=photo.item_code,
        structure_id=photo.structure_id,
        label=label,
        pin_x=pin.x if pin else None,
        pin_y=pin.y if pin else None,
        bearing_deg=bearing_deg,
    )
    save_change(session, row, entity="viewpoint", action="create")
    session.flush()
    _link(session, photo, row.id)
    session.flush()
    return _to_viewpoint(row)


def link_to_viewpoint(session: Session, photo_id: str, viewpoint_id: str) -> Photo:
    """Tie a photo of the same compound to a viewpoint (an "after photo of this spot")."""
    photo = _photo_row(session, photo_id)
    viewpoint = session.get(ViewpointRow, viewpoint_id)
    if viewpoint is None or viewpoint.compound_id != photo.compound_id:
        raise NotFoundError(
            f"no viewpoint {viewpoint_id} in the photo's compound",
            "viewpoint_missing",
            {"id": viewpoint_id},
        )
    _link(session, photo, viewpoint_id)
    session.flush()
    return to_photo(photo)


def viewpoint_photos(session: Session, viewpoint_id: str) -> list[Photo]:
    rows = session.exec(select(PhotoRow).where(PhotoRow.viewpoint_id == viewpoint_id)).all()
    return [to_photo(r) for r in rows]


def viewpoint_pairs(session: Session, viewpoint_id: str) -> list[BeforeAfterPair]:
    """The viewpoint's baseline photo beside each later photo of the spot, in programme order
    (during, after, acceptance) and then capture order. Empty without a baseline."""
    if session.get(ViewpointRow, viewpoint_id) is None:
        raise NotFoundError(
            f"no viewpoint {viewpoint_id}", "viewpoint_missing", {"id": viewpoint_id}
        )
    order = list(Phase)

    def key(photo: Photo) -> tuple[int, float, dt.datetime]:
        moment = photo.captured_at or photo.imported_at
        stamp = moment.timestamp() if moment.tzinfo else moment.astimezone().timestamp()
        return (order.index(photo.phase), stamp, photo.imported_at)

    photos = sorted(viewpoint_photos(session, viewpoint_id), key=key)
    baselines = [p for p in photos if p.phase is Phase.BEFORE]
    if not baselines:
        return []
    return [BeforeAfterPair(baselines[0], p) for p in photos if p.phase is not Phase.BEFORE]
