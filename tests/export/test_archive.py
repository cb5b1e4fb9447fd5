"""Archive packages end to end: the Library of Congress ``bagit`` library validates them, two
exports of the same content are byte-identical, and ``verify-archive`` catches and names a
flipped byte in a photo, a CSV and the tag manifest, a removed file, an added file and a
forged signature, on the folder and on the ZIP."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import bagit
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldcheck.cli import main
from fieldcheck.export.package import write_archive
from fieldcheck.export.proof import fingerprint, public_key_pem
from fieldcheck.export.verify import verify_archive

sys.path.insert(0, str(Path(__file__).parent))
from sample import public_raw, sample_programme, server_key, signer

PHOTO = "data/CG-01/photos/0001-a23b1b0e.jpg"
CSV = "data/CG-01/photo-catalogue.csv"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("archive")
    programme = sample_programme()
    out = {}
    for name, as_zip in (("bag", False), ("bag.zip", True), ("again", False)):
        out[name] = write_archive(programme, root / name, as_zip=as_zip, signer=signer()).path
    out["again.zip"] = write_archive(
        programme, root / "again.zip", as_zip=True, signer=signer()
    ).path
    return out


def copy_of(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy(source, target)
    return target


def flip(path: Path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def named(report_problems: list[tuple[str, str]], path: str, kind: str) -> bool:
    return (path, kind) in report_problems


def problems(path: Path, key: str | bytes | None = None) -> list[tuple[str, str]]:
    return [(p.path, p.kind) for p in verify_archive(path, key).problems]


def test_bagit_library_validates_folder_and_zip(exported: dict[str, Path], tmp_path: Path) -> None:
    bag = bagit.Bag(str(exported["bag"]))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Source-Organization"] == "某区住房和城乡建设局"
    assert bag.info["Payload-Oxum"].endswith(f".{len(bag.payload_entries())}")
    with zipfile.ZipFile(exported["bag.zip"]) as archive:
        photos = [i for i in archive.infolist() if "/photos/" in i.filename]
        assert photos
        assert all(i.compress_type == zipfile.ZIP_STORED for i in photos)
        archive.extractall(tmp_path)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert folder.name == "fieldcheck-archive-programme-2025-11-01"
    bagit.Bag(str(folder)).validate()


def test_the_same_content_gives_the_same_bytes(exported: dict[str, Path]) -> None:
    assert exported["bag.zip"].read_bytes() == exported["again.zip"].read_bytes()
    first = {
        p.relative_to(exported["bag"]): p.read_bytes()
        for p in exported["bag"].rglob("*")
        if p.is_file()
    }
    second = {
        p.relative_to(exported["again"]): p.read_bytes()
        for p in exported["again"].rglob("*")
        if p.is_file()
    }
    assert first == second
    assert any(str(name).endswith(".pdf") for name in first)
    assert any(str(name).endswith(".xlsx") for name in first)


def test_a_whole_package_verifies_with_the_pinned_key(exported: dict[str, Path]) -> None:
    key = public_raw(server_key())
    for path in (exported["bag"], exported["bag.zip"]):
        report = verify_archive(path, fingerprint(key))
        assert report.ok, report.problems
        assert report.signed
        assert report.key_pinned
        assert report.entries_proven == 2 * (7 + 3 + 7)


@pytest.mark.parametrize("as_zip", [False, True])
def test_a_flipped_byte_in_a_photo_is_named(
    exported: dict[str, Path], tmp_path: Path, as_zip: bool
) -> None:
    if as_zip:
        path = copy_of(exported["bag.zip"], tmp_path)
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(f"{archive.namelist()[0].split('/')[0]}/{PHOTO}")
        data = bytearray(path.read_bytes())
        data[info.header_offset + 30 + len(info.filename) + 500] ^= 0x01
        path.write_bytes(bytes(data))
    else:
        path = copy_of(exported["bag"], tmp_path)
        flip(path / PHOTO, 5000)
    found = problems(path)
    assert named(found, PHOTO, "altered")
    assert {p for p, _ in found} == {PHOTO}


def test_a_flipped_byte_in_a_csv_is_named(exported: dict[str, Path], tmp_path: Path) -> None:
    path = copy_of(exported["bag"], tmp_path)
    flip(path / CSV, 400)
    found = problems(path)
    assert named(found, CSV, "altered")


def test_a_flipped_byte_in_the_tag_manifest_is_named(
    exported: dict[str, Path], tmp_path: Path
) -> None:
    path = copy_of(exported["bag"], tmp_path)
    flip(path / "tagmanifest-sha256.txt", 3)
    found = problems(path)
    assert named(found, "tagmanifest-sha256.txt", "altered")
    assert named(found, "tag-signature-ed25519.txt", "altered")


def test_a_removed_and_an_added_file_are_named(exported: dict[str, Path], tmp_path: Path) -> None:
    path = copy_of(exported["bag"], tmp_path)
    (path / "data/CG-02/register.xlsx").unlink()
    (path / "data/CG-01/photos/9999-extra.jpg").write_bytes(b"not evidence")
    found = problems(path)
    assert named(found, "data/CG-02/register.xlsx", "missing")
    assert named(found, "data/CG-01/photos/9999-extra.jpg", "extra")


def test_a_forged_signature_is_named(exported: dict[str, Path], tmp_path: Path) -> None:
    path = copy_of(exported["bag"], tmp_path)
    forger = Ed25519PrivateKey.generate()
    # Re-sign the same tag manifests with another key, and swap the key file too.
    message = (path / "tagmanifest-sha256.txt").read_bytes() + (
        path / "tagmanifest-sha512.txt"
    ).read_bytes()
    from fieldcheck.export.bag_writer import signature_text

    (path / "tag-signature-ed25519.txt").write_bytes(
        signature_text(public_raw(forger), forger.sign(message))
    )
    found = problems(path)
    assert named(found, "tag-signature-ed25519.txt", "unsigned")
    pinned = problems(path, fingerprint(public_raw(server_key())))
    assert named(pinned, "tag-signature-ed25519.txt", "unsigned")
    # A signature that is not one at all.
    text = (path / "tag-signature-ed25519.txt").read_text().splitlines()
    sig = next(line for line in text if line.startswith("Signature: "))
    text[text.index(sig)] = "Signature: " + "A" * 86 + "=="
    key = public_raw(server_key())
    import base64
    import hashlib

    text = [
        f"Public-Key: {base64.b64encode(key).decode()}"
        if line.startswith("Public-Key")
        else f"Key-Fingerprint: {hashlib.sha256(key).hexdigest()}"
        if line.startswith("Key-F")
        else line
        for line in text
    ]
    (path / "tag-signature-ed25519.txt").write_text("\n".join(text) + "\n")
    assert named(problems(path), "tag-signature-ed25519.txt", "altered")


def test_an_entry_missing_from_the_proof_leaves_its_photo_unproven(tmp_path: Path) -> None:
    programme = sample_programme(compounds=1, merkle=False)
    assert programme.proof is not None
    photo = programme.compounds[0].photos[0].photo
    proof = programme.proof
    from dataclasses import replace

    kept = tuple(e for e in proof.entries if e.blob_sha256 != photo.sha256)
    path = write_archive(
        replace(programme, proof=replace(proof, entries=kept)),
        tmp_path / "bag",
        signer=signer(),
        reports=False,
    ).path
    found = verify_archive(path).problems
    unproven = [p for p in found if p.kind == "unproven"]
    assert len(unproven) == 1
    assert unproven[0].path.endswith(f"-{photo.sha256[:8]}.jpg")


def test_chain_proofs_verify(tmp_path: Path) -> None:
    programme = sample_programme(compounds=1, merkle=False)
    path = write_archive(
        programme, tmp_path / "bag.zip", as_zip=True, signer=signer(), reports=False
    ).path
    report = verify_archive(path)
    assert report.ok, report.problems
    assert report.entries_proven == 7 + 3 + 7


def test_command_exit_codes_and_json(
    exported: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "server.pem"
    key_file.write_bytes(public_key_pem(public_raw(server_key())))
    assert (
        main(
            ["--language", "en", "verify-archive", str(exported["bag.zip"]), "--key", str(key_file)]
        )
        == 0
    )
    assert "the package is whole" in capsys.readouterr().out
    damaged = copy_of(exported["bag"], tmp_path)
    flip(damaged / PHOTO, 5000)
    assert main(["verify-archive", str(damaged), "--json"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["ok"] is False
    assert {"path": PHOTO, "kind": "altered"} in [
        {"path": p["path"], "kind": p["kind"]} for p in verdict["problems"]
    ]
    (tmp_path / "junk.zip").write_bytes(b"PK not a zip")
    assert main(["verify-archive", str(tmp_path / "junk.zip")]) == 2
    assert main(["verify-archive", str(exported["bag"]), "--key", "nonsense"]) == 2
    assert main(["--language", "zh_CN", "verify-archive", str(damaged)]) == 1
    out = capsys.readouterr()
    assert "已改动" in out.out
    assert PHOTO in out.out


def test_reports_embed_the_font_and_give_the_chinese_back(
    exported: dict[str, Path], tmp_path: Path
) -> None:
    reports = exported["bag"] / "data/CG-01/reports"
    pdf = reports / "inspection-baseline_survey-2025-03-02.pdf"
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    embedded = [line for line in fonts.splitlines() if " yes yes yes " in line]
    assert any("WenQuanYi" in line for line in embedded)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "现状摸底调查报告" in text
    assert "消防车通道畅通" in text
    assert "整治前" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    assert pdf.stat().st_size < 2_000_000  # derived copies, not the originals
    acceptance = subprocess.run(
        ["pdftotext", str(reports / "acceptance-record.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "竣工验收表" in acceptance
    assert "赵主任" in acceptance
    district = exported["bag"] / "data/district/district-baseline-survey.pdf"
    assert (
        "现状摸底报告"
        in subprocess.run(
            ["pdftotext", str(district), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_english_reports(tmp_path: Path) -> None:
    from fieldcheck.export.catalogue import build_catalogue
    from fieldcheck.export.reports import compound_reports

    programme = sample_programme(compounds=1)
    archive = programme.compounds[0]
    for name, pdf in compound_reports(programme, archive, build_catalogue(archive), "en"):
        (tmp_path / name).write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / name), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Page 1" in text
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "acceptance-record.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Completion acceptance record" in text
    assert "纺织厂宿舍" in text


def test_ledger_entries_hash_as_the_server_hashes_them() -> None:
    import datetime as dt

    from fieldcheck.protocol.ledger import LedgerEntry
    from sync_server.ledger import chain
    from sync_server.ledger.models import LedgerRow

    row = LedgerRow(
        idx=7,
        kind="version",
        entity="photo",
        record_id="p1",
        rev=2,
        blob_sha256=None,
        actor="li",
        device_id="d1",
        op_id="op",
        payload_sha256="ab" * 32,
        server_ts=dt.datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC),
        prev_hash="cd" * 32,
        entry_hash="",
    )
    row.entry_hash = chain.entry_hash(row.prev_hash, row)
    entry = LedgerEntry.model_validate(row.model_dump())
    assert entry.computed_hash() == row.entry_hash
