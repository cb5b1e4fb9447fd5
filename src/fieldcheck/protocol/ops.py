"""Push: a batch of record operations and the result of each (SYNC-RESEARCH §6.6)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import Field

from fieldcheck.protocol.base import (
    ClientId,
    Sha256Hex,
    WireFloat,
    WireInt,
    WireModel,
    WireResponse,
)

MAX_OPS_PER_PUSH = 200


class Entity(StrEnum):
    """The record kinds that sync (the laptop's outbox entity names)."""

    COMPOUND = "compound"
    INSPECTION = "inspection"
    ANSWER = "answer"
    ILLEGAL_STRUCTURE = "illegal_structure"
    VIEWPOINT = "viewpoint"
    PHOTO = "photo"
    ANNOTATION = "annotation"
    RECTIFICATION_ACTION = "rectification_action"
    RETRACTION = "retraction"


class Action(StrEnum):
    """What the op does; the laptop's outbox writes ``create``, ``update`` and ``stage``.

    ``reconcile`` re-pushes a version the laptop holds after the server was restored from
    an older backup (SYNC-RESEARCH §6.8): ``fields`` is the laptop's copy, ``base_rev`` the
    server revision it was acknowledged or pulled at. The server stores it only if it does
    not hold that version already (idempotent), and never over a head it cannot order."""

    CREATE = "create"
    UPDATE = "update"
    STAGE = "stage"
    RECONCILE = "reconcile"


class OpStatus(StrEnum):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    DEFERRED = "deferred"


class OpCode(StrEnum):
    """The ``code`` of results that are not refusals (refusals carry the server's error
    codes, an open set): how an applied ``reconcile`` op or a conflict came about."""

    #: a reconcile op stored a version the server had lost.
    RESTORED = "restored"
    #: a reconcile op matched a version the server holds.
    KNOWN_VERSION = "known_version"
    #: an update that changed nothing.
    UNCHANGED = "unchanged"
    #: two edits of the same fields from the same revision: a hard conflict.
    CONCURRENT_EDIT = "concurrent_edit"
    #: two edits of different fields from the same revision, merged by the server.
    MERGED_DISJOINT_FIELDS = "merged_disjoint_fields"


class Op(WireModel):
    """One change to one record, made from ``base_rev`` (0 for a create).

    ``fields`` is the record as the client has it after the change (a full snapshot, as the
    laptop's outbox stores it, or only the changed fields). ``changed`` names the fields the
    user changed; when absent the server compares ``fields`` with the version at
    ``base_rev``. ``resolves`` lists candidate revisions of a hard conflict this op settles.
    """

    op_id: ClientId
    entity: Entity
    id: ClientId
    action: Action
    base_rev: WireInt = Field(ge=0)
    fields: dict[str, Any] = Field(default_factory=dict)
    changed: list[str] | None = None
    resolves: list[WireInt] = Field(default_factory=list)
    blobs: list[Sha256Hex] = Field(default_factory=list, max_length=100)
    client_ts: dt.datetime | None = None


class PushRequest(WireModel):
    """``clock_offset_s``: the laptop's measured clock offset (server time minus laptop time,
    SYNC-RESEARCH F28), stored with every photo record the batch creates."""

    device_id: ClientId
    ops: list[Op] = Field(max_length=MAX_OPS_PER_PUSH)
    clock_offset_s: WireFloat | None = Field(default=None, allow_inf_nan=False)


class OpResult(WireResponse):
    """The outcome of one op. ``code`` says why for rejected, deferred and conflict results;
    ``replayed`` is true when the op id was seen before and the stored result is returned."""

    op_id: str
    status: OpStatus
    entity: Entity | None = None
    id: str | None = None
    rev: int | None = None
    head_rev: int | None = None
    seq: int | None = None
    code: str | None = None
    message: str | None = None
    fields: list[str] = Field(default_factory=list)
    replayed: bool = False


class PushResponse(WireResponse):
    results: list[OpResult]
    server_time: dt.datetime
