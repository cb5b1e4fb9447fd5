"""The renovation plan on the laptop: district, sub-districts, compounds, stages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlmodel import Session, col, func, select

from fieldcheck.domain.compound import (
    DEFAULT_DISTRICT_NAME,
    FACT_FIELDS,
    Compound,
    District,
    ManagementStatus,
    SubDistrict,
)
from fieldcheck.domain.errors import NotFoundError
from fieldcheck.domain.ids import fixed_id, new_id
from fieldcheck.domain.register import StructureStatus
from fieldcheck.domain.stages import Stage, StageChange, StageDates, check_move
from fieldcheck.export.plan_list import PlanRow
from fieldcheck.store.changes import save_change
from fieldcheck.store.tables import (
    CompoundRow,
    CompoundStageRow,
    DistrictRow,
    IllegalStructureRow,
    StageChangeRow,
    SubDistrictRow,
)


def save_plan(
    session: Session,
    district: District,
    sub_districts: list[SubDistrict],
    compounds: list[Compound],
    *,
    record_changes: bool = True,
) -> tuple[int, int]:
    """Insert or update the plan; returns (created, updated) compounds. An existing compound
    keeps its stage and dates; only its facts change. ``record_changes=False`` seeds data the
    server already holds (the demo district) without outbox entries."""

    def save(row: CompoundRow, action: str) -> None:
        if record_changes:
            save_change(session, row, entity="compound", action=action)
        else:
            session.add(row)

    if session.get(DistrictRow, district.id) is None:
        session.add(DistrictRow(id=district.id, name=district.name))
    for sub in sub_districts:
        if session.get(SubDistrictRow, sub.id) is None:
            session.add(SubDistrictRow(**sub.__dict__))
    session.flush()
    created = updated = 0
    for compound in compounds:
        row = session.get(CompoundRow, compound.id)
        if row is None:
            row = CompoundRow(
                id=compound.id,
                management=compound.management.value,
                stage=compound.stage.value,
                **{f: getattr(compound, f) for f in FACT_FIELDS},
            )
            save(row, "create")
            for dates in compound.schedule:
                session.add(
                    CompoundStageRow(
                        compound_id=compound.id,
                        stage=dates.stage.value,
                        planned_due=dates.planned_due,
                        actual_done=dates.actual_done,
                    )
                )
            created += 1
            continue
        changes = {
            f: getattr(compound, f) for f in FACT_FIELDS if getattr(row, f) != getattr(compound, f)
        }
        if row.management != compound.management.value:
            changes["management"] = compound.management.value
        if changes:
            for key, value in changes.items():
                setattr(row, key, value)
            row.rev += 1
            save(row, "update")
            updated += 1
    session.flush()
    return created, updated


def list_sub_districts(session: Session) -> list[SubDistrict]:
    rows = session.exec(select(SubDistrictRow).order_by(col(SubDistrictRow.code))).all()
    return [SubDistrict(id=r.id, district_id=r.district_id, code=r.code, name=r.name) for r in rows]


def list_districts(session: Session) -> list[District]:
    return [District(id=r.id, name=r.name) for r in session.exec(select(DistrictRow)).all()]


def _schedules(
    session: Session, compound_ids: list[str] | None = None
) -> dict[str, list[StageDates]]:
    query = select(CompoundStageRow)
    if compound_ids is not None:
        query = query.where(col(CompoundStageRow.compound_id).in_(compound_ids))
    found: dict[str, list[StageDates]] = defaultdict(list)
    for r in session.exec(query).all():
        found[r.compound_id].append(StageDates(Stage(r.stage), r.planned_due, r.actual_done))
    for dates in found.values():
        dates.sort(key=lambda d: d.stage.position)
    return found


def _to_compound(row: CompoundRow, schedule: list[StageDates]) -> Compound:
    return Compound(
        id=row.id,
        management=ManagementStatus(row.management),
        stage=Stage(row.stage),
        schedule=tuple(schedule),
        **{f: getattr(row, f) for f in FACT_FIELDS},
    )


def list_compounds(session: Session) -> list[Compound]:
    rows = session.exec(select(CompoundRow).order_by(col(CompoundRow.code))).all()
    schedules = _schedules(session)
    return [_to_compound(r, schedules.get(r.id, [])) for r in rows]


def get_compound(session: Session, compound_id: str) -> Compound:
    row = session.get(CompoundRow, compound_id)
    if row is None:
        raise NotFoundError(f"no compound {compound_id}", "compound_missing", {"id": compound_id})
    return _to_compound(row, _schedules(session, [compound_id]).get(compound_id, []))


def open_structure_count(session: Session, compound_id: str) -> int:
    return session.exec(
        select(func.count(col(IllegalStructureRow.id))).where(
            IllegalStructureRow.compound_id == compound_id,
            IllegalStructureRow.status == StructureStatus.NOT_REMOVED.value,
        )
    ).one()


def change_stage(
    session: Session, compound_id: str, target: Stage, *, reason: str = "", today: dt.date
) -> Compound:
    """Move a compound to ``target`` if the stage rules allow it; record the history."""
    row = session.get(CompoundRow, compound_id)
    if row is None:
        raise NotFoundError(f"no compound {compound_id}", "compound_missing", {"id": compound_id})
    current = Stage(row.stage)
    move = check_move(
        current,
        target,
        reason=reason,
        open_illegal_structures=open_structure_count(session, compound_id),
    )
    finished = [current] if not move.backwards else []
    if move.skips_removal:
        finished.append(Stage.ILLEGAL_STRUCTURE_REMOVAL)
    for stage in finished:
        dates = session.get(CompoundStageRow, (compound_id, stage.value))
        if dates is None:
            dates = CompoundStageRow(compound_id=compound_id, stage=stage.value)
        dates.actual_done = today
        session.add(dates)
    if move.backwards:
        reopened = session.get(CompoundStageRow, (compound_id, target.value))
        if reopened is not None:
            reopened.actual_done = None
            session.add(reopened)
    session.add(
        StageChangeRow(
            id=new_id(),
            compound_id=compound_id,
            from_stage=current.value,
            to_stage=target.value,
            reason=reason,
            changed_on=today,
        )
    )
    row.stage = target.value
    row.rev += 1
    save_change(session, row, entity="compound", action="stage")
    session.flush()
    return get_compound(session, compound_id)


def stage_history(session: Session, compound_id: str) -> list[StageChange]:
    rows = session.exec(
        select(StageChangeRow)
        .where(StageChangeRow.compound_id == compound_id)
        .order_by(col(StageChangeRow.changed_at))
    ).all()
    return [
        StageChange(Stage(r.from_stage), Stage(r.to_stage), r.changed_on, r.reason) for r in rows
    ]


def import_plan(
    session: Session, rows: list[PlanRow], *, district_name: str = DEFAULT_DISTRICT_NAME
) -> tuple[int, int]:
    """Save a checked plan list; returns (created, updated). Sub-districts are matched by name
    and created when new; a compound is matched by its code. All in the caller's transaction."""
    districts = list_districts(session)
    district = (
        districts[0] if districts else District(fixed_id("district", district_name), district_name)
    )
    subs = {s.name: s for s in list_sub_districts(session)}
    for row in rows:
        if row.sub_district not in subs:
            subs[row.sub_district] = SubDistrict(
                id=fixed_id("sub_district", row.sub_district),
                district_id=district.id,
                code=row.sub_district,
                name=row.sub_district,
            )
    existing = {r.code: r.id for r in session.exec(select(CompoundRow)).all()}
    compounds = [
        row.to_compound(
            existing.get(row.code) or fixed_id("compound", row.code), subs[row.sub_district].id
        )
        for row in rows
    ]
    return save_plan(session, district, list(subs.values()), compounds)
