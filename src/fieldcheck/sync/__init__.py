"""The laptop's sync engine (DESIGN §4, SYNC-RESEARCH §6.5–6.9): status, blob upload with
resume, push, pull and the witnessed ledger checkpoint, over ``requests``.

No Qt here: the GUI drives :class:`fieldcheck.sync.engine.SyncEngine` from a worker thread,
follows it through progress callbacks, stops it with a :class:`CancelFlag` and reads a typed
:class:`SyncReport` back. Progress callbacks may come from the engine's upload threads;
a GUI forwards them by a queued signal and never touches widgets in them.
"""

from fieldcheck.sync.engine import SyncEngine
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.progress import CancelFlag, Phase, Progress
from fieldcheck.sync.report import SyncOutcome, SyncReport

__all__ = [
    "CancelFlag",
    "Phase",
    "Progress",
    "SyncEngine",
    "SyncError",
    "SyncErrorKind",
    "SyncOutcome",
    "SyncReport",
]
