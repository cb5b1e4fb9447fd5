"""Accounts hardened (issue 10, points 7, 10, 11, 12): throttling that never locks a known
device out, passwords and usernames, disabled accounts and the last admin, tokens bound to
their device with an absolute end, and signing out everywhere."""

from __future__ import annotations

import datetime as dt
import statistics
import time
import uuid

import pytest
from sqlmodel import select

from sync_server.auth import passwords
from sync_server.auth.client_address import client_address
from sync_server.auth.models import LoginFailure, Token
from sync_server.auth.service import hash_token
from sync_server.db import open_database
from sync_server.settings import Settings
from sync_server.testing import PASSWORD, run_cli

ATTACKER = "203.0.113.9"
ELSEWHERE = "198.51.100.7"


def login(world, username, password=PASSWORD, device_id=None, via=None):
    headers = {"X-Forwarded-For": via} if via else {}
    return world.client().request(
        "POST",
        "/v1/auth/login",
        headers=headers,
        json={
            "username": username,
            "password": password,
            "device_id": device_id or str(uuid.uuid4()),
        },
    )


def new_user(world, role="inspector", **extra) -> str:
    name = f"u{uuid.uuid4().hex[:8]}"
    body = {"username": name, "role": role, "password": PASSWORD, "scopes": ["CG"], **extra}
    created = world.client("root").request("POST", "/v1/admin/users", json=body)
    assert created.status_code == 201, created.text
    return name


def database(world):
    return open_database(Settings.from_env(env=world.env))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_guesses_never_lock_out_a_device_that_signed_in_before(make_world, backend):
    world = make_world(backend, {"FIELDCHECK_TRUSTED_PROXIES": "127.0.0.1/8"})
    assert login(world, "alice", device_id="alice-laptop", via=ELSEWHERE).status_code == 200
    assert login(world, "bob", device_id="bob-laptop", via=ELSEWHERE).status_code == 200
    guesses = [login(world, "alice", "wrong-password", via=ATTACKER) for _ in range(6)]
    assert [g.status_code for g in guesses] == [401] * 5 + [429]
    # The account is throttled for devices it never signed in from …
    assert login(world, "alice", via=ELSEWHERE).status_code == 429
    # … but not for her own laptop, whatever the attacker does.
    assert login(world, "alice", device_id="alice-laptop", via=ELSEWHERE).status_code == 200
    # Fifty failures from one address throttle unknown devices behind it, not known ones,
    # and not other addresses.
    for _ in range(45):
        assert login(world, f"nobody-{uuid.uuid4().hex[:6]}", "x", via=ATTACKER).status_code == 401
    assert login(world, "bob", via=ATTACKER).status_code == 429
    assert login(world, "bob", device_id="bob-laptop", via=ATTACKER).status_code == 200
    assert login(world, "ivan", via=ELSEWHERE).status_code == 200


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(world):
    assert login(world, "nobody-at-all", "x", via="203.0.113.77").status_code == 401
    db = database(world)
    with db.reading() as session:
        keys = set(session.exec(select(LoginFailure.key)).all())
    db.dispose()
    assert "ip:203.0.113.77" not in keys
    assert "ip:127.0.0.1" in keys


def test_client_address_walks_x_forwarded_for_from_the_nearest_proxy():
    proxies = ("10.0.0.0/8", "127.0.0.1")
    assert client_address("127.0.0.1", None, proxies) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.5", ()) == "127.0.0.1"
    assert client_address("198.51.100.1", "203.0.113.5", proxies) == "198.51.100.1"
    assert client_address("127.0.0.1", "203.0.113.5, 10.1.2.3", proxies) == "203.0.113.5"
    assert client_address("127.0.0.1", "1.2.3.4, 203.0.113.5", proxies) == "203.0.113.5"
    with pytest.raises(ValueError, match="not-an-address"):
        client_address("127.0.0.1", "x", ("not-an-address",))


