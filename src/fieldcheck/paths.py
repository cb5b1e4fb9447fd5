"""Where the laptop keeps its data: platformdirs' user data directory, unless overridden by
``--data-dir`` or ``FIELDCHECK_DATA_DIR``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "FIELDCHECK_DATA_DIR"
APP_NAME = "fieldcheck"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the flag, else the environment variable, else the platform default."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir(APP_NAME)
    return Path(chosen).expanduser().resolve()


@dataclass(frozen=True)
class DataPaths:
    """The files and folders inside one data directory."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "fieldcheck.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def blobs(self) -> Path:
        return self.root / "blobs"

    @property
    def cache(self) -> Path:
        """Derived files (thumbnails, previews): never evidence, rebuilt when missing."""
        return self.root / "cache"

    @property
    def integrity_state(self) -> Path:
        return self.root / "integrity-state.json"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs(self) -> Path:
        """The log a person can send in (``fieldcheck.logs``), with its rotated copies."""
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "fieldcheck.log"

    def ensure(self) -> DataPaths:
        self.root.mkdir(parents=True, exist_ok=True)
        return self
