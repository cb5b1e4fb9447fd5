"""Photo import benchmark: 12-megapixel JPEGs (with EXIF) and a few HEICs are generated into a
temp dir and imported through the real pipeline and store into a fresh data dir.

Side by side in the same run, each measured in its own child process (so peak memory is its
own): the import (read once + hash + EXIF + reduced-scale decode + thumbnail + blob + record,
on the photo pool; a JPEG's preview is not made at import, other formats' is) and a plain full
Pillow decode (``Image.open(p).load()``) of the same files, one after the other. CPU is the
whole child process's (every thread: ``getrusage``). Each is run ``--rounds`` times
alternately; the ratios of each round are printed, and the headline figure is the median round.
For JPEG two more references say where the CPU goes: the reduced-scale decode alone at the
thumbnail's DCT scale (what the import decodes: 1/8 for 12 MP, which still entropy-decodes every
scan, the floor of any import that checks the whole file) and at the preview's (1/2, what the
first view decodes). After each import the same child makes every preview, one photo after
another, as the viewer does on first view: that cost is printed too, apart from the import.

The load average of the machine is printed at the start and the end (these machines are shared).
Last lines: the CPU ratio and the wall ratio of import to full decode, JPEG then HEIC. Target:
both <= 0.5 on a quiet machine.

    .venv/bin/python bench/photo_import.py [--jpegs 24] [--heics 2] [--rounds 3]
        [--pool thread|process] [--preview-px N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fieldcheck.core.photo_import import DEFAULT_WORKERS

WIDTH, HEIGHT = 4000, 3000  # 12 megapixels


def generate(folder: Path, jpegs: int, heics: int) -> None:
    """Camera-like files: smooth structure plus sensor-like noise, EXIF as a phone writes it."""
    import pillow_heif
    from PIL import Image, ImageChops
    from PIL.ExifTags import GPS, IFD, Base

    folder.mkdir(parents=True, exist_ok=True)
    base = Image.effect_noise((WIDTH // 8, HEIGHT // 8), 90).convert("L")
    base = Image.merge("RGB", [base, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), base])
    base = base.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((WIDTH, HEIGHT), 12).convert("RGB")
    for i in range(jpegs + heics):
        shifted = ImageChops.offset(base, i * 97, i * 53)
        im = ImageChops.add(shifted, grain, scale=2.0, offset=-20 + i)  # ~4.5 MB at q90
        exif = Image.Exif()
        exif[Base.Make], exif[Base.Model] = "HUAWEI", "P60"
        exif[Base.Orientation] = 6 if i % 3 == 0 else 1
        details = exif.get_ifd(IFD.Exif)
        details[Base.DateTimeOriginal] = f"2026:04:{1 + i % 28:02} 09:{i % 60:02}:00"
        details[Base.OffsetTimeOriginal] = "+08:00"
        gps = exif.get_ifd(IFD.GPSInfo)
        gps[GPS.GPSLatitudeRef], gps[GPS.GPSLatitude] = "N", (39.0, 54.0, 15.0 + i)
        gps[GPS.GPSLongitudeRef], gps[GPS.GPSLongitude] = "E", (116.0, 24.0, 27.0)
        if i < jpegs:
            im.save(folder / f"IMG_{i:04}.jpg", "JPEG", quality=90, exif=exif.tobytes())
        else:  # x265 on grain takes ~20 s a photo: encode the smooth image, fast preset
            heif = pillow_heif.from_pillow(shifted)
            heif.save(
                folder / f"IMG_{i:04}.heic",
                quality=70,
                exif=exif.tobytes(),
                enc_params={"preset": "ultrafast"},
            )


def _peak_rss() -> int:
    """This process's own peak RSS (``ru_maxrss`` survives exec on Linux, VmHWM does not)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _usage() -> tuple[float, int]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime, _peak_rss()


def _plain_decode(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as im:
        im.load()


def _draft_decode(path: Path, longest: int) -> None:
    """A JPEG decoded by libjpeg at the smallest DCT scale that covers ``longest`` pixels (as
    the pipeline asks ``draft()``)."""
    from PIL import Image

    from fieldcheck.photos import render

    with Image.open(path) as im:
        im.draft(im.mode, render.fit(im.size, longest))
        im.load()


def measure_decode(files: list[Path], workers: int = 0, longest: int = 0) -> dict:
    """The plain full decode (``longest`` 0) or a reduced-scale one, one file after another (or
    on a thread pool of ``workers``, to show how many cores this machine gives a pool)."""
    from concurrent.futures import ThreadPoolExecutor

    from fieldcheck.photos.formats import register_openers

    register_openers()
    decode = (lambda p: _draft_decode(p, longest)) if longest else _plain_decode
    cpu0, _ = _usage()
    start = time.perf_counter()
    if workers:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(decode, files))
    else:
        for path in files:
            decode(path)
    wall = time.perf_counter() - start
    cpu1, peak = _usage()
    return {"wall": wall, "cpu": cpu1 - cpu0, "peak_rss": peak, "count": len(files)}


