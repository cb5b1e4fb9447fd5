"""The laptop's log (``fieldcheck.logs``): what a real ``fieldcheck`` command leaves in
``logs/fieldcheck.log`` of its data folder, and the file's size cap."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

from fieldcheck import logs
from fieldcheck.paths import DataPaths
from fieldcheck.store import migrate
from fieldcheck.store.engine import make_engine
from tests.commands import fieldcheck

#: time with its UTC offset, level, logger, [thread], message
LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d "
    r"(?P<level>[A-Z]+) (?P<logger>[\w.]+) \[(?P<thread>[^\]]+)\] (?P<message>.*)$"
)
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def records(paths: DataPaths) -> list[dict[str, str]]:
    """The log's records (lines that start one; tracebacks are the lines between)."""
    text = paths.log_file.read_text(encoding="utf-8")
    return [m.groupdict() for line in text.splitlines() if (m := LINE.match(line))]


def test_a_command_logs_its_start_and_the_first_schema_upgrade(data_paths):
    done = fieldcheck(data_paths.root, "demo", "--year", "2026")
    assert done.returncode == 0, done.stderr

    first = records(data_paths)
    assert first[0]["logger"] == "fieldcheck.logs"
    assert first[0]["thread"] == "MainThread"
    assert "command demo started" in first[0]["message"]
    assert f"data dir {data_paths.root}," in first[0]["message"]
    assert "language en" in first[0]["message"]
    upgrades = [r["message"] for r in first if r["logger"] == "fieldcheck.store.migrate"]
    assert upgrades == [
        f"upgrading the database {data_paths.database} from schema (none) to "
        f"{migrate.head_revision()}; backup (none: no data yet)",
        f"the database {data_paths.database} is at schema {migrate.head_revision()}",
    ]

    again = fieldcheck(data_paths.root, "--language", "zh_CN", "compounds", "list")
    assert again.returncode == 0, again.stderr
    later = records(data_paths)[len(first) :]
    assert "command compounds list started" in later[0]["message"]
    assert "language zh_CN" in later[0]["message"]
    assert not [r for r in later if r["logger"] == "fieldcheck.store.migrate"]


def test_an_upgrade_from_an_older_schema_names_its_backup(data_paths):
    data_paths.ensure()
    engine = make_engine(data_paths.database)
    try:
        migrate.upgrade(engine, data_paths.database, data_paths.backups, target="0001")
    finally:
        engine.dispose()

    done = fieldcheck(data_paths.root, "compounds", "list")
    assert done.returncode == 0, done.stderr

    (backup,) = data_paths.backups.iterdir()
    (upgrade, _done) = [r for r in records(data_paths) if r["logger"] == "fieldcheck.store.migrate"]
    assert upgrade["level"] == "INFO"
    assert upgrade["message"] == (
        f"upgrading the database {data_paths.database} from schema 0001 to "
        f"{migrate.head_revision()}; backup {backup}"
    )


def test_a_command_that_fails_unexpectedly_leaves_its_traceback(data_paths):
    assert fieldcheck(data_paths.root, "compounds", "list").returncode == 0
    with sqlite3.connect(data_paths.database) as db:  # a database the code does not expect
        db.execute(
            "CREATE TRIGGER no_compounds BEFORE INSERT ON compound "
            "BEGIN SELECT RAISE(ABORT, 'compounds refused by a trigger'); END"
        )
    db.close()

    done = fieldcheck(data_paths.root, "demo")

    assert done.returncode == 1
    assert "compounds refused by a trigger" in done.stderr
    text = data_paths.log_file.read_text(encoding="utf-8")
    failed = text[text.index("ERROR fieldcheck.cli [MainThread] the command demo failed") :]
    assert "Traceback (most recent call last):" in failed
    assert "sqlite3.IntegrityError: compounds refused by a trigger" in failed


def test_photo_imports_log_their_counts_and_refusals(demo_store, data_paths, tmp_path):
    demo_store.close()
    photo = CORPUS / "exif-orientation-examples" / "Landscape_1.jpg"
    note = tmp_path / "notes.txt"
    note.write_text("not a photo", encoding="utf-8")
    args = ["import-photos", "--compound", "CG-01", "--phase", "before"]

    done = fieldcheck(data_paths.root, *args, str(photo), str(note))

    assert done.returncode == 1, done.stderr
    messages = [
        r["message"] for r in records(data_paths) if r["logger"] == "fieldcheck.core.photo_import"
    ]
    assert len(messages) == 2
    assert messages[0].startswith(f"photo refused: {note}: photo_not_image (notes.txt: ")
    assert messages[1].endswith("phase before: 1 imported, 0 duplicates, 1 refused")


def test_a_refused_data_folder_gets_no_log(data_paths):
    data_paths.ensure()
    data_paths.database.write_bytes(b"not a database" * 100)

    done = fieldcheck(data_paths.root, "compounds", "list")

    assert done.returncode == 2
    assert sorted(p.name for p in data_paths.root.iterdir()) == ["fieldcheck.sqlite3"]


def test_held_records_come_first_and_the_file_keeps_its_size_cap(data_paths):
    log = logging.getLogger("fieldcheck.test")
    logs.hold()
    log.info("said before the folder opened: %s", "held")
    assert logs.current_file() is None
    assert not data_paths.logs.exists()

    assert logs.write_to(data_paths, max_bytes=4000, backups=2) == data_paths.log_file
    assert logs.write_to(data_paths, max_bytes=4000, backups=2) == data_paths.log_file  # again
    assert logs.current_file() == data_paths.log_file
    assert records(data_paths)[0]["message"] == "said before the folder opened: held"
    for number in range(300):
        log.info("line %03d %s", number, "x" * 40)

    files = sorted(p.name for p in data_paths.logs.iterdir())
    assert files == ["fieldcheck.log", "fieldcheck.log.1", "fieldcheck.log.2"]
    assert all((data_paths.logs / name).stat().st_size <= 4000 for name in files)
    assert records(data_paths)[-1]["message"] == "line 299 " + "x" * 40
    handlers = logging.getLogger("fieldcheck").handlers
    assert len([h for h in handlers if isinstance(h, logs.LogFile)]) == 1

    logs.stop()
    assert logs.current_file() is None
    # Only the package's NullHandler stays (fieldcheck/__init__.py: no stray stderr lines).
    assert all(isinstance(h, logging.NullHandler) for h in logging.getLogger("fieldcheck").handlers)
