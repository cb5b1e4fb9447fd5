"""Errors of the local store, each with a code the UI and CLI turn into a clear message."""

from __future__ import annotations

from fieldcheck.domain.errors import FieldcheckError


class StoreError(FieldcheckError):
    """The database cannot be opened or upgraded.

    Codes: ``store_unreadable`` (not a fieldcheck database, or damaged), ``store_newer``
    (written by a newer fieldcheck), ``store_migration_failed`` (the upgrade failed; the backup
    named in ``params['backup']`` holds the data as it was).
    """