def measure_import(files: list[Path], data_dir: Path, pool: str, workers: int) -> dict:
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    from fieldcheck.cli import seed_demo
    from fieldcheck.core.photo_import import import_photos
    from fieldcheck.domain import demo
    from fieldcheck.domain.photo import Phase, PhotoTarget
    from fieldcheck.paths import DataPaths
    from fieldcheck.photos.blobs import BlobStore
    from fieldcheck.photos.cache import DerivedCache
    from fieldcheck.photos.formats import register_openers
    from fieldcheck.photos.importer import ensure_preview
    from fieldcheck.store.database import Store

    store = Store.open(DataPaths(data_dir))
    seed_demo(store, 2026)
    target = PhotoTarget(demo.demo_compounds(2026)[0].id, Phase.BEFORE, inspector="bench")
    register_openers()  # as the decode run does before its clock
    executor = (ProcessPoolExecutor if pool == "process" else ThreadPoolExecutor)(workers)
    if pool == "process":  # start the workers before the clock, as a long-lived pool would be
        list(executor.map(abs, range(workers)))
    cpu0, _ = _usage()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    summary = import_photos(store, files, target, executor=executor, workers=workers)
    wall = time.perf_counter() - start
    executor.shutdown()
    cpu1, peak = _usage()
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (children1.ru_utime + children1.ru_stime) - (
        children0.ru_utime + children0.ru_stime
    )
    assert summary.imported == len(files), summary
    # the first view of each photo, as the viewer asks for it (one at a time, on its pool)
    blobs, cache = BlobStore(store.paths.blobs), DerivedCache(store.paths.cache)
    hashes = list(blobs.iter_hashes())
    made_at_import = sum(cache.preview_path(h).is_file() for h in hashes)
    view_cpu0, _ = _usage()
    view_start = time.perf_counter()
    for sha256 in hashes:
        ensure_preview(sha256, blobs, cache)
    view_wall = time.perf_counter() - view_start
    view_cpu1, _ = _usage()
    store.close()
    return {
        "wall": wall,
        "cpu": cpu1 - cpu0 + child_cpu,
        "peak_rss": peak,  # a process pool's workers: see the decision note
        "count": len(files),
        "previews_at_import": made_at_import,
        "first_view_wall": view_wall,
        "first_view_cpu": view_cpu1 - view_cpu0,
    }


