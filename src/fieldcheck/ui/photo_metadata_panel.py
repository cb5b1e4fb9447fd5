"""The facts of one photo beside the viewer (DESIGN §3): capture time with its offset, GPS and
where it came from, the camera, the original file name, SHA-256, phase, import time, inspector
and the laptop's clock offset, when the server received it, with a warning when the photo is
dated in the future or the server found the laptop's clock off when it arrived (F28)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QStyle, QWidget

from fieldcheck.domain.photo import LocationSource, Photo
from fieldcheck.ui.colors import WARNING_STYLE
from fieldcheck.ui.formatting import format_number
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.photo_texts import format_moment, phase_label

PANEL_WIDTH = 300


def local_time(moment: dt.datetime) -> dt.datetime:
    """A stored UTC time (naive from SQLite means UTC) in the laptop's time zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone()


def in_scroll_area(panel: QWidget) -> QScrollArea:
    """The panel in a frameless area that scrolls up and down when the window is too short
    for every fact and warning (Chinese rows are taller)."""
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = area.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    area.setFixedWidth(panel.width() + bar)
    return area


class PhotoMetadataPanel(RetranslateOnLanguageChange, QWidget):
    def __init__(self, photo: Photo, parent: QWidget | None = None):
        super().__init__(parent)
        self.photo = photo
        self.setFixedWidth(PANEL_WIDTH)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in (
            "captured",
            "gps",
            "device",
            "name",
            "size",
            "sha256",
            "phase",
            "imported",
            "inspector",
            "clock",
            "received",
        ):
            label, value = QLabel(), QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key], self.values[key] = label, value
            self.form.addRow(label, value)
        self.values["sha256"].setStyleSheet("font-family: monospace;")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.form.addRow(self.warning)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        photo = self.photo
        titles = {
            "captured": self.tr("Taken"),
            "gps": self.tr("Position"),
            "device": self.tr("Camera"),
            "name": self.tr("Original file"),
            "size": self.tr("Size"),
            "sha256": self.tr("SHA-256"),
            "phase": self.tr("Phase"),
            "imported": self.tr("Imported"),
            "inspector": self.tr("Inspector"),
            "clock": self.tr("Laptop clock offset"),
            "received": self.tr("Received by the server"),
        }
        for key, title in titles.items():
            self.labels[key].setText(f"<b>{title}</b>")
        unknown = self.tr("unknown")
        device = " ".join(part for part in (photo.make, photo.model) if part)
        values = {
            "captured": format_moment(photo.captured_at, with_offset=True) or unknown,
            "gps": self._position(),
            "device": device or unknown,
            "name": photo.original_name,
            "size": self.tr("{width} × {height} pixels, {kb} KB, {format}").format(
                width=photo.width,
                height=photo.height,
                kb=format_number(round(photo.size_bytes / 1024)),
                format=photo.format,
            ),
            "sha256": _wrapped(photo.sha256),
            "phase": phase_label(photo.phase),
            "imported": format_moment(local_time(photo.imported_at), with_offset=True),
            "inspector": photo.inspector or unknown,
            "clock": (
                self.tr("{seconds} s").format(seconds=format_number(photo.clock_offset_s))
                if photo.clock_offset_s is not None
                else unknown
            ),
            "received": (
                format_moment(local_time(photo.receipt.received_at), with_offset=True)
                if photo.receipt
                else self.tr("not yet")
            ),
        }
        if photo.captured_at is not None and photo.captured_at.tzinfo is None:
            values["captured"] += self.tr(" (no time zone recorded)")
        for key, text in values.items():
            self.values[key].setText(text)
        warnings = []
        if photo.future_dated:
            warnings.append(
                self.tr(
                    "Warning: the capture time lies after the import time. "
                    "The camera clock may be wrong."
                )
            )
        if photo.receipt and photo.receipt.clock_skewed:
            warnings.append(
                self.tr(
                    "Warning: when this photo reached the server, the clock of the laptop "
                    "that sent it was off by {offset}. The capture time is that laptop's claim."
                ).format(offset=self._duration(photo.receipt.clock_offset_s or 0.0))
            )
        self.warning.setText("\n\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    def _duration(self, seconds: float) -> str:
        """A clock offset in the largest whole unit that fits: days, hours or minutes (the
        flag starts at ten minutes)."""
        size = abs(seconds)
        if size >= 86400:
            days = round(size / 86400)
            return self.tr("1 day") if days == 1 else self.tr("{n} days").format(n=days)
        if size >= 3600:
            hours = round(size / 3600)
            return self.tr("1 hour") if hours == 1 else self.tr("{n} hours").format(n=hours)
        return self.tr("{n} minutes").format(n=round(size / 60))

    def _position(self) -> str:
        location = self.photo.location
        if location is None:
            return self.tr("not recorded")
        text = f"{location.lat:.6f}, {location.lon:.6f}"
        if location.alt is not None:
            text += self.tr(", altitude {alt} m").format(alt=format_number(round(location.alt, 1)))
        sources = {
            LocationSource.EXIF: self.tr("from the camera (EXIF)"),
            LocationSource.PLAN_PIN: self.tr("pinned on the site plan"),
            LocationSource.MANUAL: self.tr("entered by hand"),
        }
        if self.photo.location_source is not None:
            text += f"\n{sources[self.photo.location_source]}"
        return text


def _wrapped(sha256: str) -> str:
    """The hash in two halves, so it fits the panel."""
    half = len(sha256) // 2
    return f"{sha256[:half]}\n{sha256[half:]}"
