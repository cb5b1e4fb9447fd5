"""Shared pieces of the wire format: strict base models and constrained field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

#: Lowercase hex SHA-256 of a blob, the blob's identity everywhere.
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
#: A record, op or device id: a UUID or another short printable token made by a client.
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\w.:-]+$")]


def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("a number is needed, not true or false")
    return value


#: A number a client sends: JSON's ``true``/``false`` are refused (pydantic's lax mode would
#: take them for 1 and 0, which the published schema does not allow).
WireInt = Annotated[int, BeforeValidator(_not_bool)]
WireFloat = Annotated[float, BeforeValidator(_not_bool)]


class WireModel(BaseModel):
    """Base of what clients send: unknown fields are refused, so a typo is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class WireResponse(BaseModel):
    """Base of what the server answers: fields a newer server adds are ignored by older
    clients, so the protocol can grow without breaking laptops in the field."""

    model_config = ConfigDict(extra="ignore", frozen=True)
