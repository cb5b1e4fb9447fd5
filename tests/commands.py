"""Running the real ``fieldcheck`` command line in a subprocess, as a user would, on a data
folder given through ``FIELDCHECK_DATA_DIR``; in English (``tests/conftest.py`` sets the
test run's locale) unless ``env`` sets another."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def fieldcheck(
    data_dir: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``fieldcheck ARGS``; ``env`` is laid over the test run's environment."""
    full_env = {
        **os.environ,
        "FIELDCHECK_DATA_DIR": str(data_dir),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "fieldcheck", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        timeout=120,
    )
