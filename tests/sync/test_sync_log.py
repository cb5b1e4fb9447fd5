"""What a sync writes to the laptop's log (stdlib ``logging``; the app decides where it
goes): its start, and its end with the outcome and the counts; a failure with its traceback;
an integrity alert as a warning. Nothing reaches stderr while no handler is configured."""

from __future__ import annotations

import logging
import os
import socket
import stat

import pytest

from fieldcheck.photos.blobs import BlobStore
from fieldcheck.sync.credentials import TokenStore
from fieldcheck.sync.errors import SyncErrorKind
from fieldcheck.sync.http import HttpConfig
from fieldcheck.sync.report import SyncOutcome
from tests.sync.conftest import big_jpeg


def _records(caplog: pytest.LogCaptureFixture, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name]


def test_a_sync_logs_its_start_and_its_end_with_the_counts(server, make_laptop, caplog):
    laptop = make_laptop("carol")
    inspection = laptop.start_inspection("CG-03")
    laptop.answer(inspection, "1.1", {"entrances": 1, "guard_post": "pass"})
    with caplog.at_level(logging.INFO, logger="fieldcheck"):
        report = laptop.sync()
    assert report.outcome is SyncOutcome.SYNCED, report.error
    lines = [r.getMessage() for r in _records(caplog, "fieldcheck.sync.engine")]
    assert f"sync with {server.url} started" in lines
    [end] = [line for line in lines if " ended: " in line]
    assert end.startswith(f"sync with {server.url} ended: synced: 2 records pushed"), end
    assert f"in {report.requests} requests" in end


def test_a_failed_sync_is_logged_with_its_traceback(make_laptop, caplog):
    laptop = make_laptop("dave")
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    laptop.config = HttpConfig(connect_timeout=5, read_timeout=5, attempts=2, backoff_base=0.01)
    TokenStore(laptop.root).save(dead, laptop.user, "a-token")  # no sign-in on the way
    laptop.server_url = dead
    with caplog.at_level(logging.INFO, logger="fieldcheck"):
        report = laptop.sync()
    assert report.error is not None
    assert report.error.kind is SyncErrorKind.UNREACHABLE
    [stopped] = [
        r for r in _records(caplog, "fieldcheck.sync.engine") if r.levelno == logging.WARNING
    ]
    assert "unreachable" in stopped.getMessage()
    assert stopped.exc_info is not None
    assert stopped.exc_info[1] is report.error
    retried = _records(caplog, "fieldcheck.sync.http")
    assert retried
    assert all(r.exc_info for r in retried)
    [end] = [r.getMessage() for r in caplog.records if " ended: " in r.getMessage()]
    assert "failed:" in end
    assert "unreachable:" in end


def test_an_integrity_alert_is_a_warning_and_only_the_cli_prints_it(
    server, make_laptop, tmp_path, caplog
):
    laptop = make_laptop("erin")
    photo = big_jpeg(tmp_path / "small.jpg", seed=11, size=(300, 200))
    [sha] = laptop.import_photos([photo], "CG-05")
    path = BlobStore(laptop.store.paths.blobs).path_for(sha)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    with open(path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"\x00\x01\x02")
    with caplog.at_level(logging.INFO, logger="fieldcheck"):
        report = laptop.sync()
    [alert] = report.integrity_alerts
    [warned] = [r for r in caplog.records if "integrity alert" in r.getMessage()]
    assert warned.levelno == logging.WARNING
    assert alert in warned.getMessage()
    done = laptop.cli("sync", "--server", server.url, "--user", "erin")
    assert done.returncode == 1
    # the CLI's own line, once: log records are not printed while no handler is set up
    assert done.stderr.count("integrity alert") == 1, done.stderr


def test_an_unreadable_token_file_is_logged_and_means_signing_in_again(tmp_path, caplog):
    tokens = TokenStore(tmp_path, use_keyring=False)
    tokens.path.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="fieldcheck"):
        assert tokens.load("http://127.0.0.1:8750", "li") is None
    [record] = _records(caplog, "fieldcheck.sync.credentials")
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    tokens.path.unlink()
    caplog.clear()
    assert tokens.load("http://127.0.0.1:8750", "li") is None  # no file yet: nothing to say
    assert not _records(caplog, "fieldcheck.sync.credentials")
