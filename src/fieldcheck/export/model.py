"""The archive's content model: everything one export holds, as frozen values.

The server (or the laptop, for reports) fills these from its own tables; the writers in this
package never touch a database. Domain types are used where they exist (``Compound``,
``Inspection``, ``Answer``, ``Photo``…); what the domain does not have yet (review rounds,
verdicts, the acceptance record and its signers) is defined here and may stay empty.

A photo's bytes are never held: :class:`ArchivePhoto` carries a path or a callable that opens
the original as a binary stream, read once in blocks while the package is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.compound import Compound
from fieldcheck.domain.evidence import RectificationAction, Viewpoint
from fieldcheck.domain.inspection import Answer, Inspection
from fieldcheck.domain.photo import Annotation, Photo
from fieldcheck.domain.register import IllegalStructure
from fieldcheck.protocol.ledger import LedgerEntry
from fieldcheck.protocol.status import Checkpoint

#: Opens a photo's original bytes for reading (the caller closes the stream).
PhotoOpener = Callable[[], BinaryIO]


@dataclass(frozen=True)
class Caption:
    """The six elements a 声像档案 caption must state (RENOVATION.md B.4)."""

    subject: str  # 事由
    time: str  # 时间
    place: str  # 地点
    people: str  # 人物
    background: str  # 背景
    photographer: str  # 摄影者


@dataclass(frozen=True)
class ArchivePhoto:
    """One photo in the package: its record, where its original bytes are, and its overlay
    versions (the latest is burned into the derived annotated copy)."""

    photo: Photo
    source: Path | PhotoOpener
    annotations: tuple[Annotation, ...] = ()
    #: Evidence flags carried into the catalogue (duplicate_before_after, implausible_time,
    #: location_far, location_missing, clock_skewed, future_dated, retracted…).
    flags: tuple[str, ...] = ()
    #: An explicit caption; None derives one from the record, compound and item.
    caption: Caption | None = None
    #: Who is in the picture (人物), when known; the caption names the inspector otherwise.
    people: str = ""

    def open(self) -> BinaryIO:
        if isinstance(self.source, Path):
            return self.source.open("rb")
        return self.source()


class ActionOutcome(StrEnum):
    DONE = "done"
    VERIFIED = "verified"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ArchiveAction:
    """A rectification action with what the domain record does not carry yet."""

    action: RectificationAction
    description: str = ""
    assignee: str = ""
    photo_ids: tuple[str, ...] = ()
    done_on: dt.date | None = None
    verified_by: str = ""
    verified_on: dt.date | None = None
    remark: str = ""


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    RETURNED = "returned"


@dataclass(frozen=True)
class ItemVerdict:
    """A reviewer's word on one item (entry) of an inspection in one round."""

    item_code: str
    verdict: Verdict
    entry: int = 0
    comment: str = ""
    score: int | None = None  # 1..5 where the round scores items


@dataclass(frozen=True)
class ReviewRound:
    """One submission of an inspection and the reviewer's decision on it."""

    inspection_id: str
    number: int
    submitted_by: str
    submitted_at: dt.datetime
    reviewer: str = ""
    decided_at: dt.datetime | None = None
    verdict: Verdict | None = None
    comment: str = ""
    items: tuple[ItemVerdict, ...] = ()


@dataclass(frozen=True)
class Signature:
    """One required role's signature over the compound's acceptance snapshot."""

    role: str  # 街道办事处, 社区居委会, 施工单位, 监理单位, 居民代表, 区住建局 (or their codes)
    organisation: str
    name: str
    signed_at: dt.datetime
    opinion: str = ""
    signature_b64: str = ""  # an Ed25519 signature over the snapshot hash, when one was made
    key_fingerprint: str = ""


@dataclass(frozen=True)
class AcceptanceItem:
    """One line of the 竣工验收表: what was checked, its score (1..5) and a remark."""

    code: str
    label_zh: str
    label_en: str
    score: int | None = None
    remark: str = ""


@dataclass(frozen=True)
class AcceptanceRecord:
    compound_id: str
    snapshot_sha256: str
    accepted_on: dt.date | None
    items: tuple[AcceptanceItem, ...] = ()
    signatures: tuple[Signature, ...] = ()
    conclusion: str = ""


@dataclass(frozen=True)
class ArchivedRecord:
    """A record version as the server stored and chained it: its ledger entry's
    ``payload_sha256`` is the SHA-256 of the canonical JSON of ``data``."""

    entity: str
    record_id: str
    rev: int
    data: Mapping[str, Any]


@dataclass(frozen=True)
class InspectionBundle:
    """An inspection with its template, answers, actions and review rounds."""

    inspection: Inspection
    template: ChecklistTemplate
    answers: tuple[Answer, ...] = ()
    actions: tuple[ArchiveAction, ...] = ()
    reviews: tuple[ReviewRound, ...] = ()


@dataclass(frozen=True)
class CompoundArchive:
    """Everything of one compound that goes into the package."""

    compound: Compound
    sub_district: str
    inspections: tuple[InspectionBundle, ...] = ()
    photos: tuple[ArchivePhoto, ...] = ()
    structures: tuple[IllegalStructure, ...] = ()
    viewpoints: tuple[Viewpoint, ...] = ()
    acceptance: AcceptanceRecord | None = None
    records: tuple[ArchivedRecord, ...] = ()
    #: The compound's outline (lon, lat) for the GeoJSON, when the plan has one.
    outline: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class LedgerProof:
    """The ledger entries of everything in the package and how they are proven in
    ``checkpoint``: by RFC 6962 inclusion paths (``paths``, keyed by entry index) when the
    checkpoint carries a Merkle root, else by the chain from the first entry up to the
    checkpoint's head (``chain``: every entry from the first included one to ``size``)."""

    checkpoint: Checkpoint
    entries: tuple[LedgerEntry, ...]
    paths: Mapping[int, tuple[bytes, ...]] = field(default_factory=dict)
    chain: tuple[LedgerEntry, ...] = ()


@dataclass(frozen=True)
class ArchiveSigner:
    """Signs the tag manifests: the server's Ed25519 key (raw public bytes and a signing
    callable, so the private key never leaves the caller)."""

    public_key: bytes
    sign: Callable[[bytes], bytes]


@dataclass(frozen=True)
class ProgrammeArchive:
    """One package: a whole programme or a single compound."""

    source_organization: str  # e.g. 某区住房和城乡建设局
    district: str
    compounds: tuple[CompoundArchive, ...]
    #: The date the package speaks for (Bagging-Date): from the content, never the clock.
    as_of: dt.date
    contact: str = ""
    description: str = ""
    proof: LedgerProof | None = None
    #: The public key of the server whose checkpoint and signature the package carries.
    public_key: bytes | None = None
    language: str = "zh_CN"
