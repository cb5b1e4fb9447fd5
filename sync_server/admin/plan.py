"""Loading the compound plan on the server: a plan list file (read by the same reader as the
laptop's import) or the demo district, with the laptop's ids.

Compounds become records through the same push code laptops use, as ops by the server's own
admin identity, so they get versions, change numbers and ledger entries like any record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from fieldcheck.domain import demo
from fieldcheck.domain.compound import DEFAULT_DISTRICT_NAME, FACT_FIELDS, Compound, SubDistrict
from fieldcheck.domain.ids import fixed_id
from fieldcheck.export.plan_list import PlanRow
from fieldcheck.protocol.auth import Role
from fieldcheck.protocol.ops import Action, Entity, Op, OpResult, OpStatus
from sync_server.admin.models import Scope
from sync_server.auth.principal import Principal
from sync_server.state import lock_counter
from sync_server.sync.models import Record
from sync_server.sync.service import push_ops
from sync_server.timeutil import utcnow

#: The identity plan changes made on the server are recorded under.
SERVER_DEVICE = "fieldcheck-server"


def server_admin() -> Principal:
    return Principal(
        user_id=0,
        username="server-admin",
        role=Role.ADMIN,
        all_scopes=True,
        scope_ids=frozenset(),
        device_id=SERVER_DEVICE,
        token_hash="",
        expires_at=utcnow(),
    )


@dataclass(frozen=True)
class PlanSummary:
    scopes_added: int
    created: int
    updated: int
    unchanged: int
    refused: list[OpResult]


def compound_fields(compound: Compound) -> dict[str, Any]:
    """A compound as the laptop's snapshot carries it."""
    fields = {f: getattr(compound, f) for f in FACT_FIELDS}
    return {**fields, "management": compound.management.value, "stage": compound.stage.value}


def save_plan(
    session: Session, subs: Iterable[SubDistrict], compounds: list[Compound]
) -> PlanSummary:
    """Add missing scopes and create or update compounds (facts only: a compound keeps its
    stage once on the server). The caller commits."""
    added = 0
    for sub in subs:
        if session.get(Scope, sub.id) is None:
            session.add(Scope(id=sub.id, district_id=sub.district_id, code=sub.code, name=sub.name))
            added += 1
    session.flush()
    lock_counter(session)
    ops = []
    for compound in compounds:
        fields = compound_fields(compound)
        record = session.get(Record, (Entity.COMPOUND.value, compound.id))
        if record is not None:
            fields = {**fields, "stage": record.data.get("stage", fields["stage"])}
        ops.append(
            Op(
                op_id=str(uuid.uuid4()),
                entity=Entity.COMPOUND,
                id=compound.id,
                action=Action.UPDATE if record else Action.CREATE,
                base_rev=record.head_rev if record else 0,
                fields=fields,
            )
        )
    results = push_ops(session, server_admin(), SERVER_DEVICE, ops)
    created = sum(
        1
        for op, r in zip(ops, results, strict=True)
        if op.action is Action.CREATE and r.status is OpStatus.APPLIED
    )
    unchanged = sum(1 for r in results if r.code == "unchanged")
    ok = {OpStatus.APPLIED, OpStatus.MERGED}
    updated = sum(1 for r in results if r.status in ok) - created - unchanged
    refused = [r for r in results if r.status not in ok]
    return PlanSummary(added, created, updated, unchanged, refused)


def import_rows(session: Session, rows: list[PlanRow]) -> PlanSummary:
    """Import checked plan-list rows; sub-districts are matched by name, compounds by code."""
    scopes = list(session.exec(select(Scope)).all())
    district_id = scopes[0].district_id if scopes else fixed_id("district", DEFAULT_DISTRICT_NAME)
    subs = {s.name: SubDistrict(s.id, s.district_id, s.code, s.name) for s in scopes}
    for row in rows:
        subs.setdefault(
            row.sub_district,
            SubDistrict(
                fixed_id("sub_district", row.sub_district),
                district_id,
                row.sub_district,
                row.sub_district,
            ),
        )
    existing = {
        r.data.get("code"): r.id
        for r in session.exec(select(Record).where(Record.entity == Entity.COMPOUND.value)).all()
    }
    compounds = [
        row.to_compound(
            existing.get(row.code) or fixed_id("compound", row.code), subs[row.sub_district].id
        )
        for row in rows
    ]
    return save_plan(session, subs.values(), compounds)


def seed_demo(session: Session, year: int | None = None) -> PlanSummary:
    """The demo district, with the same ids as the laptop's ``fieldcheck demo``."""
    year = year or dt.date.today().year
    return save_plan(session, demo.DEMO_SUB_DISTRICTS, demo.demo_compounds(year))
