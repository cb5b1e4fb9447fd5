"""Fixtures for the photo suites: a store holding the demo district, the shared corpus, and
small real images generated with Pillow (with EXIF where a test needs it)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def jpeg_bytes(
    size: tuple[int, int] = (64, 48),
    *,
    color: tuple[int, int, int] = (200, 80, 40),
    taken: dt.datetime | None = None,
    offset: str | None = None,
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
    make: str = "",
    model: str = "",
    quality: int = 90,
) -> bytes:
    """A real JPEG with the EXIF facts asked for."""
    im = Image.new("RGB", size, color)
    im.paste((255, 255, 255), (0, 0, size[0] // 4, size[1] // 4))  # a marker in one corner
    exif = Image.Exif()
    if make:
        exif[Base.Make] = make
    if model:
        exif[Base.Model] = model
    if orientation is not None:
        exif[Base.Orientation] = orientation
    details = exif.get_ifd(IFD.Exif)
    if taken is not None:
        details[Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if offset is not None:
        details[Base.OffsetTimeOriginal] = offset
    if gps is not None:
        position = exif.get_ifd(IFD.GPSInfo)
        for value, ref_tag, tag, signs in (
            (gps[0], GPS.GPSLatitudeRef, GPS.GPSLatitude, "NS"),
            (gps[1], GPS.GPSLongitudeRef, GPS.GPSLongitude, "EW"),
        ):
            whole = abs(value)
            degrees = int(whole)
            minutes = int((whole - degrees) * 60)
            seconds = round((whole - degrees - minutes / 60) * 3600, 4)
            position[ref_tag] = signs[0] if value >= 0 else signs[1]
            position[tag] = (float(degrees), float(minutes), seconds)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture
def compound_id(demo_store) -> str:
    from fieldcheck.domain import demo

    return demo.demo_compounds(2026)[0].id


@pytest.fixture
def target(compound_id):
    from fieldcheck.domain.photo import Phase, PhotoTarget

    return PhotoTarget(compound_id, Phase.BEFORE, category="3", inspector="王工")


@pytest.fixture
def store_and_target(store, target):
    return store, target


def open_demo_store(data_dir: Path):
    """A store at ``data_dir`` seeded with the demo district, as ``fieldcheck demo`` does."""
    from fieldcheck.cli import seed_demo
    from fieldcheck.paths import DataPaths
    from fieldcheck.store.database import Store

    opened = Store.open(DataPaths(data_dir))
    seed_demo(opened, 2026)
    return opened


@pytest.fixture(scope="session")
def demo_store_at():
    """``demo_store_at(data_dir)`` opens a store seeded with the demo district."""
    return open_demo_store


@pytest.fixture
def shm_store_and_target(tmp_path):
    """A store on tmpfs (/dev/shm) when there is one, else under tmp_path."""
    import shutil
    import tempfile

    from fieldcheck.domain import demo
    from fieldcheck.domain.photo import Phase, PhotoTarget

    shm = Path("/dev/shm")
    root = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else tmp_path))
    opened = open_demo_store(root / "data")
    yield opened, PhotoTarget(demo.demo_compounds(2026)[0].id, Phase.BEFORE)
    opened.close()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def jpeg():
    """``jpeg(size, taken=…, offset=…, gps=…, orientation=…, make=…, model=…)`` → bytes."""
    return jpeg_bytes


@pytest.fixture
def put():
    """``put(path, data)`` writes a file (making its folders) and returns the path."""
    return write
