"""The local store: round trips, one outbox entry per change in the same transaction,
deterministic answer ids, pinned template versions, the illegal-structure register."""

import copy
import datetime as dt
import json

import pytest
from sqlmodel import select

from fieldcheck.catalog import TemplateCatalog, shipped_catalog, templates_dir
from fieldcheck.domain.errors import FrozenRecordError, StageTransitionError, ValidationError
from fieldcheck.domain.ids import answer_id
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.domain.register import IllegalStructure, StructureStatus, StructureType
from fieldcheck.domain.stages import Stage
from fieldcheck.store import inspections, plan, register
from fieldcheck.store.database import Store
from fieldcheck.store.syncbook import outbox
from fieldcheck.store.tables import InspectionRow, OutboxRow

TODAY = dt.date(2026, 4, 2)


def first_compound(store, code="CG-04"):
    with store.read() as session:
        return next(c for c in plan.list_compounds(session) if c.code == code)


def start(store, catalog=None, kind=InspectionKind.BASELINE_SURVEY):
    catalog = catalog or shipped_catalog()
    compound = first_compound(store)
    with store.write() as session:
        return inspections.start_inspection(
            session, compound.id, kind, "李工", catalog.latest(), TODAY
        )


def outbox_entries(store):
    with store.read() as session:
        return outbox.pending(session)


