"""Named crash points for the fault-injection suites (DESIGN §7: ``kill -9`` at named points).

``FIELDCHECK_CRASH_AT=<point>[:<n>]`` makes the process kill itself with SIGKILL the n-th time
(default the first) it passes ``<point>``; ``FIELDCHECK_FAIL_AT=<point>`` makes
:func:`disk_full_point` raise ``OSError(ENOSPC)`` every time. Unset, a point costs one
dictionary lookup. The laptop and the server (``sync_server``) both use these.
"""

from __future__ import annotations

import errno
import os
import signal
import threading

CRASH_ENV = "FIELDCHECK_CRASH_AT"
FAIL_ENV = "FIELDCHECK_FAIL_AT"

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


def disk_full_point(name: str) -> None:
    """Raise ``OSError(ENOSPC)`` here while ``FIELDCHECK_FAIL_AT`` names this point."""
    if os.environ.get(FAIL_ENV) == name:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
