"""The CJK font reports and annotated copies are drawn with: WenQuanYi Micro Hei, shipped in
``resources/fonts`` (Apache-2.0), so a PDF made on Windows, macOS or Linux embeds the same
font and the same input gives the same bytes. ``FIELDCHECK_PDF_FONT`` may name another
TrueType font (``.ttf``/``.ttc``, glyph outlines, not CFF); a system font is the last resort.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

FONT_ENV = "FIELDCHECK_PDF_FONT"
SYSTEM_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)


class FontMissingError(RuntimeError):
    """No font able to show Chinese was found."""


@dataclass(frozen=True)
class CjkFont:
    path: Path
    index: int = 0  # the face inside a .ttc


def packaged_font() -> Path:
    return Path(str(resources.files("fieldcheck") / "resources" / "fonts" / "wqy-microhei.ttc"))


def find_cjk_font() -> CjkFont:
    """The font to draw Chinese with: the environment's choice, the shipped one, a system one."""
    chosen = os.environ.get(FONT_ENV)
    candidates = [chosen] if chosen else []
    candidates += [str(packaged_font()), *SYSTEM_CANDIDATES]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return CjkFont(Path(candidate))
    raise FontMissingError(
        f"no Chinese font found: set {FONT_ENV} to a TrueType font (.ttf or .ttc)"
    )
