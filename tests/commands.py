"""Running the real ``fieldcheck`` command line in a subprocess, as a user would, on a data
folder given through ``FIELDCHECK_DATA_DIR``, in English unless ``env`` sets another locale."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: The locale the command runs in unless a test says otherwise: English, whatever the
#: developer's machine speaks (the command line follows the locale).
ENGLISH_LOCALE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}


def fieldcheck(
    data_dir: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``fieldcheck ARGS``; ``env`` is laid over the locale above and the test's own."""
    full_env = {
        **os.environ,
        **ENGLISH_LOCALE,
        "FIELDCHECK_DATA_DIR": str(data_dir),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "fieldcheck.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        timeout=120,
    )
