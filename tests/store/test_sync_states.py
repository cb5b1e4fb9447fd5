"""The sync book's states: their strings are what laptop databases in the field hold (an enum
renamed must keep its value, or a migration must rewrite the rows), and the sync code spells
no state as a bare string (decision 0055)."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

from fieldcheck.core.sync_marks import PhotoMark
from fieldcheck.protocol.blobs import BlobStatus
from fieldcheck.protocol.changes import ConflictState
from fieldcheck.protocol.ops import OpCode, OpStatus
from fieldcheck.protocol.status import LedgerSeen
from fieldcheck.store.syncbook.states import (
    AttentionKind,
    BlobState,
    ConflictChoice,
    ConflictStatus,
    OutboxState,
    RecordMark,
    RestoreNote,
)
from fieldcheck.sync.report import SyncOutcome

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "fieldcheck"
#: Where sync states are read, written and shown.
SCOPE = [
    PACKAGE / "sync",
    PACKAGE / "core",
    PACKAGE / "ui",
    PACKAGE / "store" / "syncbook",
    PACKAGE / "store" / "sync_tables.py",
    PACKAGE / "cli_sync.py",
]
ENUMS: list[type[StrEnum]] = [
    OutboxState,
    BlobState,
    ConflictStatus,
    ConflictChoice,
    RecordMark,
    RestoreNote,
    AttentionKind,
    SyncOutcome,
    ConflictState,
    OpStatus,
    OpCode,
    LedgerSeen,
    BlobStatus,
    PhotoMark,
]


def test_stored_states_keep_their_strings():
    assert {s.value for s in OutboxState} == {
        "pending", "inflight", "done", "conflict", "rejected", "deferred", "superseded",
        "dismissed",
    }  # fmt: skip
    assert {s.value for s in BlobState} == {
        "local_only", "uploading", "verified", "integrity", "missing"
    }  # fmt: skip
    assert {s.value for s in ConflictStatus} == {"open", "resolving", "resolved"}
    assert {s.value for s in RestoreNote} == {"pending", "done", "kept"}
    assert {s.value for s in ConflictState} == {"none", "soft", "hard"}


def _strings(tree: ast.Module) -> list[tuple[int, str]]:
    """String constants of a module, leaving out docstrings and the members of enums."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Name) and b.id.endswith("Enum") for b in node.bases
        ):
            skip |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Constant)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_no_sync_state_is_spelt_as_a_bare_string():
    states = {s.value for enum in ENUMS for s in enum}
    files = [p for part in SCOPE for p in ([part] if part.is_file() else part.rglob("*.py"))]
    assert len(files) > 20
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
        for path in files
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8")))
        if text in states
    ]
    assert found == []
