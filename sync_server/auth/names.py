"""Usernames as people type them: ``Li``, ``li `` and ``ｌｉ`` are one account. The key is
the NFKC case-folded form without surrounding white space; accounts are unique by it and
found by it at sign-in, while the name is shown as it was given."""

from __future__ import annotations

import unicodedata


def username_key(username: str) -> str:
    """The form a username is compared in (Unicode NFKC_Casefold, stripped)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
    return folded.strip()
