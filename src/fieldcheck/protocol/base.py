"""Shared pieces of the wire format: strict base models and constrained field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

#: Lowercase hex SHA-256 of a blob, the blob's identity everywhere.
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
#: A record, op or device id: a UUID or another short printable token made by a client.
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\w.:-]+$")]


class WireModel(BaseModel):
    """Base of what clients send: unknown fields are refused, so a typo is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class WireResponse(BaseModel):
    """Base of what the server answers: fields a newer server adds are ignored by older
    clients, so the protocol can grow without breaking laptops in the field."""

    model_config = ConfigDict(extra="ignore", frozen=True)
