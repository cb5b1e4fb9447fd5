"""Before/after: "Add after photo of this spot…" from a baseline photo makes the viewpoint,
imports the file as an after photo of it and opens the compare view with both images, side by
side and as an overlay with a slider; the gallery's context menu reaches the same views."""

from __future__ import annotations

from pathlib import Path

from fieldcheck.domain.photo import Phase
from fieldcheck.store import photos as photo_store
from fieldcheck.ui.photo_viewpoints import AfterPhotoFlow

from .conftest import WAIT_MS
from .photo_steps import corpus_file, import_folder, open_photos, open_viewer, photo_folder


def patch_picker(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(
        AfterPhotoFlow, "pick_file", classmethod(lambda cls, parent, title, filters: path)
    )


def test_add_after_photo_pairs_it_with_the_baseline_and_compares(start_app, tmp_path, monkeypatch):
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, photo_folder(tmp_path / "before", ["Landscape_1.jpg"]), monkeypatch)
    viewer = open_viewer(app, tab, "Landscape_1.jpg")
    assert viewer.add_after_action.isVisible()
    assert not viewer.compare_action.isEnabled()

    patch_picker(monkeypatch, corpus_file("Landscape_5.jpg"))
    with app.qtbot.waitSignal(viewer.compare_opened, timeout=WAIT_MS) as opened:
        viewer.add_after_action.trigger()
    compare = opened.args[0]
    app.qtbot.waitUntil(compare.images_loaded, timeout=WAIT_MS)
    pair = compare.pair
    assert pair.before.original_name == "Landscape_1.jpg"
    assert pair.after.original_name == "Landscape_5.jpg"
    assert pair.after.phase is Phase.AFTER
    assert pair.before.viewpoint_id == pair.after.viewpoint_id is not None
    # Both images are on screen, the right way up (landscape).
    before, after = compare.before_pane.bottom, compare.after_pane.bottom
    assert not before.isNull()
    assert not after.isNull()
    assert after.width() > after.height()
    assert before.width() > before.height()
    compare.show_overlay()
    assert compare.overlay_pane.bottom is before
    assert compare.overlay_pane.top is after
    compare.slider.setValue(80)
    assert compare.overlay_pane.opacity == 0.8
    compare.close()

    with app.context.store.read() as session:
        pairs = photo_store.viewpoint_pairs(session, pair.before.viewpoint_id)
    assert [(p.before.id, p.after.id) for p in pairs] == [(pair.before.id, pair.after.id)]
    assert viewer.compare_action.isEnabled()
    viewer.close()

    # The gallery now has both photos; its context menu compares them too.
    app.qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=WAIT_MS)
    row = next(i for i, p in enumerate(tab.model.rows) if p.phase is Phase.AFTER)
    actions = tab.context_actions(tab.model.photo(row))
    texts = [a.text() for a in actions]
    assert texts == ["Open", "Add after photo of this spot…", "Compare before/after"]
    assert not actions[1].isEnabled()  # only from a baseline photo
    with app.qtbot.waitSignal(tab.compare_opened, timeout=WAIT_MS) as opened:
        actions[2].trigger()
    again = opened.args[0]
    assert again.pair.after.id == pair.after.id
    app.qtbot.waitUntil(again.images_loaded, timeout=WAIT_MS)
    again.close()


def test_add_after_photo_from_the_gallery_and_a_refused_file(start_app, tmp_path, monkeypatch):
    app = start_app("en")
    tab = open_photos(app)
    import_folder(app, tab, photo_folder(tmp_path / "before", ["Portrait_1.jpg"]), monkeypatch)
    baseline = tab.model.photo(0)
    junk = tmp_path / "after.jpg"
    junk.write_text("not a photo", encoding="utf-8")
    patch_picker(monkeypatch, junk)
    tab.context_actions(baseline)[1].trigger()
    app.qtbot.waitUntil(lambda: bool(tab.error_label.text()), timeout=WAIT_MS)
    assert tab.error_label.text() == "The after photo was not imported: Not a photo."

    patch_picker(monkeypatch, corpus_file("Portrait_2.jpg"))
    with app.qtbot.waitSignal(tab.compare_opened, timeout=WAIT_MS) as opened:
        tab.context_actions(baseline)[1].trigger()
    compare = opened.args[0]
    assert compare.pair.before.id == baseline.id
    assert compare.pair.after.original_name == "Portrait_2.jpg"
    app.qtbot.waitUntil(compare.images_loaded, timeout=WAIT_MS)
    compare.close()
