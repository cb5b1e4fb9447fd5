"""The ``fieldcheck`` command line: demo seeding with fixed ids, listing, usage errors and a
database it cannot use."""

import json

from fieldcheck.domain.demo import demo_compounds
from tests.commands import fieldcheck


def test_demo_seeds_27_compounds_with_fixed_ids_once(tmp_path):
    first = fieldcheck(tmp_path, "demo", "--year", "2026")
    assert first.returncode == 0, first.stderr
    assert "27 compounds added" in first.stdout
    again = fieldcheck(tmp_path, "demo", "--year", "2026")
    assert "0 compounds added, 27 already there" in again.stdout
    listed = json.loads(fieldcheck(tmp_path, "compounds", "list", "--json").stdout)
    assert len(listed) == 27
    assert {c["id"] for c in listed} == {c.id for c in demo_compounds(2026)}
    assert sum(c["floor_area_m2"] for c in listed) == 1_070_000
    assert len({c["sub_district"] for c in listed}) == 5
    assert not any(c["built_after_2000"] for c in listed)
    deadlines = {c["next_deadline"]["due"] for c in listed if c["next_deadline"]}
    assert deadlines <= {"2026-03-31", "2026-11-30"}


def test_data_dir_flag_wins_over_environment(tmp_path):
    env_dir, flag_dir = tmp_path / "env", tmp_path / "flag"
    result = fieldcheck(env_dir, "--data-dir", str(flag_dir), "demo")
    assert result.returncode == 0
    assert (flag_dir / "fieldcheck.sqlite3").exists()
    assert not env_dir.exists()


def test_plain_listing(tmp_path):
    fieldcheck(tmp_path, "demo", "--year", "2026")
    result = fieldcheck(tmp_path, "compounds", "list")
    assert result.returncode == 0
    assert "CG-01" in result.stdout
    assert result.stdout.rstrip().endswith("27 compounds")


def test_unknown_command_is_a_usage_error(tmp_path):
    assert fieldcheck(tmp_path, "fly").returncode == 2


def test_unusable_database_is_reported_not_a_traceback(tmp_path):
    tmp_path.joinpath("fieldcheck.sqlite3").write_bytes(b"garbage" * 100)
    result = fieldcheck(tmp_path, "compounds", "list")
    assert result.returncode == 2
    assert "is not a fieldcheck database" in result.stderr
    assert "Traceback" not in result.stderr
