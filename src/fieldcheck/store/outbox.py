"""Old home of the outbox, now ``fieldcheck.store.syncbook.outbox`` (decision 0055).

Only re-exports what ``fieldcheck.ui`` still imports from here, until the UI reaches it
through the app core; delete this module once nothing imports it.
"""

from fieldcheck.store.syncbook.outbox import pending_count

__all__ = ["pending_count"]
