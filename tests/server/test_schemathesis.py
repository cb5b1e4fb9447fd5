"""The served OpenAPI document is the API: ``schemathesis run --checks all`` with a valid
admin token (coverage, fuzzing and stateful phases) finds no failure, on a server of its own
(the run creates accounts and uploads). The answers the document cannot express are listed,
with their reasons, in ``schemathesis.toml`` beside this file (decision 0079)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
#: Operations that end the token the run uses (test_auth covers them): logging it out,
#: revoking its device, disabling its account.
TOKEN_ENDING = [
    "/v1/auth/token",
    "/v1/auth/tokens",
    "/v1/admin/users/{username}/devices/{device_id}/revoke",
    "/v1/admin/users/{username}/disable",
]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_schemathesis_checks_all_find_nothing(make_world, backend, tmp_path):
    world = make_world(backend)
    root = world.client("root")
    token = root.http.headers["Authorization"]
    excluded = [arg for path in TOKEN_ENDING for arg in ("--exclude-path", path)]
    done = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(HERE / "schemathesis.toml"),
            "run",
            f"{world.url}/openapi.json",
            "--checks",
            "all",
            "--header",
            f"Authorization: {token}",
            "--header",
            f"X-Device-Id: {root.device_id}",
            *excluded,
            "--max-examples",
            "25",
            "--seed",
            "20261204",
            "--no-color",
        ],
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py")},
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-30000:] + done.stderr[-5000:]
    assert " passed" in done.stdout
    assert "Authentication failed" not in done.stdout  # every operation ran signed in
