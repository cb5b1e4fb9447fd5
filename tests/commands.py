"""Running the real ``fieldcheck`` command line in a subprocess, as a user would, on a data
folder given through ``FIELDCHECK_DATA_DIR``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def fieldcheck(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FIELDCHECK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "fieldcheck.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
