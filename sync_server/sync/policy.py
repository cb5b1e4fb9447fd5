"""Who may change what (SYNC-RESEARCH §6.3, §6.7), decided per op.

Inspectors create and edit inspections, answers and the illegal-structure register in their
sub-districts, and may move a compound's stage; reviewers comment and decide but never edit
records, except that they accept a submitted inspection and verify or reject a rectified
action; bureau admins manage compounds everywhere. An inspection that is no longer open is
locked for inspector edits, and neither submitted nor accepted while one of its records is in
a hard conflict (F22): the conflict is resolved first, so both values stay in history and the
decision is an inspector's.

Records with a workflow status (inspections, rectification actions) are created in their
initial status only, and every later move of it is one of the moves the role may make
(``MOVES``); the service records who made it and when (``STATUS_STAMPS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldcheck.domain.evidence import ActionStatus
from fieldcheck.domain.inspection import InspectionStatus
from fieldcheck.protocol.auth import Role
from fieldcheck.protocol.ops import Entity
from sync_server.auth.principal import Principal

#: Compound fields an inspector may change (the programme stage they witnessed).
INSPECTOR_COMPOUND_FIELDS = frozenset({"stage"})
#: Records an inspector may no longer change once their inspection left ``open``.
LOCKED_WITH_INSPECTION = frozenset({Entity.INSPECTION, Entity.ANSWER})
_I, _A = InspectionStatus, ActionStatus
#: The status a record with a workflow is created in; any other is a move, never a start.
INITIAL_STATUS: dict[Entity, str] = {
    Entity.INSPECTION: _I.OPEN.value,
    Entity.RECTIFICATION_ACTION: _A.OPEN.value,
}
#: Status moves per entity and role: inspectors submit and report a fix; acceptance and the
#: verdict on a fix are a reviewer's (the acceptance team's).
MOVES: dict[Entity, dict[Role, frozenset[tuple[str, str]]]] = {
    Entity.INSPECTION: {
        Role.INSPECTOR: frozenset({(_I.OPEN.value, _I.SUBMITTED.value)}),
        Role.REVIEWER: frozenset({(_I.SUBMITTED.value, _I.ACCEPTED.value)}),
    },
    Entity.RECTIFICATION_ACTION: {
        Role.INSPECTOR: frozenset(
            {(_A.OPEN.value, _A.RECTIFIED.value), (_A.REJECTED.value, _A.RECTIFIED.value)}
        ),
        Role.REVIEWER: frozenset(
            {(_A.RECTIFIED.value, _A.VERIFIED.value), (_A.RECTIFIED.value, _A.REJECTED.value)}
        ),
    },
}


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


OUT_OF_SCOPE = Refusal("forbidden_scope", "this record is outside your sub-districts")


def check_scope(principal: Principal, scope_id: str) -> Refusal | None:
    if principal.role is Role.ADMIN or principal.all_scopes or scope_id in principal.scope_ids:
        return None
    return OUT_OF_SCOPE


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
        if entity in MOVES and not creating and changed == ["status"]:
            return _check_move(entity, principal.role, current, merged, open_conflicts)
        return Refusal("forbidden_role", "reviewers comment and decide; they do not edit records")
    if entity is Entity.COMPOUND:
        if principal.role is Role.ADMIN:
            return None
        if creating or not set(changed) <= INSPECTOR_COMPOUND_FIELDS:
            return Refusal("forbidden_role", "only a bureau admin may create or edit compounds")
        return None
    if principal.role is not Role.INSPECTOR:
        return Refusal("forbidden_role", "only inspectors record inspections and the register")
    if creating and entity in INITIAL_STATUS:
        refusal = _check_start(entity, merged)
        if refusal:
            return refusal
    if entity in MOVES and not creating and "status" in changed:
        refusal = _check_move(entity, principal.role, current, merged, open_conflicts)
        if refusal or entity is Entity.INSPECTION:
            return refusal
    if entity in LOCKED_WITH_INSPECTION and inspection_status not in (
        None,
        InspectionStatus.OPEN.value,
    ):
        return Refusal("locked", f"the inspection is {inspection_status}; record an amendment")
    return None


def _check_start(entity: Entity, merged: dict[str, Any]) -> Refusal | None:
    """A new record starts in its entity's initial status; reaching any other is a move."""
    initial = INITIAL_STATUS[entity]
    if merged.get("status", initial) != initial:
        return Refusal(
            "invalid_transition",
            f"a new {entity.value} starts {initial}, not {merged.get('status')}; "
            "create it, then move its status",
        )
    return None


def _check_move(
    entity: Entity,
    role: Role,
    current: dict[str, Any],
    merged: dict[str, Any],
    open_conflicts: int,
) -> Refusal | None:
    """A status move: one the role may make, and (inspections) none while conflicts are
    open."""
    move = (current.get("status"), merged.get("status"))
    if move not in MOVES[entity].get(role, frozenset()):
        return Refusal("invalid_transition", f"this role cannot move {move[0]} → {move[1]}")
    if open_conflicts:
        return Refusal(
            "open_conflict",
            f"{open_conflicts} record(s) of this inspection are in conflict; resolve them first",
        )
    return None
