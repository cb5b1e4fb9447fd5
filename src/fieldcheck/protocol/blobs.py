"""Blobs: "which of these do you lack?" (git-lfs batch style) before a tus upload."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from fieldcheck.protocol.base import Sha256Hex, WireInt, WireModel, WireResponse

#: The tus answer header that says what the server made of an uploaded blob.
BLOB_STATUS_HEADER = "Blob-Status"


class BlobStatus(StrEnum):
    """Values of the ``Blob-Status`` header."""

    #: the server hashed the whole upload and it matches its SHA-256: stored for good.
    VERIFIED = "verified"


class BlobRef(WireModel):
    sha256: Sha256Hex
    size: WireInt = Field(ge=0)


class BlobCheckRequest(WireModel):
    objects: list[BlobRef] = Field(max_length=1000)


class PartialBlob(WireResponse):
    sha256: str
    offset: int


class BlobCheckResponse(WireResponse):
    """Every asked blob is in exactly one list; ``partial`` ones resume at ``offset``."""

    present: list[str]
    partial: list[PartialBlob]
    missing: list[str]
