"""Model-based randomized faults (SYNC-RESEARCH §7.1 C): a Hypothesis state machine with two
laptops (own data dirs) and the module's real server behind a :class:`FaultProxy`. Rules:
edit an answer, import a photo, retract, sync through a random toxic, kill the server (-9)
with or without a fault point armed for its next request, restart it, skew a laptop's
clock. At the end of each example the faults heal, open conflicts are settled as an
inspector would ("theirs"), two clean rounds run and the global invariants are checked.

Bounded for CI: a few examples of a few steps each. Not modelled: ``revoke_scope`` and
``restore_server_backup`` (F30 and F14 have their own tests; a restore would rewind the
shared server under the other examples)."""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test
from sqlmodel import select

from fieldcheck import cli
from fieldcheck.domain.errors import ValidationError
from fieldcheck.paths import DataPaths
from fieldcheck.store import inspections
from fieldcheck.store.database import Store
from fieldcheck.store.sync_tables import ConflictRow
from fieldcheck.store.syncbook.resolutions import resolve_conflict
from fieldcheck.sync import engine as engine_module
from fieldcheck.sync.http import HttpConfig
from tests.faults.conftest import restart
from tests.faults.invariants import Snapshot, check_invariants, clean_rounds
from tests.faults.proxy import DOWNSTREAM, UPSTREAM, Toxic
from tests.sync.conftest import Laptop, big_jpeg

QUICK = HttpConfig(connect_timeout=2, read_timeout=4, attempts=2, backoff_base=0.01)
TOXICS = [
    None,
    Toxic.limit_data(40_000, UPSTREAM),
    Toxic.limit_data(600, DOWNSTREAM),
    Toxic.reset_peer(30, DOWNSTREAM),
    Toxic.latency(50, 20, DOWNSTREAM),
]
CRASH_POINTS = [
    "server_chunk_written",
    "server_push_committed",
    "server_push_uncommitted",
    "server_blob_renamed",
]
_seeds = itertools.count(1000)


def run_machine(server, proxy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    skew = {"s": 0.0}
    real = engine_module.timed

    def skewed(call):  # type: ignore[no-untyped-def]
        result, before, after = real(call)
        return result, before - skew["s"], after - skew["s"]

    monkeypatch.setattr(engine_module, "timed", skewed)

    class Laptops(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.tmp = Path(tempfile.mkdtemp(prefix="fc-stateful-"))
            self.laptops: list[Laptop] = []
            self.shared = ""

        @initialize()
        def two_laptops(self) -> None:
            for user in ("alice", "bob"):
                root = self.tmp / user
                assert cli.main(["--data-dir", str(root), "demo", "--year", "2026"]) == 0
                laptop = Laptop(root, Store.open(DataPaths(root)), user, server.url, QUICK)
                laptop.engine()  # signed in while the link is good
                self.laptops.append(laptop)
            self.shared = self.laptops[0].start_inspection("CG-01")
            self.laptops[0].answer(self.shared, "1.1", {"entrances": 1, "guard_post": "pass"})
            clean_rounds(self.laptops, rounds=1)

        @rule(who=st.integers(0, 1), entrances=st.integers(0, 9), note=st.booleans())
        def edit_answer(self, who: int, entrances: int, note: bool) -> None:
            values = {"entrances": entrances, "guard_post": "pass"}
            text = f"note {entrances}" if note else ""
            with contextlib.suppress(ValidationError):  # the app refuses it too
                self.laptops[who].answer(self.shared, "1.1", values, text)

        @rule(who=st.integers(0, 1))
        def import_photo(self, who: int) -> None:
            photo = big_jpeg(self.tmp / f"p{next(_seeds)}.jpg", next(_seeds), (240, 180))
            self.laptops[who].import_photos([photo], "CG-01")

        @rule(who=st.integers(0, 1))
        def retract(self, who: int) -> None:
            with self.laptops[who].store.write() as db, contextlib.suppress(ValidationError):
                inspections.retract_answer(db, self.shared, "1.1", 0, "mistake", "x")

        @rule(who=st.integers(0, 1), toxic=st.sampled_from(TOXICS))
        def sync(self, who: int, toxic: Toxic | None) -> None:
            proxy.heal()
            if toxic is not None:
                proxy.add(Toxic(toxic.kind, toxic.direction, dict(toxic.params)))
            self.laptops[who].engine(proxy.url).run()  # may fail: the invariants judge
            proxy.heal()

        @rule(point=st.sampled_from([None, *CRASH_POINTS]))
        def kill_server(self, point: str | None) -> None:
            restart(server, crash_at=point)

        @rule()
        def restart_server(self) -> None:
            restart(server)

        @rule(seconds=st.sampled_from([0.0, 3 * 86400.0, -50 * 365 * 86400.0]))
        def skew_clock(self, seconds: float) -> None:
            skew["s"] = seconds

        def teardown(self) -> None:
            try:
                if self.laptops:
                    self._heal_and_check()
            finally:
                for laptop in self.laptops:
                    laptop.close()

        def _heal_and_check(self) -> None:
            proxy.heal()
            restart(server)
            before = Snapshot.take(self.laptops)
            for _ in range(3):
                clean_rounds(self.laptops, rounds=1)
                if not self._settle_conflicts():
                    break
            clean_rounds(self.laptops, rounds=2)
            check_invariants(server, self.laptops, before)

        def _settle_conflicts(self) -> bool:
            settled = False
            for laptop in self.laptops:
                with laptop.store.write() as db:
                    for row in db.exec(select(ConflictRow).where(ConflictRow.state == "open")):
                        resolve_conflict(db, row.id, "theirs")
                        settled = True
            return settled

    run_state_machine_as_test(
        Laptops,
        settings=settings(
            max_examples=5,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )


def test_random_edits_photos_and_faults_keep_the_invariants(clean_server, proxy, monkeypatch):
    run_machine(clean_server, proxy, monkeypatch)
