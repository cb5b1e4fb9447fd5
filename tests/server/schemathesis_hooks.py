"""Loaded by ``schemathesis run`` (``SCHEMATHESIS_HOOKS``, test_schemathesis.py): a tus
chunk (``application/offset+octet-stream``) is sent as raw bytes, like any octet stream."""

from __future__ import annotations

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
