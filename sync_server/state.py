"""Server-wide state rows: the counters that number changes and ledger entries, and the
server's identity (its epoch)."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger
from sqlmodel import Field, Session, select

from sync_server.db_base import ServerTable

#: The counter whose row every numbering transaction locks (PostgreSQL) before it allocates.
SEQ = "seq"
LEDGER = "ledger"


class Counter(ServerTable, table=True):
    __tablename__ = "counter"
    name: str = Field(primary_key=True, max_length=32)
    value: int = Field(default=0, sa_type=BigInteger)


class ServerMeta(ServerTable, table=True):
    __tablename__ = "server_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str


def lock_counter(session: Session) -> None:
    """Take the sequence lock for the rest of the transaction.

    On PostgreSQL ``SELECT … FOR UPDATE`` on the counter row blocks every other numbering
    transaction until this one commits; on SQLite the write transaction began IMMEDIATE and
    holds the database's single write lock already.
    """
    session.exec(select(Counter).where(Counter.name == SEQ).with_for_update()).one()


def next_value(session: Session, name: str) -> int:
    """The next number of counter ``name``; call :func:`lock_counter` first."""
    counter = session.get(Counter, name)
    if counter is None:
        counter = Counter(name=name, value=0)
    counter.value += 1
    session.add(counter)
    return counter.value


def current_value(session: Session, name: str) -> int:
    counter = session.get(Counter, name)
    return counter.value if counter else 0


def server_epoch(session: Session) -> str:
    """The id of this database's life; made when it is initialised, changed on a restore."""
    meta = session.get(ServerMeta, "epoch")
    return meta.value if meta else ""


def initialise(session: Session) -> None:
    """Insert the counter rows and the epoch once (run by the first migration's caller)."""
    for name in (SEQ, LEDGER):
        if session.get(Counter, name) is None:
            session.add(Counter(name=name, value=0))
    if session.get(ServerMeta, "epoch") is None:
        session.add(ServerMeta(key="epoch", value=str(uuid.uuid4())))
