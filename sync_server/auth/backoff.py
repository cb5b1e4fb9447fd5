"""Slowing password guessing: after a few failures per user (more per client address), each
further attempt must wait twice as long as the last (capped), answered 429 with Retry-After.
Kept in the database so every server process sees the same counts."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from sync_server.auth.models import LoginFailure
from sync_server.errors import ApiError
from sync_server.timeutil import as_utc, utcnow

#: An address may carry many users (a bureau's NAT), so it gets this many times more tries.
IP_FREE_FACTOR = 10


def failure_keys(username: str, client_ip: str) -> list[str]:
    return [f"user:{username.lower()}", f"ip:{client_ip}"]


def wait_seconds(failures: int, free: int, cap: int) -> int:
    """How long to wait after ``failures`` consecutive failures (0 while within ``free``)."""
    if failures < free:
        return 0
    return min(cap, 2 ** (failures - free + 1))


def check(session: Session, keys: list[str], *, free: int, cap: int) -> None:
    """Raise 429 if any key must still wait."""
    now = utcnow()
    for key in keys:
        row = session.get(LoginFailure, key)
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
    for key in keys:
        row = session.get(LoginFailure, key) or LoginFailure(key=key, failures=0)
        row.failures += 1
        row.last_failed_at = utcnow()
        session.add(row)


def clear(session: Session, keys: list[str]) -> None:
    for key in keys:
        row = session.get(LoginFailure, key)
        if row is not None:
            session.delete(row)
