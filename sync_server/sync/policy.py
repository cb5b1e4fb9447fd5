"""Who may change what (SYNC-RESEARCH §6.3, §6.7), decided per op.

Inspectors create and edit inspections, answers and the illegal-structure register in their
sub-districts, and may move a compound's stage; reviewers comment and decide but never edit
records, except that they accept a submitted inspection; bureau admins manage compounds
everywhere. An inspection that is no longer open is locked for inspector edits, and neither
submitted nor accepted while one of its records is in a hard conflict (F22): the conflict is
resolved first, so both values stay in history and the decision is an inspector's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldcheck.domain.inspection import InspectionStatus
from fieldcheck.protocol.auth import Role
from fieldcheck.protocol.ops import Entity
from sync_server.auth.principal import Principal

#: Compound fields an inspector may change (the programme stage they witnessed).
INSPECTOR_COMPOUND_FIELDS = frozenset({"stage"})
#: Records an inspector may no longer change once their inspection left ``open``.
LOCKED_WITH_INSPECTION = frozenset({Entity.INSPECTION, Entity.ANSWER})
#: Inspection status moves an inspector may make; acceptance is a reviewer's decision.
INSPECTOR_TRANSITIONS = {(InspectionStatus.OPEN.value, InspectionStatus.SUBMITTED.value)}
#: Inspection status moves a reviewer (the acceptance team) may make.
REVIEWER_TRANSITIONS = {(InspectionStatus.SUBMITTED.value, InspectionStatus.ACCEPTED.value)}


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def check_scope(principal: Principal, scope_id: str) -> Refusal | None:
    if principal.role is Role.ADMIN or principal.all_scopes or scope_id in principal.scope_ids:
        return None
    return Refusal("forbidden_scope", "this record is outside your sub-districts")


def check_op(
    principal: Principal,
    entity: Entity,
    *,
    scope_id: str,
    creating: bool,
    changed: list[str],
    current: dict[str, Any],
    merged: dict[str, Any],
    inspection_status: str | None,
    open_conflicts: int = 0,
) -> Refusal | None:
    """None when ``principal`` may make this change, else why not.

    ``inspection_status`` is the status of the inspection the record belongs to (for
    answers) or of the inspection itself before the change; ``open_conflicts`` counts the
    inspection's records in a hard conflict (asked for inspection status moves only)."""
    refusal = check_scope(principal, scope_id)
    if refusal:
        return refusal
    if principal.role is Role.REVIEWER:
        if entity is Entity.INSPECTION and not creating and changed == ["status"]:
            return _check_move(REVIEWER_TRANSITIONS, current, merged, open_conflicts)
        return Refusal("forbidden_role", "reviewers comment and decide; they do not edit records")
    if entity is Entity.COMPOUND:
        if principal.role is Role.ADMIN:
            return None
        if creating or not set(changed) <= INSPECTOR_COMPOUND_FIELDS:
            return Refusal("forbidden_role", "only a bureau admin may create or edit compounds")
        return None
    if principal.role is not Role.INSPECTOR:
        return Refusal("forbidden_role", "only inspectors record inspections and the register")
    if entity is Entity.INSPECTION and not creating and "status" in changed:
        return _check_move(INSPECTOR_TRANSITIONS, current, merged, open_conflicts)
    if entity in LOCKED_WITH_INSPECTION and inspection_status not in (
        None,
        InspectionStatus.OPEN.value,
    ):
        return Refusal("locked", f"the inspection is {inspection_status}; record an amendment")
    return None


def _check_move(
    allowed: set[tuple[str, str]],
    current: dict[str, Any],
    merged: dict[str, Any],
    open_conflicts: int,
) -> Refusal | None:
    """An inspection status move: one the role may make, and none while conflicts are open."""
    move = (current.get("status"), merged.get("status"))
    if move not in allowed:
        return Refusal("invalid_transition", f"this role cannot move {move[0]} → {move[1]}")
    if open_conflicts:
        return Refusal(
            "open_conflict",
            f"{open_conflicts} record(s) of this inspection are in conflict; resolve them first",
        )
    return None
