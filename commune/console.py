"""The language of the command line, for code that runs without Django.

``commune tally``, ``commune retally`` and the member-facing commands never load Django, so they read their
words with the standard library's ``gettext`` from the catalogue of the strings outside every app
(``commune/locale``), the same one Django reads. The language comes from the environment as every gettext
program's does: ``LANGUAGE`` (a list such as ``fr:es``), else ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``
(``es_ES.UTF-8``), falling back to English; ``LC_ALL=C`` means English whatever ``LANGUAGE`` says.

Mark a string with ``gettext`` (or ``_``) where it is read, or with ``gettext_noop`` where it is only
named (a table's headings at module level) and translate it with ``gettext`` when it is shown. Machine
output (JSON, BLT, CSV read back by a program) is never translated.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"
SOURCE_LANGUAGE = "en"
#: The variables that set the locale, most specific first (``LANGUAGE`` is read apart: it lists languages).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def available() -> list[str]:
    """English and every language ``commune/locale`` has a compiled catalogue for."""
    found = sorted(mo.parent.parent.name for mo in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return [SOURCE_LANGUAGE, *found]


def _code(name: str) -> str:
    """``es_ES.UTF-8`` or ``fr_CA@euro`` -> ``es-es``, ``fr-ca``."""
    return name.split(".", 1)[0].split("@", 1)[0].strip().replace("_", "-").lower()


def language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, among those Commune speaks; English when none is."""
    env = os.environ if environ is None else environ
    locale_name = next((env[name] for name in LOCALE_VARIABLES if env.get(name)), "")
    if _code(locale_name) in {"", "c", "posix"}:
        # As GNU gettext: without a locale, LANGUAGE is not consulted.
        return SOURCE_LANGUAGE
    wanted = [*(env.get("LANGUAGE") or "").split(":"), locale_name]
    spoken = available()
    for name in wanted:
        code = _code(name)
        if not code:
            continue
        for candidate in (code, code.split("-", 1)[0]):
            if candidate in spoken:
                return candidate
    return SOURCE_LANGUAGE


@cache
def _catalogue(code: str) -> stdlib_gettext.NullTranslations:
    if code == SOURCE_LANGUAGE:
        return stdlib_gettext.NullTranslations()
    return stdlib_gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[code], fallback=True)


def gettext(message: str) -> str:
    """``message`` in the environment's language."""
    return _catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that fits ``count``, in the environment's language."""
    return _catalogue(language()).ngettext(singular, plural, count)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (translate it where it is shown)."""
    return message


_ = gettext
