"""Emitting a Qt signal from Python without losing a reference to ``True``.

PySide6 6.12.0's ``SignalInstance.emit`` returns ``True`` without taking a reference for it,
so every emit from Python drops one reference to ``True``; after a few thousand emits (a
gallery loading thumbnails, an import reporting every file) the interpreter aborts with
"bool_dealloc: deallocating True or False". ``emit`` gives the reference back when the running
PySide6 has the bug, which is measured once, at import. Use it on paths that emit per item.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

PROBES = 16


class _Probe(QObject):
    probed = Signal()


def _references_lost_per_emit() -> int:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBES):
        probe.probed.emit()
    lost = round((before - sys.getrefcount(True)) / PROBES)
    _give_back(lost * PROBES)
    return lost


def _give_back(count: int) -> None:
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


LOST_PER_EMIT = max(0, _references_lost_per_emit())


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, keeping the reference count of ``True`` whole."""
    signal.emit(*args)
    if LOST_PER_EMIT:
        _give_back(LOST_PER_EMIT)
