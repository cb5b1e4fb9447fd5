"""``fieldcheck import-photos`` through a real subprocess: the JSON lines and exit statuses."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from tests.commands import fieldcheck


def test_json_lines_and_exit_statuses(demo_store, data_paths, corpus, tmp_path, jpeg, put):
    demo_store.close()
    taken = dt.datetime(2026, 4, 2, 9, 15, 30)
    folder = tmp_path / "card"
    put(folder / "a.jpg", jpeg((300, 200), taken=taken, offset="+08:00", gps=(31.23, 121.47)))
    put(folder / "nested" / "b.jpg", jpeg((300, 200), color=(0, 0, 0), orientation=8))
    shutil.copyfile(corpus / "pillow_heif/tests/images/heif_other/arrow.heic", folder / "c.heic")
    base = ["import-photos", "--compound", "CG-01", "--category", "3", "--phase", "before"]

    done = fieldcheck(data_paths.root, *base, "--item", "3.2", "--json", str(folder))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["imported"] * 3
    a, c, b = lines  # folders are walked in name order: a.jpg, c.heic, nested/b.jpg
    assert a["path"].endswith("a.jpg")
    assert a["captured_at"] == "2026-04-02T09:15:30+08:00"
    assert a["gps"] == {"lat": a["gps"]["lat"], "lon": a["gps"]["lon"]}
    assert round(a["gps"]["lat"], 4) == 31.23
    assert (a["orientation"], a["width"], a["height"]) == (1, 300, 200)
    assert (b["orientation"], b["width"], b["height"], b["gps"]) == (8, 200, 300, None)
    assert (c["orientation"], c["width"], c["height"]) == (6, 3024, 4032)
    assert len(a["sha256"]) == 64
    assert a["reason"] is None

    again = fieldcheck(data_paths.root, *base, "--json", str(folder / "a.jpg"))
    assert again.returncode == 0
    assert json.loads(again.stdout)["status"] == "duplicate"
    assert json.loads(again.stdout)["sha256"] == a["sha256"]

    put(tmp_path / "bad" / "readme.jpg", b"hello, not a photo\n")
    refused = fieldcheck(
        data_paths.root, *base, "--json", str(folder / "a.jpg"), str(tmp_path / "bad")
    )
    assert refused.returncode == 1
    statuses = [json.loads(line) for line in refused.stdout.splitlines()]
    assert [s["status"] for s in statuses] == ["duplicate", "refused"]
    assert "text file" in statuses[1]["reason"]
    assert statuses[1]["sha256"] is None


def test_usage_errors_exit_2(demo_store, data_paths, tmp_path, jpeg, put):
    demo_store.close()
    photo = str(put(tmp_path / "a.jpg", jpeg()))
    unknown = fieldcheck(
        data_paths.root, "import-photos", "--compound", "NOPE", "--phase", "after", photo
    )
    assert unknown.returncode == 2
    assert "NOPE" in unknown.stderr
    bad_phase = fieldcheck(
        data_paths.root, "import-photos", "--compound", "CG-01", "--phase", "later", photo
    )
    assert bad_phase.returncode == 2
