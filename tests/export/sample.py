"""A realistic archive to export in tests: two demo compounds, a baseline survey and an
acceptance inspection with answers, real corpus photos (JPEG with EXIF, every orientation, a
TIFF and a HEIC) paired before/after on items, annotations, the register, actions, review
rounds, an acceptance record with signers, and a ledger of entries for all of it with a
checkpoint signed by a test server key (Merkle root line or today's plain note)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldcheck.catalog import shipped_catalog
from fieldcheck.domain import demo
from fieldcheck.domain.categories import Category
from fieldcheck.domain.evidence import ActionStatus, RectificationAction, Viewpoint
from fieldcheck.domain.ids import answer_id, fixed_id
from fieldcheck.domain.inspection import Answer, Inspection, InspectionKind, InspectionStatus
from fieldcheck.domain.photo import (
    Annotation,
    GeoPoint,
    LocationSource,
    Phase,
    Photo,
    ServerReceipt,
)
from fieldcheck.domain.register import IllegalStructure, StructureStatus, StructureType
from fieldcheck.export.model import (
    AcceptanceItem,
    AcceptanceRecord,
    ArchiveAction,
    ArchivedRecord,
    ArchivePhoto,
    ArchiveSigner,
    CompoundArchive,
    InspectionBundle,
    ItemVerdict,
    LedgerProof,
    ProgrammeArchive,
    ReviewRound,
    Signature,
    Verdict,
)
from fieldcheck.export.proof import build_ledger_proof
from fieldcheck.protocol.ledger import (
    GENESIS,
    LedgerEntry,
    checkpoint_note,
    entry_hash,
    sha256_json,
)
from fieldcheck.protocol.merkle import MerkleTree
from fieldcheck.protocol.status import Checkpoint

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ORIENTED = CORPUS / "exif-orientation-examples"
PILLOW = CORPUS / "pillow" / "Tests" / "images"
HEIF = CORPUS / "pillow_heif" / "tests" / "images"
YEAR = 2025
TZ = dt.timezone(dt.timedelta(hours=8))
KEY_SEED = bytes(range(32))


def server_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(KEY_SEED)


def public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def signer(key: Ed25519PrivateKey | None = None) -> ArchiveSigner:
    key = key or server_key()
    return ArchiveSigner(public_raw(key), key.sign)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _photo(
    path: Path,
    compound_id: str,
    phase: Phase,
    *,
    fmt: str = "JPEG",
    item: str = "",
    viewpoint: str | None = None,
    structure: str | None = None,
    day: int = 1,
    orientation: int = 1,
    gps: tuple[float, float] | None = None,
    captured: bool = True,
) -> Photo:
    taken = dt.datetime(YEAR, 3 if phase is Phase.BEFORE else 10, day, 9, 30)
    return Photo(
        id=fixed_id("photo", f"{compound_id}:{path.name}:{phase}"),
        sha256=_sha(path),
        original_name=path.name,
        size_bytes=path.stat().st_size,
        mime="image/jpeg" if fmt == "JPEG" else f"image/{fmt.lower()}",
        format=fmt,
        make="Canon" if captured else "",
        model="PowerShot S40" if captured else "",
        captured_at=taken if captured else None,
        location=GeoPoint(*gps) if gps else None,
        location_source=LocationSource.EXIF if gps else None,
        orientation=orientation,
        width=1800,
        height=1200,
        imported_at=dt.datetime(YEAR, 3 if phase is Phase.BEFORE else 10, day, 18, 0, tzinfo=TZ),
        inspector="李明",
        clock_offset_s=1.5,
        phase=phase,
        compound_id=compound_id,
        category=item.split(".")[0] if item else "",
        item_code=item,
        viewpoint_id=viewpoint,
        structure_id=structure,
        receipt=ServerReceipt(
            dt.datetime(YEAR, 3 if phase is Phase.BEFORE else 10, day, 20, 0, tzinfo=dt.UTC),
            2.0,
            False,
        ),
    )


@dataclass
class Ledger:
    """A hash chain of entries made with the shared entry hashing, as the server makes it."""

    entries: list[LedgerEntry]

    def append(self, **fields: Any) -> LedgerEntry:
        idx = len(self.entries) + 1
        prev = self.entries[-1].entry_hash if self.entries else GENESIS
        data = {
            "idx": idx,
            "kind": fields.get("kind", "version"),
            "entity": fields.get("entity"),
            "record_id": fields.get("record_id"),
            "rev": fields.get("rev"),
            "blob_sha256": fields.get("blob_sha256"),
            "actor": "li",
            "device_id": "laptop-1",
            "op_id": fields.get("op_id"),
            "payload_sha256": fields["payload_sha256"],
            "server_ts": dt.datetime(YEAR, 10, 1, 12, 0, idx % 60, tzinfo=dt.UTC).isoformat(),
        }
        entry = LedgerEntry.model_validate(
            {**data, "prev_hash": prev, "entry_hash": entry_hash(prev, data)}
        )
        self.entries.append(entry)
        return entry

    def checkpoint(self, key: Ed25519PrivateKey, *, merkle: bool) -> Checkpoint:
        size = len(self.entries)
        head = self.entries[-1].entry_hash
        root = MerkleTree([bytes.fromhex(e.entry_hash) for e in self.entries]).root()
        note = checkpoint_note("fieldcheck-test", size, head, root if merkle else None)
        return Checkpoint(
            origin="fieldcheck-test",
            size=size,
            head=base64.b64encode(bytes.fromhex(head)).decode(),
            note=note,
            signature=base64.b64encode(key.sign(note.encode())).decode(),
            key_id=hashlib.sha256(public_raw(key)).hexdigest()[:16],
            created_at=dt.datetime(YEAR, 10, 2, tzinfo=dt.UTC),
        )


def _inspection(
    compound_id: str, kind: InspectionKind, day: dt.date, status: InspectionStatus
) -> Inspection:
    template = shipped_catalog().latest()
    return Inspection(
        id=fixed_id("inspection", f"{compound_id}:{kind}"),
        compound_id=compound_id,
        kind=kind,
        inspector="李明",
        started_on=day,
        template_id=template.template_id,
        template_version=template.version,
        status=status,
    )


def _answers(inspection: Inspection, failing: set[str]) -> tuple[Answer, ...]:
    template = shipped_catalog().latest()
    answers = []
    for item in inspection.items(template):
        if item.repeating:
            continue
        values: dict[str, Any] = {}
        for spec in item.fields:
            if spec.type.value == "pass_fail":
                values[spec.key] = "fail" if item.code in failing else "pass"
            elif spec.type.value == "count":
                values[spec.key] = 2
            elif spec.type.value == "measurement":
                values[spec.key] = 4.5
            elif spec.type.value == "choice":
                values[spec.key] = spec.options[0].value
            elif spec.type.value == "date":
                values[spec.key] = f"{YEAR}-03-10"
            else:
                values[spec.key] = "见照片"
        answers.append(
            Answer(
                id=answer_id(inspection.id, item.code),
                inspection_id=inspection.id,
                item_code=item.code,
                values=values,
                note="消防通道被占用" if item.code in failing else "",
            )
        )
    return tuple(answers)


def compound_archive(index: int, ledger: Ledger) -> CompoundArchive:
    compound = demo.demo_compounds(YEAR)[index]
    cid = compound.id
    sub = next(s for s in demo.DEMO_SUB_DISTRICTS if s.id == compound.sub_district_id)
    survey = _inspection(
        cid, InspectionKind.BASELINE_SURVEY, dt.date(YEAR, 3, 2), InspectionStatus.ACCEPTED
    )
    accept = _inspection(
        cid, InspectionKind.ACCEPTANCE, dt.date(YEAR, 10, 20), InspectionStatus.ACCEPTED
    )
    vp = Viewpoint(
        id=fixed_id("viewpoint", f"{cid}:1.7"),
        compound_id=cid,
        category=Category.SECURITY_FIRE,
        item_code="1.7",
        label="3号楼东侧消防通道",
    )
    structure = IllegalStructure(
        id=fixed_id("structure", f"{cid}:1"),
        compound_id=cid,
        location="5号楼北侧",
        type=StructureType.MAKESHIFT_SHED,
        area_m2=18.5,
        user="5-1-101住户",
        status=StructureStatus.REMOVED,
        status_date=dt.date(YEAR, 5, 6),
    )
    gps = (32.0603 + index / 1000, 118.7969)
    photos = [
        _photo(
            ORIENTED / "Landscape_1.jpg",
            cid,
            Phase.BEFORE,
            item="1.7",
            viewpoint=vp.id,
            day=3,
            gps=gps,
        ),
        _photo(
            ORIENTED / "Landscape_6.jpg",
            cid,
            Phase.AFTER,
            item="1.7",
            viewpoint=vp.id,
            day=5,
            orientation=6,
            gps=gps,
        ),
        _photo(ORIENTED / "Portrait_1.jpg", cid, Phase.BEFORE, item="3.1", day=4),
        _photo(ORIENTED / "Portrait_3.jpg", cid, Phase.AFTER, item="3.1", day=6, orientation=3),
        _photo(
            PILLOW / "flower.jpg",
            cid,
            Phase.BEFORE,
            item="2.1",
            structure=structure.id,
            day=5,
            captured=False,
        ),
        _photo(PILLOW / "hopper.tif", cid, Phase.DURING, fmt="TIFF", item="4.7", day=7),
        _photo(HEIF / "heif_other" / "empty_icc.heic", cid, Phase.ACCEPTANCE, fmt="HEIF", day=20),
    ]
    annotations = {
        photos[0].id: (
            Annotation(
                id=fixed_id("annotation", f"{photos[0].id}:1"),
                photo_id=photos[0].id,
                version=1,
                shapes=(
                    {"kind": "arrow", "x1": 0.1, "y1": 0.1, "x2": 0.4, "y2": 0.5},
                    {"kind": "circle", "cx": 0.6, "cy": 0.5, "r": 0.15, "color": "#ffeb3b"},
                    {"kind": "rectangle", "x": 0.05, "y": 0.6, "w": 0.3, "h": 0.3},
                    {"kind": "text", "x": 0.45, "y": 0.1, "text": "堆放杂物 堵塞通道"},
                ),
                author="李明",
                created_at=dt.datetime(YEAR, 3, 3, 19, 0, tzinfo=TZ),
            ),
        )
    }
    archive_photos = tuple(
        ArchivePhoto(
            photo=p,
            source=_path_of(p),
            annotations=annotations.get(p.id, ()),
            flags=("location_far",) if p.original_name == "Portrait_3.jpg" else (),
        )
        for p in photos
    )
    action = RectificationAction(
        id=fixed_id("action", f"{cid}:1.7"),
        inspection_id=survey.id,
        item_code="1.7",
        assignee_org="某某建设工程有限公司",
        due=dt.date(YEAR, 6, 30),
        status=ActionStatus.VERIFIED,
    )
    survey_bundle = InspectionBundle(
        inspection=survey,
        template=shipped_catalog().latest(),
        answers=_answers(survey, {"1.7", "3.1"}),
        actions=(
            ArchiveAction(
                action=action,
                description="清理消防通道堆物，施划消防车道标线",
                assignee="王工",
                photo_ids=(photos[1].id,),
                done_on=dt.date(YEAR, 6, 20),
                verified_by="张审核",
                verified_on=dt.date(YEAR, 6, 25),
            ),
        ),
        reviews=(
            ReviewRound(
                inspection_id=survey.id,
                number=1,
                submitted_by="李明",
                submitted_at=dt.datetime(YEAR, 3, 10, 17, 0, tzinfo=TZ),
                reviewer="张审核",
                decided_at=dt.datetime(YEAR, 3, 12, 9, 0, tzinfo=TZ),
                verdict=Verdict.RETURNED,
                comment="1.7 缺少整治前照片",
                items=(ItemVerdict("1.7", Verdict.RETURNED, comment="补拍照片"),),
            ),
            ReviewRound(
                inspection_id=survey.id,
                number=2,
                submitted_by="李明",
                submitted_at=dt.datetime(YEAR, 3, 13, 17, 0, tzinfo=TZ),
                reviewer="张审核",
                decided_at=dt.datetime(YEAR, 3, 14, 9, 0, tzinfo=TZ),
                verdict=Verdict.ACCEPTED,
                items=(ItemVerdict("1.7", Verdict.ACCEPTED, score=4),),
            ),
        ),
    )
    accept_bundle = InspectionBundle(
        inspection=accept,
        template=shipped_catalog().latest(),
        answers=_answers(accept, set()),
    )
    acceptance = AcceptanceRecord(
        compound_id=cid,
        snapshot_sha256=hashlib.sha256(cid.encode()).hexdigest(),
        accepted_on=dt.date(YEAR, 10, 28),
        items=(
            AcceptanceItem("1", "治安防控和消防设施", "Security and fire safety", 5, "符合要求"),
            AcceptanceItem("2", "清理违章和配齐环卫设施", "Illegal structures", 4, "已拆除"),
            AcceptanceItem("3", "环境设施和立面出新", "Environment and facades", 4, ""),
        ),
        signatures=tuple(
            Signature(role, org, name, dt.datetime(YEAR, 10, 28, 10, 0, tzinfo=TZ), "同意验收")
            for role, org, name in (
                ("街道办事处", "城关街道办事处", "赵主任"),
                ("施工单位", "某某建设工程有限公司", "王工"),
                ("监理单位", "某某监理公司", "陈监理"),
                ("区住建局", "某区住房和城乡建设局", "刘科长"),
            )
        ),
        conclusion="同意通过综合验收",
    )
    records = [
        ArchivedRecord("compound", cid, 1, {"code": compound.code, "name": compound.name}),
        ArchivedRecord("inspection", survey.id, 3, {"kind": survey.kind.value}),
        ArchivedRecord("illegal_structure", structure.id, 2, {"location": structure.location}),
        *(ArchivedRecord("photo", p.id, 1, {"sha256": p.sha256}) for p in photos),
    ]
    for p in photos:
        ledger.append(kind="blob", blob_sha256=p.sha256, payload_sha256=p.sha256)
    for r in records:
        ledger.append(
            entity=r.entity, record_id=r.record_id, rev=r.rev, payload_sha256=sha256_json(r.data)
        )
    return CompoundArchive(
        compound=compound,
        sub_district=sub.name,
        inspections=(survey_bundle, accept_bundle),
        photos=archive_photos,
        structures=(structure,),
        viewpoints=(vp,),
        acceptance=acceptance,
        records=tuple(records),
    )


def _path_of(photo: Photo) -> Path:
    for folder in (ORIENTED, PILLOW, HEIF / "heif_other"):
        if (folder / photo.original_name).is_file():
            return folder / photo.original_name
    raise FileNotFoundError(photo.original_name)


def sample_programme(*, compounds: int = 2, merkle: bool = True) -> ProgrammeArchive:
    key = server_key()
    ledger = Ledger([])
    ledger.append(kind="genesis", payload_sha256="0" * 64)
    archives = tuple(compound_archive(i, ledger) for i in range(compounds))
    ledger.append(kind="version", entity="other", record_id="x", rev=1, payload_sha256="1" * 64)
    checkpoint = ledger.checkpoint(key, merkle=merkle)
    wanted = [e for e in ledger.entries if e.kind != "genesis" and e.entity != "other"]
    proof: LedgerProof = build_ledger_proof(
        wanted,
        checkpoint,
        entry_hashes=[e.entry_hash for e in ledger.entries] if merkle else (),
        chain=() if merkle else ledger.entries[1:],
    )
    return ProgrammeArchive(
        source_organization="某区住房和城乡建设局",
        district=demo.DEMO_DISTRICT.name,
        compounds=archives,
        as_of=dt.date(YEAR, 11, 1),
        contact="档案室",
        proof=proof,
        public_key=public_raw(key),
    )
