"""The application core: the app's use cases, free of Qt, for the desktop app and the command
line alike (the idea of Anki's ``pylib`` collection and its op changes).

A use case takes a session (the UI's op runner or the command opens it) or the ``Store`` (when
it opens sessions itself, as an import does) and returns frozen values: domain dataclasses,
the frozen rows below, plain values — never ORM rows. A use case that changes something returns
``Done(value, changes)``: ``changes`` is what it touched, computed here, so that each view
refreshes only what it shows.

Where things live:

- ``changes``: ``Changes`` (what an op changed) and ``Done`` (a value with its changes);
  ``detached``: the check that no ORM row or session leaves a unit of work; ``revisions``: a
  record's stored revision, to tell a save that changed nothing.
- ``compounds``: the compound list with its sync marks, the overview, stage moves, the demo
  seed and the plan list import.
- ``checklist``: inspections, their answers and retracted entries; answering and retracting.
- ``register``: the illegal-structure register with each entry's sync state; saving entries.
- ``photos``: the gallery's photos, annotations, viewpoints and before/after pairs.
- ``photo_import``: importing photo files (the pipeline on a pool, records in batches).
- ``recovered``: the start-up integrity pass and the recovered photos it finds.
- ``sync_marks``: the sync state of a compound, a checklist item, a register entry or a
  photo, as the sync book's enums (and ``PhotoMark``) the lists key their marks by.
- ``attention``: what needs the inspector after a sync (conflicts, rejected changes, changed
  photo files, a changed server history) and its resolutions.
- ``sync_status``: the counts and settings the status bar shows between syncs.
- ``sync_run``: signing in and out and one sync run, with the changes a sync made.

``Session`` and ``Store`` are re-exported here for type hints in the UI, which imports nothing
of SQLModel or the store itself.
"""

from sqlmodel import Session

from fieldcheck.store.database import Store

__all__ = ["Session", "Store"]
