"""The scopes of access: the district's sub-districts (街道), with the laptop's ids."""

from __future__ import annotations

from sqlmodel import Field

from sync_server.db_base import ServerTable


class Scope(ServerTable, table=True):
    __tablename__ = "scope"
    id: str = Field(primary_key=True, max_length=64)
    district_id: str = Field(max_length=64)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
