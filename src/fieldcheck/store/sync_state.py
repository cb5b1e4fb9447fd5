"""Old home of the sync bookkeeping, now ``fieldcheck.store.syncbook`` (decision 0055).

Only re-exports the names ``fieldcheck.ui`` still imports from here, until the UI reaches
them through the app core; delete this module once nothing imports it.
"""

from fieldcheck.store.syncbook.attention import (
    AttentionItem,
    attention_items,
    pending_counts,
)
from fieldcheck.store.syncbook.blobs import photo_states
from fieldcheck.store.syncbook.marks import record_states
from fieldcheck.store.syncbook.meta import accept_server_history, peek_meta
from fieldcheck.store.syncbook.resolutions import (
    discard_rejected,
    resend_rejected,
    resolve_conflict,
)

__all__ = [
    "AttentionItem",
    "accept_server_history",
    "attention_items",
    "discard_rejected",
    "peek_meta",
    "pending_counts",
    "photo_states",
    "record_states",
    "resend_rejected",
    "resolve_conflict",
]
