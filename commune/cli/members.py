"""``commune import-members``: import a unit's member roll from a CSV file.

    commune import-members FILE.csv --unit CODE [--org SLUG] [--dry-run] [--confirm-lapses CODE]

The file has a header row naming ``number``, ``name``, ``email`` and optionally ``wage_band``. Every
problem is printed with its line number and nothing is changed unless the whole file is valid. Lines
imported in part (a new address for a member who signs in with their own) are printed as warnings.

Every member the roll would lapse is listed, with a code that stands for exactly those lapses: the import
goes ahead only with ``--confirm-lapses CODE``. A roll lapsing more of the unit than the constitution lets
one officer lapse alone (a tenth by default) is refused here: two of the unit's roll officers import it
from the unit's roll page.

Exit status: 0 when the roll was imported (or would be, with ``--dry-run``), 1 when the file has problems
or the import was refused, 2 for a usage error (no such file, organisation or unit).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from commune.cli.django_setup import django_start
from commune.cli.progress import ProgressBar

MAX_ERRORS_SHOWN = 200


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune import-members",
        description="Import a unit's member roll: admit new members, update changed ones, lapse those no "
        "longer listed. Nothing changes unless the whole file is valid.",
    )
    parser.add_argument("file", metavar="FILE.csv", type=Path, help="CSV with number,name,email[,wage_band]")
    parser.add_argument("--unit", required=True, metavar="CODE", help="the unit whose roll this is")
    parser.add_argument("--org", metavar="SLUG", help="the organisation (needed when there is more than one)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change; change nothing")
    parser.add_argument(
        "--confirm-lapses",
        metavar="CODE",
        default="",
        help="confirm the lapses a dry run listed, by the code it printed",
    )
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(f"commune import-members: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        print(
            f"{args.file}: not UTF-8 text (byte {exc.start}); save the spreadsheet as 'CSV UTF-8'",
            file=sys.stderr,
        )
        return 1

    django_start()
    from commune.audit.services import Actor
    from commune.federation.models import Body, BodyKind, Organisation
    from commune.federation.roll import roll_import

    organisations = list(Organisation.objects.order_by("slug"))
    if args.org:
        org = next((o for o in organisations if o.slug == args.org), None)
        if org is None:
            known = ", ".join(o.slug for o in organisations) or "none yet"
            print(f"commune import-members: no organisation {args.org!r} (known: {known})", file=sys.stderr)
            return 2
    elif len(organisations) == 1:
        org = organisations[0]
    else:
        what = "there are no organisations yet (found one with `commune found`)"
        if organisations:
            what = "say which organisation with --org: " + ", ".join(o.slug for o in organisations)
        print(f"commune import-members: {what}", file=sys.stderr)
        return 2
    unit = Body.objects.filter(organisation=org, code=args.unit.strip().upper()).first()
    if unit is None or unit.kind != BodyKind.UNIT:
        reason = "is a council, not a unit" if unit else "does not exist"
        print(f"commune import-members: {args.unit.upper()} {reason} in {org.slug}", file=sys.stderr)
        return 2

    actor = Actor(None, f"operator {getpass.getuser()} (command line)")
    report = roll_import(
        unit=unit,
        csv_text=text,
        dry_run=args.dry_run,
        actor=actor,
        confirm_lapses=args.confirm_lapses,
        progress=ProgressBar(sys.stderr, "checking"),
    )
    if report.lapsing:
        verb = "would lapse" if args.dry_run or report.refusal else "lapsed"
        print(f"{len(report.lapsing)} member{'s' if len(report.lapsing) != 1 else ''} {verb}:")
        for number, name in report.lapsing:
            print(f"  {number}  {name}")
    if report.refusal:
        print(f"commune import-members: nothing was changed: {report.refusal}.", file=sys.stderr)
        if report.lapse_code:
            print(f"To confirm exactly these lapses: --confirm-lapses {report.lapse_code}", file=sys.stderr)
        return 1
    if not report.ok:
        for problem in report.errors[:MAX_ERRORS_SHOWN]:
            print(f"{args.file}:{problem.line}: {problem.message}", file=sys.stderr)
        if len(report.errors) > MAX_ERRORS_SHOWN:
            print(f"... and {len(report.errors) - MAX_ERRORS_SHOWN} more problems", file=sys.stderr)
        print(
            f"{len(report.errors)} problem{'s' if len(report.errors) != 1 else ''} in {args.file}; "
            "nothing was changed.",
            file=sys.stderr,
        )
        return 1
    for warning in report.warnings[:MAX_ERRORS_SHOWN]:
        print(f"{args.file}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    if len(report.warnings) > MAX_ERRORS_SHOWN:
        print(f"... and {len(report.warnings) - MAX_ERRORS_SHOWN} more warnings", file=sys.stderr)
    verb = "would be" if args.dry_run else ""
    parts = [
        (report.admitted, "admitted"),
        (report.readmitted, "re-admitted"),
        (report.updated, "updated"),
        (report.lapsed, "lapsed"),
        (report.unchanged, "unchanged"),
    ]
    summary = ", ".join(
        f"{n} {verb + ' ' if verb and what != 'unchanged' else ''}{what}" for n, what in parts
    )
    print(f"Roll of {unit.name} ({unit.code}, {org.slug}): {report.rows} members listed; {summary}.")
    if args.dry_run:
        print("Dry run: nothing was changed.")
        if report.lapse_code:
            print(f"To import it with these lapses: --confirm-lapses {report.lapse_code}")
    elif not report.changed:
        print("The roll already matched; nothing was changed.")
    return 0
