"""``fieldcheck verify-archive PATH [--key FINGERPRINT|FILE] [--json]``: check an archive
package (bag folder or ZIP) offline and name every file that is missing, extra, altered,
unproven or unsigned.

Exit status: 0 the package is whole; 1 something is wrong (each file named); 2 the package
(or the key) cannot be read. ``--json`` prints one object, never translated. The server's
command line can call :func:`verify_command` the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fieldcheck.cli_messages import fail
from fieldcheck.cli_text import N_, _, ngettext
from fieldcheck.export.proof import public_key_from_pem
from fieldcheck.export.verify import ArchiveUnreadableError, VerifyReport, verify_archive

EXIT_WHOLE, EXIT_DAMAGED, EXIT_UNREADABLE = 0, 1, 2

KIND_WORDS = {
    "missing": N_("missing"),
    "extra": N_("extra"),
    "altered": N_("altered"),
    "unproven": N_("unproven"),
    "unsigned": N_("unsigned"),
}


def add_parser(commands: Any) -> None:
    """Register ``verify-archive`` on the ``fieldcheck`` command parser's subcommands."""
    verify = commands.add_parser(
        "verify-archive",
        help=_("check an archive package (folder or ZIP) offline: files, signature, ledger proof"),
    )
    verify.add_argument("path", type=Path, metavar="PATH")
    verify.add_argument(
        "--key",
        metavar="FINGERPRINT|FILE",
        help=_("the server key to trust: its SHA-256 fingerprint or its public key file (PEM)"),
    )
    verify.add_argument(
        "--json", action="store_true", help=_("print the verdict as one JSON object")
    )


def read_key(value: str | None) -> str | bytes | None:
    """A fingerprint as given, or the raw key from a PEM file (ValueError when neither)."""
    if value is None:
        return None
    text = value.strip().lower()
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        return text
    path = Path(value)
    if not path.is_file():
        raise ValueError(value)
    return public_key_from_pem(path.read_bytes())


def verify_command(path: Path, key: str | None, as_json: bool) -> int:
    try:
        pinned = read_key(key)
    except (OSError, ValueError):
        fail(
            _("{key}: neither a 64-digit key fingerprint nor an Ed25519 public key file").format(
                key=key
            )
        )
        return EXIT_UNREADABLE
    try:
        report = verify_archive(path, pinned)
    except (ArchiveUnreadableError, OSError) as exc:
        if as_json:
            print(json.dumps({"ok": False, "unreadable": str(exc)}, ensure_ascii=False))
        fail(_("cannot read the package: {reason}").format(reason=exc))
        return EXIT_UNREADABLE
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        show(path, report)
    return EXIT_WHOLE if report.ok else EXIT_DAMAGED


def show(path: Path, report: VerifyReport) -> None:
    for problem in sorted(report.problems, key=lambda p: (p.path, p.kind)):
        print(f"{_(KIND_WORDS[problem.kind]):<9} {problem.path}: {problem.detail}")
    checked = ngettext(
        "{count} file checked ({megabytes:.1f} MB)",
        "{count} files checked ({megabytes:.1f} MB)",
        report.files,
    )
    print(checked.format(count=report.files, megabytes=report.bytes / 1e6))
    if report.key_fingerprint:
        pinned = _("pinned") if report.key_pinned else _("not pinned: compare it with the bureau's")
        print(
            _("server key {fingerprint} ({pinned})").format(
                fingerprint=report.key_fingerprint, pinned=pinned
            )
        )
    if report.signed:
        print(_("the tag manifests' signature verifies"))
    if report.checkpoint:
        print(
            _("ledger checkpoint {checkpoint}: {count} entries proven").format(
                checkpoint=report.checkpoint, count=report.entries_proven
            )
        )
    if report.ok:
        print(_("{path}: the package is whole").format(path=path))
    else:
        count = len(report.problems)
        print(
            ngettext(
                "{path}: NOT whole, {count} problem",
                "{path}: NOT whole, {count} problems",
                count,
            ).format(path=path, count=count),
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    return verify_command(args.path, args.key, args.json)
