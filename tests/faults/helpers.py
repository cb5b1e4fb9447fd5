"""Small pieces the fault scenarios share: a requests adapter that loses chosen answers,
reading a laptop's sync rows, and moving an inspection's status as a colleague or reviewer
would."""

from __future__ import annotations

import uuid

import requests
import requests.adapters
from sqlmodel import select

from fieldcheck.store.sync_tables import BlobSyncRow
from fieldcheck.store.tables import OutboxRow
from sync_server.sync.models import Record
from sync_server.testing import PASSWORD, SCOPES, ApiClient
from tests.faults.conftest import ONCE
from tests.faults.invariants import server_db, settle_and_check


class LoseAnswer(requests.adapters.HTTPAdapter):
    """Delivers every request but loses the answer of the first ``count`` requests whose
    method and path start as given (with ``total``: only a PATCH answer reaching that
    offset, the last chunk): the server did the work, the laptop never heard."""

    def __init__(self, method: str, path_prefix: str, count: int = 1, *, total: int = 0):
        super().__init__()
        self.method, self.prefix, self.count, self.total = method, path_prefix, count, total

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def, override]
        response = super().send(request, **kwargs)
        if (
            self.count > 0
            and request.method == self.method
            and request.path_url.startswith(self.prefix)
            and (not self.total or response.headers.get("Upload-Offset") == str(self.total))
        ):
            self.count -= 1
            raise requests.ConnectionError("connection reset while reading the answer")
        return response


def session_losing(method: str, path_prefix: str, count: int = 1, **kwargs) -> requests.Session:  # type: ignore[no-untyped-def]
    session = requests.Session()
    session.mount("http://", LoseAnswer(method, path_prefix, count, **kwargs))
    return session


def outbox_states(laptop, entity: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with laptop.store.read() as db:
        query = select(OutboxRow)
        if entity:
            query = query.where(OutboxRow.entity == entity)
        return {r.op_id: r.state for r in db.exec(query).all()}


def blob_state(laptop, sha: str) -> str | None:  # type: ignore[no-untyped-def]
    with laptop.store.read() as db:
        row = db.get(BlobSyncRow, sha)
        return row.state if row else None


def sync_in_turn(*laptops):  # type: ignore[no-untyped-def]
    """One sync on each laptop in turn, each of which must succeed; their reports."""
    reports = [laptop.sync() for laptop in laptops]
    for laptop, report in zip(laptops, reports, strict=True):
        assert report.error is None, (laptop.user, report.error)
    return reports


def finish_upload(server, laptop, sha: str, before, resent: int) -> None:  # type: ignore[no-untyped-def]
    """The next clean sync completes the upload sending exactly ``resent`` bytes; then the
    invariants."""
    again = laptop.sync(config=ONCE)
    assert again.error is None, again.error
    assert again.bytes_sent == resent
    assert blob_state(laptop, sha) == "verified"
    settle_and_check(server, [laptop], before)


def status_move(
    server, client: ApiClient, inspection_id: str, status: str
) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    """Push a move of the inspection to ``status`` from its current head; (status, code)."""
    with server_db(server) as sdb:
        head = sdb.get(Record, ("inspection", inspection_id))
        base_rev = head.head_rev
    op = {
        "op_id": str(uuid.uuid4()),  # a new decision each time, never a replay
        "entity": "inspection",
        "id": inspection_id,
        "action": "update",
        "base_rev": base_rev,
        "fields": {"status": status},
    }
    [result] = client.push([op]).json()["results"]
    return result["status"], result.get("code")


def reviewer_client(server, name: str) -> ApiClient:  # type: ignore[no-untyped-def]
    """A reviewer (acceptance team) for every sub-district, signed in."""
    admin = ApiClient(server.url)
    admin.login("root", PASSWORD, f"{name}-admin")
    body = {"username": name, "role": "reviewer", "password": PASSWORD, "scopes": list(SCOPES)}
    assert admin.request("POST", "/v1/admin/users", json=body).status_code == 201
    client = ApiClient(server.url)
    client.login(name, PASSWORD, f"{name}-device")
    return client
