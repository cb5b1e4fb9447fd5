"""The ``fieldcheck`` program's door: ``--version`` is answered here, before the command line
(and with it SQLAlchemy, Pillow and, for the app, Qt) is imported, so it costs only Python's
own start-up; everything else goes on to :func:`fieldcheck.cli.main`.

``fieldcheck.cli`` also knows ``--version`` (for its help, and for callers of ``cli.main``):
both print :func:`version_line`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fieldcheck import __version__

#: Options before the command that take a value (``--data-dir DIR``, ``--language en``).
VALUE_OPTIONS = ("--data-dir", "--language")


def version_line() -> str:
    return f"fieldcheck {__version__}"


def asks_version(argv: Sequence[str]) -> bool:
    """Whether ``--version`` is among the options before the command (after a command it is
    that command's argument, for the full parser to judge)."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--version":
            return True
        if token in VALUE_OPTIONS:
            next(tokens, None)
        elif token == "--" or not token.startswith("-"):
            return False
    return False


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if asks_version(argv):
        print(version_line())
        return 0
    from fieldcheck import cli

    return cli.main(argv)
