"""``commune messages``: the translation catalogues.

    commune messages update [PACKAGE ...]   extract the marked strings into each package's catalogues and compile them
    commune messages check [PACKAGE ...]    refuse a catalogue that is stale, incomplete, fuzzy or compiled from an older text
    commune messages stats                  how many messages each catalogue holds and how many are translated

Every Django app under ``commune/`` keeps its own catalogues (``commune/<app>/locale/<lang>/LC_MESSAGES``),
so work on one app's words never touches another's files. Strings outside the apps (the command line, the
API's edge, the error base) live in ``commune/locale``, which settings name in ``LOCALE_PATHS``.

``check`` re-extracts every package (or those named) into a scratch copy of the tree, exactly as ``update``
would, and compares: it is what CI runs, so a string marked for translation and not translated into every
language fails the build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from commune.cli.django_setup import django_start
from commune.errors import DomainError

#: The package whose catalogue holds the strings of every module that is not inside an app.
ROOT = Path(__file__).resolve().parent.parent
#: File kinds scanned for each gettext domain. Minified third-party scripts are never ours to translate.
DOMAINS = {"django": ["html", "txt", "py"], "djangojs": ["js"]}
IGNORED = ["migrations", "*.min.js", "locale", "__pycache__"]


class CatalogueError(DomainError):
    """A catalogue is stale, incomplete, or compiled from another text."""


@dataclass(frozen=True)
class Owner:
    """A folder whose strings go into one set of catalogues."""

    path: Path
    #: Sub-folders that keep catalogues of their own, left out of this one's.
    nested: tuple[str, ...] = ()
    #: How ``update`` names it: the app's folder, or "commune" for the strings outside every app.
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.path.name)


def owners(root: Path = ROOT) -> list[Owner]:
    """Every app under ``root`` (an installed Django app), then ``root`` itself for the rest."""
    from django.apps import apps

    # In INSTALLED_APPS order, which is the order Django looks a message up in.
    app_dirs = [Path(app.path).name for app in apps.get_app_configs() if Path(app.path).parent == ROOT]
    return [Owner(root / name) for name in app_dirs] + [Owner(root, tuple(app_dirs), name="commune")]


def target_languages() -> list[str]:
    """The languages a member can choose, less the one the strings are written in."""
    from django.conf import settings

    source = settings.LANGUAGE_CODE.split("-")[0]
    return [code for code, _ in settings.LANGUAGES if code != source]


@contextmanager
def _inside(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _has_files(owner: Owner, extensions: list[str]) -> bool:
    for dirpath, dirnames, filenames in os.walk(owner.path):
        relative = Path(dirpath).relative_to(owner.path)
        if relative.parts and (relative.parts[0] in owner.nested or relative.parts[0] in IGNORED):
            dirnames[:] = []
            continue
        if any(name.rsplit(".", 1)[-1] in extensions and not name.endswith(".min.js") for name in filenames):
            return True
    return False


def extract(owner: Owner, languages: list[str]) -> None:
    """Write ``owner``'s catalogues: new strings added, vanished ones dropped, translations kept."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    (owner.path / "locale").mkdir(exist_ok=True)
    with _inside(owner.path), override_settings(LOCALE_PATHS=[]):
        for domain, extensions in DOMAINS.items():
            if not _has_files(owner, extensions):
                continue
            call_command(
                "makemessages",
                locale=languages,
                domain=domain,
                extensions=extensions,
                ignore_patterns=[*IGNORED, *owner.nested],
                no_wrap=True,
                add_location="file",
                no_obsolete=True,
                verbosity=0,
            )


def catalogues(owner: Owner) -> list[Path]:
    return sorted((owner.path / "locale").glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po: Path, mo: Path) -> None:
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


def update(names: list[str]) -> list[Path]:
    languages = target_languages()
    chosen = _chosen(ROOT, names)
    written = []
    for owner in chosen:
        extract(owner, languages)
        for po in catalogues(owner):
            compile_catalogue(po, po.with_suffix(".mo"))
            written.append(po)
    return written


def _key(entry: object) -> tuple[str, str, str]:
    return (getattr(entry, "msgctxt", None) or "", entry.msgid, getattr(entry, "msgid_plural", "") or "")  # type: ignore[attr-defined]


def untranslated(po_path: Path) -> list[str]:
    """The messages of one catalogue that a reader of that language would see in English."""
    import polib

    catalogue = polib.pofile(str(po_path))
    # A count needs every form the language has (Arabic six, Spanish three): a missing one shows English.
    plural_forms = catalogue.metadata.get("Plural-Forms", "")
    forms = int(plural_forms.split("nplurals=", 1)[1].split(";", 1)[0]) if "nplurals=" in plural_forms else 2
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            missing.append(f"{entry.msgid!r} (marked fuzzy)")
        elif entry.msgid_plural:
            filled = {index for index, text in entry.msgstr_plural.items() if text}
            if filled != set(range(forms)):
                missing.append(f"{entry.msgid!r} ({len(filled)} of {forms} plural forms)")
        elif not entry.msgstr:
            missing.append(repr(entry.msgid))
    return missing


