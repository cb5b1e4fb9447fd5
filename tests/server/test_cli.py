"""``fieldcheck-server`` administration commands, run as a user runs them."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from fieldcheck.domain.ids import fixed_id
from sync_server.admin.models import Scope
from sync_server.auth.models import User
from sync_server.db import open_database
from sync_server.settings import Settings
from sync_server.sync.models import Record
from sync_server.testing import PASSWORD, run_cli, server_env

HEADING = [
    "code",
    "name",
    "address",
    "sub_district",
    "year_built",
    "floor_area_m2",
    "buildings",
    "households",
    "management",
    "plan_year",
]
ROWS = [
    ["LC-01", "老城一院", "老城路1号", "老城街道", 1985, 23000, 6, 310, "none", 2027],
    ["XG-01", "新港小区", "新港路9号", "新港街道", 1999, 41000, 10, 560, "professional", 2027],
]


def write_plan(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADING)
        writer.writerows(rows)
    return path


def records(data_dir: Path) -> tuple[dict[str, Record], dict[str, Scope], list[User]]:
    database = open_database(Settings(data_dir=data_dir))
    with database.reading() as session:
        compounds = {r.data["code"]: r for r in session.exec(select(Record)).all()}
        scopes = {s.name: s for s in session.exec(select(Scope)).all()}
        users = list(session.exec(select(User)).all())
    database.dispose()
    return compounds, scopes, users


def test_compounds_import_gives_the_laptops_ids(tmp_path):
    env = server_env(tmp_path / "server")
    plan = write_plan(tmp_path / "plan.csv", ROWS)
    done = run_cli(["compounds", "import", str(plan)], env)
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout
    laptop_env = {**os.environ, "FIELDCHECK_DATA_DIR": str(tmp_path / "laptop")}
    for args in (["compounds", "import", str(plan)], ["compounds", "list", "--json"]):
        laptop = subprocess.run(
            [sys.executable, "-m", "fieldcheck.cli", *args],
            env=laptop_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    laptop_ids = {c["code"]: c["id"] for c in json.loads(laptop.stdout)}
    compounds, scopes, _ = records(tmp_path / "server")
    assert {code: r.id for code, r in compounds.items()} == laptop_ids
    assert scopes["老城街道"].id == fixed_id("sub_district", "老城街道")
    changed = [[*ROWS[0][:7], 333, *ROWS[0][8:]], ROWS[1]]
    again = run_cli(["compounds", "import", str(write_plan(tmp_path / "plan2.csv", changed))], env)
    assert "0 added, 1 updated, 1 unchanged" in again.stdout
    assert records(tmp_path / "server")[0]["LC-01"].head_rev == 2


def test_bad_plan_rows_are_listed_and_nothing_is_imported(tmp_path):
    env = server_env(tmp_path / "server")
    bad = write_plan(tmp_path / "bad.csv", [ROWS[0], [*ROWS[1][:4], "old", *ROWS[1][5:]]])
    done = run_cli(["compounds", "import", str(bad)], env)
    assert done.returncode == 1
    assert "row 3" in done.stderr
    assert "year_built" in done.stderr
    assert records(tmp_path / "server")[0] == {}


def test_user_add_checks_roles_scopes_and_passwords(tmp_path):
    """Also: ``--data-dir`` before the command wins over FIELDCHECK_SERVER_DATA_DIR."""
    env = server_env(tmp_path / "server")
    elsewhere = server_env(tmp_path / "elsewhere")
    flag_first = ["--data-dir", str(tmp_path / "server"), "demo", "--year", "2026"]
    assert run_cli(flag_first, elsewhere).returncode == 0
    assert not (tmp_path / "elsewhere").exists()
    add = ["user", "add", "ann", "--role", "inspector", "--password-stdin"]
    no_scope = run_cli(add, env, PASSWORD)
    assert no_scope.returncode == 1
    assert "--scope" in no_scope.stderr
    unknown = run_cli([*add, "--scope", "Atlantis"], env, PASSWORD)
    assert unknown.returncode == 1
    assert "Atlantis" in unknown.stderr
    short = run_cli([*add, "--scope", "CG"], env, "short")
    assert short.returncode == 1
    assert "at least" in short.stderr
    ok = run_cli([*add, "--scope", "CG", "XC", "--scope", "东关街道"], env, PASSWORD)
    assert ok.returncode == 0, ok.stderr
    _, _, users = records(tmp_path / "server")
    assert [(u.username, u.role.value) for u in users] == [("ann", "inspector")]
    assert users[0].password_hash.startswith("$argon2")
