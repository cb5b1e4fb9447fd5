"""Server settings: read from ``FIELDCHECK_*`` environment variables and command-line flags
when the app is built, never at import."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "FIELDCHECK_SERVER_DATA_DIR"
MiB = 1024 * 1024
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``FIELDCHECK_SERVER_DATA_DIR``, else platformdirs' site data directory."""
    env = os.environ if env is None else env
    if env.get(DATA_DIR_ENV):
        return Path(env[DATA_DIR_ENV])
    return Path(platformdirs.site_data_dir("fieldcheck-server", "fieldcheck"))


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to know; ``from_env`` reads it, tests build it directly."""

    data_dir: Path
    database_url: str | None = None
    token_ttl_days: int = 30  # idle: slid forward while the token is used
    token_max_days: int = 90  # absolute: then the laptop signs in again
    max_json_bytes: int = 1 * MiB
    max_chunk_bytes: int = 8 * MiB  # a 4-8 MB photo in one PATCH
    max_blob_bytes: int = 200 * MiB
    #: An upload without a chunk for this long is abandoned: swept with its staged bytes.
    upload_expiry_hours: float = 24
    upload_sweep_seconds: int = 600
    #: Per user: uploads open at once, bytes they reserve (their lengths) and chunks in flight
    #: at once in one server process.
    max_open_uploads: int = 32
    max_reserved_upload_bytes: int = 2048 * MiB
    max_parallel_chunks: int = 16
    min_free_bytes: int = 64 * MiB
    login_free_failures: int = 5
    login_max_delay_s: int = 900
    ledger_origin: str = "fieldcheck-server"
    fsync: bool = True
    #: The server log on stderr (``sync_server.request_log``): level and ``text``/``json``.
    log_level: str = "INFO"
    log_format: str = "text"
    scrub_interval_s: int = 86_400  # one background scrub pass a day; 0 turns it off
    #: Reverse proxies whose ``X-Forwarded-For`` names the client (addresses or networks).
    trusted_proxies: tuple[str, ...] = ()

    @property
    def db_url(self) -> str:
        """The database URL: the configured one, else SQLite under the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'server.sqlite3'}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def incoming_dir(self) -> Path:
        return self.data_dir / "incoming"

    @property
    def key_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def thumbnail_dir(self) -> Path:
        """Derived thumbnails (a cache, never evidence; safe to delete)."""
        return self.data_dir / "cache" / "thumbnails"

    @property
    def quarantine_dir(self) -> Path:
        """Blob files that did not hash to their name, moved aside (never deleted)."""
        return self.data_dir / "quarantine"

    @classmethod
    def from_env(
        cls, data_dir: Path | None = None, env: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from the environment; ``data_dir`` (a ``--data-dir`` flag) wins."""
        env = os.environ if env is None else env
        settings = cls(data_dir=Path(data_dir) if data_dir else default_data_dir(env))
        ints = {
            "FIELDCHECK_TOKEN_TTL_DAYS": "token_ttl_days",
            "FIELDCHECK_MAX_JSON_BYTES": "max_json_bytes",
            "FIELDCHECK_MAX_CHUNK_BYTES": "max_chunk_bytes",
            "FIELDCHECK_MAX_BLOB_BYTES": "max_blob_bytes",
            "FIELDCHECK_UPLOAD_SWEEP_SECONDS": "upload_sweep_seconds",
            "FIELDCHECK_MAX_OPEN_UPLOADS": "max_open_uploads",
            "FIELDCHECK_MAX_RESERVED_UPLOAD_BYTES": "max_reserved_upload_bytes",
            "FIELDCHECK_MAX_PARALLEL_CHUNKS": "max_parallel_chunks",
            "FIELDCHECK_MIN_FREE_BYTES": "min_free_bytes",
            "FIELDCHECK_TOKEN_MAX_DAYS": "token_max_days",
            "FIELDCHECK_SCRUB_INTERVAL": "scrub_interval_s",
            "FIELDCHECK_LOGIN_FREE_FAILURES": "login_free_failures",
        }
        changes: dict[str, object] = {
            attr: int(env[name]) for name, attr in ints.items() if env.get(name)
        }
        if env.get("FIELDCHECK_UPLOAD_EXPIRY_HOURS"):
            changes["upload_expiry_hours"] = float(env["FIELDCHECK_UPLOAD_EXPIRY_HOURS"])
        if env.get("FIELDCHECK_DATABASE_URL"):
            changes["database_url"] = env["FIELDCHECK_DATABASE_URL"]
        if env.get("FIELDCHECK_FSYNC", "").lower() in ("0", "false", "no"):
            changes["fsync"] = False
        for name, attr, allowed in (
            ("FIELDCHECK_LOG_LEVEL", "log_level", LOG_LEVELS),
            ("FIELDCHECK_LOG_FORMAT", "log_format", LOG_FORMATS),
        ):
            if env.get(name):
                value = env[name].upper() if attr == "log_level" else env[name].lower()
                if value not in allowed:
                    raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {env[name]}")
                changes[attr] = value
        if env.get("FIELDCHECK_TRUSTED_PROXIES"):
            changes["trusted_proxies"] = tuple(
                p.strip() for p in env["FIELDCHECK_TRUSTED_PROXIES"].split(",") if p.strip()
            )
        return replace(settings, **changes)  # type: ignore[arg-type]
