"""The laptop's sync book: the one owner of every sync state change on the laptop.

Each module keeps the books of one kind of sync state; the sync engine (``fieldcheck.sync``)
moves bytes and decides the order of things, and writes down what happened only through
these functions, in the session it is given:

- ``states``: the enums of every stored or shown state (the strings in the database).
- ``outbox``: outbox entries as changes create them; ``outbox_sync``: entries sent, frozen,
  answered; ``resolutions``: the inspector's decisions on conflicts and rejected changes;
  ``restores``: given-up changes waiting for the server's version.
- ``records``: what the laptop knows of each record on the server (``sync_record``);
  ``marks``: what lists show per record, and which records hold a local edit.
- ``conflicts``: the conflict inbox; ``parked``: pulled changes waiting for their parent.
- ``blobs``: photo blob upload state; ``attention``: counts and items for the inspector.
- ``meta``: settings and what was witnessed of the server; ``cursors``: pull cursors.
- ``entities``: the local table of each entity that syncs.

Nothing is imported here, so ``store.tables`` can use ``states`` without a cycle.
"""
