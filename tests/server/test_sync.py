"""Record sync against the real server: push results, replays, conflicts, pull, history."""

from __future__ import annotations

import uuid

from sync_server.testing import COMPOUNDS, SCOPES, answer_op, inspection_op, jpeg_like, photo_op


def push_ok(client, ops):
    response = client.push(ops)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_push_creates_and_replays_return_the_stored_result(world):
    alice = world.client("alice")
    inspection = inspection_op()
    answer = answer_op(inspection["id"], values={"ok": True})
    first = push_ok(alice, [inspection, answer])
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert first[1]["rev"] == 1
    assert first[1]["seq"] > first[0]["seq"]
    again = push_ok(alice, [inspection, answer])
    assert [r["replayed"] for r in again] == [True, True]
    assert [r["seq"] for r in again] == [r["seq"] for r in first]


def test_op_id_reused_with_another_payload_is_rejected_and_changes_nothing(world):
    alice = world.client("alice")
    inspection = inspection_op()
    push_ok(alice, [inspection])
    forged = {**inspection, "fields": {**inspection["fields"], "inspector": "mallory"}}
    (result,) = push_ok(alice, [forged])
    assert result["status"] == "rejected"
    assert result["code"] == "idempotency_key_reused"
    history = alice.request("GET", f"/v1/records/inspection/{inspection['id']}/versions").json()
    assert history["head_rev"] == 1
    assert history["versions"][0]["data"]["inspector"] == "alice"


def test_disjoint_edits_merge_and_same_field_edits_conflict(world):
    alice, ivan = world.client("alice"), world.client("ivan")
    inspection = inspection_op()
    answer = answer_op(inspection["id"], values={"crack": False}, note="")
    push_ok(alice, [inspection, answer])
    edit = {**answer, "action": "update", "base_rev": 1}
    a = push_ok(
        alice,
        [
            {
                **edit,
                "op_id": str(uuid.uuid4()),
                "fields": {**answer["fields"], "values": {"crack": True}},
            }
        ],
    )
    b = push_ok(
        ivan,
        [{**edit, "op_id": str(uuid.uuid4()), "fields": {**answer["fields"], "note": "east wall"}}],
    )
    assert a[0]["status"] == "applied"
    assert a[0]["rev"] == 2
    assert b[0]["status"] == "merged"
    assert b[0]["rev"] == 3
    c = push_ok(
        ivan,
        [
            {
                **edit,
                "op_id": str(uuid.uuid4()),
                "fields": {**answer["fields"], "values": {"crack": "maybe"}},
            }
        ],
    )
    assert c[0]["status"] == "conflict"
    assert c[0]["fields"] == ["values"]
    assert c[0]["head_rev"] == 3
    history = alice.request("GET", f"/v1/records/answer/{answer['id']}/versions").json()
    assert history["conflict_state"] == "hard"
    assert [v["is_candidate"] for v in history["versions"]] == [False, False, False, True]
    head = next(v for v in history["versions"] if v["is_head"])
    assert head["data"]["values"] == {"crack": True}
    assert head["data"]["note"] == "east wall"
    resolve = {
        **edit,
        "op_id": str(uuid.uuid4()),
        "base_rev": 3,
        "resolves": [4],
        "fields": {**answer["fields"], "values": {"crack": "maybe"}, "note": "east wall"},
    }
    (resolved,) = push_ok(alice, [resolve])
    assert resolved["status"] == "applied"
    assert resolved["rev"] == 5
    history = alice.request("GET", f"/v1/records/answer/{answer['id']}/versions").json()
    assert history["conflict_state"] == "none"
    assert len(history["versions"]) == 5


def test_two_offline_creators_of_one_answer_collide_into_one_record(world):
    alice, ivan = world.client("alice"), world.client("ivan")
    inspection = inspection_op()
    push_ok(alice, [inspection])
    mine = answer_op(inspection["id"], "B2", values={"v": 1})
    theirs = answer_op(inspection["id"], "B2", values={"v": 2})
    assert mine["id"] == theirs["id"]
    assert push_ok(alice, [mine])[0]["status"] == "applied"
    assert push_ok(ivan, [theirs])[0]["status"] == "conflict"


def test_a_batch_applies_what_is_allowed_and_rejects_the_rest_per_op(world):
    alice = world.client("alice")
    inside, outside = inspection_op("CG-02"), inspection_op("DG-01")
    bad = inspection_op("CG-02", kind="not-a-kind")
    orphan = answer_op(str(uuid.uuid4()))
    results = push_ok(alice, [inside, outside, bad, orphan])
    assert [(r["status"], r["code"]) for r in results] == [
        ("applied", None),
        ("rejected", "forbidden_scope"),
        ("rejected", "invalid"),
        ("deferred", "parent_missing"),
    ]
    assert results[2]["fields"] == ["kind"]


