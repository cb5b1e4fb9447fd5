"""The contract between the laptop and the server: what the laptop's store writes to its
outbox is a valid push, and the server applies it (built through the laptop's own code)."""

from __future__ import annotations

import datetime as dt

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.ids import new_id
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.register import IllegalStructure, StructureType
from fieldcheck.domain.stages import Stage
from fieldcheck.protocol.ops import Op
from fieldcheck.protocol.records import ENTITY_FIELDS
from fieldcheck.store import inspections, plan, rectifications, register
from fieldcheck.store.syncbook import outbox
from sync_server.testing import COMPOUNDS

TODAY = dt.date(2026, 3, 2)


def laptop_changes(store) -> list[dict]:
    """Make one change of each kind an inspector makes, as the app does, and return the
    outbox as push ops."""
    catalog = shipped_catalog()
    compound = COMPOUNDS["CG-01"]
    with store.write() as session:
        inspection = inspections.start_inspection(
            session, compound, InspectionKind.BASELINE_SURVEY, "李工", catalog.latest(), TODAY
        )
    with store.write() as session:
        inspections.save_answer(
            session,
            catalog,
            inspection.id,
            "1.1",
            {"entrances": 2, "guard_post": "fail"},
            "门岗缺失",
        )
        register.save_structure(
            session,
            IllegalStructure(
                id=new_id(),
                compound_id=compound,
                location="3号楼北侧",
                type=StructureType.MAKESHIFT_SHED,
                area_m2=18.5,
            ),
        )
        rectifications.open_action(session, inspection.id, "1.1", "物业公司", TODAY)
        plan.change_stage(
            session, compound, Stage.COMPLETION_SELF_CHECK, reason="demo", today=TODAY
        )
    with store.write() as session:
        inspections.retract_answer(session, inspection.id, "1.1", 0, "entered twice", "李工")
    with store.read() as session:
        rows = outbox.pending(session)
    return [
        {
            "op_id": r.op_id,
            "entity": r.entity,
            "id": r.entity_id,
            "action": r.action,
            "base_rev": r.base_rev,
            "fields": r.payload,
        }
        for r in rows
    ]


def test_the_laptops_outbox_is_valid_protocol(demo_store):
    ops = laptop_changes(demo_store)
    assert {op["entity"] for op in ops} >= {
        "inspection",
        "answer",
        "illegal_structure",
        "rectification_action",
        "compound",
        "retraction",
    }
    for op in ops:
        parsed = Op.model_validate(op)
        ENTITY_FIELDS[parsed.entity].model_validate(parsed.fields)


def test_the_server_applies_the_laptops_outbox(demo_store, world):
    ops = laptop_changes(demo_store)
    alice = world.client("alice")
    response = alice.push(ops)
    assert response.status_code == 200, response.text
    results = {(r["entity"], r["status"], r["code"]) for r in response.json()["results"]}
    assert all(status == "applied" for _, status, _ in results), results