def child(mode: str, files: list[Path], extra: list[str]) -> dict:
    """Run one measurement in a fresh process; returns its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, *extra, "--", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jpegs", type=int, default=24)
    parser.add_argument("--heics", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pool", choices=["thread", "process"], default="thread")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument(
        "--preview-px", type=int, help="try another preview size (default: the pipeline's)"
    )
    parser.add_argument(
        "--child",
        choices=["decode", "pool-decode", "thumbnail-decode", "preview-decode", "import"],
    )
    parser.add_argument("--data-dir")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.preview_px:
        from fieldcheck.photos import render

        render.PREVIEW_PX = args.preview_px
    if args.child in ("decode", "pool-decode", "thumbnail-decode", "preview-decode"):
        from fieldcheck.photos import render

        workers = args.workers if args.child == "pool-decode" else 0
        longest = {"thumbnail-decode": render.THUMBNAIL_PX, "preview-decode": render.PREVIEW_PX}
        decoded = measure_decode([Path(f) for f in args.files], workers, longest.get(args.child, 0))
        print(json.dumps(decoded))
        return
    if args.child == "import":
        figures = measure_import(
            [Path(f) for f in args.files], Path(args.data_dir), args.pool, args.workers
        )
        print(json.dumps(figures))
        return

    cores = os.cpu_count() or 1
    load_at_start = _load()
    preview = ["--preview-px", str(args.preview_px)] if args.preview_px else []
    with tempfile.TemporaryDirectory(prefix="fieldcheck-bench-") as tmp:
        folder = Path(tmp) / "card"
        started = time.perf_counter()
        generate(folder, args.jpegs, args.heics)
        jpegs = sorted(folder.glob("*.jpg"))
        heics = sorted(folder.glob("*.heic"))
        megabytes = sum(p.stat().st_size for p in jpegs) / len(jpegs) / 1e6
        print(
            f"generated {len(jpegs)} JPEGs ({WIDTH}x{HEIGHT}, {megabytes:.1f} MB each) and "
            f"{len(heics)} HEICs in {time.perf_counter() - started:.1f}s; "
            f"pool={args.pool} workers={args.workers} cores={cores}"
        )
        results: dict[str, list[dict]] = {}
        for round_ in range(args.rounds):
            for name, files in (("jpeg", jpegs), ("heic", heics)):
                if not files:
                    continue
                data = Path(tmp) / f"data-{name}-{round_}"
                extra = ["--pool", args.pool, "--workers", str(args.workers), *preview]
                extra += ["--data-dir", str(data)]
                results.setdefault(f"{name}-import", []).append(child("import", files, extra))
                results.setdefault(f"{name}-decode", []).append(child("decode", files, []))
                if name == "jpeg":
                    pool = ["--workers", str(args.workers)]
                    results.setdefault("pool-decode", []).append(child("pool-decode", files, pool))
                    for mode in ("thumbnail-decode", "preview-decode"):
                        results.setdefault(mode, []).append(child(mode, files, preview))

    def cpu_ratios(mine: str, reference: str) -> list[float]:
        return [a["cpu"] / b["cpu"] for a, b in zip(results[mine], results[reference], strict=True)]

    pool_use = _median([r["cpu"] / r["wall"] for r in results["pool-decode"]])
    lines = [
        f"load average (1, 5, 15 min) at start {load_at_start}, at end {_load()}",
        f"reference: full decodes on a {args.workers}-thread pool kept {pool_use:.2f} of {cores} "
        "cores busy (what this machine gives a pool right now)",
    ]
    if "preview-decode" in results:
        thumbnail, preview = (
            cpu_ratios("thumbnail-decode", "jpeg-decode"),
            cpu_ratios("preview-decode", "jpeg-decode"),
        )
        lines.append(
            "jpeg: CPU of a reduced-scale decode alone / full decode: at the thumbnail's DCT "
            f"scale (the import's) {_median(thumbnail):.2f} (rounds "
            + " ".join(f"{r:.2f}" for r in thumbnail)
            + f"), at the preview's (the first view's) {_median(preview):.2f}"
        )
    headline = []
    for name in ("jpeg", "heic"):
        if f"{name}-import" not in results:
            continue
        imports, decodes = results[f"{name}-import"], results[f"{name}-decode"]
        n = imports[0]["count"]
        cpu = cpu_ratios(f"{name}-import", f"{name}-decode")
        wall = [a["wall"] / b["wall"] for a, b in zip(imports, decodes, strict=True)]
        imp = imports[sorted(range(len(wall)), key=wall.__getitem__)[len(wall) // 2]]
        dec = decodes[sorted(range(len(wall)), key=wall.__getitem__)[len(wall) // 2]]
        lines.append(
            f"{name}: {n} photos, import {n / imp['wall']:.2f} photos/s "
            f"({imp['wall'] / n * 1000:.0f} ms/photo wall, {imp['cpu'] / n * 1000:.0f} ms/photo "
            f"CPU, {imp['cpu'] / imp['wall']:.2f} of {cores} cores busy), full decode "
            f"{dec['wall'] / n * 1000:.0f} ms/photo wall ({dec['cpu'] / n * 1000:.0f} ms CPU), "
            f"peak RSS import {imp['peak_rss'] / 2**20:.0f} MiB / decode "
            f"{dec['peak_rss'] / 2**20:.0f} MiB; rounds: CPU "
            + " ".join(f"{r:.2f}" for r in cpu)
            + ", wall "
            + " ".join(f"{r:.2f}" for r in wall)
        )
        later = n - imp["previews_at_import"]
        made = f"{name}: previews made at import {n - later} of {n}"
        if later:  # per photo viewed, against a full decode of the same photo
            view = _median(
                [
                    r["first_view_cpu"] / later / (d["cpu"] / n)
                    for r, d in zip(imports, decodes, strict=True)
                ]
            )
            made += (
                f"; the other {later} made on first view, one after another: "
                f"{imp['first_view_cpu'] / later * 1000:.0f} ms/photo CPU, {view:.2f} of a full "
                "decode's CPU (not part of the import)"
            )
        lines.append(made)
        headline.append(
            f"{name} import/full decode per photo (median of {len(cpu)} rounds): "
            f"CPU ratio {_median(cpu):.2f}, wall ratio {_median(wall):.2f} (targets <= 0.5)"
        )
    print("\n".join(lines + headline))


if __name__ == "__main__":
    main()