def test_reviewer_cannot_edit_answers_and_submitted_inspections_are_locked(world):
    alice, rita = world.client("alice"), world.client("rita")
    inspection = inspection_op()
    answer = answer_op(inspection["id"])
    push_ok(alice, [inspection, answer])
    edit = {
        **answer,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": 1,
        "fields": {**answer["fields"], "note": "reviewer was here"},
    }
    (refused,) = push_ok(rita, [edit])
    assert refused["status"] == "rejected"
    assert refused["code"] == "forbidden_role"
    submit = {
        **inspection,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": 1,
        "fields": {**inspection["fields"], "status": "submitted"},
    }
    accept = {
        **submit,
        "op_id": str(uuid.uuid4()),
        "base_rev": 2,
        "fields": {**inspection["fields"], "status": "accepted"},
    }
    results = push_ok(alice, [submit, {**edit, "op_id": str(uuid.uuid4())}, accept])
    assert [(r["status"], r["code"]) for r in results] == [
        ("applied", None),
        ("rejected", "locked"),
        ("rejected", "invalid_transition"),
    ]


def test_photo_ops_wait_for_their_blob(world):
    alice = world.client("alice")
    op = {**inspection_op(), "blobs": ["ab" * 32]}
    (result,) = push_ok(alice, [op])
    assert result["status"] == "deferred"
    assert result["code"] == "blob_missing"
    data = jpeg_like(200)
    assert alice.upload(data).status_code == 204
    import hashlib

    op["blobs"] = [hashlib.sha256(data).hexdigest()]
    assert push_ok(alice, [op])[0]["status"] == "applied"


def test_pull_pages_by_scope_and_status_says_when_nothing_is_to_do(world):
    bob = world.client("bob")
    status = bob.request("GET", "/v1/sync/status").json()
    assert set(status["scopes"]) == {SCOPES["DG"]}
    scope = SCOPES["DG"]
    seen, cursor = [], 0
    while True:
        page = bob.request(
            "GET", "/v1/sync/changes", params={"scope": scope, "since": cursor, "limit": 2}
        ).json()
        seen += page["changes"]
        cursor = page["last_seq"]
        if not page["has_more"]:
            break
    assert cursor == status["scopes"][scope]["max_seq"]
    assert {c["id"] for c in seen} >= {COMPOUNDS[f"DG-0{i}"] for i in range(1, 6)}
    assert [c["seq"] for c in seen] == sorted(c["seq"] for c in seen)
    page = bob.request("GET", "/v1/sync/changes", params={"scope": scope, "since": cursor}).json()
    assert page["changes"] == []
    assert page["last_seq"] == cursor
    forbidden = bob.request("GET", "/v1/sync/changes", params={"scope": SCOPES["CG"]})
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "forbidden_scope"


def test_inspector_may_move_a_stage_but_not_edit_compound_facts(world):
    alice = world.client("alice")
    cid = COMPOUNDS["CG-04"]
    head = alice.request("GET", f"/v1/records/compound/{cid}/versions").json()
    data = next(v for v in head["versions"] if v["is_head"])["data"]
    stage = {
        "op_id": str(uuid.uuid4()),
        "entity": "compound",
        "id": cid,
        "action": "stage",
        "base_rev": head["head_rev"],
        "fields": {**data, "stage": "illegal_structure_removal"},
    }
    rename = {
        **stage,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": head["head_rev"],
        "fields": {**data, "name": "renamed"},
    }
    results = push_ok(alice, [stage, rename])
    assert results[0]["status"] == "applied"
    assert (results[1]["status"], results[1]["code"]) == ("rejected", "forbidden_role")


def test_photo_records_follow_their_blob_and_keep_their_capture_facts(world):
    import hashlib

    alice = world.client("alice")
    data = jpeg_like(40)
    sha = hashlib.sha256(data).hexdigest()
    photo = photo_op(sha)
    (waiting,) = push_ok(alice, [photo])
    assert (waiting["status"], waiting["code"]) == ("deferred", "blob_missing")
    assert alice.upload(data).status_code == 204
    annotation = {
        "op_id": str(uuid.uuid4()),
        "entity": "annotation",
        "id": str(uuid.uuid4()),
        "action": "create",
        "base_rev": 0,
        "fields": {"photo_id": photo["id"], "version": 1, "shapes": [{"kind": "arrow"}]},
    }
    applied = push_ok(alice, [photo, annotation])
    assert [r["status"] for r in applied] == ["applied", "applied"]
    relink = {
        **photo,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": 1,
        "fields": {**photo["fields"], "viewpoint_id": "vp-1"},
    }
    forged = {
        **photo,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": 2,
        "fields": {**photo["fields"], "viewpoint_id": "vp-1", "phase": "after"},
    }
    results = push_ok(alice, [relink, forged])
    assert results[0]["status"] == "applied"
    assert (results[1]["status"], results[1]["code"]) == ("rejected", "immutable")
    outside = push_ok(
        world.client("bob"), [{**annotation, "op_id": str(uuid.uuid4()), "id": str(uuid.uuid4())}]
    )
    assert outside[0]["code"] == "forbidden_scope"


