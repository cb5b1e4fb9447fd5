"""Password hashing with argon2 through pwdlib."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_PASSWORD_LENGTH = 8
#: Verified against when the user does not exist, so timing does not reveal usernames.
_DUMMY = "fieldcheck-no-such-user"


@cache
def _hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; spends the same time when there is no hash."""
    if password_hash is None:
        _hasher().verify(password, _hasher().hash(_DUMMY))
        return False
    try:
        return _hasher().verify(password, password_hash)
    except ValueError:
        return False
