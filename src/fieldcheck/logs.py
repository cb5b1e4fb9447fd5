"""The laptop's log: stdlib ``logging`` of the ``fieldcheck`` loggers to a size-capped,
rotating file under the data directory (``logs/fieldcheck.log``), one line per record (time
with its UTC offset, level, logger, thread, message) and the traceback of an exception.

Both entry points call ``hold()`` when they start, before the data folder is opened, and
``write_to(paths)`` once it is open: until then records wait in memory, so a folder the app
refuses (a damaged or newer database) is left exactly as it was, while what was said before
it opened (the start line, the schema upgrade) still reaches the file first. Calling either
again is harmless: there is one handler of ours at a time. ``stop()`` removes it (tests).

Never log passwords, tokens or photo bytes; file paths, ids, hashes and counts are fine.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import sys
from collections import deque
from logging.handlers import RotatingFileHandler
from pathlib import Path

from fieldcheck import __version__
from fieldcheck.paths import DataPaths

#: The logger every ``logging.getLogger(__name__)`` of the package descends from.
ROOT_LOGGER = "fieldcheck"
MAX_BYTES = 1 << 20
BACKUPS = 4
HELD_RECORDS = 1000
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(__name__)


class LineFormatter(logging.Formatter):
    """``LINE_FORMAT`` with local ISO 8601 times that carry their UTC offset (a log read far
    from the laptop, or after a time-zone change, still says when)."""

    def __init__(self) -> None:
        super().__init__(LINE_FORMAT)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = dt.datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")


class LogFile(RotatingFileHandler):
    """The log file (a subclass only so that ours is told apart from other handlers)."""


class _HeldRecords(logging.Handler):
    """Records waiting for the data folder to open; the oldest go first when full."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.records: deque[logging.LogRecord] = deque(maxlen=capacity)

    def emit(self, record: logging.LogRecord) -> None:
        # Fix the text now: arguments may change, and a traceback keeps frames alive.
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = record.exc_text or logging.Formatter().formatException(
                record.exc_info
            )
            record.exc_info = None
        self.records.append(record)


def _ours() -> list[logging.Handler]:
    return [
        h for h in logging.getLogger(ROOT_LOGGER).handlers if isinstance(h, LogFile | _HeldRecords)
    ]


def hold(capacity: int = HELD_RECORDS) -> None:
    """A data folder is about to be opened: keep records in memory until ``write_to``. A log
    file still open (of another folder) is closed."""
    logger = logging.getLogger(ROOT_LOGGER)
    logger.setLevel(logging.INFO)
    for handler in _ours():
        if isinstance(handler, LogFile):
            logger.removeHandler(handler)
            handler.close()
    if not _ours():
        logger.addHandler(_HeldRecords(capacity))


def write_to(paths: DataPaths, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> Path | None:
    """Log to the folder's file from now on, after the records held so far. Returns the
    file, or None when it cannot be written (said on stderr; the app goes on without)."""
    logger = logging.getLogger(ROOT_LOGGER)
    logger.setLevel(logging.INFO)
    target = paths.log_file
    current = [h for h in _ours() if isinstance(h, LogFile)]
    if current and Path(current[0].baseFilename) == target:
        file = current[0]
    else:
        for handler in current:
            logger.removeHandler(handler)
            handler.close()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            file = LogFile(target, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        except OSError as error:
            print(f"fieldcheck: no log file at {target}: {error}", file=sys.stderr)
            return None
        file.setFormatter(LineFormatter())
        logger.addHandler(file)
    for held in [h for h in _ours() if isinstance(h, _HeldRecords)]:
        logger.removeHandler(held)
        for record in held.records:
            file.handle(record)
    return target


def current_file() -> Path | None:
    """The log file written now, if any (the crash dialog offers it)."""
    for handler in _ours():
        if isinstance(handler, LogFile):
            return Path(handler.baseFilename)
    return None


def stop() -> None:
    """Close the log file and drop held records; the ``fieldcheck`` loggers go back to the
    logging defaults."""
    logger = logging.getLogger(ROOT_LOGGER)
    for handler in _ours():
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.NOTSET)


def log_start(what: str, data_dir: Path, language: str) -> None:
    """The first line of a run: what started, on which folder, in which language."""
    log.info(
        "fieldcheck %s %s started: data dir %s, language %s, Python %s, %s",
        __version__,
        what,
        data_dir,
        language,
        platform.python_version(),
        platform.platform(),
    )
