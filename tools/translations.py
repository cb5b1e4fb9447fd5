"""Keep the Chinese translations in step with the code: the desktop app's (Qt) and the
command line's (gettext, extracted and compiled with Babel, a development dependency).

    .venv/bin/python -m tools.translations update          # lupdate the .ts, lrelease the .qm
    .venv/bin/python -m tools.translations fill F.tsv      # add translations, then update
    .venv/bin/python -m tools.translations cli-update      # extract into the .po, compile the .mo
    .venv/bin/python -m tools.translations cli-fill F.tsv  # add translations, then cli-update

``update`` collects every ``tr()`` / ``QT_TRANSLATE_NOOP`` string of the UI into
``fieldcheck_zh_CN.ts`` (new ones unfinished, vanished ones dropped) and compiles the ``.qm``
the app loads. ``fill`` takes tab-separated lines ``context, source, translation`` (``\\n``
for a line break) and writes each translation into the matching message. The language test
(``tests/ui/test_language.py``) uses :data:`SOURCES` to check the file is complete.

``cli-update`` collects every ``_()`` / ``ngettext()`` / ``N_()`` string of :data:`CLI_SOURCES`
into ``locale/zh_CN/LC_MESSAGES/fieldcheck.po`` (new ones empty, vanished ones dropped) and
compiles the ``.mo`` beside it; ``cli-fill`` takes lines ``source, translation``. The CLI
language test (``tests/cli/test_cli_language.py``) checks the ``.po`` is complete and the
``.mo`` is compiled from it.
"""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fieldcheck"
TS_FILE = PACKAGE / "resources" / "translations" / "fieldcheck_zh_CN.ts"
#: The files whose strings are translated: the UI and the app's start-up.
SOURCES = [*sorted((PACKAGE / "ui").glob("*.py")), PACKAGE / "app.py"]
#: The command line's catalog and the files whose strings it holds.
PO_FILE = PACKAGE / "resources" / "locale" / "zh_CN" / "LC_MESSAGES" / "fieldcheck.po"
CLI_SOURCES = [
    PACKAGE / "cli.py",
    PACKAGE / "cli_archive.py",
    PACKAGE / "cli_text.py",
    PACKAGE / "cli_messages.py",
    PACKAGE / "cli_sync.py",
]
CLI_KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


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
    wanted = {(context, source): text for context, source, text in read_tsv(tsv, 3)}
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


def cli_template() -> Catalog:
    """Every string of :data:`CLI_SOURCES`, as Babel extracts them (no translations)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    template = Catalog(project="fieldcheck", fuzzy=False)
    for path in CLI_SOURCES:
        for _line, message, _comments, _context in extract_from_file(
            "python", path, keywords=CLI_KEYWORDS
        ):
            template.add(message)
    return template


def read_cli_catalog() -> Catalog:
    from babel.messages.pofile import read_po

    with open(PO_FILE, "rb") as po:
        return read_po(po, locale="zh_CN")


def compile_cli_catalog(catalog: Catalog) -> bytes:
    """The ``.mo`` of ``catalog`` (fuzzy translations left out)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def cli_update(translations: dict[str, str] | None = None) -> list[str]:
    """Merge the code's strings into the ``.po`` (with ``translations`` by source text), write
    it and compile the ``.mo``; returns the sources of ``translations`` not in the code."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = cli_template()
    if PO_FILE.exists():
        catalog = read_cli_catalog()
    else:
        catalog = Catalog(locale="zh_CN", project="fieldcheck", fuzzy=False)
        catalog.header_comment = "# The fieldcheck command line in Chinese: tools/translations.py"
    template.creation_date = catalog.creation_date  # no churn in the header
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    wanted = dict(translations or {})
    for message in catalog:
        if not message.id:
            continue  # the header
        key = message.id[0] if message.pluralizable else message.id
        text = wanted.pop(key) if key in wanted else _first(message.string)
        message.string = (text,) * catalog.num_plurals if message.pluralizable else text
        if key in (translations or {}):
            message.flags.discard("fuzzy")
    problems = [f"{m.id!r}: {e}" for m, errors in catalog.check() for e in errors]
    if problems:
        raise SystemExit("translations do not fit their source:\n" + "\n".join(problems))
    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    with open(PO_FILE, "wb") as po:
        write_po(po, catalog, width=100, no_location=True, omit_header=False, sort_output=True)
    PO_FILE.with_suffix(".mo").write_bytes(compile_cli_catalog(catalog))
    return list(wanted)


def _first(string: str | tuple[str, ...] | list[str] | None) -> str:
    """A translation as one text (Chinese has one plural form)."""
    if isinstance(string, tuple | list):
        return string[0] if string else ""
    return string or ""


def read_tsv(tsv: Path, columns: int) -> list[list[str]]:
    """The tab-separated lines of ``tsv`` (``\\n`` for a line break), blank ones skipped."""
    rows = []
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = [p.replace("\\n", "\n") for p in line.split("\t")]
            if len(row) != columns:
                raise SystemExit(f"{tsv}: not {columns} tab-separated columns: {line!r}")
            rows.append(row)
    return rows


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["fill"] and len(argv) == 2:
        missing = fill(Path(argv[1]))
        for context, source in missing:
            print(f"not in the code: {context}: {source!r}", file=sys.stderr)
        return 1 if missing else 0
    if argv[:1] == ["cli-update"]:
        cli_update()
        return 0
    if argv[:1] == ["cli-fill"] and len(argv) == 2:
        unknown = cli_update({source: text for source, text in read_tsv(Path(argv[1]), 2)})
        for source in unknown:
            print(f"not in the code: {source!r}", file=sys.stderr)
        return 1 if unknown else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
