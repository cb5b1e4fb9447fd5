"""PDF reports, Chinese first (English on request): the inspection report, the baseline
survey report (摸底报告) of a compound and of the district, and the acceptance record
(竣工验收表). Photos appear as scaled-down derived copies, never the originals.

:func:`compound_reports` and :func:`district_reports` give ``(file name, PDF bytes)`` for the
archive package; the ``*_pdf`` functions make one report each (the laptop's "Print report…").
"""

from __future__ import annotations

from fieldcheck.export.catalogue import CatalogueEntry, build_catalogue
from fieldcheck.export.model import CompoundArchive, ProgrammeArchive
from fieldcheck.export.reports.acceptance import acceptance_pdf
from fieldcheck.export.reports.inspection import inspection_pdf
from fieldcheck.export.reports.layout import PhotoCells
from fieldcheck.export.reports.survey import district_survey_pdf, survey_pdf

__all__ = [
    "acceptance_pdf",
    "compound_reports",
    "district_reports",
    "district_survey_pdf",
    "inspection_pdf",
    "survey_pdf",
]

_cells = PhotoCells()


def compound_reports(
    programme: ProgrammeArchive,
    archive: CompoundArchive,
    entries: list[CatalogueEntry] | None = None,
    language: str | None = None,
) -> list[tuple[str, bytes]]:
    entries = entries if entries is not None else build_catalogue(archive)
    language = language or programme.language
    cells = PhotoCells()
    out = []
    for bundle in sorted(
        archive.inspections, key=lambda b: (b.inspection.started_on, b.inspection.id)
    ):
        inspection = bundle.inspection
        name = f"inspection-{inspection.kind.value}-{inspection.started_on.isoformat()}.pdf"
        out.append((name, inspection_pdf(programme, archive, bundle, entries, language, cells)))
    out.append(("baseline-survey.pdf", survey_pdf(programme, archive, entries, language, cells)))
    if archive.acceptance is not None:
        out.append(("acceptance-record.pdf", acceptance_pdf(programme, archive, language)))
    return out


def district_reports(
    programme: ProgrammeArchive,
    catalogues: dict[str, list[CatalogueEntry]],
    language: str | None = None,
) -> list[tuple[str, bytes]]:
    pdf = district_survey_pdf(programme, catalogues, language or programme.language)
    return [("district-baseline-survey.pdf", pdf)]
