"""Slowing password guessing without locking real people out (OWASP's device cookie).

Failures are counted per key; after a few, each further attempt must wait twice as long as
the last (capped), answered 429 with Retry-After. Which keys a sign-in attempt is held to
depends on the device it names:

- a device that signed in to this account successfully before (a ``device`` row, not
  revoked) is held only to its own count, ``device:<user id>:<device id>``; the guesses of
  someone else, from other devices or behind the same address, never lock it out;
- any other device is held to the account's count ``user:<username key>`` and the client
  address's ``ip:<address>`` (which gets ``IP_FREE_FACTOR`` times more tries: an address may
  carry a whole bureau behind a NAT).

Counts are forgotten a day after their last failure and kept in the database, so every
server process sees the same ones.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from sync_server.auth.models import LoginFailure
from sync_server.errors import ApiError
from sync_server.timeutil import as_utc, utcnow

#: An address may carry many users (a bureau's NAT), so it gets this many times more tries.
IP_FREE_FACTOR = 10
#: A count whose last failure is older than this starts again from zero.
MEMORY = dt.timedelta(days=1)


def device_key(user_id: int, device_id: str) -> str:
    return f"device:{user_id}:{device_id}"


def untrusted_keys(username_key: str, client_ip: str) -> list[str]:
    return [f"user:{username_key}", f"ip:{client_ip}"]


def wait_seconds(failures: int, free: int, cap: int) -> int:
    """How long to wait after ``failures`` consecutive failures (0 while within ``free``)."""
    if failures < free:
        return 0
    return min(cap, int(2 ** (failures - free + 1)))


def _current(session: Session, key: str, now: dt.datetime) -> LoginFailure | None:
    row = session.get(LoginFailure, key)
    if row is None or as_utc(row.last_failed_at) < now - MEMORY:
        return None
    return row


def check(session: Session, keys: list[str], *, free: int, cap: int) -> None:
    """Raise 429 if any key must still wait."""
    now = utcnow()
    for key in keys:
        row = _current(session, key, now)
        if row is None:
            continue
        allowed = free * IP_FREE_FACTOR if key.startswith("ip:") else free
        ready = as_utc(row.last_failed_at) + dt.timedelta(
            seconds=wait_seconds(row.failures, allowed, cap)
        )
        if ready > now:
            retry = max(1, int((ready - now).total_seconds()) + 1)
            raise ApiError(
                429,
                "login_throttled",
                f"too many failed logins; try again in {retry} s",
                {"retry_after": retry},
                headers={"Retry-After": str(retry)},
            )


def record_failure(session: Session, keys: list[str]) -> None:
    now = utcnow()
    for key in keys:
        row = session.get(LoginFailure, key) or LoginFailure(key=key, failures=0)
        if _current(session, key, now) is None:
            row.failures = 0
        row.failures += 1
        row.last_failed_at = now
        session.add(row)


def clear(session: Session, keys: list[str]) -> None:
    for key in keys:
        row = session.get(LoginFailure, key)
        if row is not None:
            session.delete(row)
