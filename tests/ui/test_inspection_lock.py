"""A submitted inspection is locked on the laptop as on the server (F26, decision 0044): when
a colleague's submission arrives by sync, the checklist turns read-only and says so, instead
of letting the inspector make edits the server would refuse; a reviewer's acceptance arrives
the same way. Saving into a submitted inspection through the store is refused by code."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.categories import Category
from fieldcheck.domain.errors import FrozenRecordError
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.store import inspections
from fieldcheck.store.tables import InspectionRow
from fieldcheck.ui.messages import error_text
from sync_server.testing import COMPOUNDS, PASSWORD, ApiClient
from tests.faults.helpers import reviewer_client, status_move

from .sync_steps import answer_entrances, signed_in, sync_now

pytestmark = pytest.mark.usefixtures("fast_retries")

LABELS = {
    "en": ("Submitted: read-only", "Accepted: read-only", " (submitted)"),
    "zh_CN": ("已提交：只读", "已验收：只读", "（已提交）"),
}


@pytest.mark.parametrize(("language", "code"), [("en", "CG-01"), ("zh_CN", "CG-02")])
def test_a_submission_and_an_acceptance_arriving_by_sync_lock_the_checklist(
    start_app, server, language, code
):
    app, inspection = signed_in(start_app, server, language, code)
    answer_entrances(app, 3)
    assert sync_now(app).error is None
    checklist = app.page.checklist
    assert checklist.frozen_label.text() == ""

    colleague = ApiClient(server.url)
    colleague.login("alice", PASSWORD, f"lock-colleague-{code}")
    assert status_move(server, colleague, inspection, "submitted") == ("applied", None)
    assert sync_now(app).error is None
    submitted, accepted, suffix = LABELS[language]
    app.qtbot.waitUntil(lambda: checklist.frozen_label.text() == submitted)
    item = app.item(Category.SECURITY_FIRE, "1.1")
    assert not item.editors["entrances"].isEnabled()
    assert item.note_edit.isReadOnly()
    assert checklist.inspection_combo.currentText().endswith(suffix)

    reviewer = reviewer_client(server, f"rita-{code.lower()}")
    assert status_move(server, reviewer, inspection, "accepted") == ("applied", None)
    assert sync_now(app).error is None
    app.qtbot.waitUntil(lambda: checklist.frozen_label.text() == accepted)
    assert sync_now(app).rejected == 0  # nothing was edited, so nothing is refused


def test_saving_into_a_submitted_inspection_is_refused(demo_store, qapp):
    catalog = shipped_catalog()
    with demo_store.write() as session:
        inspection = inspections.start_inspection(
            session,
            COMPOUNDS["CG-01"],
            InspectionKind.BASELINE_SURVEY,
            "李工",
            catalog.latest(),
            dt.date(2026, 3, 2),
        )
        session.get(InspectionRow, inspection.id).status = "submitted"
    with demo_store.write() as session, pytest.raises(FrozenRecordError) as refused:
        inspections.save_answer(session, catalog, inspection.id, "1.1", {"entrances": 2})
    assert refused.value.code == "inspection_submitted"
    assert error_text(refused.value, "en") == (
        "This inspection is submitted and can no longer be changed."
    )
