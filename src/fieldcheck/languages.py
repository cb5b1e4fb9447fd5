"""The two languages fieldcheck speaks, and how a language name (a flag, a saved setting, a
locale such as ``zh_CN.UTF-8``) maps onto them; shared by the app (``ui/i18n.py``) and the
command line (``cli_text.py``)."""

from __future__ import annotations

CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)


def normalize_language(value: str | None) -> str | None:
    """Map zh, zh_CN.UTF-8, zh-Hans… to "zh_CN" and any other non-empty value to "en"."""
    if not value or not value.strip():
        return None
    return CHINESE if value.strip().lower().startswith("zh") else ENGLISH
