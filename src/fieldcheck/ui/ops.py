"""Background operations: run a use case of the core (``fieldcheck.core``) off the GUI thread
in its own session and hand the result or the error back on the GUI thread by signal (the idea
of Anki's CollectionOp/QueryOp). This is the one module of the UI that opens sessions.

All writes go through one single-thread executor, so they never race each other; reads use a
small pool; photo work (imports, thumbnails, integrity checks) runs on its own pool as *tasks*,
callables without a session that open what they need themselves. A callable gets a session
and must return plain values or frozen dataclasses, never ORM rows or the session. A view
that moves on advances its ``Generation`` and the late results of its older ops are dropped.
A mutating use case returns ``Done(value, changes)``: the success handler gets the value, and
the runner broadcasts the changes (with the view that started the op, if it said so) even
when that view has moved on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QObject, Qt, Signal, Slot

from fieldcheck.core import Session, Store
from fieldcheck.core.changes import Changes, Done
from fieldcheck.core.detached import ensure_detached
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.ui.signal_emit import emit

T = TypeVar("T")

READ_WORKERS = 2
PHOTO_WORKERS = 3


class Generation:
    """A counter a view advances when it moves on; results started under an older value are
    dropped when they arrive."""

    def __init__(self) -> None:
        self.value = 0

    def advance(self) -> int:
        self.value += 1
        return self.value


class Op(Generic[T]):
    """One background operation, built then started: ``runner.read(fn).on_success(h).run()``."""

    def __init__(
        self, runner: OpRunner, fn: Callable[..., Any], *, writes: bool, session: bool = True
    ):
        self.runner = runner
        self.fn = fn
        self.writes = writes
        self.session = session
        self.success: Callable[[T], None] | None = None
        self.failure: Callable[[FieldcheckError], None] | None = None
        self.initiator: object | None = None
        self.generation: Generation | None = None
        self.token = 0

    def on_success(self, handler: Callable[[T], None]) -> Op[T]:
        self.success = handler
        return self

    def on_failure(self, handler: Callable[[FieldcheckError], None]) -> Op[T]:
        """Handle an expected problem (a FieldcheckError); anything else goes to the crash
        dialog through ``failed_unhandled``."""
        self.failure = handler
        return self

    def initiated_by(self, view: object) -> Op[T]:
        """Name the view that started the op; the broadcast of its changes carries it, so
        that the view can skip reloading what it already shows."""
        self.initiator = view
        return self

    def guarded_by(self, generation: Generation) -> Op[T]:
        """Drop the handlers' call when ``generation`` has advanced before the result is back."""
        self.generation = generation
        self.token = generation.value
        return self

    @property
    def stale(self) -> bool:
        return self.generation is not None and self.generation.value != self.token

    def run(self) -> None:
        self.runner.submit(self)


@dataclass
class _Outcome:
    op: Op[Any]
    future: Future[Any]


class OpRunner(QObject):
    """Owns the executors and delivers every op's outcome on the GUI thread.

    ``failed_unhandled`` carries expected problems no op handled and every unexpected error.
    ``changes_made`` carries the ``Changes`` of each mutating op and the view that started it
    (or None). Tests wait on ``op_finished``/``became_idle`` or poll ``is_idle()``.
    """

    op_finished = Signal()
    became_idle = Signal()
    changes_made = Signal(object, object)
    failed_unhandled = Signal(object)
    _outcome_ready = Signal(object)

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldcheck-write")
        self._readers = ThreadPoolExecutor(
            max_workers=READ_WORKERS, thread_name_prefix="fieldcheck-read"
        )
        self._photos = ThreadPoolExecutor(
            max_workers=PHOTO_WORKERS, thread_name_prefix="fieldcheck-photo"
        )
        self._pending = 0
        self._closed = False
        self._outcome_ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def read(self, fn: Callable[[Session], T]) -> Op[T]:
        return Op(self, fn, writes=False)

    def write(self, fn: Callable[[Session], Done[T]]) -> Op[T]:
        """A use case that changes something: its ``Done`` value goes to the success handler,
        its changes to ``changes_made``."""
        return Op(self, fn, writes=True)

    @overload
    def task(self, fn: Callable[[], Done[T]]) -> Op[T]: ...

    @overload
    def task(self, fn: Callable[[], T]) -> Op[T]: ...

    def task(self, fn: Callable[[], Any]) -> Op[Any]:
        """Photo or file work on the photo pool; ``fn`` takes no session (it opens its own
        when it needs one, as ``photo_import.run_import`` does). A ``Done`` is unwrapped as
        a write's is."""
        return Op(self, fn, writes=False, session=False)

    def broadcast(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every view what changed outside an op (a sync run on its own worker)."""
        if changes:
            emit(self.changes_made, changes, initiator)

    def is_idle(self) -> bool:
        return self._pending == 0

    def submit(self, op: Op[Any]) -> None:
        if self._closed:
            raise RuntimeError("the operation runner is shut down")
        call: Callable[[Callable[..., Any], bool], Any]
        if not op.session:
            executor, call = self._photos, self._call_task
        else:
            executor, call = (self._writer if op.writes else self._readers), self._call
        self._pending += 1
        future = executor.submit(call, op.fn, op.writes)
        future.add_done_callback(lambda done: emit(self._outcome_ready, _Outcome(op, done)))

    def shutdown(self) -> None:
        """Finish queued work (writes are never abandoned), then stop delivering results."""
        self._closed = True
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        self._photos.shutdown(wait=True, cancel_futures=True)

    def _call(self, fn: Callable[[Session], T], writes: bool) -> T:
        with self._store.write() if writes else self._store.read() as session:
            result = fn(session)
        ensure_detached(result)
        return result

    def _call_task(self, fn: Callable[[], T], _writes: bool) -> T:
        result = fn()
        ensure_detached(result)
        return result

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        self._pending -= 1
        if self._closed:
            return
        try:
            self._hand_over(outcome.op, outcome.future)
        finally:
            emit(self.op_finished)
            if self._pending == 0:
                emit(self.became_idle)

    def _hand_over(self, op: Op[Any], future: Future[Any]) -> None:
        error = future.exception()
        if isinstance(error, FieldcheckError):
            if op.stale:
                return
            if op.failure is not None:
                op.failure(error)
            else:
                emit(self.failed_unhandled, error)
            return
        if error is not None:
            emit(self.failed_unhandled, error)
            return
        result = future.result()
        done = result if isinstance(result, Done) else Done(result)
        if not op.stale and op.success is not None:
            op.success(done.value)
        self.broadcast(done.changes, op.initiator)


def report_unexpected(error: BaseException) -> None:
    """Send an error nobody handles to the global exception hook (the crash dialog)."""
    sys.excepthook(type(error), error, error.__traceback__)
