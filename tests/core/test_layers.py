"""What the import contracts cannot see: no module of the UI but ``ui/ops.py`` opens a session
(``store.read()``/``store.write()`` or a ``Session`` of its own); every other view runs the
core's use cases through the op runner."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "src" / "fieldcheck" / "ui"
OPENERS = {"read", "write"}


def sessions_opened(path: Path) -> list[int]:
    """Lines of ``path`` that open a session: ``<…store>.read()``, ``.write()``,
    ``Session(…)``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Session":
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in OPENERS:
            owner = func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if "store" in name.lower():
                lines.append(node.lineno)
    return lines


def test_only_the_op_runner_opens_sessions_in_the_ui():
    found = {
        path.name: lines
        for path in sorted(UI.glob("*.py"))
        if path.name != "ops.py" and (lines := sessions_opened(path))
    }
    assert found == {}
    assert sessions_opened(UI / "ops.py")  # the check sees the runner's own
