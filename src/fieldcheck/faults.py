"""Named crash points for the fault-injection suites (DESIGN §7: ``kill -9`` at named points).

``FIELDCHECK_CRASH_AT=<point>[:<n>]`` makes the process kill itself with SIGKILL the n-th time
(default the first) it passes ``<point>``. Unset, a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import threading

CRASH_ENV = "FIELDCHECK_CRASH_AT"

_lock = threading.Lock()
_passes: dict[str, int] = {}


def crash_point(name: str) -> None:
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    point, _, count = wanted.partition(":")
    if point != name:
        return
    with _lock:
        _passes[name] = _passes.get(name, 0) + 1
        reached = _passes[name] >= int(count or 1)
    if reached:
        os.kill(os.getpid(), signal.SIGKILL)
