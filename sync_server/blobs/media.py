"""A blob's media type, decided from its bytes by the photo module's sniffing and never
taken from the uploader, and the headers a download is served with: that type (only ever
one of the accepted photo types, else ``application/octet-stream``), ``nosniff`` and an
attachment ``Content-Disposition`` with an ASCII fallback and an RFC 5987 ``filename*``."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from fieldcheck.photos.errors import PhotoRefusedError
from fieldcheck.photos.formats import PREFIX_BYTES, sniff
from sync_server.errors import ApiError

OCTET_STREAM = "application/octet-stream"
#: The types a blob is ever served as, with the extension of its download name.
SERVED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "image/heic": "heic",
    "image/heif": "heif",
}
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


class NotAPhotoUploadError(ApiError):
    """The completed upload is not a photo; it was dropped with its staged bytes (the caller
    commits that before answering)."""

    def __init__(self, refused: PhotoRefusedError):
        super().__init__(
            415,
            "not_a_photo",
            f"only photos are stored and this upload is not one ({refused.message}); "
            "it was discarded",
            {"reason": refused.code},
        )


def photo_type(prefix: bytes, sha256: str) -> str:
    """The MIME type of a photo starting with ``prefix``; NotAPhotoUploadError otherwise."""
    try:
        return sniff(prefix[:PREFIX_BYTES], name=f"blob {sha256[:12]}").mime
    except PhotoRefusedError as exc:
        raise NotAPhotoUploadError(exc) from exc


def sniffed_or_octets(prefix: bytes, sha256: str) -> str:
    """The photo type of ``prefix``, or ``application/octet-stream`` for anything else."""
    try:
        return photo_type(prefix, sha256)
    except NotAPhotoUploadError:
        return OCTET_STREAM


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII-only ``filename`` (anything else becomes ``_``) and the
    exact name as an RFC 5987 ``filename*``; no quote, backslash or control character can
    break out of either."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = _UNSAFE_ASCII.sub("_", folded).strip("._") or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def served_headers(sha256: str, stored_type: str) -> tuple[str, dict[str, str]]:
    """The media type a blob is served as and its safety headers. A stored type that is not
    an accepted photo type (rows from before types were sniffed) is served as octets."""
    media_type = stored_type if stored_type in SERVED_TYPES else OCTET_STREAM
    extension = SERVED_TYPES.get(media_type, "bin")
    return media_type, {
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": content_disposition(f"{sha256}.{extension}"),
    }
