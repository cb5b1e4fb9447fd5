"""Fixtures of the core's tests: a fresh store with the demo district per test (from the
shared ``demo_store``), a baseline inspection started through the core, and, for the sync use
cases, the real server on loopback per module with laptops that sync with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from fieldcheck.catalog import shipped_catalog
from fieldcheck.core.checklist import start_inspection
from fieldcheck.domain.inspection import Inspection, InspectionKind
from tests.sync.conftest import Server, make_laptop, serving

__all__ = ["make_laptop"]

COMPOUND_CODE = "CG-04"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    yield from serving(tmp_path_factory.mktemp("core-server"))


@pytest.fixture
def compound_id(demo_store) -> str:
    from fieldcheck.core.compounds import resolve_compound

    with demo_store.read() as session:
        return resolve_compound(session, COMPOUND_CODE)


@pytest.fixture
def baseline(demo_store, compound_id) -> Inspection:
    """A baseline survey of CG-04, by 王工 on 2026-03-01."""
    with demo_store.write() as session:
        return start_inspection(
            session,
            compound_id,
            InspectionKind.BASELINE_SURVEY,
            "王工",
            shipped_catalog().latest(),
            dt.date(2026, 3, 1),
        ).value
