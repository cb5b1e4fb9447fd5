"""What needs the inspector after a sync ("Needs attention"): open conflicts (mine, theirs and
the record's history), changes the server rejected (its code and reason), photo files that no
longer match their hash, and the warning that the server's history changed; and their
resolutions — keep mine, take theirs or merge; send a rejected change again or discard it with
a reason; accept the server's history. A resolution changes the record's compound: its views
reload, found through the record's parents (``sync.pull.compounds_of``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from fieldcheck.core.changes import Changes, Done, record_changes
from fieldcheck.store.syncbook import meta as sync_meta
from fieldcheck.store.syncbook import resolutions
from fieldcheck.store.syncbook.attention import AttentionItem, attention_items
from fieldcheck.store.syncbook.blobs import IntegrityAlert, integrity_alerts
from fieldcheck.store.syncbook.meta import peek_meta
from fieldcheck.store.syncbook.states import ConflictChoice
from fieldcheck.store.tables import CompoundRow
from fieldcheck.sync.pull import compounds_of

__all__ = [
    "AttentionData",
    "AttentionItem",
    "ConflictChoice",
    "IntegrityAlert",
    "accept_server_history",
    "discard_rejected",
    "load_attention",
    "resend_rejected",
    "resolve_conflict",
]


@dataclass(frozen=True)
class AttentionData:
    items: list[AttentionItem]
    alerts: list[IntegrityAlert]
    history_alert: str
    #: "code name" of the compounds the items name, by id (shown instead of the id).
    compounds: dict[str, str] = field(default_factory=dict)


def load_attention(session: Session) -> AttentionData:
    """Open conflicts and rejected changes (oldest first), changed photo files and the
    history warning, with the names of the compounds the items name."""
    settings = peek_meta(session)
    items = attention_items(session)
    ids = {
        str(record["compound_id"])
        for item in items
        for record in (item.mine, item.theirs)
        if record.get("compound_id")
    }
    rows = session.exec(select(CompoundRow).where(col(CompoundRow.id).in_(ids))).all()
    return AttentionData(
        items=items,
        alerts=integrity_alerts(session),
        history_alert=settings.history_alert if settings else "",
        compounds={row.id: f"{row.code} {row.name}" for row in rows},
    )


def resolve_conflict(
    session: Session,
    item: AttentionItem,
    choice: ConflictChoice,
    values: dict[str, Any] | None = None,
) -> Done[str]:
    """Settle the conflict of ``item`` with ``mine``, ``theirs`` or ``merged`` (``values``
    over theirs); the value is the id of the op that sends the resolution."""
    if item.conflict_id is None:
        raise ValueError("not a conflict")
    op_id = resolutions.resolve_conflict(session, item.conflict_id, choice, values)
    return Done(op_id, _changed(session, item))


def resend_rejected(session: Session, item: AttentionItem) -> Done[str]:
    """Send a rejected change again (once its cause is fixed); the value is the new op's id."""
    return Done(resolutions.resend_rejected(session, item.op_id), _changed(session, item))


def discard_rejected(session: Session, item: AttentionItem, reason: str) -> Done[None]:
    """Give up a rejected change with a reason (required)."""
    resolutions.discard_rejected(session, item.op_id, reason)
    return Done(None, _changed(session, item))


def accept_server_history(session: Session) -> Done[None]:
    """After the bureau confirms a server restore: the next sync reconciles. No record
    changes on the laptop."""
    sync_meta.accept_server_history(session)
    return Done(None)


def _changed(session: Session, item: AttentionItem) -> Changes:
    """What settling ``item`` changed: its record, under the compound it belongs to."""
    data = item.theirs or item.mine
    compounds = compounds_of(session, [(item.entity, item.record_id, data)])
    return record_changes(item.entity, data, compounds)
