"""Malformed template files get a TemplateError naming the file, the place and the problem;
an inspection keeps the template version it started with."""

import copy
import json

import pytest

from fieldcheck.catalog import TemplateCatalog, load_template_file, templates_dir
from fieldcheck.domain.errors import TemplateError


@pytest.fixture(scope="module")
def shipped():
    path = next(templates_dir().glob("renovation-checklist-v1.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def write(tmp_path, data, name="t.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def broken(shipped, change):
    data = copy.deepcopy(shipped)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d.update(format=99), "unsupported template format"),
        (lambda d: d.update(version="one"), "'version' must be a int"),
        (lambda d: d["categories"][0]["items"][0].update(code="9.1"), "must start with '1.'"),
        (lambda d: d["categories"][0]["items"][1].update(code="1.1"), "item code used twice"),
        (
            lambda d: d["categories"][0]["items"][0]["fields"][0].update(type="colour"),
            "unknown answer type",
        ),
        (lambda d: d["categories"][0]["items"][0].update(stages=[]), "at least one stage"),
        (lambda d: d["categories"][0]["items"][0].update(stages=["someday"]), "someday"),
        (lambda d: d["categories"][0]["items"][0]["label"].update(en=""), "'zh' and 'en'"),
        (lambda d: d["categories"].pop(), "no items for categories 5"),
    ],
)
def test_malformed_template_is_refused_with_a_clear_reason(tmp_path, shipped, change, fragment):
    path = write(tmp_path, broken(shipped, change))
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert "t.json" in str(caught.value)
    assert fragment in str(caught.value)


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{\n  "format": 1,\n  oops\n}', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert "line 3" in str(caught.value)


def test_catalog_keeps_every_version_and_picks_the_latest(tmp_path, shipped):
    write(tmp_path, shipped, "v1.json")
    v2 = broken(shipped, lambda d: d.update(version=2))
    v2["categories"][0]["items"][0]["label"] = {"zh": "新版出入口", "en": "New entrances"}
    write(tmp_path, v2, "v2.json")
    catalog = TemplateCatalog(tmp_path)
    assert catalog.versions() == [1, 2]
    assert catalog.latest().version == 2
    assert catalog.get("renovation-checklist", 1).item("1.1").label.en != "New entrances"


def test_the_same_version_shipped_twice_is_refused(tmp_path, shipped):
    write(tmp_path, shipped, "a.json")
    write(tmp_path, shipped, "b.json")
    with pytest.raises(TemplateError) as caught:
        TemplateCatalog(tmp_path)
    assert caught.value.code == "template_duplicate"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["categories"][0]["items"][0].update(colour="red"), "unknown key 'colour'"),
        (
            lambda d: d["categories"][0]["items"][0].update(repeating="false"),
            "'repeating' must be true or false",
        ),
        (
            lambda d: d["categories"][0]["items"][0].update(points=0),
            "'points' must be a whole number",
        ),
        (
            lambda d: d["categories"][0]["items"][0]["fields"][0].update(min=5, max=1),
            "'min' is above 'max'",
        ),
        (
            lambda d: d["header_fields"].append(dict(d["header_fields"][0])),
            "field keys must be unique",
        ),
    ],
)
def test_subtle_template_mistakes_are_caught(tmp_path, shipped, change, fragment):
    path = write(tmp_path, broken(shipped, change))
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert fragment in str(caught.value)
