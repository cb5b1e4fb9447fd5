"""Record identities: random UUIDs made on the laptop, and deterministic ones where two
offline creators must collide into one record (answers: uuid5 of inspection and item code)."""

from __future__ import annotations

import uuid

#: Namespace of every deterministic id fieldcheck derives. Never change it.
FIELDCHECK_NAMESPACE = uuid.UUID("6f1c2a4e-8d3b-5c7a-9e10-2b4d6f8a0c1e")


def new_id() -> str:
    """A fresh random record id."""
    return str(uuid.uuid4())


def answer_id(inspection_id: str, item_code: str, entry: int = 0) -> str:
    """The id of the answer to ``item_code`` in an inspection (``entry`` for repeating items)."""
    name = f"answer:{inspection_id}:{item_code}" + (f"#{entry}" if entry else "")
    return str(uuid.uuid5(FIELDCHECK_NAMESPACE, name))


def fixed_id(kind: str, key: str) -> str:
    """A stable id for seeded data (the demo district), the same on every laptop and server."""
    return str(uuid.uuid5(FIELDCHECK_NAMESPACE, f"{kind}:{key}"))
