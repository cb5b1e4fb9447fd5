"""Keep the Chinese translation in step with the code.

    .venv/bin/python -m tools.translations update        # lupdate the .ts, lrelease the .qm
    .venv/bin/python -m tools.translations fill F.tsv    # add translations, then update

``update`` collects every ``tr()`` / ``QT_TRANSLATE_NOOP`` string of the UI into
``fieldcheck_zh_CN.ts`` (new ones unfinished, vanished ones dropped) and compiles the ``.qm``
the app loads. ``fill`` takes tab-separated lines ``context, source, translation`` (``\\n``
for a line break) and writes each translation into the matching message. The language test
(``tests/ui/test_language.py``) uses :data:`SOURCES` to check the file is complete.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fieldcheck"
TS_FILE = PACKAGE / "resources" / "translations" / "fieldcheck_zh_CN.ts"
#: The files whose strings are translated: the UI and the app's start-up.
SOURCES = [*sorted((PACKAGE / "ui").glob("*.py")), PACKAGE / "app.py"]


def _tool(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        raise SystemExit(f"{name} is not installed in this environment (run ./dev first)")
    return str(path)


def lupdate(target: Path, *, drop_obsolete: bool = True) -> None:
    """Collect the strings of :data:`SOURCES` into ``target`` (merged with what it has)."""
    extra = ["-no-obsolete"] if drop_obsolete else []
    sources = list(map(str, SOURCES))
    subprocess.run(
        [_tool("pyside6-lupdate"), *sources, "-ts", str(target), "-locations", "none", *extra],
        check=True,
        capture_output=True,
    )


def update() -> None:
    lupdate(TS_FILE)
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS_FILE), "-qm", str(TS_FILE.with_suffix(".qm"))],
        check=True,
        capture_output=True,
    )


def fill(tsv: Path) -> list[tuple[str, str]]:
    """Write the translations of ``tsv`` into the .ts; returns the (context, source) pairs
    it did not find there."""
    lupdate(TS_FILE)
    wanted: dict[tuple[str, str], str] = {}
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if line.strip():
            context, source, translation = (p.replace("\\n", "\n") for p in line.split("\t"))
            wanted[(context, source)] = translation
    tree = ET.parse(TS_FILE)
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            key = (name, message.findtext("source", ""))
            if key in wanted:
                translation = message.find("translation")
                assert translation is not None
                translation.text = wanted.pop(key)
                translation.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    with open(TS_FILE, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
    update()
    return list(wanted)


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["fill"] and len(argv) == 2:
        missing = fill(Path(argv[1]))
        for context, source in missing:
            print(f"not in the code: {context}: {source!r}", file=sys.stderr)
        return 1 if missing else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
