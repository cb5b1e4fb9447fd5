"""Derived images for the package and the reports: a scaled-down copy of a photo, turned
upright, with its annotation overlay burned in when asked. Originals are only read (a JPEG
decoded at a reduced DCT scale), never changed; derived copies carry no EXIF and are JPEG.
The look of the shapes follows the photo viewer's (ui/annotation_items.py): line width and
text height relative to the shorter side, red unless the shape names a colour.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from fieldcheck.export.fonts import find_cjk_font
from fieldcheck.export.model import ArchivePhoto
from fieldcheck.photos.formats import register_openers
from fieldcheck.photos.render import displayable, fit, upright

LINE_WIDTH = 0.006
TEXT_HEIGHT = 0.045
ARROW_HEAD = 0.035
DEFAULT_COLOR = "#e53935"
ANNOTATED_PX = 2048
REPORT_PX = 900


class ImageUnreadableError(ValueError):
    """A photo Pillow cannot decode; the report shows a placeholder instead."""


def scaled_jpeg(
    photo: ArchivePhoto,
    longest: int,
    shapes: Sequence[dict[str, Any]] = (),
    quality: int = 85,
) -> bytes:
    """The photo upright, its long side at most ``longest``, ``shapes`` drawn on it."""
    register_openers()
    record = photo.photo
    with photo.open() as stream:
        try:
            im = Image.open(stream)
            target = fit(im.size, longest)
            if im.format == "JPEG" and im.mode in ("RGB", "L", "CMYK"):
                im.draft(im.mode, target)
            im.load()
        except Exception as exc:  # damaged or hostile files raise anything
            raise ImageUnreadableError(f"{record.original_name}: {exc}") from exc
    pixels = displayable(im).convert("RGB")
    pixels = upright(pixels, record.orientation, record.format.upper() == "HEIF")
    if max(pixels.size) > longest:
        pixels = pixels.resize(fit(pixels.size, longest), Image.Resampling.LANCZOS)
    if shapes:
        draw_shapes(pixels, shapes)
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    found = find_cjk_font()
    return ImageFont.truetype(str(found.path), size, index=found.index)


def draw_shapes(pixels: Image.Image, shapes: Sequence[dict[str, Any]]) -> None:
    w, h = pixels.size
    short = min(w, h)
    width = max(2, round(LINE_WIDTH * short))
    draw = ImageDraw.Draw(pixels)
    for shape in shapes:
        color = shape.get("color") or DEFAULT_COLOR
        kind = shape.get("kind")
        if kind == "arrow":
            x1, y1, x2, y2 = shape["x1"] * w, shape["y1"] * h, shape["x2"] * w, shape["y2"] * h
            draw.line([(x1, y1), (x2, y2)], fill=color, width=width)
            angle, head = math.atan2(y2 - y1, x2 - x1), ARROW_HEAD * short
            for turn in (math.radians(150), math.radians(-150)):
                end = (x2 + math.cos(angle + turn) * head, y2 + math.sin(angle + turn) * head)
                draw.line([(x2, y2), end], fill=color, width=width)
        elif kind == "circle":
            cx, cy, r = shape["cx"] * w, shape["cy"] * h, shape["r"] * short
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=color, width=width)
        elif kind == "rectangle":
            x, y = shape["x"] * w, shape["y"] * h
            box = [x, y, x + shape["w"] * w, y + shape["h"] * h]
            draw.rectangle(box, outline=color, width=width)
        elif kind == "text":
            font = _font(max(8, round(TEXT_HEIGHT * short)))
            draw.text(
                (shape["x"] * w, shape["y"] * h),
                shape["text"],
                fill=color,
                font=font,
                stroke_width=max(1, width // 2),
                stroke_fill="white",
            )
