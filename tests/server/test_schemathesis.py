"""Property-based fuzzing of the served OpenAPI document with schemathesis: whatever the
input, no server error and no response that breaks the documented schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.content_type_conformance,
    checks.status_code_conformance,
]
#: Logging out would end the token the rest of the run uses; test_auth covers them.
SKIPPED = {("DELETE", "/v1/auth/token"), ("DELETE", "/v1/auth/tokens")}
EXAMPLES = 8


def test_api_fuzz(world):
    schema = schemathesis.openapi.from_url(f"{world.url}/openapi.json")
    root = world.client("root")
    token = {"Authorization": root.http.headers["Authorization"], "X-Device-Id": root.device_id}
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            case.call_and_validate(headers=token, checks=CHECKS)

        fuzz()
        tested += 1
    assert tested >= 20
