"""The authorisation matrix (docs/authorization.md): every endpoint × role × a resource in
or out of the role's sub-districts (alice and rita work in CG; DG is outside; root is a
bureau admin) × the caller's own or someone else's. Records belong to their sub-district,
not to who made them: an edit of a colleague's record is decided like one's own. Out of
scope is answered as not there."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from sync_server.testing import (
    COMPOUNDS,
    PASSWORD,
    SCOPES,
    ApiClient,
    b64,
    create_op,
    inspection_op,
    photo_bytes,
    photo_op,
)

ROLES = {"inspector": "alice", "reviewer": "rita", "admin": "root", "anonymous": None}
SCOPE_OF = {"in": "CG", "out": "DG"}
BLOB = b"\xff\xd8\xff matrix blob"  # begins like a JPEG: only photos are stored
BLOB_SHA = hashlib.sha256(BLOB).hexdigest()
TUS = {"Tus-Resumable": "1.0.0"}
#: A photo per scope, uploaded by ivan (who works in both) and pushed as a photo record there:
#: readers of that scope may read it, others get 404.
PHOTOS = {
    scope: photo_bytes(color=color) for scope, color in (("CG", (9, 99, 9)), ("DG", (99, 9, 9)))
}
PHOTO_SHA = {scope: hashlib.sha256(data).hexdigest() for scope, data in PHOTOS.items()}


def structure_op(scope: str) -> dict:
    return create_op(
        "illegal_structure",
        {
            "compound_id": COMPOUNDS[f"{scope}-01"],
            "location": "yard",
            "type": "makeshift_shed",
            "area_m2": 12.5,
        },
    )


def others_inspection(world, scope: str, submitted: bool = False) -> dict:
    """An inspection ivan (an inspector of both scopes) made in ``scope``; submitted if
    asked. Returns the op that created it, with its head revision."""
    ivan = world.client("ivan")
    op = inspection_op(f"{scope}-04")
    ops = [op]
    if submitted:
        ops.append(
            {**op, "op_id": str(uuid.uuid4()), "action": "update", "base_rev": 1,
             "fields": {**op["fields"], "status": "submitted"}}
        )  # fmt: skip
    results = ivan.push(ops).json()["results"]
    assert [r["status"] for r in results] == ["applied"] * len(ops), results
    return {**op, "head_rev": len(ops)}


def push(client, op: dict) -> tuple[str, str, dict]:
    return ("POST", "/v1/sync/push", {"json": {"device_id": client.device_id or "x", "ops": [op]}})


def request_for(endpoint: str, scope: str, client, world) -> tuple[str, str, dict]:
    """(method, path, request kwargs) of ``endpoint`` aimed at ``scope``'s data."""
    compound = COMPOUNDS[f"{scope}-02"]
    if endpoint in ("push_edit_others", "push_accept"):
        accepting = endpoint == "push_accept"
        theirs = others_inspection(world, scope, submitted=accepting)
        change = {"status": "accepted"} if accepting else {"inspector": "edited by another"}
        head_rev = theirs.pop("head_rev")
        return push(
            client,
            {**theirs, "op_id": str(uuid.uuid4()), "action": "update",
             "base_rev": head_rev, "fields": {**theirs["fields"], **change}},
        )  # fmt: skip
    if endpoint == "push_register":
        return (
            "POST",
            "/v1/sync/push",
            {"json": {"device_id": client.device_id or "x", "ops": [structure_op(scope)]}},
        )
    if endpoint == "push_stage":
        # The laptop's snapshot of the compound, as an admin reads it (out of scope, the
        # caller cannot read it himself, but a laptop that once could still has it).
        path = f"/v1/records/compound/{compound}/versions"
        history = world.client("root").request("GET", path).json()
        head = next((v for v in history.get("versions", []) if v["is_head"]), None)
        data = dict(head["data"]) if head else {}
        data["stage"] = "tender" if data.get("stage") != "tender" else "design_notice"
        op = {
            "op_id": str(uuid.uuid4()),
            "entity": "compound",
            "id": compound,
            "action": "stage",
            "base_rev": history.get("head_rev", 1),
            "fields": data,
        }
        return (
            "POST",
            "/v1/sync/push",
            {"json": {"device_id": client.device_id or "x", "ops": [op]}},
        )
    simple = {
        "login": (
            "POST",
            "/v1/auth/login",
            {
                "json": {
                    "username": client.username or "nobody",
                    "password": PASSWORD,
                    "device_id": str(uuid.uuid4()),
                }
            },
        ),
        "status": ("GET", "/v1/sync/status", {}),
        "changes": ("GET", f"/v1/sync/changes?scope={SCOPES[scope]}", {}),
        "versions": ("GET", f"/v1/records/compound/{compound}/versions", {}),
        "blob_check": (
            "POST",
            "/v1/blobs/check",
            {"json": {"objects": [{"sha256": BLOB_SHA, "size": len(BLOB)}]}},
        ),
        "upload_create": (
            "POST",
            "/v1/uploads",
            {
                "headers": {
                    **TUS,
                    "Upload-Length": "3",
                    "Upload-Metadata": f"sha256 {b64(hashlib.sha256(b'abc').hexdigest())}",
                }
            },
        ),
        "upload_head": ("HEAD", f"/v1/uploads/{'e' * 64}", {"headers": TUS}),
        "upload_patch": (
            "PATCH",
            f"/v1/uploads/{'e' * 64}",
            {
                "data": b"x",
                "headers": {
                    **TUS,
                    "Upload-Offset": "0",
                    "Content-Type": "application/offset+octet-stream",
                },
            },
        ),
        "upload_delete": ("DELETE", f"/v1/uploads/{'e' * 64}", {"headers": TUS}),
        "blob_get": ("GET", f"/v1/blobs/{PHOTO_SHA[scope]}", {}),
        "blob_thumbnail": ("GET", f"/v1/blobs/{PHOTO_SHA[scope]}/thumbnail?w=160", {}),
        "checkpoint": ("GET", "/v1/ledger/checkpoint", {}),
        "ledger": ("GET", "/v1/ledger", {}),
        "keys": ("GET", "/v1/keys", {}),
        "me": ("GET", "/v1/me", {}),
        "refresh": ("POST", "/v1/auth/refresh", {}),
        "logout": ("DELETE", "/v1/auth/token", {}),
        "logout_everywhere": ("DELETE", "/v1/auth/tokens", {}),
        "health": ("GET", "/v1/health", {}),
        "admin_users": ("GET", "/v1/admin/users", {}),
        "admin_add": (
            "POST",
            "/v1/admin/users",
            {"json": {"username": "", "role": "inspector", "password": "x", "scopes": []}},
        ),
        "admin_disable": ("POST", "/v1/admin/users/nobody/disable", {}),
        "admin_enable": ("POST", "/v1/admin/users/nobody/enable", {}),
        "admin_revoke": ("POST", "/v1/admin/users/nobody/devices/d/revoke", {}),
        "admin_role": ("POST", "/v1/admin/users/nobody/role", {"json": {"role": "inspector"}}),
        "admin_signout": ("POST", "/v1/admin/users/nobody/signout-all", {}),
        "tus_options": ("OPTIONS", "/v1/uploads", {}),
    }
    return simple[endpoint]


