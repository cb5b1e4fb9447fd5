"""Before/after pairing from the UI: "Add after photo of this spot…" from a baseline photo, and
finding the pairs to compare for any photo of a viewpoint.

Adding an after photo: pick a file (a classmethod tests patch), make (or reuse) the viewpoint of
the baseline photo on the writer, import the file as phase "after" into that viewpoint on the
photo pool, link it when the bytes were already imported as an after photo, and hand back the
viewpoint's before/after pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from fieldcheck.core.photo_import import ImportStatus, ImportSummary, run_import
from fieldcheck.core.photos import pair_after_photo, start_viewpoint, viewpoint_pairs
from fieldcheck.domain.errors import FieldcheckError, ValidationError
from fieldcheck.domain.evidence import Viewpoint
from fieldcheck.domain.photo import BeforeAfterPair, Phase, Photo, PhotoTarget
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.messages import error_text
from fieldcheck.ui.photo_import_dialog import IMAGE_FILTER
from fieldcheck.ui.photo_texts import refusal_reason


def pairs_for(pairs: list[BeforeAfterPair], photo_id: str) -> int:
    """The index of the pair showing ``photo_id`` (the last pair for the baseline)."""
    index = next((i for i, pair in enumerate(pairs) if pair.after.id == photo_id), -1)
    return index if index >= 0 else len(pairs) - 1


class AfterPhotoFlow(QObject):
    """``paired`` carries (the new after photo's id, the viewpoint's pairs); ``failed`` a
    translated message."""

    paired = Signal(str, object)
    failed = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self._context = context
        self.running = False

    @classmethod
    def pick_file(cls, parent: QWidget | None, title: str, filter_text: str) -> Path | None:
        name, _chosen = QFileDialog.getOpenFileName(parent, title, "", filter_text)
        return Path(name) if name else None

    def start(self, baseline: Photo, parent: QWidget | None) -> bool:
        """Ask for the file and start; False when the user chose nothing or a run is going."""
        if self.running or baseline.phase is not Phase.BEFORE:
            return False
        path = self.pick_file(
            parent,
            self.tr("Choose the after photo of this spot"),
            self.tr("Photos ({patterns});;All files (*)").format(patterns=IMAGE_FILTER),
        )
        if path is None:
            return False
        self.running = True
        self._context.ops.write(lambda s: start_viewpoint(s, baseline.id)).on_success(
            lambda viewpoint: self._import(baseline, viewpoint, path)
        ).on_failure(self._failed).run()
        return True

    def _import(self, baseline: Photo, viewpoint: Viewpoint, path: Path) -> None:
        context = self._context
        target = PhotoTarget(
            compound_id=baseline.compound_id,
            phase=Phase.AFTER,
            category=baseline.category or viewpoint.category.value,
            item_code=baseline.item_code,
            structure_id=baseline.structure_id,
            viewpoint_id=viewpoint.id,
            inspector=context.settings.inspector,
        )
        store = context.store
        context.ops.task(lambda: run_import(store, [path], target)).on_success(
            lambda summary: self._imported(viewpoint, summary)
        ).on_failure(self._failed).run()

    def _imported(self, viewpoint: Viewpoint, summary: ImportSummary) -> None:
        outcome = summary.outcomes[0] if summary.outcomes else None
        if outcome is None or outcome.photo is None or outcome.status is ImportStatus.REFUSED:
            self.running = False
            code, reason = (outcome.code, outcome.reason) if outcome else ("", "")
            self.failed.emit(
                self.tr("The after photo was not imported: {reason}").format(
                    reason=refusal_reason(code, reason)
                )
            )
            return
        after = outcome.photo
        viewpoint_id = viewpoint.id
        self._context.ops.write(lambda s: pair_after_photo(s, after, viewpoint_id)).on_success(
            lambda pairs: self._paired(after.id, pairs)
        ).on_failure(self._failed).run()

    def _paired(self, after_id: str, pairs: list[BeforeAfterPair]) -> None:
        self.running = False
        self.paired.emit(after_id, pairs)

    def _failed(self, error: FieldcheckError) -> None:
        self.running = False
        self.failed.emit(error_text(error, self._context.language))


def load_pairs(
    context: AppContext, photo: Photo, on_pairs: Callable[[list[BeforeAfterPair], int], None]
) -> None:
    """Read the pairs of ``photo``'s viewpoint and call ``on_pairs(pairs, index)``."""
    viewpoint_id = photo.viewpoint_id
    if viewpoint_id is None:
        raise ValidationError("the photo has no viewpoint", "viewpoint_missing")
    context.ops.read(lambda s: viewpoint_pairs(s, viewpoint_id)).on_success(
        lambda pairs: on_pairs(pairs, pairs_for(pairs, photo.id))
    ).run()
