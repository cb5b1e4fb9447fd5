"""Sync marks in the checklist: a small mark in each item's heading (waiting to upload,
synced, conflict, rejected), the worst state of the item's answers. The states are loaded by
a read op (``core.sync_marks.item_sync_states``) whenever the checklist shows or saves answers and
after every sync; the checklist itself is not changed, the marks are added to its headings."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from fieldcheck.core.sync_marks import RecordMark, item_sync_states, needs_attention
from fieldcheck.ui.checklist_view import ChecklistView
from fieldcheck.ui.ops import Generation, OpRunner
from fieldcheck.ui.sync_controller import SyncController
from fieldcheck.ui.sync_texts import STATE_MARKS, state_text

MARK_NAME = "sync-mark"


class ItemSyncMarks(QObject):
    """Keeps the marks of the items the checklist shows up to date."""

    def __init__(self, checklist: ChecklistView, ops: OpRunner, controller: SyncController):
        super().__init__(checklist)
        self.checklist = checklist
        self.ops = ops
        self.states: dict[str, RecordMark] = {}
        self._generation = Generation()
        checklist.answers_loaded.connect(self.load)
        checklist.answer_saved.connect(self.load)
        checklist.entry_retracted.connect(self.load)
        checklist.category_list.currentRowChanged.connect(lambda _row: self.show())
        controller.sync_finished.connect(self.load)

    def load(self, *_args: object) -> None:
        inspection = self.checklist.inspection
        self._generation.advance()
        if inspection is None:
            self.states = {}
            self.show()
            return
        inspection_id = inspection.id
        self.ops.read(lambda s: item_sync_states(s, inspection_id)).guarded_by(
            self._generation
        ).on_success(self._loaded).run()

    def _loaded(self, states: dict[str, RecordMark]) -> None:
        self.states = states
        self.show()

    def show(self) -> None:
        for code, widget in self.checklist.items.items():
            mark = widget.findChild(QLabel, MARK_NAME)
            if mark is None:
                mark = QLabel()
                mark.setObjectName(MARK_NAME)
                widget.header.insertWidget(2, mark)
            state = self.states.get(code, RecordMark.LOCAL)
            mark.setText(STATE_MARKS.get(state, ""))
            mark.setToolTip(state_text(state) if state != RecordMark.LOCAL else "")
            mark.setStyleSheet("color: #b91c1c;" if needs_attention(state) else "color: #6b7280;")
