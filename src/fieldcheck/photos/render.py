"""Decoding with limits, and the derived images: a thumbnail and a screen preview, both JPEG,
turned the right way up.

Pillow's decompression-bomb limit stays on, and its warning band (between the limit and twice
it, where Pillow only warns) is refused too. A JPEG is decoded with ``draft()`` at the smallest
DCT scale that still covers the image wanted, so a 12-megapixel photo is never fully decoded
here: libjpeg still entropy-decodes every scan at any scale, so a file cut off inside its data
raises as it would in a full decode. At import that is the thumbnail's scale (1/8 for 12 MP),
and only the thumbnail is made; the preview is made on first need from a decode at the
preview's scale (its long side at least ``PREVIEW_PX`` and less than twice that, as it comes,
which saves a resize). Images of other formats (HEIC, which has no reduced-scale decode, PNG,
TIFF) are decoded whole, averaged down by a whole factor into the preview's range, and give
both images from that one decode. A thumbnail is always made the same way from the same blob,
whether at import or when the cache lost it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from fieldcheck.photos.errors import PhotoRefusedError
from fieldcheck.photos.formats import ImageKind

THUMBNAIL_PX = 256
PREVIEW_PX = 1600
THUMBNAIL_QUALITY = 80
PREVIEW_QUALITY = 85
DECODE_BLOCK_LIMIT = 64 * (1 << 20)

log = logging.getLogger(__name__)

#: EXIF orientation → the transpose that shows the photo the right way up (as in
#: ``PIL.ImageOps.exif_transpose``, which reads the tag itself and would turn a HEIC twice).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Derivatives:
    """The cache images one decode gave (decoded, turned, ready to save as JPEG; None for the
    one it did not give) and the photo's size as displayed."""

    thumbnail: Image.Image | None
    preview: Image.Image | None
    width: int
    height: int


def _bomb(name: str, detail: str) -> PhotoRefusedError:
    return PhotoRefusedError(
        f"{name}: too many pixels, a decompression bomb or not a photo ({detail})",
        "photo_bomb",
        {"name": name, "reason": detail, "limit": Image.MAX_IMAGE_PIXELS},
    )


def damaged(name: str, kind: ImageKind, exc: BaseException) -> PhotoRefusedError:
    if isinstance(exc, UnidentifiedImageError):
        detail = f"Pillow cannot read it as {kind.name}"
    else:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return PhotoRefusedError(
        f"{name}: a damaged or unreadable {kind.name} file ({detail})",
        "photo_damaged",
        {"name": name, "format": kind.name, "reason": detail},
    )


def open_checked(source: Path | bytes, kind: ImageKind, name: str) -> ImageFile.ImageFile:
    """Open ``source`` (a file, or its bytes already read) as ``kind`` only; refuse it when it
    does not open or has too many pixels."""
    try:
        opened = io.BytesIO(source) if isinstance(source, bytes) else source
        im = Image.open(opened, formats=[kind.pil_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(name, str(exc)) from exc
    except Exception as exc:  # hostile files raise anything: OSError, ValueError, TypeError…
        log.info("%s: Pillow cannot open it as %s; refused", name, kind.name, exc_info=True)
        raise damaged(name, kind, exc) from exc
    width, height = im.size
    if width <= 0 or height <= 0:
        im.close()
        raise damaged(name, kind, ValueError(f"impossible size {width}×{height}"))
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        im.close()
        raise _bomb(name, f"{width * height:,} pixels, over the {limit:,} limit")
    return im


def fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """``size`` scaled down (never up) so its longer side is at most ``longest``."""
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _displayable(im: Image.Image) -> Image.Image:
    """RGB or L pixels a JPEG can hold: alpha over white, high bit depths scaled to 8 bits."""
    if im.mode in ("RGB", "L"):
        return im
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if im.mode == "1":
        return im.convert("L")
    return im.convert("RGB")


def upright(pixels: Image.Image, orientation: int, is_heif: bool) -> Image.Image:
    """``pixels`` turned the way the photo is displayed (HEIC comes turned already)."""
    turned = None if is_heif else _TRANSPOSE.get(orientation)
    return pixels if turned is None else pixels.transpose(turned)


def displayable(im: Image.Image) -> Image.Image:
    """RGB or L pixels a JPEG can hold (see ``_displayable``)."""
    return _displayable(im)


def render(
    im: ImageFile.ImageFile,
    kind: ImageKind,
    orientation: int,
    name: str,
    source_bytes: int = 0,
    *,
    preview: bool = False,
) -> Derivatives:
    """Decode ``im`` once and make the cache images that decode gives. A JPEG is decoded at the
    smallest DCT scale that covers the thumbnail and gives the thumbnail alone, or with
    ``preview`` at the scale that covers the preview and gives the preview alone; any other
    format is decoded whole and gives both."""
    full_size = im.size
    scaled = kind.is_jpeg and im.mode in ("RGB", "L", "CMYK")
    try:
        if scaled:
            im.draft(im.mode, fit(full_size, PREVIEW_PX if preview else THUMBNAIL_PX))
        # One read and one decoder call for the whole file: Pillow releases the GIL inside each
        # call, and with its default 64 KiB blocks a 12-MP JPEG takes ~70 GIL hand-offs, which
        # stall the decode behind the other workers (it ran 5× slower beside a busy thread).
        im.decodermaxblock = max(ImageFile.MAXBLOCK, min(source_bytes, DECODE_BLOCK_LIMIT))
        im.load()
        pixels = _displayable(im)
        factor = max(pixels.size) // PREVIEW_PX
        if factor >= 2:  # averaging whole blocks, as the DCT scale does: 5× cheaper than resize
            pixels = pixels.reduce(factor)
        thumb = None
        if not (scaled and preview):
            thumb = pixels.resize(
                fit(pixels.size, THUMBNAIL_PX), Image.Resampling.BICUBIC, reducing_gap=2.0
            )
        shown = pixels if preview or not scaled else None
        turned = None if kind.is_heif else _TRANSPOSE.get(orientation)
        if turned is not None:
            thumb = None if thumb is None else thumb.transpose(turned)
            shown = None if shown is None else shown.transpose(turned)
            full_size = (full_size[1], full_size[0]) if orientation >= 5 else full_size
        return Derivatives(thumb, shown, width=full_size[0], height=full_size[1])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(name, str(exc)) from exc
    except Exception as exc:  # truncated data, corrupt streams, hostile headers
        log.info("%s: Pillow cannot decode it as %s; refused", name, kind.name, exc_info=True)
        raise damaged(name, kind, exc) from exc
