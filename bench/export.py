"""Archive export benchmark: a compound of generated 4–8 MB JPEG photos (``--size-gb`` in all,
default 2; ``--size-gb 10`` for the issue's target) is exported as a signed bag, beside
``cp -r`` of the same files on the same disk, and verified beside ``sha256sum`` of them.

Each step runs in its own child process (peak RSS is its own, from ``wait4``). The exporter
also samples its RSS as it goes, to show it does not grow with the archive. Rounds alternate
(``--rounds``); the best of each counts (these machines are noisy). Everything lives in a
temp dir on the real disk (``--dir``, default the current folder), deleted at the end.

Targets: export throughput >= 0.8 x cp -r; exporter peak RSS < 200 MB and flat;
verification throughput >= 0.8 x sha256sum.

    .venv/bin/python bench/export.py [--size-gb 2] [--rounds 2] [--zip]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1 << 20


def make_photos(folder: Path, total_bytes: int, seed: int = 7) -> list[dict[str, object]]:
    """JPEGs of 4–8 MB: one noisy base picture, each padded after its end marker with random
    bytes (still a valid JPEG, every file distinct)."""
    from PIL import Image

    rng = random.Random(seed)
    base = io.BytesIO()
    Image.effect_noise((1600, 1200), 64).convert("RGB").save(base, "JPEG", quality=95)
    head = base.getvalue()
    folder.mkdir(parents=True)
    photos, written, n = [], 0, 0
    while written < total_bytes:
        n += 1
        size = rng.randint(4 * MB, 8 * MB)
        path = folder / f"IMG_{n:05d}.jpg"
        digest = hashlib.sha256()
        with open(path, "wb") as out:
            out.write(head)
            digest.update(head)
            left = size - len(head)
            while left > 0:
                chunk = os.urandom(min(left, 4 * MB))
                out.write(chunk)
                digest.update(chunk)
                left -= len(chunk)
        photos.append({"path": str(path), "sha256": digest.hexdigest(), "size": size, "n": n})
        written += size
    return photos


def child_export(spec: dict[str, object]) -> dict[str, object]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from fieldcheck.domain import demo
    from fieldcheck.domain.photo import Phase, Photo
    from fieldcheck.export.model import (
        ArchivePhoto,
        ArchiveSigner,
        CompoundArchive,
        ProgrammeArchive,
    )
    from fieldcheck.export.package import write_archive

    compound = demo.demo_compounds(2025)[0]
    photos = []
    for p in spec["photos"]:  # type: ignore[attr-defined]
        n = int(p["n"])
        record = Photo(
            id=f"photo-{n}", sha256=p["sha256"], original_name=Path(p["path"]).name,
            size_bytes=p["size"], mime="image/jpeg", format="JPEG", make="Bench", model="Cam",
            captured_at=dt.datetime(2025, 3, 1) + dt.timedelta(minutes=n), location=None,
            location_source=None, orientation=1, width=1600, height=1200,
            imported_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC), inspector="bench",
            clock_offset_s=None, phase=Phase.BEFORE if n % 2 else Phase.AFTER,
            compound_id=compound.id,
        )  # fmt: skip
        photos.append(ArchivePhoto(record, Path(p["path"])))
    archive = CompoundArchive(compound, "城关街道", photos=tuple(photos))
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    programme = ProgrammeArchive("bench", "示范区", (archive,), as_of=dt.date(2025, 11, 1))
    samples: list[int] = []

    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def progress(done: int, total: int) -> None:
        if not samples or done * 10 // total > (len(samples) - 1):
            samples.append(rss())

    start = time.perf_counter()
    write_archive(
        programme, Path(str(spec["out"])), as_zip=bool(spec["zip"]),
        signer=ArchiveSigner(raw, key.sign), progress=progress,
    )  # fmt: skip
    return {"seconds": time.perf_counter() - start, "rss_samples": samples}


def child_verify(spec: dict[str, object]) -> dict[str, object]:
    from fieldcheck.export.verify import verify_archive

    start = time.perf_counter()
    report = verify_archive(Path(str(spec["out"])))
    # The bench package carries no ledger proof (no server here): that one problem is expected.
    others = [p.path for p in report.problems if p.path != "proof/ledger-proof.json"]
    return {"seconds": time.perf_counter() - start, "problems": others}


def run_child(kind: str, spec: dict[str, object]) -> tuple[dict[str, object], int]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write(json.dumps(spec).encode())
    proc.stdin.close()
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed ({proc.returncode})")
    return json.loads(out), usage.ru_maxrss * 1024


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-gb", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--zip", action="store_true", help="export as one ZIP, not a folder")
    parser.add_argument("--dir", type=Path, default=Path.cwd())
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        spec = json.loads(sys.stdin.read())
        result = child_export(spec) if args.child == "export" else child_verify(spec)
        print(json.dumps(result))
        return 0
    work = Path(tempfile.mkdtemp(prefix="fieldcheck-bench-export-", dir=args.dir))
    try:
        photos = make_photos(work / "src", int(args.size_gb * (1 << 30)))
        total = sum(int(p["size"]) for p in photos)  # type: ignore[call-overload]
        print(f"{len(photos)} photos, {total / 1e9:.2f} GB in {work}", flush=True)
        cp_times, export_times, verify_times, sum_times, peaks = [], [], [], [], []
        samples: list[int] = []
        for round_ in range(args.rounds):
            shutil.rmtree(work / "copy", ignore_errors=True)
            cp_times.append(timed(["cp", "-r", str(work / "src"), str(work / "copy")]))
            shutil.rmtree(work / "copy")
            out = work / ("bag.zip" if args.zip else "bag")
            if out.exists():
                shutil.rmtree(out) if out.is_dir() else out.unlink()
            spec = {"photos": photos, "out": str(out), "zip": args.zip}
            result, peak = run_child("export", spec)
            export_times.append(float(result["seconds"]))  # type: ignore[arg-type]
            peaks.append(peak)
            samples = list(result["rss_samples"])  # type: ignore[call-overload]
            files = sorted(str(p) for p in (out / "data").rglob("*.jpg")) if out.is_dir() else []
            if files:
                sum_times.append(timed(["sha256sum", *files]))
            else:
                sum_times.append(timed(["sha256sum", *(str(p["path"]) for p in photos)]))
            verified, _ = run_child("verify", {"out": str(out)})
            assert verified["problems"] == [], verified
            verify_times.append(float(verified["seconds"]))  # type: ignore[arg-type]
            print(
                f"round {round_ + 1}: cp -r {cp_times[-1]:.1f} s, export {export_times[-1]:.1f} s, "
                f"sha256sum {sum_times[-1]:.1f} s, verify {verify_times[-1]:.1f} s",
                flush=True,
            )
        cp, export, check, digest = (
            min(cp_times),
            min(export_times),
            min(verify_times),
            min(sum_times),
        )
        growth = (samples[-1] - samples[1]) / MB if len(samples) > 2 else 0.0
        print(f"rss samples MB: {[round(s / MB) for s in samples]}")
        print(f"cp -r: {total / cp / 1e6:.0f} MB/s")
        print(f"export ({'zip' if args.zip else 'folder'}): {total / export / 1e6:.0f} MB/s")
        print(f"sha256sum: {total / digest / 1e6:.0f} MB/s")
        print(f"verify-archive: {total / check / 1e6:.0f} MB/s")
        print(f"exporter peak RSS: {max(peaks) / MB:.0f} MB (growth after 10%: {growth:+.0f} MB)")
        print(f"export/cp ratio: {cp / export:.2f} (target >= 0.8)")
        print(f"verify/sha256sum ratio: {digest / check:.2f} (target >= 0.8)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