def test_one_batch_may_create_edit_and_repeat_the_same_record(world):
    alice = world.client("alice")
    inspection = inspection_op()
    answer = answer_op(inspection["id"], values={"v": 1})
    edit = {
        **answer,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": 1,
        "fields": {**answer["fields"], "values": {"v": 2}},
    }
    stale = {
        **answer,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": 1,
        "fields": {**answer["fields"], "values": {"v": 3}},
    }
    results = push_ok(alice, [inspection, answer, edit, answer, stale])
    assert [r["status"] for r in results] == [
        "applied",
        "applied",
        "applied",
        "applied",
        "conflict",
    ]
    assert results[3]["replayed"] is True
    assert [r["rev"] for r in results[1:3]] == [1, 2]


def test_reconcile_ops_restore_lost_versions_and_skip_known_ones(world):
    """After a restore from an older backup a laptop re-pushes its copies as ``reconcile``
    ops (SYNC-RESEARCH §6.8, decision 0041): a lost record is created, a copy equal to any
    stored version changes nothing (repeatable), a copy of a later revision than the server
    has becomes the head, and one the server cannot order stays a hard-conflict candidate."""
    alice = world.client("alice")
    inspection = inspection_op()
    answer = answer_op(inspection["id"], values={"crack": False}, note="")

    def reconcile(op, base_rev, **fields):
        fresh = {**op, "op_id": str(uuid.uuid4()), "action": "reconcile", "base_rev": base_rev}
        return {**fresh, "fields": {**op["fields"], **fields}}

    lost = push_ok(alice, [reconcile(inspection, 4), reconcile(answer, 7)])
    assert [(r["status"], r["code"], r["rev"]) for r in lost] == [
        ("applied", "restored", 1),
        ("applied", "restored", 1),
    ]
    again = push_ok(alice, [reconcile(inspection, 4), reconcile(answer, 7)])
    assert [(r["status"], r["code"], r["rev"]) for r in again] == [
        ("applied", "known_version", 1),
        ("applied", "known_version", 1),
    ]
    later = push_ok(alice, [reconcile(answer, 7, note="east wall")])
    assert [later[0][k] for k in ("status", "code", "head_rev")] == ["applied", "restored", 2]
    older = push_ok(alice, [reconcile(answer, 1)])  # rev 1's data: known, nothing stored
    assert (older[0]["code"], older[0]["rev"], older[0]["head_rev"]) == ("known_version", 1, 2)
    unordered = push_ok(alice, [reconcile(answer, 2, note="west wall")])
    assert unordered[0]["status"] == "conflict"
    history = alice.request("GET", f"/v1/records/answer/{answer['id']}/versions").json()
    assert history["head_rev"] == 2
    assert history["conflict_state"] == "hard"
    assert [v["data"]["note"] for v in history["versions"]] == ["", "east wall", "west wall"]


def test_photos_keep_the_receipt_time_and_flag_a_skewed_laptop_clock(world):
    import hashlib

    alice = world.client("alice")

    def body(ops: list, offset: float | None) -> dict:
        return {"device_id": alice.device_id, "ops": ops, "clock_offset_s": offset}

    shas = []
    for _ in range(3):
        data = jpeg_like(40)
        assert alice.upload(data).status_code == 204
        shas.append(hashlib.sha256(data).hexdigest())
    claimed = "2026-03-02T08:00:00"
    skewed = photo_op(shas[0], captured_at=claimed, clock_skew_flag=False)  # a laptop cannot set it
    close = photo_op(shas[1], captured_at=claimed)
    unknown = photo_op(shas[2], captured_at=claimed)
    for ops, offset in (([skewed], -3 * 86400.0), ([close], 42.5), ([unknown], None)):
        response = alice.request("POST", "/v1/sync/push", json=body(ops, offset))
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["status"] == "applied"
    changes = alice.request(
        "GET", "/v1/sync/changes", params={"scope": SCOPES["CG"], "since": 0, "limit": 1000}
    ).json()["changes"]
    pulled = {c["id"]: c["data"] for c in changes if c["entity"] == "photo"}
    assert pulled[skewed["id"]]["clock_skew_flag"] is True
    assert pulled[skewed["id"]]["received_clock_offset_s"] == -3 * 86400.0
    assert pulled[close["id"]]["clock_skew_flag"] is False
    assert pulled[unknown["id"]]["clock_skew_flag"] is False
    assert pulled[unknown["id"]]["received_clock_offset_s"] is None
    for op in (skewed, close, unknown):
        assert pulled[op["id"]]["captured_at"] == claimed  # kept as the laptop claimed it
        assert pulled[op["id"]]["server_received_at"]

    # later edits (a re-link) and forged values leave the receipt as it was
    relink = {
        **skewed,
        "op_id": str(uuid.uuid4()),
        "action": "update",
        "base_rev": 1,
        "fields": {**skewed["fields"], "viewpoint_id": "vp-9", "clock_skew_flag": False},
    }
    response = alice.request("POST", "/v1/sync/push", json=body([relink], 0.0))
    assert response.json()["results"][0]["status"] == "applied"
    history = alice.request("GET", f"/v1/records/photo/{skewed['id']}/versions").json()
    head = next(v["data"] for v in history["versions"] if v["is_head"])
    assert head["clock_skew_flag"] is True
    assert head["viewpoint_id"] == "vp-9"
    assert head["server_received_at"] == pulled[skewed["id"]]["server_received_at"]
