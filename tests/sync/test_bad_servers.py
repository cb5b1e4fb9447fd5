"""Bad answers and refused sign-ins: the laptop says clearly what is wrong, exits 2, and
keeps every local change; it syncs again once the server is right.

A tiny stub HTTP server on loopback plays the broken server (a captive portal's HTML page,
a 500, a truncated JSON body, JSON that is not the protocol); the real server plays the
expired token and the revoked device.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fieldcheck.sync.credentials import TokenStore
from sync_server.testing import PASSWORD, ApiClient

PORTAL = b"<!DOCTYPE html><html><body><h1>Welcome to Airport Wi-Fi</h1>Sign in</body></html>"
BAD_ANSWERS = {
    "html": (200, "text/html; charset=utf-8", PORTAL, "web page instead of data"),
    "500": (500, "text/plain", b"Internal Server Error", "server failed (HTTP 500"),
    "truncated": (200, "application/json", b'{"server_epoch": "e1", "scopes": {"a', "cut short"),
    "not_protocol": (200, "application/json", b'{"hello": "world"}', "does not match the protocol"),
}


class _Stub(BaseHTTPRequestHandler):
    answer: tuple[int, str, bytes, str] = BAD_ANSWERS["html"]

    def _reply(self) -> None:
        status, kind, body, _ = self.server.answer  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_PATCH = _reply

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def offline_work(laptop) -> None:
    inspection = laptop.start_inspection("CG-01")
    laptop.answer(inspection, "1.1", {"entrances": 2, "guard_post": "fail"})


def states(laptop) -> list[tuple[str, str]]:
    return [(r.op_id, r.state) for r in laptop.outbox()]


@pytest.mark.parametrize("kind", list(BAD_ANSWERS))
def test_a_broken_server_answer_is_named_and_nothing_is_lost(kind, stub, make_laptop):
    laptop = make_laptop("alice", f"laptop-bad-{kind}")
    offline_work(laptop)
    before = states(laptop)
    url = f"http://127.0.0.1:{stub.server_address[1]}"
    stub.answer = BAD_ANSWERS[kind]  # type: ignore[attr-defined]
    TokenStore(laptop.root).save(url, "alice", "a-token-from-before")
    done = laptop.cli("sync", "--server", url, "--user", "alice", "--timeout", "5")
    assert done.returncode == 2, done.stdout + done.stderr
    assert BAD_ANSWERS[kind][3] in done.stderr
    assert "nothing on this laptop was changed or lost" in done.stderr
    assert "Traceback" not in done.stderr
    assert states(laptop) == before
    assert {state for _, state in before} == {"pending"}
    # Signing in against the broken server fails the same clear way.
    done = laptop.cli("sync", "--server", url, "--user", "alice", "--password-stdin",
                      stdin=PASSWORD + "\n")  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_unreachable_server_exits_2(make_laptop):
    laptop = make_laptop("alice", "laptop-unreachable")
    offline_work(laptop)
    url = "http://127.0.0.1:9"  # discard port: nothing listens
    TokenStore(laptop.root).save(url, "alice", "t")
    done = laptop.cli("sync", "--server", url, "--user", "alice")
    assert done.returncode == 2
    assert "cannot be reached" in done.stderr


def test_expired_token_exits_2_keeps_the_outbox_and_a_new_sign_in_syncs(server, make_laptop):
    laptop = make_laptop("alice", "laptop-expired")
    first = laptop.cli("sync", "--server", server.url, "--user", "alice", "--password-stdin",
                       stdin=PASSWORD + "\n")  # fmt: skip
    assert first.returncode == 0, first.stderr
    offline_work(laptop)
    before = states(laptop)
    database = sqlite3.connect(server.data_dir / "server.sqlite3")
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(tzinfo=None)
    with database:
        database.execute("UPDATE token SET expires_at = ? WHERE device_id = ?",
                         (past.isoformat(sep=" "), device_of(laptop)))  # fmt: skip
    database.close()
    done = laptop.cli("sync", "--server", server.url, "--user", "alice")
    assert done.returncode == 2
    assert "expired" in done.stderr
    assert "--password-stdin" in done.stderr
    assert states(laptop) == before
    again = laptop.cli("sync", "--server", server.url, "--user", "alice", "--password-stdin",
                       stdin=PASSWORD + "\n")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert {state for _, state in states(laptop)} == {"done"}


def test_revoked_device_exits_2_and_keeps_everything(server, make_laptop):
    laptop = make_laptop("bob", "laptop-revoked")
    laptop.sync()
    offline_work(laptop)
    before = states(laptop)
    admin = ApiClient(server.url)
    admin.login("root", PASSWORD, "dev-root-revoke")
    answer = admin.request("POST", f"/v1/admin/users/bob/devices/{device_of(laptop)}/revoke")
    assert answer.status_code == 204, answer.text
    done = laptop.cli("sync", "--server", server.url, "--user", "bob", "--json")
    assert done.returncode == 2
    assert "revoked" in done.stderr
    assert states(laptop) == before


def device_of(laptop) -> str:
    from fieldcheck.store.syncbook.meta import meta

    with laptop.store.read() as session:
        return meta(session).device_id
