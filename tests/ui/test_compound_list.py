"""(a) The app starts on an empty data folder with the 27 demo compounds; the filters and the
search change the visible rows; overdue compounds are marked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from fieldcheck.domain import demo
from fieldcheck.domain.stages import Stage
from fieldcheck.ui.compound_table import COMPOUND_ID_ROLE, OVERDUE_ROLE, CompoundColumn

from .conftest import DEMO_COMPOUNDS, compound_id


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in the combo"
    combo.setCurrentIndex(index)


def test_empty_folder_starts_on_the_demo_district(start_app, data_paths):
    app = start_app()
    panel = app.window.compound_list
    assert len(panel.visible_compound_ids()) == DEMO_COMPOUNDS
    assert panel.count_label.text() == "27 of 27 compounds"
    assert data_paths.database.exists()
    assert app.window.network_label.text() == "Offline"
    assert app.window.pending_label.text() == "Pending changes: 0"


def test_filters_by_sub_district_stage_and_search(start_app):
    panel = start_app().window.compound_list
    compounds = demo.demo_compounds(dt.date.today().year)
    east = next(s for s in demo.DEMO_SUB_DISTRICTS if s.code == "DG")

    choose(panel.sub_district_filter, east.name)
    in_east = {c.id for c in compounds if c.sub_district_id == east.id}
    assert set(panel.visible_compound_ids()) == in_east

    choose(panel.stage_filter, Stage.CONSTRUCTION.label.en)
    assert set(panel.visible_compound_ids()) == {
        c.id for c in compounds if c.id in in_east and c.stage is Stage.CONSTRUCTION
    }

    panel.sub_district_filter.setCurrentIndex(0)
    assert len(panel.visible_compound_ids()) == sum(
        c.stage is Stage.CONSTRUCTION for c in compounds
    )

    panel.stage_filter.setCurrentIndex(0)
    panel.search.setText("纺织")
    assert panel.visible_compound_ids() == [compound_id("CG-01")]
    panel.search.clear()
    assert len(panel.visible_compound_ids()) == DEMO_COMPOUNDS


def test_sorting_by_floor_area(start_app):
    panel = start_app().window.compound_list
    panel.table.sortByColumn(CompoundColumn.FLOOR_AREA, Qt.SortOrder.DescendingOrder)
    largest = max(demo.demo_compounds(2026), key=lambda c: c.floor_area_m2)
    assert panel.visible_compound_ids()[0] == largest.id


def test_overdue_compounds_are_marked(start_app):
    app = start_app()
    year = dt.date.today().year
    app.context.today = lambda: dt.date(year, 6, 1)
    panel = app.window.compound_list
    with app.qtbot.waitSignal(panel.rows_loaded):
        panel.load()
    overdue = {
        panel.proxy.index(row, 0).data(COMPOUND_ID_ROLE)
        for row in range(panel.proxy.rowCount())
        if panel.proxy.index(row, 0).data(OVERDUE_ROLE)
    }
    # The two compounds still at the baseline survey missed its 31 March deadline.
    assert overdue == {compound_id("CG-04"), compound_id("NH-02")}
    row = panel.model.row_of(compound_id("CG-04"))
    overdue_cell = panel.model.index(row, CompoundColumn.OVERDUE)
    assert overdue_cell.data() == "Overdue"
    assert overdue_cell.data(Qt.ItemDataRole.BackgroundRole) is not None


def test_selecting_a_compound_shows_its_page(start_app):
    app = start_app()
    app.open_compound("CG-03")
    assert app.window.right.currentWidget() is app.page
    assert app.page.title.text() == "CG-03  人民路小区"
    assert app.page.overview._fact_values["name"].text() == "人民路小区"
