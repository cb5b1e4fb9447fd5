"""The command line's language: which one it speaks, and its gettext catalog.

English is the source language; Simplified Chinese comes from
``resources/locale/zh_CN/LC_MESSAGES/fieldcheck.mo`` (stdlib ``gettext``, no Qt: the desktop
app's Qt catalog lives in ``ui/``; docs/decisions/0046-cli-language.md says why there are two).
The language is ``--language`` when given, else the environment (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: the first one set decides), else Windows' display language; a value
starting with ``zh`` means Chinese, anything else English, as in ``ui/i18n.py``.

Mark texts with :func:`_` / :func:`ngettext` where they are shown, or with :func:`N_` in tables
translated later. ``python -m tools.translations cli-update`` collects them into the ``.po``.
"""

from __future__ import annotations

import argparse
import gettext
import locale
import os
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from fieldcheck.languages import ENGLISH, normalize_language

DOMAIN = "fieldcheck"
#: gettext's own order: the first variable that is set (and not empty) decides.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = ENGLISH


def N_(text: str) -> str:
    """Mark ``text`` for the catalog without translating it now (tables of messages)."""
    return text


#: argparse's own words (Python 3.11+), in our catalog so usage and its errors are translated.
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def environment_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the locale variables ask for (``LANGUAGE`` may list several: the first
    counts), or None when none is set."""
    environ = os.environ if environ is None else environ
    for variable in LANGUAGE_VARIABLES:
        value = environ.get(variable, "").split(":")[0]
        if value:
            return normalize_language(value)
    return None


def windows_language() -> str | None:
    """Windows' display language (Chinese Windows sets no locale variables), else None."""
    if sys.platform == "win32":
        import ctypes

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()
        return normalize_language(locale.windows_locale.get(lcid))
    else:
        return None


def choose_language(explicit: str | None, environ: Mapping[str, str] | None = None) -> str:
    """An explicit choice wins, then the environment, then Windows' language, then English."""
    return (
        normalize_language(explicit)
        or environment_language(environ)
        or windows_language()
        or ENGLISH
    )


def locale_dir() -> Path:
    return Path(str(resources.files("fieldcheck") / "resources" / "locale"))


def use_language(language: str) -> str:
    """Speak ``language`` from now on (English when its catalog is missing); returns it.

    argparse's own words go through the same catalog."""
    global _translation, _language
    _language = normalize_language(language) or ENGLISH
    _translation = gettext.translation(DOMAIN, locale_dir(), languages=[_language], fallback=True)
    if not isinstance(_translation, gettext.GNUTranslations):
        _language = ENGLISH
    argparse._ = _translation.gettext  # type: ignore[attr-defined]
    argparse.ngettext = _translation.ngettext  # type: ignore[attr-defined]
    return _language


def language() -> str:
    """The language in use: "zh_CN" or "en"."""
    return _language


def _(text: str) -> str:
    """``text`` in the language in use."""
    return _translation.gettext(text)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular``/``plural`` for ``count``, in the language in use."""
    return _translation.ngettext(singular, plural, count)
