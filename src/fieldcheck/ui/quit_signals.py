"""Quit the app cleanly on SIGTERM and SIGINT (the desktop session ending, ``kill``, Ctrl+C in
the terminal that started it): edits waiting for their delay are saved and the database is
closed, as when the window is closed.

Python runs its signal handlers only between bytecodes, never while Qt's event loop waits, so
the C-level handler's wake-up byte (``signal.set_wakeup_fd``) goes through a socket pair that a
``QSocketNotifier`` watches; the handler then runs and closes the windows. POSIX only: Windows
sends a GUI program no such signal.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitOnSignal(QObject):
    """Installed by ``app.run_gui`` while the event loop runs; ``restore`` puts back the
    previous handlers."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.received: str | None = None
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, self._handle) for number in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    @classmethod
    def install(cls, app: QApplication) -> QuitOnSignal | None:
        return None if sys.platform == "win32" else cls(app)

    def _drain(self) -> None:
        """Runs in the event loop after a signal: reading lets Python call ``_handle``."""
        try:
            self._reader.recv(64)
        except BlockingIOError:
            log.debug("woken without a signal byte")

    def _handle(self, number: int, _frame: FrameType | None) -> None:
        if self.received is not None:
            return
        self.received = signal.Signals(number).name
        log.info("%s received: the app quits", self.received)
        self.app.closeAllWindows()
        self.app.quit()

    def restore(self) -> None:
        self._notifier.setEnabled(False)
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
