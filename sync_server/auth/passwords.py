"""Passwords: argon2 hashing through pwdlib, and what a new password must be.

Every sign-in attempt costs exactly one argon2 verification, whether the user exists or not
(an unknown user is checked against a dummy hash made once), so timing does not tell which
usernames exist. A new password has at least ``MIN_PASSWORD_LENGTH`` characters, is not only
white space, is not the username, and is not in the list of common passwords shipped in
``data/common-passwords.txt.gz``.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from sync_server.auth.names import username_key

MIN_PASSWORD_LENGTH = 10


@cache
def _hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


@cache
def _dummy_hash() -> str:
    """A hash no password matches in practice, verified against for unknown users."""
    return _hasher().hash("fieldcheck-no-such-user")


def warm_up() -> None:
    """Make the dummy hash now, so no sign-in pays for it (call when the app is built)."""
    _dummy_hash()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; one argon2 verification either way."""
    try:
        matched = _hasher().verify(password, password_hash or _dummy_hash())
    except ValueError:
        return False
    return matched and password_hash is not None


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case."""
    data = resources.files("sync_server.auth").joinpath("data/common-passwords.txt.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be used (an English sentence), or None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"use at least {MIN_PASSWORD_LENGTH} characters"
    if not password.strip():
        return "a password cannot be only spaces"
    if username and username_key(password) == username_key(username):
        return "a password cannot be the username"
    if password.strip().lower() in common_passwords():
        return "this password is one of the most common ones; choose another"
    return None
