"""Every string marked for translation is translated into every language, and the compiled files match.

This is the check CI relies on (``commune messages check``): a page with an English string in an Arabic
reader's view fails the build, and so does a catalogue that the code has moved away from.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest

from commune.cli import messages

if not (shutil.which("xgettext") and shutil.which("msgfmt")):
    if os.environ.get("CI") == "true":
        raise RuntimeError("GNU gettext (xgettext, msgfmt) is needed to check the catalogues")
    pytest.skip(
        "GNU gettext is not installed: `apt-get install gettext` to check the translation catalogues",
        allow_module_level=True,
    )


def test_every_catalogue_is_complete_and_current() -> None:
    assert messages.check() == []


def test_a_check_of_packages_that_are_not_there_is_refused() -> None:
    with pytest.raises(messages.CatalogueError, match="no app called nowhere"):
        messages.check(names=["web", "nowhere"])


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "commune"
    shutil.copytree(messages.ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_a_string_marked_but_not_in_the_catalogue_fails_the_check(tree_copy: Path) -> None:
    page = tree_copy / "web" / "templates" / "web" / "base.html"
    page.write_text(
        page.read_text().replace("{% block title %}", '{% translate "A new heading" %}{% block title %}')
    )

    problems = messages.check(tree_copy, ["web"])

    assert any("web/locale/ar/LC_MESSAGES/django.po is stale" in problem for problem in problems)
    assert len([problem for problem in problems if "is stale" in problem]) == len(messages.target_languages())


def test_an_untranslated_or_fuzzy_message_fails_the_check(tree_copy: Path) -> None:
    po_path = tree_copy / "web" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue[0].msgstr = ""
    catalogue[1].flags.append("fuzzy")
    catalogue.save(str(po_path))
    messages.compile_catalogue(po_path, po_path.with_suffix(".mo"))

    problems = messages.check(tree_copy, ["web"])

    assert problems == [
        f"web/locale/fr/LC_MESSAGES/django.po: 2 message(s) not translated: {catalogue[0].msgid!r}, "
        f"{catalogue[1].msgid!r} (marked fuzzy)"
    ]


def test_a_compiled_file_older_than_its_text_fails_the_check(tree_copy: Path) -> None:
    po_path = tree_copy / "web" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    catalogue[0].msgstr = catalogue[0].msgstr + "!"
    catalogue.save(str(po_path))

    assert messages.check(tree_copy, ["web"]) == [
        "web/locale/es/LC_MESSAGES/django.po: the compiled .mo is not compiled from this text (run update)"
    ]


def test_a_count_missing_one_of_its_languages_plural_forms_fails_the_check(tree_copy: Path) -> None:
    # Spanish has three forms (one, a round million, other): a catalogue with two shows English for the third.
    po_path = tree_copy / "federation" / "locale" / "es" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    counted = next(entry for entry in catalogue if entry.msgid_plural)
    counted.msgstr_plural[2] = ""
    catalogue.save(str(po_path))
    messages.compile_catalogue(po_path, po_path.with_suffix(".mo"))

    problems = messages.check(tree_copy, ["federation"])

    assert problems == [
        f"federation/locale/es/LC_MESSAGES/django.po: 1 message(s) not translated: {counted.msgid!r} (2 of 3 plural forms)"
    ]
    # A check of other packages leaves this one's catalogues alone.
    assert messages.check(tree_copy, ["accounts"]) == []


def test_two_catalogues_translating_the_same_words_differently_fail_the_check(tree_copy: Path) -> None:
    # Django shows one app's words for a message on every page; the other's would never be read.
    po_path = tree_copy / "web" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    shared = next(entry for entry in catalogue if entry.msgid == "Skip to content")
    accounts_po = tree_copy / "accounts" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    other = polib.pofile(str(accounts_po))
    other.append(polib.POEntry(msgid=shared.msgid, msgstr=shared.msgstr + " maintenant"))
    other.save(str(accounts_po))

    assert messages.disagreements(tree_copy) == [
        "web/locale/fr: 'Skip to content' is translated differently in accounts, whose words readers see: use them"
    ]
