"""Accounts: login, device-bound hashed tokens, sliding expiry, logout, disabling, revoking,
and slowed password guessing."""

from __future__ import annotations

import uuid

from sync_server.db import open_database
from sync_server.settings import Settings
from sync_server.testing import PASSWORD


def login(world, username, password=PASSWORD, device_id=None):
    return world.client().request(
        "POST",
        "/v1/auth/login",
        json={
            "username": username,
            "password": password,
            "device_id": device_id or str(uuid.uuid4()),
        },
    )


def settings_of(world) -> Settings:
    return Settings.from_env(env=world.env)


def test_login_gives_a_device_bound_token_stored_only_hashed(world):
    response = login(world, "alice", device_id="laptop-7")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["role"] == "inspector"
    assert [s["code"] for s in body["scopes"]] == ["CG"]
    from sqlmodel import select

    from sync_server.auth.models import Token
    from sync_server.auth.service import hash_token

    database = open_database(settings_of(world))
    with database.reading() as session:
        stored = session.exec(select(Token.token_hash)).all()
    database.dispose()
    assert hash_token(body["token"]) in stored
    assert body["token"] not in stored
    alice = world.client()
    alice.http.headers["Authorization"] = f"Bearer {body['token']}"
    bare = alice.request("GET", "/v1/me")
    assert (bare.status_code, bare.json()["code"]) == (401, "device_required")
    me = alice.request("GET", "/v1/me", headers={"X-Device-Id": "laptop-7"})
    assert me.json()["device_id"] == "laptop-7"
    assert "Token-Expires" in me.headers
    other = alice.request("GET", "/v1/me", headers={"X-Device-Id": "someone-else"})
    assert other.status_code == 401
    assert other.json()["code"] == "device_mismatch"


def test_logout_and_refresh(world):
    alice = world.client("alice")
    refreshed = alice.request("POST", "/v1/auth/refresh")
    assert refreshed.status_code == 200
    assert refreshed.json()["expires_at"]
    assert alice.request("DELETE", "/v1/auth/token").status_code == 204
    after = alice.request("GET", "/v1/sync/status")
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_token"


def test_disabling_a_user_and_revoking_a_device_work_on_the_next_request(world):
    root = world.client("root")
    name = f"u{uuid.uuid4().hex[:8]}"
    created = root.request(
        "POST",
        "/v1/admin/users",
        json={"username": name, "role": "inspector", "password": PASSWORD, "scopes": ["XC"]},
    )
    assert created.status_code == 201
    user = world.client(name, device_id="d1")
    assert user.request("GET", "/v1/sync/status").status_code == 200
    assert root.request("POST", f"/v1/admin/users/{name}/devices/d1/revoke").status_code == 204
    revoked = user.request("GET", "/v1/sync/status")
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "device_revoked"
    assert login(world, name, device_id="d1").json()["code"] == "device_revoked"
    other = world.client(name, device_id="d2")
    assert root.request("POST", f"/v1/admin/users/{name}/disable").status_code == 200
    disabled = other.request("GET", "/v1/sync/status")
    assert disabled.status_code == 401
    assert disabled.json()["code"] == "user_disabled"
    assert login(world, name).status_code == 401


def test_failed_logins_are_slowed_per_user(world):
    name = f"g{uuid.uuid4().hex[:8]}"
    world.client("root").request(
        "POST",
        "/v1/admin/users",
        json={"username": name, "role": "reviewer", "password": PASSWORD, "all_scopes": True},
    )
    codes = [login(world, name, "wrong-password").status_code for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    throttled = login(world, name)
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) >= 1
    assert throttled.json()["code"] == "login_throttled"


def test_admin_api_is_for_admins_only(world):
    alice = world.client("alice")
    response = alice.request("GET", "/v1/admin/users")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden_role"
    duplicate = world.client("root").request(
        "POST",
        "/v1/admin/users",
        json={"username": "alice", "role": "inspector", "password": PASSWORD, "scopes": ["CG"]},
    )
    assert duplicate.status_code == 409
