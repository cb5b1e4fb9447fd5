"""The compound page's Overview tab: the compound's facts, its stage timeline, the control to
move it to another stage and the history of its stage moves."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core.changes import Changes
from fieldcheck.core.compounds import OverviewData, load_overview, move_stage
from fieldcheck.domain.compound import Compound
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.stages import next_stages
from fieldcheck.ui.app_view import AppView
from fieldcheck.ui.colors import WARNING_STYLE
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.formatting import format_date, format_number
from fieldcheck.ui.move_stage_dialog import MoveStageDialog
from fieldcheck.ui.stage_timeline import StageTimelineTableModel, TimelineColumn, timeline_rows
from fieldcheck.ui.table_view import fit_height_to_rows, make_table_view

FACTS = (
    "code",
    "name",
    "address",
    "sub_district",
    "year_built",
    "floor_area",
    "buildings",
    "households",
    "management",
    "plan_year",
)


class OverviewTab(AppView):
    """Shows one compound; ``loaded`` and ``stage_changed`` carry the compound id."""

    loaded = Signal(str)
    stage_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._data: OverviewData | None = None
        self.move_dialog: MoveStageDialog | None = None

        self._fact_names = {key: QLabel() for key in FACTS}
        self._fact_values = {key: QLabel() for key in FACTS}
        self.age_warning = QLabel()
        self.age_warning.setStyleSheet(WARNING_STYLE)
        self.age_warning.setWordWrap(True)
        self.facts_box = QGroupBox()
        facts = QGridLayout(self.facts_box)
        for i, key in enumerate(FACTS):
            row, pair = divmod(i, 2)
            facts.addWidget(self._fact_names[key], row, pair * 2)
            facts.addWidget(self._fact_values[key], row, pair * 2 + 1)
            self._fact_values[key].setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
            )
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        facts.addWidget(self.age_warning, len(FACTS) // 2, 0, 1, 4)

        self.timeline_model = StageTimelineTableModel(context.language, self)
        self.timeline = make_table_view(self.timeline_model, selectable=False)
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TimelineColumn.STAGE, QHeaderView.ResizeMode.ResizeToContents)
        self.move_button = QPushButton()
        self.move_button.clicked.connect(self.open_move_dialog)
        self.move_error = error_label()
        self.stages_box = QGroupBox()
        stages = QVBoxLayout(self.stages_box)
        stages.addWidget(self.timeline)
        move_row = QHBoxLayout()
        move_row.addWidget(self.move_button)
        move_row.addWidget(self.move_error, 1)
        stages.addLayout(move_row)

        self.history = QListWidget()
        self.history_box = QGroupBox()
        QVBoxLayout(self.history_box).addWidget(self.history)

        layout = QVBoxLayout(self)
        layout.addWidget(self.facts_box)
        layout.addWidget(self.stages_box)
        layout.addWidget(self.history_box, 1)
        self.retranslate_ui()

    @property
    def compound(self) -> Compound | None:
        return self._data.compound if self._data else None

    def show_compound(self, compound_id: str) -> None:
        self._generation.advance()
        self.move_error.clear()
        self._context.ops.read(lambda s: load_overview(s, compound_id)).guarded_by(
            self._generation
        ).on_success(self._show).run()

    def on_changes(self, changes: Changes, _initiator: object = None) -> None:
        data = self._data
        if data is None or not changes.touches(data.compound.id):
            return
        if changes.compounds or changes.pulled:
            self.show_compound(data.compound.id)

    def open_move_dialog(self) -> None:
        if self._data is None:
            return
        self.move_dialog = MoveStageDialog(self._data.compound, self._context.language, self)
        self.move_dialog.accepted.connect(self._move_chosen)
        self.move_dialog.open()

    def retranslate_ui(self) -> None:
        names = {
            "code": self.tr("Code"),
            "name": self.tr("Name"),
            "address": self.tr("Address"),
            "sub_district": self.tr("Sub-district"),
            "year_built": self.tr("Year built"),
            "floor_area": self.tr("Floor area"),
            "buildings": self.tr("Buildings"),
            "households": self.tr("Households"),
            "management": self.tr("Property management"),
            "plan_year": self.tr("Plan year"),
        }
        for key, text in names.items():
            self._fact_names[key].setText(self.tr("{label}:").format(label=text))
        self.facts_box.setTitle(self.tr("Facts"))
        self.stages_box.setTitle(self.tr("Stages"))
        self.history_box.setTitle(self.tr("Stage history"))
        self.move_button.setText(self.tr("Move to stage…"))
        self.timeline_model.set_language(self._context.language)
        if self._data is not None:
            self._show(self._data)

    def _show(self, data: OverviewData) -> None:
        self._data = data
        compound = data.compound
        language = self._context.language
        values = {
            "code": compound.code,
            "name": compound.name,
            "address": compound.address,
            "sub_district": data.sub_district,
            "year_built": str(compound.year_built),
            "floor_area": self.tr("{area} m²").format(area=format_number(compound.floor_area_m2)),
            "buildings": str(compound.buildings),
            "households": str(compound.households),
            "management": compound.management.label.get(language),
            "plan_year": str(compound.plan_year),
        }
        for key, text in values.items():
            self._fact_values[key].setText(text)
        self.age_warning.setVisible(compound.built_after_2000)
        self.age_warning.setText(
            self.tr("⚠ Built after 2000: outside the old-compound definition; check eligibility.")
        )
        self.timeline_model.set_rows(timeline_rows(compound, self._context.today()))
        fit_height_to_rows(self.timeline)
        self.move_button.setEnabled(bool(next_stages(compound.stage)))
        self.history.clear()
        for change in data.history:
            line = self.tr("{date}: {from_stage} → {to_stage}").format(
                date=format_date(change.changed_on),
                from_stage=change.from_stage.label.get(language),
                to_stage=change.to_stage.label.get(language),
            )
            if change.reason:
                line += self.tr(" (reason: {reason})").format(reason=change.reason)
            self.history.addItem(line)
        if not data.history:
            self.history.addItem(self.tr("No stage moves recorded yet."))
        self.loaded.emit(compound.id)

    def _move_chosen(self) -> None:
        dialog, data = self.move_dialog, self._data
        if dialog is None or data is None:
            return
        compound_id, target, reason = data.compound.id, dialog.target(), dialog.reason()
        today = self._context.today()
        self._context.ops.write(
            lambda s: move_stage(s, compound_id, target, reason=reason, today=today)
        ).initiated_by(self).guarded_by(self._generation).on_success(
            lambda compound: self.stage_changed.emit(compound.id)
        ).on_failure(self._show_move_error).run()

    def _show_move_error(self, error: FieldcheckError) -> None:
        self.move_error.setText(self.message(error))