def test_an_unknown_username_costs_one_argon2_verification_like_a_wrong_password():
    real = passwords.hash_password("the right password")
    passwords.warm_up()

    def median_seconds(password_hash):
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            assert not passwords.verify_password("a wrong password", password_hash)
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    unknown, wrong = median_seconds(None), median_seconds(real)
    assert unknown < 1.5 * wrong, (unknown, wrong)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("nine-char", "at least 10"),
        (" " * 12, "only spaces"),
        ("qwertyuiop", "most common"),
        ("Password123", "most common"),
        ("1234567890", "most common"),
    ],
)
def test_weak_passwords_are_refused(world, password, why):
    body = {"username": f"w{uuid.uuid4().hex[:6]}", "role": "inspector", "scopes": ["CG"]}
    refused = world.client("root").request(
        "POST", "/v1/admin/users", json={**body, "password": password}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "weak_password"
    assert why in refused.json()["message"]


def test_the_username_is_not_a_password(world):
    name = f"longusername{uuid.uuid4().hex[:4]}"
    body = {"username": name, "role": "inspector", "scopes": ["CG"], "password": name.upper()}
    refused = world.client("root").request("POST", "/v1/admin/users", json=body)
    assert (refused.status_code, refused.json()["code"]) == (422, "weak_password")


def test_usernames_are_unique_however_they_are_cased_or_spaced(world):
    root = world.client("root")
    base = f"Li{uuid.uuid4().hex[:6]}"
    body = {"role": "inspector", "password": PASSWORD, "scopes": ["CG"]}
    assert root.request("POST", "/v1/admin/users", json={**body, "username": base}).ok
    for twin in (base.lower(), f"{base.lower()} ", f" {base.upper()}", base.replace("L", "Ｌ")):
        clash = root.request("POST", "/v1/admin/users", json={**body, "username": twin})
        assert (clash.status_code, clash.json()["code"]) == (409, "user_exists"), twin
    signed_in = login(world, f"  {base.upper()} ")
    assert signed_in.status_code == 200
    assert signed_in.json()["user"]["username"] == base


def test_a_disabled_account_answers_the_same_whatever_the_password(world):
    name = new_user(world)
    client = world.client(name, device_id="its-laptop")
    assert world.client("root").request("POST", f"/v1/admin/users/{name}/disable").ok
    right, wrong = login(world, name, device_id="its-laptop"), login(world, name, "wrong-one!!")
    assert (right.status_code, right.json()) == (wrong.status_code, wrong.json())
    assert right.json()["code"] == "user_disabled"
    # Disabling revoked the token for good: enabling does not revive it.
    assert world.client("root").request("POST", f"/v1/admin/users/{name}/enable").ok
    stale = client.request("GET", "/v1/me")
    assert (stale.status_code, stale.json()["code"]) == (401, "invalid_token")
    assert login(world, name, device_id="its-laptop").status_code == 200


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_last_active_admin_stays(make_world, backend):
    world = make_world(backend)
    root = world.client("root")
    for action in ("disable", "role"):
        kwargs = {"json": {"role": "inspector"}} if action == "role" else {}
        refused = root.request("POST", f"/v1/admin/users/root/{action}", **kwargs)
        assert (refused.status_code, refused.json()["code"]) == (409, "last_admin")
    cli = run_cli(["user", "disable", "ROOT"], world.env)
    assert cli.returncode == 1
    assert "last active admin" in cli.stderr
    second = new_user(world, role="admin", scopes=[])
    demoted = root.request("POST", "/v1/admin/users/root/role", json={"role": "reviewer"})
    assert demoted.status_code == 422  # a reviewer needs sub-districts; root has none
    assert root.request("POST", f"/v1/admin/users/{second}/disable").ok
    refused = world.client("root").request("POST", "/v1/admin/users/root/disable")
    assert refused.json()["code"] == "last_admin"


def test_a_token_needs_its_device_and_ends_after_its_absolute_lifetime(world):
    name = new_user(world)
    client = world.client(name, device_id="old-laptop")
    token = client.http.headers["Authorization"].removeprefix("Bearer ")
    bare = world.client()
    bare.http.headers["Authorization"] = f"Bearer {token}"
    missing = bare.request("GET", "/v1/me")
    assert (missing.status_code, missing.json()["code"]) == (401, "device_required")
    # Used every day it never idles out, but 90 days after sign-in it ends: the clock is
    # moved by writing the token's sign-in time back, as 91 days of use would leave it.
    db = database(world)
    with db.writing() as session:
        row = session.get(Token, hash_token(token))
        row.created_at = row.created_at - dt.timedelta(days=89, hours=23)
        session.add(row)
        session.commit()
    db.dispose()
    refreshed = client.request("POST", "/v1/auth/refresh")
    assert refreshed.status_code == 200
    expires = dt.datetime.fromisoformat(refreshed.json()["expires_at"])
    assert expires - dt.datetime.now(dt.UTC) < dt.timedelta(hours=2)  # not slid past the end
    db = database(world)
    with db.writing() as session:
        row = session.get(Token, hash_token(token))
        row.created_at = row.created_at - dt.timedelta(days=2)
        session.add(row)
        session.commit()
    db.dispose()
    ended = client.request("GET", "/v1/me")
    assert (ended.status_code, ended.json()["code"]) == (401, "token_expired")


def test_signing_out_everywhere(world):
    name = new_user(world)
    laptops = [world.client(name) for _ in range(3)]
    assert laptops[0].request("DELETE", "/v1/auth/tokens").status_code == 204
    for laptop in laptops:
        after = laptop.request("GET", "/v1/me")
        assert (after.status_code, after.json()["code"]) == (401, "invalid_token")
    again = [world.client(name) for _ in range(2)]
    by_admin = world.client("root").request("POST", f"/v1/admin/users/{name}/signout-all")
    assert by_admin.status_code == 204
    assert all(c.request("GET", "/v1/me").status_code == 401 for c in again)
    last = world.client(name)
    done = run_cli(["user", "signout-all", name.upper()], world.env)
    assert done.returncode == 0, done.stderr
    assert "1 token(s) revoked" in done.stdout
    assert last.request("GET", "/v1/me").status_code == 401
