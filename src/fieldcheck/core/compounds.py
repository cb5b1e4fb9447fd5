"""The compounds: the list with each compound's next deadline, whether it is overdue and its
sync mark; one compound's overview (facts, stage history); moving a compound to another
stage; seeding the demo district; importing the bureau's plan list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from fieldcheck.core.changes import NOTHING, Changes, Done, in_compound
from fieldcheck.core.sync_marks import RecordMark, compound_sync_states
from fieldcheck.domain import demo
from fieldcheck.domain.compound import Compound, SubDistrict
from fieldcheck.domain.stages import Stage, StageChange, StageDates, next_deadline
from fieldcheck.export.plan_list import PlanRow
from fieldcheck.store import photos, plan

#: Every compound of the plan, by code (for choosing one).
list_compounds = plan.list_compounds
#: The id of the compound with this id or code (NotFoundError when there is none).
resolve_compound = photos.resolve_compound


@dataclass(frozen=True)
class CompoundListRow:
    """One compound as the list shows it."""

    compound: Compound
    sub_district: str
    deadline: StageDates | None
    overdue: bool
    sync_state: RecordMark = RecordMark.LOCAL


@dataclass(frozen=True)
class CompoundList:
    rows: list[CompoundListRow]
    sub_districts: list[SubDistrict]


def compound_rows(
    session: Session, today: dt.date, *, sync_marks: bool = True
) -> list[CompoundListRow]:
    """Every compound by code with its sub-district's name, next deadline and whether it is
    overdue on ``today``, and (unless ``sync_marks`` is off) its sync mark."""
    names = {sub.id: sub.name for sub in plan.list_sub_districts(session)}
    compounds = plan.list_compounds(session)
    marks = compound_sync_states(session, [c.id for c in compounds]) if sync_marks else {}
    rows = []
    for compound in compounds:
        deadline = next_deadline(list(compound.schedule), compound.stage)
        rows.append(
            CompoundListRow(
                compound=compound,
                sub_district=names.get(compound.sub_district_id, ""),
                deadline=deadline,
                overdue=deadline is not None and deadline.is_overdue(today),
                sync_state=marks.get(compound.id, RecordMark.LOCAL),
            )
        )
    return rows


def load_compound_list(session: Session, today: dt.date) -> CompoundList:
    """The compound list and the sub-districts to filter it by."""
    return CompoundList(compound_rows(session, today), plan.list_sub_districts(session))


@dataclass(frozen=True)
class OverviewData:
    compound: Compound
    sub_district: str
    history: list[StageChange]


def load_overview(session: Session, compound_id: str) -> OverviewData:
    """One compound's facts, its sub-district's name and its stage moves, oldest first."""
    compound = plan.get_compound(session, compound_id)
    names = {sub.id: sub.name for sub in plan.list_sub_districts(session)}
    return OverviewData(
        compound,
        names.get(compound.sub_district_id, ""),
        plan.stage_history(session, compound_id),
    )


def move_stage(
    session: Session, compound_id: str, target: Stage, *, reason: str, today: dt.date
) -> Done[Compound]:
    """Move a compound to ``target`` if the stage rules allow it (``StageError`` otherwise)."""
    compound = plan.change_stage(session, compound_id, target, reason=reason, today=today)
    return Done(compound, in_compound(compound_id, Changes(compounds=True)))


def seed_demo(session: Session, year: int) -> Done[int]:
    """Add the demo district's compounds of plan year ``year`` that are not there yet, without
    outbox entries (the server holds them already); the value is how many were added."""
    created, _updated = plan.save_plan(
        session,
        demo.DEMO_DISTRICT,
        list(demo.DEMO_SUB_DISTRICTS),
        demo.demo_compounds(year),
        record_changes=False,
    )
    return Done(created, Changes(compounds=True) if created else NOTHING)


def seed_demo_if_empty(session: Session, year: int) -> Done[bool]:
    """Seed the demo district when there is no compound yet; the value says whether it did."""
    if plan.list_compounds(session):
        return Done(False)
    return Done(True, seed_demo(session, year).changes)


def import_plan(session: Session, rows: list[PlanRow]) -> Done[tuple[int, int]]:
    """Save a checked plan list (``export.plan_list.read_plan_file``); the value is how many
    compounds were (created, updated)."""
    created, updated = plan.import_plan(session, rows)
    return Done((created, updated), Changes(compounds=True) if created or updated else NOTHING)
