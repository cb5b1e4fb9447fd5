"""Where the sign-in token is kept: the OS keyring when the optional ``keyring`` package and
a backend are there, else a file in the data directory readable only by its owner (0600).
Never the password."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SERVICE = "fieldcheck-sync"
TOKEN_FILE = "sync-token.json"


def _keyring() -> Any | None:
    try:
        import keyring  # type: ignore[import-not-found]
        from keyring.backends import fail  # type: ignore[import-not-found]
    except ImportError:
        return None  # the keyring package is optional: the file it is
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
    except Exception:  # a broken backend is as good as none
        log.exception("the keyring backend is broken; the token is kept in a file")
        return None
    return keyring


class TokenStore:
    """The token of one (server, user) pair; ``use_keyring=False`` forces the file."""

    def __init__(self, data_dir: Path, *, use_keyring: bool = True) -> None:
        self.path = data_dir / TOKEN_FILE
        self._keyring = _keyring() if use_keyring else None

    @staticmethod
    def _key(server_url: str, username: str) -> str:
        return f"{username}@{server_url.rstrip('/')}"

    def load(self, server_url: str, username: str) -> str | None:
        key = self._key(server_url, username)
        if self._keyring is not None:
            try:
                token = self._keyring.get_password(SERVICE, key)
            except Exception:
                log.exception("the keyring could not be read; trying the token file")
                token = None
            if token:
                return str(token)
        return self._read_file().get(key)

    def save(self, server_url: str, username: str, token: str) -> None:
        key = self._key(server_url, username)
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, key, token)
                return
            except Exception:
                log.exception("the keyring could not be written; the token goes to a file")
        tokens = self._read_file()
        tokens[key] = token
        self._write_file(tokens)

    def forget(self, server_url: str, username: str) -> None:
        key = self._key(server_url, username)
        if self._keyring is not None:
            try:
                self._keyring.delete_password(SERVICE, key)
            except self._keyring.errors.PasswordDeleteError:
                log.debug("no token of %s in the keyring", key)
            except Exception:  # a broken backend: the file's copy goes anyway
                log.exception("the keyring could not forget the token of %s", key)
        tokens = self._read_file()
        if tokens.pop(key, None) is not None:
            self._write_file(tokens)

    def _read_file(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.exception("the token file %s cannot be read; signing in again is needed", self.path)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write_file(self, tokens: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(tokens, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, self.path)