def test_opening_creates_wal_database_with_foreign_keys(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert store.paths.database.exists()


def test_demo_seed_round_trips_without_outbox_entries(demo_store, data_paths):
    demo_store.close()
    reopened = Store.open(data_paths)
    with reopened.read() as session:
        compounds = plan.list_compounds(session)
        assert len(compounds) == 27
        assert sum(c.floor_area_m2 for c in compounds) == pytest.approx(1_070_000)
        assert outbox.pending_count(session) == 0
    reopened.close()


def test_answers_round_trip_with_one_outbox_entry_per_change(demo_store, data_paths):
    inspection = start(demo_store)
    catalog = shipped_catalog()
    with demo_store.write() as session:
        saved = inspections.save_answer(
            session,
            catalog,
            inspection.id,
            "1.1",
            {"entrances": 2, "guard_post": "fail"},
            "门岗缺失",
        )
    assert saved.id == answer_id(inspection.id, "1.1")
    with demo_store.write() as session:  # the same values again: nothing changes
        inspections.save_answer(
            session,
            catalog,
            inspection.id,
            "1.1",
            {"entrances": 2, "guard_post": "fail"},
            "门岗缺失",
        )
    with demo_store.write() as session:
        inspections.save_answer(
            session,
            catalog,
            inspection.id,
            "1.1",
            {"entrances": 3, "guard_post": "fail"},
            "门岗缺失",
        )
    entries = outbox_entries(demo_store)
    assert [(e.entity, e.action, e.base_rev) for e in entries] == [
        ("inspection", "create", 0),
        ("answer", "create", 0),
        ("answer", "update", 1),
    ]
    assert entries[-1].payload["values"] == {"entrances": 3, "guard_post": "fail"}
    demo_store.close()
    reopened = Store.open(data_paths)
    with reopened.read() as session:
        (answer,) = inspections.list_answers(session, inspection.id)
    assert answer.values == {"entrances": 3, "guard_post": "fail"}
    assert answer.note == "门岗缺失"
    assert answer.rev == 2
    reopened.close()


def test_a_failed_change_leaves_neither_record_nor_outbox_entry(demo_store):
    inspection = start(demo_store)
    before = len(outbox_entries(demo_store))

    def good_then_bad():
        with demo_store.write() as session:
            inspections.save_answer(
                session, shipped_catalog(), inspection.id, "1.1", {"entrances": 1}
            )
            inspections.save_answer(
                session, shipped_catalog(), inspection.id, "1.12", {"working": -5}
            )

    with pytest.raises(ValidationError):
        good_then_bad()
    assert len(outbox_entries(demo_store)) == before
    with demo_store.read() as session:
        assert inspections.list_answers(session, inspection.id) == []


def test_item_outside_the_inspection_kind_is_refused(demo_store):
    inspection = start(demo_store)  # baseline survey: acceptance-only items are not asked
    with pytest.raises(ValidationError) as caught, demo_store.write() as session:
        inspections.save_answer(session, shipped_catalog(), inspection.id, "1.4", {})
    assert caught.value.code == "answer_unknown_item"


def test_accepted_inspection_is_frozen(demo_store):
    inspection = start(demo_store)
    with demo_store.write() as session:
        session.get(InspectionRow, inspection.id).status = "accepted"
    with pytest.raises(FrozenRecordError), demo_store.write() as session:
        inspections.save_answer(session, shipped_catalog(), inspection.id, "1.1", {"entrances": 1})


def test_inspection_keeps_its_template_version(demo_store, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    v1 = json.loads((templates_dir() / "renovation-checklist-v1.json").read_text(encoding="utf-8"))
    (folder / "v1.json").write_text(json.dumps(v1), encoding="utf-8")
    old = start(demo_store, TemplateCatalog(folder))
    v2 = copy.deepcopy(v1)
    v2["version"] = 2
    item = v2["categories"][0]["items"][0]
    item["fields"] = [{"key": "gates", "type": "count", "label": {"zh": "大门", "en": "Gates"}}]
    (folder / "v2.json").write_text(json.dumps(v2), encoding="utf-8")
    catalog = TemplateCatalog(folder)
    new = start(demo_store, catalog)
    assert (old.template_version, new.template_version) == (1, 2)
    with demo_store.write() as session:
        inspections.save_answer(session, catalog, old.id, "1.1", {"entrances": 2})
        inspections.save_answer(session, catalog, new.id, "1.1", {"gates": 2})
    with pytest.raises(ValidationError), demo_store.write() as session:
        inspections.save_answer(session, catalog, old.id, "1.1", {"gates": 2})


def test_stage_change_records_history_dates_and_outbox(demo_store):
    compound = first_compound(demo_store)  # CG-04 is at the baseline survey
    with demo_store.write() as session:
        moved = plan.change_stage(
            session, compound.id, Stage.ILLEGAL_STRUCTURE_REMOVAL, today=TODAY
        )
    assert moved.stage is Stage.ILLEGAL_STRUCTURE_REMOVAL
    assert moved.dates(Stage.BASELINE_SURVEY).actual_done == TODAY
    with demo_store.write() as session:
        back = plan.change_stage(
            session, compound.id, Stage.BASELINE_SURVEY, reason="补拍原貌", today=TODAY
        )
    assert back.dates(Stage.BASELINE_SURVEY).actual_done is None
    with demo_store.read() as session:
        history = plan.stage_history(session, compound.id)
    assert [(h.to_stage, h.reason) for h in history] == [
        (Stage.ILLEGAL_STRUCTURE_REMOVAL, ""),
        (Stage.BASELINE_SURVEY, "补拍原貌"),
    ]
    assert [e.action for e in outbox_entries(demo_store)] == ["stage", "stage"]


def test_registered_structures_block_skipping_removal(demo_store):
    compound = first_compound(demo_store)
    with demo_store.write() as session:
        register.save_structure(
            session,
            IllegalStructure(
                "", compound.id, "3号楼北侧", StructureType.MAKESHIFT_SHED, 12.5, "住户"
            ),
        )
    with pytest.raises(StageTransitionError) as caught, demo_store.write() as session:
        plan.change_stage(session, compound.id, Stage.DESIGN_NOTICE, today=TODAY)
    assert caught.value.code == "stage_removal_pending"


def test_register_add_edit_and_status(demo_store):
    compound = first_compound(demo_store)
    with demo_store.write() as session:
        shed = register.save_structure(
            session,
            IllegalStructure(
                "", compound.id, "2号楼东", StructureType.TEMPORARY_BUILDING, 20, "商户"
            ),
        )
    with demo_store.write() as session:
        register.save_structure(session, IllegalStructure(**{**shed.__dict__, "area_m2": 24.0}))
        removed = register.change_structure_status(session, shed.id, StructureStatus.REMOVED, TODAY)
    assert (removed.area_m2, removed.status, removed.status_date, removed.rev) == (
        24.0,
        StructureStatus.REMOVED,
        TODAY,
        3,
    )
    with pytest.raises(ValidationError) as caught, demo_store.write() as session:
        register.save_structure(session, IllegalStructure(**{**shed.__dict__, "area_m2": -3}))
    assert caught.value.code == "structure_area"
    with demo_store.read() as session:
        (listed,) = register.list_structures(session, compound.id)
        entries = session.exec(
            select(OutboxRow).where(OutboxRow.entity == "illegal_structure")
        ).all()
    assert listed.area_m2 == 24.0
    assert [e.action for e in entries] == ["create", "update", "update"]
