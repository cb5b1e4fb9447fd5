"""The laptop's user settings (the chosen UI language, the last inspector's name), kept as a
small JSON file in the data folder and written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    language: str | None = None
    inspector: str = ""


class SettingsFile:
    """Reads and writes ``Settings`` at one path; an unreadable file means the defaults."""

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> Settings:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return Settings()
        if not isinstance(data, dict):
            return Settings()
        language = data.get("language")
        inspector = data.get("inspector")
        return Settings(
            language=language if isinstance(language, str) else None,
            inspector=inspector if isinstance(inspector, str) else "",
        )

    def save(self, settings: Settings) -> None:
        """Write to a temp file beside the target, fsync it, then rename it over the target."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(asdict(settings), f, ensure_ascii=False, indent=2)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
