"""A compound's photos: the gallery's list (filtered by phase, category and item), a photo's
annotation versions and saving a new one, and before/after pairing — the viewpoint of a
baseline photo, an after photo of the same spot tied to it, and the pairs to compare."""

from __future__ import annotations

from sqlmodel import Session

from fieldcheck.core.changes import NOTHING, Changes, Done, in_compound
from fieldcheck.domain.evidence import Viewpoint
from fieldcheck.domain.photo import Annotation, BeforeAfterPair, Photo
from fieldcheck.store import photos

#: A compound's photos, optionally filtered, in capture order (unknown times last).
list_photos = photos.list_photos
#: Every version of a photo's overlay, oldest first.
list_annotations = photos.list_annotations
#: A viewpoint's baseline photo beside each later photo of the spot.
viewpoint_pairs = photos.viewpoint_pairs

_PHOTOS = Changes(photos=True)


def save_annotation(
    session: Session, photo_id: str, shapes: list[dict[str, object]], *, author: str = ""
) -> Done[Annotation]:
    """Save the overlay as the photo's next version."""
    annotation = photos.save_annotation(session, photo_id, shapes, author=author)
    compound_id = photos.get_photo(session, photo_id).compound_id
    return Done(annotation, in_compound(compound_id, _PHOTOS))


def start_viewpoint(session: Session, baseline_photo_id: str) -> Done[Viewpoint]:
    """The viewpoint of a baseline photo, made (and the photo tied to it) when it has none."""
    had = photos.get_photo(session, baseline_photo_id).viewpoint_id
    viewpoint = photos.create_viewpoint(session, baseline_photo_id)
    if had == viewpoint.id:
        return Done(viewpoint, NOTHING)
    return Done(viewpoint, in_compound(viewpoint.compound_id, _PHOTOS))


def pair_after_photo(
    session: Session, after: Photo, viewpoint_id: str
) -> Done[list[BeforeAfterPair]]:
    """Tie an after photo to the viewpoint (unless it is already) and return the viewpoint's
    before/after pairs."""
    changes = NOTHING
    if after.viewpoint_id != viewpoint_id:
        photos.link_to_viewpoint(session, after.id, viewpoint_id)
        changes = in_compound(after.compound_id, _PHOTOS)
    return Done(photos.viewpoint_pairs(session, viewpoint_id), changes)