A = "anonymous"
#: endpoint -> role -> (expected in scope, expected out of scope). Numbers are HTTP statuses;
#: strings are the op status (and code) a push answers 200 with.
MATRIX: dict[str, dict[str, tuple[object, object]]] = {
    "login": {"inspector": (200, 200), "reviewer": (200, 200), "admin": (200, 200), A: (401, 401)},
    "status": {"inspector": (200, 200), "reviewer": (200, 200), "admin": (200, 200), A: (401, 401)},
    "changes": {
        "inspector": (200, 403),
        "reviewer": (200, 403),
        "admin": (200, 200),
        A: (401, 401),
    },
    "versions": {
        "inspector": (200, 404),
        "reviewer": (200, 404),
        "admin": (200, 200),
        A: (401, 401),
    },
    "push_register": {
        "inspector": ("applied", "rejected:forbidden_scope"),
        "reviewer": ("rejected:forbidden_role", "rejected:forbidden_scope"),
        "admin": ("rejected:forbidden_role", "rejected:forbidden_role"),
        A: (401, 401),
    },
    "push_stage": {
        "inspector": ("applied", "rejected:forbidden_scope"),
        "reviewer": ("rejected:forbidden_role", "rejected:forbidden_scope"),
        "admin": ("applied", "applied"),
        A: (401, 401),
    },
    "push_edit_others": {
        "inspector": ("applied", "rejected:forbidden_scope"),
        "reviewer": ("rejected:forbidden_role", "rejected:forbidden_scope"),
        "admin": ("rejected:forbidden_role", "rejected:forbidden_role"),
        A: (401, 401),
    },
    "push_accept": {
        "inspector": ("rejected:invalid_transition", "rejected:forbidden_scope"),
        "reviewer": ("applied", "rejected:forbidden_scope"),
        "admin": ("rejected:forbidden_role", "rejected:forbidden_role"),
        A: (401, 401),
    },
    "blob_check": {
        "inspector": (200, 200),
        "reviewer": (200, 200),
        "admin": (200, 200),
        A: (401, 401),
    },
    "upload_create": {
        "inspector": (201, 201),
        "reviewer": (403, 403),
        "admin": (201, 201),
        A: (401, 401),
    },
    "upload_head": {
        "inspector": (404, 404),
        "reviewer": (404, 404),
        "admin": (404, 404),
        A: (401, 401),
    },
    "upload_patch": {
        "inspector": (404, 404),
        "reviewer": (403, 403),
        "admin": (404, 404),
        A: (401, 401),
    },
    "upload_delete": {
        "inspector": (404, 404),
        "reviewer": (404, 404),
        "admin": (404, 404),
        A: (401, 401),
    },
    "blob_get": {
        "inspector": (200, 404),
        "reviewer": (200, 404),
        "admin": (200, 200),
        A: (401, 401),
    },
    "blob_thumbnail": {
        "inspector": (200, 404),
        "reviewer": (200, 404),
        "admin": (200, 200),
        A: (401, 401),
    },
    "checkpoint": {
        "inspector": (200, 200),
        "reviewer": (200, 200),
        "admin": (200, 200),
        A: (401, 401),
    },
    "ledger": {"inspector": (403, 403), "reviewer": (403, 403), "admin": (200, 200), A: (401, 401)},
    "keys": {"inspector": (200, 200), "reviewer": (200, 200), "admin": (200, 200), A: (200, 200)},
    "me": {"inspector": (200, 200), "reviewer": (200, 200), "admin": (200, 200), A: (401, 401)},
    "refresh": {
        "inspector": (200, 200),
        "reviewer": (200, 200),
        "admin": (200, 200),
        A: (401, 401),
    },
    "logout": {"inspector": (204, 204), "reviewer": (204, 204), "admin": (204, 204), A: (401, 401)},
    "logout_everywhere": {
        "inspector": (204, 204),
        "reviewer": (204, 204),
        "admin": (204, 204),
        A: (401, 401),
    },
    "health": {"inspector": (200, 200), "reviewer": (200, 200), "admin": (200, 200), A: (200, 200)},
    "admin_users": {
        "inspector": (403, 403),
        "reviewer": (403, 403),
        "admin": (200, 200),
        A: (401, 401),
    },
    "admin_add": {
        "inspector": (403, 403),
        "reviewer": (403, 403),
        "admin": (422, 422),
        A: (401, 401),
    },
    "admin_disable": {
        "inspector": (403, 403),
        "reviewer": (403, 403),
        "admin": (404, 404),
        A: (401, 401),
    },
    "admin_enable": {
        "inspector": (403, 403),
        "reviewer": (403, 403),
        "admin": (404, 404),
        A: (401, 401),
    },
    "admin_revoke": {
        "inspector": (403, 403),
        "reviewer": (403, 403),
        "admin": (404, 404),
        A: (401, 401),
    },
    "admin_role": {
        "inspector": (403, 403),
        "reviewer": (403, 403),
        "admin": (404, 404),
        A: (401, 401),
    },
    "admin_signout": {
        "inspector": (403, 403),
        "reviewer": (403, 403),
        "admin": (404, 404),
        A: (401, 401),
    },
    "tus_options": {
        "inspector": (204, 204),
        "reviewer": (204, 204),
        "admin": (204, 204),
        A: (204, 204),
    },
}


