"""Whether the desktop app can open a window here, asked before Qt is imported: on Linux
without ``DISPLAY`` or ``WAYLAND_DISPLAY`` (and no ``QT_QPA_PLATFORM`` chosen, such as
``offscreen``), Qt's xcb plugin would fail with a misleading "xcb-cursor0 is needed"."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def display_missing(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True on Linux when nothing says where a window could be shown."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return False  # Windows and macOS always have their own window system
    return not any(environ.get(variable) for variable in DISPLAY_VARIABLES)
