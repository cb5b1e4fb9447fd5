"""What a file is, judged from its first bytes by the format checks Pillow and pillow-heif
register (never by its name), and which of those formats fieldcheck accepts as photos."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PIL import Image

from fieldcheck.photos.errors import PhotoRefusedError

log = logging.getLogger(__name__)

#: How many leading bytes the format checks see (what ``Image.open`` gives them).
PREFIX_BYTES = 16

ACCEPTED_NAMES = "JPEG, PNG, HEIC/HEIF, TIFF"

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}

#: Friendlier names for the refusal message; others use Pillow's format id.
_DISPLAY_NAMES = {
    "JPEG2000": "JPEG 2000",
    "WEBP": "WebP",
    "AVIF": "AVIF",
    "GIF": "GIF",
    "BMP": "BMP",
    "DIB": "BMP",
    "SGI": "SGI",
    "PSD": "Photoshop (PSD)",
    "ICO": "Windows icon (ICO)",
    "ICNS": "macOS icon (ICNS)",
    "FLI": "FLI animation",
    "BLP": "BLP texture",
    "DDS": "DDS texture",
    "PCX": "PCX",
    "QOI": "QOI",
}

_lock = threading.Lock()
_registered = False


def register_openers() -> None:
    """Register pillow-heif's HEIF opener with Pillow (once per process)."""
    global _registered
    with _lock:
        if _registered:
            return
        import pillow_heif

        pillow_heif.register_heif_opener()
        Image.init()
        _registered = True


@dataclass(frozen=True)
class ImageKind:
    """An accepted format: Pillow's id (to open with), a short name and the MIME type."""

    pil_format: str
    name: str
    mime: str

    @property
    def is_jpeg(self) -> bool:
        return self.pil_format == "JPEG"

    @property
    def is_heif(self) -> bool:
        return self.pil_format == "HEIF"


def _accepted(pil_format: str, prefix: bytes) -> ImageKind | None:
    if pil_format == "JPEG":
        return ImageKind("JPEG", "JPEG", "image/jpeg")
    if pil_format == "PNG":
        return ImageKind("PNG", "PNG", "image/png")
    if pil_format == "TIFF":
        return ImageKind("TIFF", "TIFF", "image/tiff")
    if pil_format == "HEIF":
        heic = prefix[8:12] in _HEIC_BRANDS
        return ImageKind("HEIF", "HEIC" if heic else "HEIF", "image/heic" if heic else "image/heif")
    return None


def _looks_like_text(prefix: bytes) -> bool:
    try:
        text = prefix.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the prefix.
        try:
            text = prefix[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return bool(text) and all(c.isprintable() or c in "\r\n\t\f" for c in text)


def identify(prefix: bytes) -> str | None:
    """The Pillow format id whose check accepts ``prefix`` first, as ``Image.open`` tries them."""
    register_openers()
    for pil_format in Image.ID:
        accept = Image.OPEN[pil_format][1]
        if accept is None:  # formats without a signature would claim anything
            continue
        try:
            if accept(prefix[:PREFIX_BYTES]):
                return pil_format
        except Exception:  # a format check that chokes on odd bytes did not accept them
            log.info(
                "the %s format check failed on %d bytes: not that format",
                pil_format,
                len(prefix),
                exc_info=True,
            )
            continue
    return None


def sniff(prefix: bytes, *, name: str) -> ImageKind:
    """The accepted kind of a file starting with ``prefix``; PhotoRefusedError says what it is."""
    if not prefix:
        raise PhotoRefusedError(f"{name}: the file is empty", "photo_empty", {"name": name})
    pil_format = identify(prefix)
    if pil_format is not None:
        kind = _accepted(pil_format, prefix)
        if kind is not None:
            return kind
        shown = _DISPLAY_NAMES.get(pil_format, pil_format)
        raise PhotoRefusedError(
            f"{name}: {shown} is not an accepted photo format (accepted: {ACCEPTED_NAMES})",
            "photo_unsupported",
            {"name": name, "format": shown},
        )
    if _looks_like_text(prefix):
        what = "a text file, not a photo"
    elif prefix.startswith(b"\xd0\xcf\x11\xe0"):
        what = "an Office (OLE2) document, not a photo"
    else:
        what = "not an image in any format Pillow knows"
    raise PhotoRefusedError(
        f"{name}: {what} (accepted: {ACCEPTED_NAMES})",
        "photo_not_image",
        {"name": name, "what": what},
    )