def test_every_route_is_in_the_matrix(world):
    spec = world.client().request("GET", "/openapi.json").json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    pushes = [name for name in MATRIX if name.startswith("push_")]
    assert operations == len(MATRIX) - len(pushes) + 1  # push has a row per kind of change


@pytest.fixture(scope="module")
def clients(world):
    """One logged-in client per role (logging in per case would time argon2, not access)."""
    world.client("alice").upload(BLOB)
    ivan = world.client("ivan")
    for scope, data in PHOTOS.items():
        assert ivan.upload(data).headers["Blob-Status"] == "verified"
        pushed = ivan.push([photo_op(PHOTO_SHA[scope], f"{scope}-05")]).json()
        assert pushed["results"][0]["status"] == "applied", pushed
    return {role: world.client(name) for role, name in ROLES.items()}


def fresh_user(world, role: str) -> ApiClient:
    if role == "anonymous":
        return world.client()
    name = f"{role[:3]}{uuid.uuid4().hex[:8]}"
    body = {"username": name, "role": role, "password": PASSWORD, "scopes": ["CG"]}
    created = world.client("root").request("POST", "/v1/admin/users", json=body)
    assert created.status_code == 201, created.text
    return world.client(name)


@pytest.mark.parametrize("where", ["in", "out"])
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_authorisation(world, clients, endpoint, role, where):
    if endpoint == "logout":
        client = world.client(ROLES[role])
    elif endpoint == "logout_everywhere":  # ends every token of the user: one of his own
        client = fresh_user(world, role)
    else:
        client = clients[role]
    method, path, kwargs = request_for(endpoint, SCOPE_OF[where], client, world)
    response = client.request(method, path, **kwargs)
    expected = MATRIX[endpoint][role][0 if where == "in" else 1]
    if isinstance(expected, str):
        assert response.status_code == 200, response.text
        result = response.json()["results"][0]
        got = result["status"] + (f":{result['code']}" if result["status"] == "rejected" else "")
        assert got == expected
    else:
        assert response.status_code == expected, response.text
        if expected >= 400 and method != "HEAD":
            assert response.json()["code"]


#: endpoint -> (path out of scope, path of something that does not exist).
OUT_OR_MISSING = {
    "changes": (f"/v1/sync/changes?scope={SCOPES['DG']}", "/v1/sync/changes?scope=no-such"),
    "versions": (
        f"/v1/records/compound/{COMPOUNDS['DG-02']}/versions",
        f"/v1/records/compound/{uuid.uuid4()}/versions",
    ),
    "blob_get": (f"/v1/blobs/{PHOTO_SHA['DG']}", f"/v1/blobs/{'d' * 64}"),
    "blob_thumbnail": (
        f"/v1/blobs/{PHOTO_SHA['DG']}/thumbnail?w=160",
        f"/v1/blobs/{'d' * 64}/thumbnail?w=160",
    ),
}


@pytest.mark.parametrize("role", ["inspector", "reviewer"])
@pytest.mark.parametrize("endpoint", list(OUT_OR_MISSING))
def test_out_of_scope_is_answered_as_missing(clients, endpoint, role):
    out, missing = (clients[role].request("GET", p) for p in OUT_OR_MISSING[endpoint])
    assert out.status_code == missing.status_code
    assert out.json()["code"] == missing.json()["code"]
