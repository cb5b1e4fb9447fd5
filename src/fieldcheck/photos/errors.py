"""Why a file is refused as a photo, and the one condition that stops a whole import."""

from __future__ import annotations

from fieldcheck.domain.errors import FieldcheckError


class PhotoRefusedError(FieldcheckError):
    """A file is not accepted as photo evidence; the message names what it is and why.

    Codes: ``photo_missing`` (gone before it could be read), ``photo_unreadable``,
    ``photo_not_a_file``, ``photo_empty``, ``photo_too_large``, ``photo_unsupported``
    (a known format that is not accepted), ``photo_not_image``, ``photo_damaged``,
    ``photo_bomb`` (too many pixels: Pillow's decompression-bomb limit).
    """


class DiskFullError(FieldcheckError):
    """The disk holding the data directory is full (code ``disk_full``); the import stops and
    what was saved before stays."""
