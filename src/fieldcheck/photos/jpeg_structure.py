"""Whether a JPEG's marker structure is whole, for the damage a decoder lets through.

libjpeg (through Pillow, at any DCT scale) raises when the data stops inside a scan, but two
kinds of damaged file decode without an error: a file whose tail was never written (zeros, or
the rest of an old file, where the end-of-image marker should be: the missing rows come out grey
or as noise) and a progressive file that lost scans (it comes out blurred). Both show in the
markers alone: every scan must be followed by more markers and in the end an end-of-image
marker, and the scans must send every coefficient of every component down to its last bit.

The walk reads the segment headers and looks for markers in the scan data with one regular
expression search per scan (about 1 GB/s). A baseline photo, whose one scan sends everything,
needs only one backward search for the end-of-image marker after that scan. Junk between
segments is skipped as libjpeg skips it; bytes after the end marker (the second image of an MPO,
a phone's trailer) are not looked at.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass, field

#: A marker inside scan data: 0xFF followed by anything but a stuffed zero, a restart marker
#: (RST0–7 belong to the scan) or another 0xFF (a fill byte before the real marker).
_NEXT_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")

_EOI, _SOS = 0xD9, 0xDA
#: Markers without a length: TEM, RST0–7, and SOI.
_STANDALONE = {0x01, *range(0xD0, 0xD9)}
#: Start-of-frame markers (SOF0–SOF15 without DHT 0xC4, JPG 0xC8 and DAC 0xCC).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
#: Frames whose scans send DCT coefficients (sequential or progressive, not lossless or
#: hierarchical): the only ones whose completeness is checked.
_DCT_FRAMES = {0xC0, 0xC1, 0xC2, 0xC9, 0xCA}
_PROGRESSIVE = {0xC2, 0xCA}

CUT_OFF = "cut off: no end-of-image marker after the image data"
INCOMPLETE = "incomplete: the scans do not send the whole image"


@dataclass
class _Frame:
    """For each component, the lowest bit of each of its 64 coefficients sent so far (-1:
    none yet), checked scan by scan as libjpeg's progression check does."""

    checked: bool
    progressive: bool
    components: tuple[int, ...]
    sent: dict[int, list[int]] = field(default_factory=dict)

    def add_scan(self, components: tuple[int, ...], first: int, last: int, bits: int) -> bool:
        """Record a scan; False when it does not follow the scans before it."""
        high, low = (bits >> 4, bits & 15) if self.progressive else (0, 0)
        if not self.progressive:  # a sequential scan sends everything, whatever it says
            first, last = 0, 63
        if first > last or last > 63:
            return False
        for component in components:
            sent = self.sent.setdefault(component, [-1] * 64)
            for k in range(first, last + 1):
                if sent[k] != (high if high else -1):  # a refinement needs its first pass
                    return False
                sent[k] = low
        return True

    def sent_everything(self) -> bool:
        return all(c in self.sent and not any(self.sent[c]) for c in self.components)

    def complete(self) -> bool:
        return not self.checked or self.sent_everything()


def structure_problem(data: bytes | mmap.mmap) -> str | None:
    """What is wrong with the marker structure of the JPEG in ``data``, or None when it is
    whole. Meant for data that Pillow has already decoded without an error."""
    size = len(data)
    position = 2  # after SOI
    frame: _Frame | None = None
    while position + 1 < size:
        if data[position] != 0xFF:  # junk between segments, skipped as libjpeg does
            position = data.find(b"\xff", position + 1)
            if position < 0:
                return CUT_OFF
            continue
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte before the marker
            position += 1
            continue
        if marker == _EOI:
            return None if frame is not None and frame.complete() else INCOMPLETE
        if marker in _STANDALONE:
            position += 2
            continue
        if position + 4 > size:
            return CUT_OFF
        end = position + 2 + (data[position + 2] << 8 | data[position + 3])
        if end > size:
            return CUT_OFF
        segment = data[position + 4 : end]
        if marker in _SOF and len(segment) >= 6:
            ids = tuple(segment[6 : 6 + 3 * segment[5] : 3])
            frame = _Frame(marker in _DCT_FRAMES, marker in _PROGRESSIVE, ids)
        elif marker == _SOS:
            if frame is None or not segment or len(segment) < 4 + 2 * segment[0]:
                return INCOMPLETE
            count = segment[0]
            first, last, bits = segment[1 + 2 * count : 4 + 2 * count]
            if not frame.add_scan(tuple(segment[1 : 1 + 2 * count : 2]), first, last, bits):
                return INCOMPLETE
            if frame.sent_everything():
                # a baseline photo: nothing is left to send, only the end marker must follow
                return None if data.rfind(b"\xff\xd9", end) >= 0 else CUT_OFF
            match = _NEXT_MARKER.search(data, end)
            if match is None:
                return CUT_OFF
            position = match.start()
            continue
        position = end
    return CUT_OFF
