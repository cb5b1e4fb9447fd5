"""The wire format on its own: strict models, shared by server and laptop."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from fieldcheck.protocol.blobs import BlobCheckRequest
from fieldcheck.protocol.ops import MAX_OPS_PER_PUSH, Entity, Op, PushRequest
from fieldcheck.protocol.records import ENTITY_FIELDS, AnswerFields
from sync_server.auth.backoff import wait_seconds
from sync_server.ledger.chain import canonical_json

OP = {"op_id": "o1", "entity": "answer", "id": "a1", "action": "create", "base_rev": 0}


def test_ops_refuse_unknown_fields_and_bad_values():
    assert Op.model_validate(OP).fields == {}
    with pytest.raises(ValidationError, match="extra"):
        Op.model_validate({**OP, "force": True})
    with pytest.raises(ValidationError):
        Op.model_validate({**OP, "base_rev": -1})
    with pytest.raises(ValidationError):
        Op.model_validate({**OP, "entity": "photo_of_cat"})
    with pytest.raises(ValidationError):
        PushRequest(device_id="d", ops=[Op.model_validate(OP)] * (MAX_OPS_PER_PUSH + 1))


def test_blob_ids_are_lowercase_hex_sha256():
    BlobCheckRequest.model_validate({"objects": [{"sha256": "a" * 64, "size": 1}]})
    for bad in ("A" * 64, "a" * 63, "g" * 64):
        with pytest.raises(ValidationError):
            BlobCheckRequest.model_validate({"objects": [{"sha256": bad, "size": 1}]})


def test_record_fields_mirror_the_laptop_snapshots():
    snapshot = {
        "id": "x",
        "inspection_id": "i",
        "item_code": "Q1",
        "entry": 0,
        "values": {"ok": True},
        "note": "",
        "rev": 3,
    }
    assert AnswerFields.model_validate(snapshot).values == {"ok": True}
    assert set(ENTITY_FIELDS) == set(Entity)


def test_canonical_json_and_backoff_are_stable():
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert [wait_seconds(n, 5, 900) for n in (0, 4, 5, 6, 30)] == [0, 0, 2, 4, 900]
