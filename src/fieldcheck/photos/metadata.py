"""EXIF facts of a photo, read through Pillow's ``getexif()``: capture time with its offset,
GPS position, orientation, camera make and model.

Garbage EXIF (wrong types, zero denominators, impossible dates, truncated blocks) never refuses
a photo: a fact that cannot be read is left out and named in ``problems``. For HEIC the
orientation comes from ``info["original_orientation"]``: pillow-heif has already turned the
pixels and set the tag to 1.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from typing import Any

from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

from fieldcheck.domain.errors import ValidationError
from fieldcheck.domain.photo import GeoPoint

log = logging.getLogger(__name__)

#: (time, offset, sub-second) tags, in the order of preference.
_TIME_TAGS = (
    (Base.DateTimeOriginal, Base.OffsetTimeOriginal, Base.SubsecTimeOriginal),
    (Base.DateTimeDigitized, Base.OffsetTimeDigitized, Base.SubsecTimeDigitized),
    (Base.DateTime, Base.OffsetTime, Base.SubsecTime),
)


@dataclass(frozen=True)
class PhotoMetadata:
    captured_at: dt.datetime | None = None
    gps: GeoPoint | None = None
    orientation: int = 1
    make: str = ""
    model: str = ""
    problems: tuple[str, ...] = ()


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()


def parse_offset(value: Any) -> dt.timezone | None:
    """``+08:00`` / ``-05:30`` as a time zone; anything else is None."""
    text = _text(value)
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    if hours > 14 or minutes > 59:
        return None
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if text[0] == "-" else delta)


def parse_exif_time(value: Any, offset: Any = None, subsec: Any = None) -> dt.datetime | None:
    """``YYYY:MM:DD HH:MM:SS`` (aware when the offset is known), or None when unreadable."""
    text = _text(value)
    try:
        moment = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    digits = _text(subsec)
    if digits.isdigit():
        moment = moment.replace(microsecond=int(digits[:6].ljust(6, "0")))
    zone = parse_offset(offset)
    return moment.replace(tzinfo=zone) if zone else moment


def _number(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def _degrees(value: Any, ref: Any, negative: str) -> float:
    parts = [_number(v) for v in value]
    if len(parts) != 3:
        raise ValueError("a GPS coordinate needs degrees, minutes and seconds")
    degrees = parts[0] + parts[1] / 60 + parts[2] / 3600
    return -degrees if _text(ref).upper() == negative else degrees


def parse_gps(gps: dict[int, Any]) -> GeoPoint | None:
    """The position in an EXIF GPS IFD, or None when it has none; ValueError when unreadable."""
    if GPS.GPSLatitude not in gps or GPS.GPSLongitude not in gps:
        return None
    lat = _degrees(gps[GPS.GPSLatitude], gps.get(GPS.GPSLatitudeRef), "S")
    lon = _degrees(gps[GPS.GPSLongitude], gps.get(GPS.GPSLongitudeRef), "W")
    alt = None
    if GPS.GPSAltitude in gps:
        try:
            alt = _number(gps[GPS.GPSAltitude])
        except (TypeError, ValueError, ZeroDivisionError):
            alt = None
        ref = gps.get(GPS.GPSAltitudeRef)
        if alt is not None and ref in (1, b"\x01"):
            alt = -alt
    try:
        return GeoPoint(lat, lon, alt)
    except ValidationError as exc:
        raise ValueError(str(exc)) from exc


def read_metadata(im: Image.Image, name: str = "") -> PhotoMetadata:
    """The EXIF facts of an opened (not necessarily loaded) image (``name`` is for the log)."""
    problems: list[str] = []
    try:
        exif = im.getexif()
    except Exception as exc:  # a damaged EXIF block must not refuse the photo
        log.info("%s: EXIF unreadable; the photo is kept without it", name, exc_info=True)
        return PhotoMetadata(problems=(f"EXIF unreadable: {exc}",))

    def ifd(tag: int) -> dict[int, Any]:
        try:
            return dict(exif.get_ifd(tag))
        except Exception as exc:
            log.info("%s: EXIF %s block unreadable; left out", name, IFD(tag).name, exc_info=True)
            problems.append(f"EXIF {IFD(tag).name} block unreadable: {exc}")
            return {}

    details = ifd(IFD.Exif)
    captured_at = None
    for time_tag, offset_tag, subsec_tag in _TIME_TAGS:
        source = exif if time_tag == Base.DateTime else details
        if time_tag in source:
            captured_at = parse_exif_time(
                source[time_tag],
                details.get(offset_tag) or exif.get(offset_tag),
                details.get(subsec_tag),
            )
            if captured_at is not None:
                break
            problems.append(f"capture time unreadable: {source[time_tag]!r:.40}")

    gps = None
    gps_ifd = ifd(IFD.GPSInfo)
    try:
        gps = parse_gps(gps_ifd)
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        problems.append(f"GPS position unreadable: {exc}")

    if im.format == "HEIF":
        orientation = im.info.get("original_orientation") or 1
    else:
        orientation = exif.get(Base.Orientation, 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        problems.append(f"orientation {orientation!r} is not 1..8; shown as recorded")
        orientation = 1

    return PhotoMetadata(
        captured_at=captured_at,
        gps=gps,
        orientation=orientation,
        make=_text(exif.get(Base.Make)),
        model=_text(exif.get(Base.Model)),
        problems=tuple(problems),
    )