def _chosen(root: Path, names: Sequence[str]) -> list[Owner]:
    """The owners named (all of them when none is), refusing a name that is not one."""
    every = owners(root)
    chosen = [owner for owner in every if not names or owner.name in names]
    unknown = set(names) - {owner.name for owner in chosen}
    if unknown:
        raise CatalogueError(f"no app called {', '.join(sorted(unknown))}")
    return chosen


def check(root: Path = ROOT, names: Sequence[str] = ()) -> list[str]:
    """Every problem with the catalogues of the tree at ``root``, as sentences; empty when all is well.
    With ``names``, only those packages' catalogues are extracted again and compared (the slow part);
    whether two catalogues disagree is always checked across them all."""
    import polib

    languages = target_languages()
    chosen = _chosen(root, names)
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        for owner in chosen:
            relative = owner.path.relative_to(root)
            fresh_owner = Owner(copy / relative, owner.nested, owner.name)
            extract(fresh_owner, languages)
            fresh = {po.relative_to(fresh_owner.path) for po in catalogues(fresh_owner)}
            committed = {po.relative_to(owner.path) for po in catalogues(owner)}
            for missing in sorted(fresh - committed):
                problems.append(
                    f"{owner.name}: no catalogue {missing} (run `commune messages update {owner.name}`)"
                )
            for relative_po in sorted(fresh & committed):
                label = f"{owner.name}/{relative_po}"
                ours = {_key(e) for e in polib.pofile(str(owner.path / relative_po)) if not e.obsolete}
                theirs = {_key(e) for e in polib.pofile(str(fresh_owner.path / relative_po))}
                if ours != theirs:
                    added, gone = len(theirs - ours), len(ours - theirs)
                    problems.append(
                        f"{label} is stale: {added} string(s) marked in the code are not in it, {gone} in it are no"
                        f" longer in the code (run `commune messages update {owner.name}`)"
                    )
                missing_words = untranslated(owner.path / relative_po)
                if missing_words:
                    shown = ", ".join(missing_words[:5]) + (" ..." if len(missing_words) > 5 else "")
                    problems.append(f"{label}: {len(missing_words)} message(s) not translated: {shown}")
                mo = (owner.path / relative_po).with_suffix(".mo")
                compiled = Path(scratch) / "check.mo"
                compile_catalogue(owner.path / relative_po, compiled)
                if not mo.exists() or mo.read_bytes() != compiled.read_bytes():
                    problems.append(f"{label}: the compiled .mo is not compiled from this text (run update)")
    return problems + disagreements(root)


def disagreements(root: Path = ROOT) -> list[str]:
    """Messages that two catalogues of one language translate differently. Django shows one of them on
    every page (the root catalogue's, else the first installed app's), so the other is never read and a
    test or translator trusting it is misled: the same words read the same everywhere."""
    import polib

    *apps_in_order, rest = owners(root)
    lookup_order = [rest, *apps_in_order]  # LOCALE_PATHS first, then the installed apps, as Django does
    problems = []
    for language in target_languages():
        first: dict[tuple[str, str, str], tuple[str, object]] = {}
        for owner in lookup_order:
            po_path = owner.path / "locale" / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                continue
            for entry in polib.pofile(str(po_path)):
                text = entry.msgstr_plural if entry.msgid_plural else entry.msgstr
                seen = first.setdefault(_key(entry), (owner.name, text))
                if seen[1] != text:
                    problems.append(
                        f"{owner.name}/locale/{language}: {entry.msgid!r} is translated differently in {seen[0]},"
                        f" whose words readers see: use them"
                    )
    return problems


def stats() -> list[str]:
    import polib

    lines = []
    for owner in owners():
        for po in catalogues(owner):
            catalogue = polib.pofile(str(po))
            total = len([e for e in catalogue if not e.obsolete])
            lines.append(
                f"{owner.name:<14} {po.parts[-3]:<4} {po.stem:<9} {total - len(untranslated(po)):>5}/{total:<5}"
            )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="commune messages", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    update_command = commands.add_parser("update", help="extract and compile; all packages unless named")
    update_command.add_argument("packages", nargs="*", help="app folder names, or 'commune' for the rest")
    check_command = commands.add_parser("check", help="fail if any catalogue is stale or incomplete")
    check_command.add_argument("packages", nargs="*", help="app folder names, or 'commune' for the rest")
    commands.add_parser("stats", help="translated messages per catalogue")
    args = parser.parse_args(argv)
    django_start()
    if args.command == "update":
        for po in update(args.packages):
            print(po.relative_to(ROOT.parent))
        return 0
    if args.command == "stats":
        print("\n".join(stats()))
        return 0
    problems = check(names=args.packages)
    for problem in problems:
        print(problem)
    if problems:
        raise CatalogueError(f"{len(problems)} catalogue problem(s)")
    if args.packages:
        print(f"the catalogues of {', '.join(args.packages)} are complete and up to date")
    else:
        print("every catalogue is complete and up to date")
    return 0
