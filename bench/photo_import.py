"""Photo import benchmark: 12-megapixel JPEGs (with EXIF) and a few HEICs are generated into a
temp dir and imported through the real pipeline and store into a fresh data dir.

Side by side in the same run, each measured in its own child process (so peak memory is its
own): the import (hash + EXIF + thumbnail + preview + blob + record) and a plain full Pillow
decode (``Image.open(p).load()``) of the same files, one after the other. Each is run
``--rounds`` times alternately; the best round of each counts (these machines are noisy).

Prints photos per second, peak RSS, CPU use across the cores, and the ratio of the per-photo
import cost to the plain decode as its last lines. Target: ratio <= 0.5, both cores used.

    .venv/bin/python bench/photo_import.py [--jpegs 24] [--heics 2] [--pool thread|process]
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


def measure_decode(files: list[Path], workers: int = 0) -> dict:
    """The plain full decode, one file after another (or on a thread pool of ``workers``, to
    show how many cores this machine gives a pool right now)."""
    from concurrent.futures import ThreadPoolExecutor

    from fieldcheck.photos.formats import register_openers

    register_openers()
    cpu0, _ = _usage()
    start = time.perf_counter()
    if workers:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(_plain_decode, files))
    else:
        for path in files:
            _plain_decode(path)
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
    from fieldcheck.photos.formats import register_openers
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
    store.close()
    assert summary.imported == len(files), summary
    return {
        "wall": wall,
        "cpu": cpu1 - cpu0 + child_cpu,
        "peak_rss": peak,  # a process pool's workers: see the decision note
        "count": len(files),
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


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jpegs", type=int, default=24)
    parser.add_argument("--heics", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pool", choices=["thread", "process"], default="thread")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument(
        "--preview-px", type=int, help="try another preview size (default: the pipeline's)"
    )
    parser.add_argument("--child", choices=["decode", "pool-decode", "import"])
    parser.add_argument("--data-dir")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.child in ("decode", "pool-decode"):
        workers = args.workers if args.child == "pool-decode" else 0
        print(json.dumps(measure_decode([Path(f) for f in args.files], workers)))
        return
    if args.child == "import":
        if args.preview_px:
            from fieldcheck.photos import render

            render.PREVIEW_PX = args.preview_px
        figures = measure_import(
            [Path(f) for f in args.files], Path(args.data_dir), args.pool, args.workers
        )
        print(json.dumps(figures))
        return

    cores = os.cpu_count() or 1
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
                extra = ["--pool", args.pool, "--workers", str(args.workers)]
                extra += ["--data-dir", str(data)]
                if args.preview_px:
                    extra += ["--preview-px", str(args.preview_px)]
                results.setdefault(f"{name}-import", []).append(child("import", files, extra))
                results.setdefault(f"{name}-decode", []).append(child("decode", files, []))
                if name == "jpeg":
                    pool = ["--workers", str(args.workers)]
                    results.setdefault("pool-decode", []).append(child("pool-decode", files, pool))

    reference = best(results["pool-decode"])
    lines = [
        f"reference: the same full decodes on a {args.workers}-thread pool kept "
        f"{reference['cpu'] / reference['wall']:.2f} of {cores} cores busy (what this machine "
        "gives a pool right now)"
    ]
    for name in ("jpeg", "heic"):
        if f"{name}-import" not in results:
            continue
        imp, dec = best(results[f"{name}-import"]), best(results[f"{name}-decode"])
        n = imp["count"]
        per_import, per_decode = imp["wall"] / n, dec["wall"] / dec["count"]
        cpu_use = imp["cpu"] / (imp["wall"] * cores)
        lines.append(
            f"{name}: {n} photos, import {n / imp['wall']:.2f} photos/s "
            f"({per_import * 1000:.0f} ms/photo wall, {imp['cpu'] / n * 1000:.0f} ms/photo CPU), "
            f"plain decode {per_decode * 1000:.0f} ms/photo ({dec['cpu'] / n * 1000:.0f} ms CPU), "
            f"peak RSS import {imp['peak_rss'] / 2**20:.0f} MiB / decode "
            f"{dec['peak_rss'] / 2**20:.0f} MiB, CPU use {cpu_use * 100:.0f}% of {cores} cores "
            f"({imp['cpu'] / imp['wall']:.2f} cores busy)"
        )
        lines.append(
            f"{name} ratio import/decode per photo: wall {per_import / per_decode:.2f} "
            f"(target <= 0.5), CPU {imp['cpu'] / dec['cpu']:.2f}"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
