"""Writing one archive package (a BagIt bag, as a folder or one ZIP) from a
:class:`~fieldcheck.export.model.ProgrammeArchive`.

Payload, per compound, under ``data/<compound code>/``::

    photos/0001-1a2b3c4d.jpg        originals, unaltered, named by catalogue number
    photo-catalogue.csv / .xlsx      照片目录: captions, phase, item, SHA-256, time, place, flags
    annotations/0001-1a2b3c4d.json  every version of a photo's vector overlay
    annotated/0001-1a2b3c4d-annotated.jpg   derived copies with the latest overlay burned in
    checklists.xlsx                  answers and scores per inspection and category
    register.xlsx                    the illegal-structure register
    actions-and-reviews.xlsx         rectification actions, review rounds and item verdicts
    acceptance.json                  the acceptance record and its signers (when there is one)
    records.jsonl                    the record versions as the ledger chained them
    compound.geojson                 the compound and its located photos
    reports/*.pdf                    inspection, baseline survey and acceptance reports

and ``data/district/`` for the programme: the compound list and the district survey report.
The proof (``proof/ledger-proof.json``, ``proof/server-key.pem``) is a tag file, covered by the
tag manifests and so by the signature. Nothing depends on the clock: the same content gives
the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldcheck import __version__
from fieldcheck.domain.register import StructureStatus
from fieldcheck.export import proof as proofs
from fieldcheck.export import sheets
from fieldcheck.export.bag_sink import BagSink, DirectorySink, ZipSink
from fieldcheck.export.bag_writer import BagWriter
from fieldcheck.export.catalogue import CatalogueEntry, build_catalogue, catalogue_sheet
from fieldcheck.export.images import ANNOTATED_PX, scaled_jpeg
from fieldcheck.export.model import ArchiveSigner, CompoundArchive, ProgrammeArchive
from fieldcheck.export.tables import csv_bytes, xlsx_bytes

CATALOGUE_CSV = "photo-catalogue.csv"
RECORDS_FILE = "records.jsonl"
PROOF_FILE = "proof/ledger-proof.json"
KEY_FILE = "proof/server-key.pem"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

#: Progress: (bytes of photos written so far, bytes of photos in all).
Progress = Callable[[int, int], None]


class ExportError(RuntimeError):
    """The package cannot be made as asked (a photo's bytes no longer match its hash…)."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    payload_oxum: str
    photos: int


def folder_name(archive: CompoundArchive) -> str:
    code = _SAFE.sub("_", archive.compound.code).strip("._")
    return code or archive.compound.id


def bag_folder(programme: ProgrammeArchive) -> str:
    """The folder a ZIP holds the bag in: named from the content, not the file name."""
    codes = [folder_name(c) for c in programme.compounds]
    which = codes[0] if len(codes) == 1 else "programme"
    return f"fieldcheck-archive-{which}-{programme.as_of.isoformat()}"


def json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def write_archive(
    programme: ProgrammeArchive,
    target: Path,
    *,
    as_zip: bool = False,
    signer: ArchiveSigner | None = None,
    reports: bool = True,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the package to ``target`` (a folder, or a ZIP file when ``as_zip``)."""
    if signer is not None and programme.public_key not in (None, signer.public_key):
        raise ExportError("the signer's key is not the package's public key")
    sink: BagSink = (
        ZipSink(target, bag_folder(programme), programme.as_of) if as_zip else DirectorySink(target)
    )
    try:
        bag = BagWriter(sink)
        photos = _write_payload(bag, programme, reports, progress)
        public_key = programme.public_key or (signer.public_key if signer else None)
        if programme.proof is not None:
            bag.add_tag_file(PROOF_FILE, json_bytes(proofs.proof_json(programme.proof)))
        if public_key is not None:
            bag.add_tag_file(KEY_FILE, proofs.public_key_pem(public_key))
        bag.finish(bag_info(programme, public_key, photos), signer)
        path = sink.commit()
    except BaseException:
        sink.abort()
        raise
    return ExportResult(path, bag.payload_oxum, photos)


def _write_payload(
    bag: BagWriter, programme: ProgrammeArchive, reports: bool, progress: Progress | None
) -> int:
    total = sum(p.photo.size_bytes for c in programme.compounds for p in c.photos)
    done = 0
    count = 0
    catalogues: dict[str, list[CatalogueEntry]] = {}
    seen: set[str] = set()
    for archive in sorted(programme.compounds, key=lambda c: (c.compound.code, c.compound.id)):
        folder = folder_name(archive)
        if folder in seen:
            folder = f"{folder}-{archive.compound.id}"
        seen.add(folder)
        entries = build_catalogue(archive)
        catalogues[archive.compound.id] = entries
        for entry in entries:
            record = entry.photo.photo
            with entry.photo.open() as stream:
                digests = bag.add_stream(
                    f"{folder}/photos/{entry.file_name}", stream, record.size_bytes
                )
            if digests.sha256 != record.sha256:
                raise ExportError(
                    f"photo {record.id} ({record.original_name}): its bytes hash to "
                    f"{digests.sha256}, not {record.sha256}; the package was not written"
                )
            done += digests.size
            count += 1
            if progress is not None:
                progress(done, total)
        _write_tables(bag, programme, archive, folder, entries)
        if reports:
            from fieldcheck.export.reports import compound_reports

            for name, pdf in compound_reports(programme, archive, entries):
                bag.add_bytes(f"{folder}/reports/{name}", pdf)
    bag.add_bytes(
        "district/compounds.xlsx",
        xlsx_bytes([sheets.compound_list(programme)], programme.as_of, programme.district),
    )
    if reports:
        from fieldcheck.export.reports import district_reports

        for name, pdf in district_reports(programme, catalogues):
            bag.add_bytes(f"district/{name}", pdf)
    return count


def _write_tables(
    bag: BagWriter,
    programme: ProgrammeArchive,
    archive: CompoundArchive,
    folder: str,
    entries: list[CatalogueEntry],
) -> None:
    when = programme.as_of
    for entry in entries:
        if not entry.photo.annotations:
            continue
        versions = sorted(entry.photo.annotations, key=lambda a: a.version)
        bag.add_bytes(
            f"{folder}/annotations/{entry.stem}.json",
            json_bytes(
                {
                    "photo": f"photos/{entry.file_name}",
                    "photo_id": entry.photo.photo.id,
                    "sha256": entry.photo.photo.sha256,
                    "coordinates": "relative to the photo as displayed (0..1)",
                    "versions": [
                        {
                            "version": a.version,
                            "author": a.author,
                            "created_at": a.created_at.isoformat(),
                            "shapes": list(a.shapes),
                        }
                        for a in versions
                    ],
                }
            ),
        )
        bag.add_bytes(
            f"{folder}/annotated/{entry.stem}-annotated.jpg",
            scaled_jpeg(entry.photo, ANNOTATED_PX, versions[-1].shapes),
        )
    catalogue = catalogue_sheet(entries)
    bag.add_bytes(f"{folder}/{CATALOGUE_CSV}", csv_bytes(catalogue))
    title = archive.compound.name
    bag.add_bytes(f"{folder}/photo-catalogue.xlsx", xlsx_bytes([catalogue], when, title))
    bag.add_bytes(f"{folder}/checklists.xlsx", xlsx_bytes(sheets.checklists(archive), when, title))
    bag.add_bytes(f"{folder}/register.xlsx", xlsx_bytes([sheets.register(archive)], when, title))
    bag.add_bytes(
        f"{folder}/actions-and-reviews.xlsx",
        xlsx_bytes(sheets.actions_and_reviews(archive, entries), when, title),
    )
    if archive.acceptance is not None:
        bag.add_bytes(f"{folder}/acceptance.json", json_bytes(sheets.acceptance(archive)))
    if archive.records:
        lines = [
            json.dumps(
                {"entity": r.entity, "record_id": r.record_id, "rev": r.rev, "data": r.data},
                ensure_ascii=False,
                sort_keys=True,
                separators=(",", ":"),
            )
            + "\n"
            for r in sorted(archive.records, key=lambda r: (r.entity, r.record_id, r.rev))
        ]
        bag.add_bytes(f"{folder}/{RECORDS_FILE}", "".join(lines).encode())
    bag.add_bytes(f"{folder}/compound.geojson", json_bytes(sheets.geojson(archive, entries)))


def bag_info(
    programme: ProgrammeArchive, public_key: bytes | None, photos: int
) -> list[tuple[str, str]]:
    compounds = sorted(programme.compounds, key=lambda c: c.compound.code)
    structures = [s for c in compounds for s in c.structures]
    dates = sorted(
        d
        for c in compounds
        for d in [
            *(b.inspection.started_on for b in c.inspections),
            *((p.photo.captured_at or p.photo.imported_at).date() for p in c.photos),
        ]
    )
    info = [
        ("Source-Organization", programme.source_organization),
        ("Bagging-Date", programme.as_of.isoformat()),
        ("Bag-Software-Agent", f"fieldcheck {__version__}"),
        ("External-Description", programme.description or "老旧小区综合整治改造工程档案"),
    ]
    if programme.contact:
        info.append(("Contact-Name", programme.contact))
    one = len(compounds) == 1
    info.append(
        (
            "External-Identifier",
            f"fieldcheck:{programme.district}:{compounds[0].compound.code if one else 'programme'}",
        )
    )
    info.append(("Fieldcheck-District", programme.district))
    info.extend(
        ("Fieldcheck-Compound", f"{c.compound.code} {c.compound.name} ({c.sub_district})")
        for c in compounds
    )
    if dates:
        info.append(("Fieldcheck-Period", f"{dates[0].isoformat()}/{dates[-1].isoformat()}"))
    info += [
        ("Fieldcheck-Compound-Count", str(len(compounds))),
        ("Fieldcheck-Inspection-Count", str(sum(len(c.inspections) for c in compounds))),
        ("Fieldcheck-Photo-Count", str(photos)),
        ("Fieldcheck-Structure-Count", str(len(structures))),
        (
            "Fieldcheck-Structures-Removed",
            str(sum(s.status is StructureStatus.REMOVED for s in structures)),
        ),
        ("Fieldcheck-Originals", "未经后期加工处理 (not post-processed)"),
    ]
    if public_key is not None:
        info.append(("Fieldcheck-Key-Fingerprint", proofs.fingerprint(public_key)))
    if programme.proof is not None:
        checkpoint = programme.proof.checkpoint
        info.append(("Fieldcheck-Checkpoint", f"{checkpoint.origin} {checkpoint.size}"))
    return info
