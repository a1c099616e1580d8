"""``commune found``: found an organisation from a JSON description (see ``docs/founding.md``).

    commune found FILE.json [--dry-run]

Exit status: 0 when founded (or, with ``--dry-run``, when the file could be founded), 1 when the file has
problems (each printed with its JSON path), 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from commune.cli.django_setup import django_start
from commune.console import gettext as _


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune found",
        description=_(
            "Found an organisation with its councils, units, offices and constitution from a JSON "
            "description, and apportion every council's seats."
        ),
    )
    parser.add_argument(
        "file", metavar="FILE.json", type=Path, help=_("the description (see docs/founding.md)")
    )
    parser.add_argument("--dry-run", action="store_true", help=_("check the description; found nothing"))
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(
            "commune found: " + _("cannot read %(path)s: %(reason)s") % {"path": args.file, "reason": exc},
            file=sys.stderr,
        )
        return 2
    try:
        description = json.loads(text)
    except json.JSONDecodeError as exc:
        print(
            f"{args.file}:{exc.lineno}:{exc.colno}: " + _("not valid JSON: %(reason)s") % {"reason": exc.msg},
            file=sys.stderr,
        )
        return 1

    django_start()
    from commune.audit.services import Actor
    from commune.federation.founding import (
        FoundingError,
        founding_check,
        organisation_found_from_description,
    )

    if args.dry_run:
        problems = founding_check(description)
        for problem in problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        if problems:
            return 1
        print(_("%(path)s can be founded as described.") % {"path": args.file})
        return 0
    try:
        report = organisation_found_from_description(
            description=description, actor=Actor(None, f"operator {getpass.getuser()} (command line)")
        )
    except FoundingError as exc:
        for problem in exc.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        print(_("%(count)s problem(s); nothing was founded.") % {"count": len(exc.problems)}, file=sys.stderr)
        return 1
    org = report.organisation
    print(
        _("Founded %(name)s (%(slug)s) with constitution version 1.") % {"name": org.name, "slug": org.slug}
    )
    print(
        "  "
        + _("%(councils)s councils, %(units)s units, %(offices)s offices")
        % {"councils": len(report.councils), "units": len(report.units), "offices": report.offices}
    )
    for council in report.councils:
        print(
            "  "
            + _("%(code)s: %(seats)s seats apportioned")
            % {"code": council.code, "seats": report.seats[council.code]}
        )
    print(_("Next: import each unit's member roll, for example:"))
    first_unit = report.units[0].code
    print(f"  commune import-members roll.csv --org {org.slug} --unit {first_unit}")
    return 0
