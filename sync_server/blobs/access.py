"""Who may know of a stored blob, and the "which of these do you lack?" answer.

A blob is readable by admins, by who uploaded it or later sent its bytes themselves (a
holder: proof of possession), and by users whose sub-districts hold a record naming it. To
anyone else a stored blob is a blob the server does not have: downloads answer 404, the
check says ``missing``, HEAD and PATCH of its upload answer as for an unknown upload, and a
push naming it waits for its bytes — a hash is never a key. A blob under repair (its file
was found damaged) is ``missing`` to everyone, so that whoever holds it sends it again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from fieldcheck.protocol.blobs import BlobCheckResponse, BlobRef, PartialBlob
from fieldcheck.protocol.records import BLOB_FIELD
from sync_server.auth.principal import Principal
from sync_server.blobs.models import Blob, BlobHolder, Upload
from sync_server.errors import ApiError
from sync_server.sync.models import Record
from sync_server.timeutil import as_utc, utcnow


class BlobUnderRepairError(ApiError):
    def __init__(self) -> None:
        super().__init__(
            409,
            "blob_under_repair",
            "this photo's stored bytes were found damaged and are set aside; the next sync of "
            "a laptop that holds it sends it again. Carry on with the others.",
        )


def unknown_blob() -> ApiError:
    return ApiError(404, "unknown_blob", "no verified blob with this sha256 that you may read")


def readable(session: Session, principal: Principal, shas: Iterable[str]) -> dict[str, Blob]:
    """The stored blobs among ``shas`` that ``principal`` may read (under repair or not)."""
    stored = {
        b.sha256: b
        for b in session.exec(select(Blob).where(col(Blob.sha256).in_(sorted(set(shas))))).all()
    }
    if principal.is_admin or not stored:
        return stored
    found = {s: b for s, b in stored.items() if b.uploaded_by == principal.username}
    rest = sorted(set(stored) - set(found))
    if rest:
        held = session.exec(
            select(BlobHolder.sha256).where(
                col(BlobHolder.sha256).in_(rest), BlobHolder.username == principal.username
            )
        ).all()
        found.update((s, stored[s]) for s in held)
        rest = sorted(set(rest) - set(held))
    for entity, name in BLOB_FIELD.items():
        if not rest:
            break
        named = col(Record.data)[name].as_string()
        query = select(named).where(col(Record.entity) == entity.value, named.in_(rest))
        if not principal.all_scopes:
            query = query.where(col(Record.scope_id).in_(sorted(principal.scope_ids)))
        in_scope = set(session.exec(query.distinct()).all())
        found.update((s, stored[s]) for s in in_scope)
        rest = sorted(set(rest) - in_scope)
    return found


def readable_blob(session: Session, principal: Principal, sha256: str) -> Blob:
    """The verified blob, if ``principal`` may read it; 404 as for an unknown blob
    otherwise (a hash does not reveal what other sub-districts hold), 409
    ``blob_under_repair`` while its file is set aside."""
    blob = readable(session, principal, [sha256]).get(sha256)
    if blob is None:
        raise unknown_blob()
    if blob.quarantined_at is not None:
        raise BlobUnderRepairError()
    return blob


def check(session: Session, principal: Principal, objects: list[BlobRef]) -> BlobCheckResponse:
    """Present: readable and whole. Partial: the caller's own upload in progress (resume
    offset). Missing: everything else, stored elsewhere or not at all."""
    shas = sorted({o.sha256 for o in objects})
    present = {s for s, b in readable(session, principal, shas).items() if b.quarantined_at is None}
    now = utcnow()
    uploads = {
        u.sha256: u
        for u in session.exec(
            select(Upload).where(
                col(Upload.sha256).in_(shas), Upload.created_by == principal.username
            )
        ).all()
        if as_utc(u.expires_at) > now
    }
    partial = [
        PartialBlob(sha256=s, offset=uploads[s].committed_offset)
        for s in shas
        if s not in present and s in uploads
    ]
    missing = [s for s in shas if s not in present and s not in uploads]
    return BlobCheckResponse(present=sorted(present), partial=partial, missing=missing)
