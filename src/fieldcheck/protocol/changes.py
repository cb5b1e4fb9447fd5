"""Pull and history: pages of changes per scope and the versions of one record (§6.4, §6.8)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from fieldcheck.protocol.base import WireResponse
from fieldcheck.protocol.ops import Entity


class ConflictState(StrEnum):
    NONE = "none"
    SOFT = "soft"
    HARD = "hard"


class Change(WireResponse):
    """A record's head after the change numbered ``seq``."""

    seq: int
    entity: Entity
    id: str
    rev: int
    scope_id: str
    conflict_state: ConflictState
    data: dict[str, Any]


class ChangesPage(WireResponse):
    """Changes with ``seq`` above the cursor, ascending; ``last_seq`` is the next cursor."""

    scope_id: str
    changes: list[Change]
    last_seq: int
    has_more: bool


class RecordVersion(WireResponse):
    rev: int
    base_rev: int
    data: dict[str, Any]
    changed: list[str]
    is_head: bool
    is_candidate: bool
    author: str
    device_id: str
    op_id: str
    seq: int
    ledger_idx: int
    server_ts: dt.datetime


class RecordHistory(WireResponse):
    entity: Entity
    id: str
    head_rev: int
    conflict_state: ConflictState
    versions: list[RecordVersion]
