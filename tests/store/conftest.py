"""Fixtures of the store tests: an inspection started the way the app starts one."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain.inspection import Inspection, InspectionKind
from fieldcheck.store import inspections, plan


@pytest.fixture
def baseline(demo_store) -> Inspection:
    """A baseline survey of the first demo compound, by 王工 on 2026-03-01."""
    with demo_store.write() as session:
        compound = plan.list_compounds(session)[0]
        return inspections.start_inspection(
            session,
            compound.id,
            InspectionKind.BASELINE_SURVEY,
            "王工",
            shipped_catalog().latest(),
            dt.date(2026, 3, 1),
        )
