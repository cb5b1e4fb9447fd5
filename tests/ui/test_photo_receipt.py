"""Issue 5 / F28 in the viewer: a colleague's photo sent from a laptop whose clock was days off
arrives through a real sync with the server's receipt, and the viewer shows when the server
received it and warns that the capture time is that laptop's claim — in English and Chinese."""

from __future__ import annotations

import pytest

from fieldcheck.sync import engine as engine_module
from tests.sync.conftest import Laptop

from .photo_steps import corpus_file, open_photos, open_viewer
from .sync_steps import sign_in, sync_now

from .conftest import press_ok  # isort: skip

DAYS_OFF = 2
SKEWED = "Landscape_3.jpg"
ON_TIME = "Landscape_5.jpg"
#: One compound per run: the server is the module's, and a photo is stored once per compound.
COMPOUND = {"en": "CG-04", "zh_CN": "CG-05"}


def colleague_sends(bob: Laptop, name: str, code: str, monkeypatch, days_off: int) -> None:  # type: ignore[no-untyped-def]
    """Bob, on his own laptop, imports ``name`` into compound ``code`` and syncs with his
    clock ``days_off`` days behind."""
    real = engine_module.timed

    def skewed(call):  # type: ignore[no-untyped-def]
        result, before, after = real(call)
        return result, before - days_off * 86400, after - days_off * 86400

    bob.import_photos([corpus_file(name)], code)
    with monkeypatch.context() as patch:
        patch.setattr(engine_module, "timed", skewed)
        assert bob.sync().error is None


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_viewer_shows_the_server_receipt_and_a_skewed_clock(
    start_app, server, make_laptop, monkeypatch, language
):
    code = COMPOUND[language]
    bob = make_laptop("bob")
    colleague_sends(bob, SKEWED, code, monkeypatch, DAYS_OFF)
    colleague_sends(bob, ON_TIME, code, monkeypatch, 0)
    app = start_app(language)
    dialog = sign_in(app, server.url)
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=60_000):
        press_ok(dialog)
    assert sync_now(app).error is None
    tab = open_photos(app, code)
    app.qtbot.waitUntil(lambda: tab.model.rowCount() == 2)

    skewed = open_viewer(app, tab, SKEWED)
    metadata = skewed.metadata
    receipt = skewed.photo.receipt
    assert receipt is not None
    assert receipt.clock_skewed
    assert metadata.warning.isVisibleTo(skewed)
    received = metadata.values["received"].text()
    assert received.startswith(receipt.received_at.astimezone().strftime("%Y-%m-%d %H:%M"))
    if language == "en":
        assert metadata.labels["received"].text() == "<b>Received by the server</b>"
        assert f"off by {DAYS_OFF} days" in metadata.warning.text()
    else:
        assert metadata.labels["received"].text() == "<b>服务器接收时间</b>"
        assert f"{DAYS_OFF} 天" in metadata.warning.text()
        assert "Warning" not in metadata.warning.text()
    skewed.close()

    on_time = open_viewer(app, tab, ON_TIME)
    assert on_time.photo.receipt is not None
    assert not on_time.photo.receipt.clock_skewed
    assert not on_time.metadata.warning.isVisibleTo(on_time)
    assert on_time.metadata.values["received"].text()[:4] == received[:4]  # the year: a time
