"""The item models on their own, without widgets: Qt's model tester on each, and the cells
that carry meaning (overdue, built after 2000, stage states)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt

from fieldcheck.core.compounds import CompoundListRow
from fieldcheck.domain import demo
from fieldcheck.domain.compound import Compound
from fieldcheck.domain.register import IllegalStructure, StructureStatus, StructureType
from fieldcheck.domain.stages import Stage, StageDates
from fieldcheck.ui.compound_table import (
    COMPOUND_ID_ROLE,
    CompoundColumn,
    CompoundFilterProxyModel,
    CompoundTableModel,
)
from fieldcheck.ui.stage_timeline import (
    OVERDUE_ROLE,
    STAGE_STATE_ROLE,
    StageTimelineTableModel,
    timeline_rows,
)
from fieldcheck.ui.structure_table import StructureColumn, StructureTableModel

TODAY = dt.date(2026, 6, 1)


def rows(compounds: list[Compound]) -> list[CompoundListRow]:
    return [
        CompoundListRow(c, "城关街道", c.schedule[0] if c.schedule else None, False)
        for c in compounds
    ]


def test_compound_model(qtmodeltester):
    model = CompoundTableModel("en")
    compounds = demo.demo_compounds(2026)
    newer = replace(compounds[0], id="new", code="CG-99", year_built=2005)
    model.set_rows(rows([*compounds, newer]))
    qtmodeltester.check(model)
    last = len(compounds)
    year = model.index(last, CompoundColumn.YEAR_BUILT)
    assert year.data() == "2005 ⚠"
    assert "after 2000" in year.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, CompoundColumn.YEAR_BUILT).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(last, 0).data(COMPOUND_ID_ROLE) == "new"


def test_compound_proxy(qtmodeltester):
    model = CompoundTableModel("zh_CN")
    model.set_rows(rows(demo.demo_compounds(2026)))
    proxy = CompoundFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.set_filters(sub_district_id=None, stage=Stage.TENDER, search="")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 3
    assert {proxy.index(r, CompoundColumn.STAGE).data() for r in range(3)} == {"审批招投标"}


def test_timeline_model(qtmodeltester):
    compound = replace(
        demo.demo_compounds(2026)[0],
        stage=Stage.BASELINE_SURVEY,
        schedule=(StageDates(Stage.BASELINE_SURVEY, planned_due=dt.date(2026, 3, 31)),),
    )
    model = StageTimelineTableModel("en")
    model.set_rows(timeline_rows(compound, TODAY))
    qtmodeltester.check(model)
    assert model.rowCount() == 10
    states = [model.index(r, 0).data(STAGE_STATE_ROLE) for r in range(10)]
    assert states == ["done", "current", *["upcoming"] * 8]
    assert model.index(1, 0).data(OVERDUE_ROLE) is True
    assert model.index(1, 1).data() == "Current · overdue"


def test_structure_model(qtmodeltester):
    model = StructureTableModel("zh_CN")
    model.set_rows(
        [
            IllegalStructure(
                id="s1",
                compound_id="c",
                location="北门",
                type=StructureType.TEMPORARY_BUILDING,
                area_m2=1250.0,
                status=StructureStatus.REMOVED,
                status_date=dt.date(2026, 5, 1),
            )
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, StructureColumn.TYPE).data() == "临时建筑"
    assert model.index(0, StructureColumn.AREA).data() == "1,250"
    assert model.index(0, StructureColumn.STATUS).data() == "已拆"
    model.set_language("en")
    assert model.index(0, StructureColumn.STATUS).data() == "Removed"
