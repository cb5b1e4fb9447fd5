"""The start-up integrity pass writes one INFO line, and a WARNING naming the hashes of each
kind of alert: blobs without a record, records without a blob, blobs that changed."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from fieldcheck.core.photo_import import import_photos
from fieldcheck.domain import demo
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.photos.blobs import BlobStore
from fieldcheck.store.integrity import run_integrity_pass

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared/corpus/exif-orientation-examples"


def test_integrity_alerts_are_logged_with_their_hashes(demo_store, caplog):
    target = PhotoTarget(
        compound_id=demo.demo_compounds(2026)[0].id, phase=Phase.BEFORE, inspector="王工"
    )
    files = [EXAMPLES / "Landscape_1.jpg", EXAMPLES / "Portrait_1.jpg"]
    gone, changed = (o.photo.sha256 for o in import_photos(demo_store, files, target).outcomes)
    blobs = BlobStore(demo_store.paths.blobs)
    blobs.path_for(gone).unlink()
    blobs.path_for(changed).write_bytes(b"not what was stored")
    orphan_bytes = (EXAMPLES / "Landscape_2.jpg").read_bytes()
    orphan = hashlib.sha256(orphan_bytes).hexdigest()
    blobs.path_for(orphan).parent.mkdir(parents=True, exist_ok=True)
    blobs.path_for(orphan).write_bytes(orphan_bytes)

    with caplog.at_level(logging.INFO, logger="fieldcheck.store.integrity"):
        run_integrity_pass(demo_store)

    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name.endswith("integrity")]
    assert said[0][0] == "INFO"
    assert said[0][1].startswith(
        "integrity pass: 2 blobs, 2 re-hashed, 1 recovered photos, 1 missing blobs, "
        "1 hash mismatches, quick_check ok, 0 stale temp files, "
    )
    assert said[1:] == [
        ("WARNING", f"blob files no photo record points at (listed as recovered photos): {orphan}"),
        ("WARNING", f"photo records whose blob file is missing: {gone}"),
        ("WARNING", f"blob files that no longer hash to their name (or cannot be read): {changed}"),
    ]
