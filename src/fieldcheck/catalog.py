"""The checklist templates shipped in ``resources/templates``: find, load and cache them.

Each file holds one version of one template. Inspections name the version they pinned, so
every version ever shipped stays here and stays loadable.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

from fieldcheck.domain.checklist import ChecklistTemplate, parse_template
from fieldcheck.domain.errors import TemplateError

DEFAULT_TEMPLATE_ID = "renovation-checklist"


def templates_dir() -> Path:
    return Path(str(resources.files("fieldcheck") / "resources" / "templates"))


def load_template_file(path: Path) -> ChecklistTemplate:
    """Read and parse one template file; TemplateError names the file and the problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(
            f"{path.name}: cannot be read ({exc})", "template_unreadable", {"source": path.name}
        ) from exc
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            "template_invalid",
            {"source": path.name, "where": f"line {exc.lineno}", "problem": exc.msg},
        ) from exc
    return parse_template(data, source=path.name)


class TemplateCatalog:
    """Every template version found in a folder, by (template id, version)."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or templates_dir()
        self._templates: dict[tuple[str, int], ChecklistTemplate] = {}
        for path in sorted(self.folder.glob("*.json")):
            template = load_template_file(path)
            if template.key in self._templates:
                raise TemplateError(
                    f"{path.name}: {template.template_id} v{template.version} is shipped twice",
                    "template_duplicate",
                    {"source": path.name},
                )
            self._templates[template.key] = template

    def get(self, template_id: str, version: int) -> ChecklistTemplate:
        try:
            return self._templates[(template_id, version)]
        except KeyError:
            raise TemplateError(
                f"checklist template {template_id} v{version} is not installed",
                "template_missing",
                {"template_id": template_id, "version": version},
            ) from None

    def latest(self, template_id: str = DEFAULT_TEMPLATE_ID) -> ChecklistTemplate:
        versions = [t for (tid, _), t in self._templates.items() if tid == template_id]
        if not versions:
            raise TemplateError(
                f"no checklist template {template_id} is installed",
                "template_missing",
                {"template_id": template_id, "version": 0},
            )
        return max(versions, key=lambda t: t.version)

    def versions(self, template_id: str = DEFAULT_TEMPLATE_ID) -> list[int]:
        return sorted(v for (tid, v) in self._templates if tid == template_id)


@cache
def shipped_catalog() -> TemplateCatalog:
    """The catalog of the templates shipped with this installation (loaded once)."""
    return TemplateCatalog()
