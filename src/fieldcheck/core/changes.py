"""What a use case changed: ``Changes``, computed by the core from what it touched, and
``Done``, a use case's value together with its changes. The UI's op runner hands the value to
the view that asked and broadcasts the changes to every view, which refreshes only what it
shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What changed, by kind of record, and the compounds the changed records belong to.

    ``compounds`` is set when compound records changed, and when sync marks may have changed
    anywhere (every sync says so). ``pulled``: the records of ``compound_ids`` arrived from the
    server (their views reload; the counts and marks a sync refreshes once)."""

    compound_ids: frozenset[str] = frozenset()
    compounds: bool = False
    inspections: bool = False
    answers: bool = False
    structures: bool = False
    photos: bool = False
    pulled: bool = False

    def touches(self, compound_id: str) -> bool:
        """Whether records of ``compound_id`` changed."""
        return bool(compound_id) and compound_id in self.compound_ids

    @property
    def records(self) -> bool:
        """Whether records under a compound changed (not the compound's own facts)."""
        return self.inspections or self.answers or self.structures or self.photos

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            compound_ids=self.compound_ids | other.compound_ids,
            compounds=self.compounds or other.compounds,
            inspections=self.inspections or other.inspections,
            answers=self.answers or other.answers,
            structures=self.structures or other.structures,
            photos=self.photos or other.photos,
            pulled=self.pulled or other.pulled,
        )


NOTHING = Changes()

#: The kind of change each synced entity's records make (a retraction makes its target's).
ENTITY_CHANGES: dict[str, Changes] = {
    "compound": Changes(compounds=True),
    "inspection": Changes(inspections=True),
    "answer": Changes(answers=True),
    "rectification_action": Changes(inspections=True),
    "illegal_structure": Changes(structures=True),
    "viewpoint": Changes(photos=True),
    "photo": Changes(photos=True),
    "annotation": Changes(photos=True),
}


def in_compound(compound_id: str, kind: Changes) -> Changes:
    """``kind`` of change to records of ``compound_id``."""
    return Changes(compound_ids=frozenset({compound_id})) | kind


def record_changes(entity: str, data: dict[str, object], compound_ids: Iterable[str]) -> Changes:
    """What changing one record of ``entity`` (with ``data``) in ``compound_ids`` changed. A
    record whose compound is unknown changes every compound's marks."""
    if entity == "retraction":
        entity = str(data.get("entity", ""))
    kind = ENTITY_CHANGES.get(entity, NOTHING)
    found = frozenset(compound_ids)
    return Changes(compound_ids=found, compounds=not found) | kind


@dataclass(frozen=True)
class Done(Generic[T]):
    """A use case's value and what it changed."""

    value: T
    changes: Changes = NOTHING
