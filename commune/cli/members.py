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
from commune.console import gettext as _
from commune.console import ngettext

MAX_ERRORS_SHOWN = 200


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune import-members",
        description=_(
            "Import a unit's member roll: admit new members, update changed ones, lapse those no "
            "longer listed. Nothing changes unless the whole file is valid."
        ),
    )
    parser.add_argument(
        "file", metavar="FILE.csv", type=Path, help=_("CSV with number,name,email[,wage_band]")
    )
    parser.add_argument("--unit", required=True, metavar="CODE", help=_("the unit whose roll this is"))
    parser.add_argument(
        "--org", metavar="SLUG", help=_("the organisation (needed when there is more than one)")
    )
    parser.add_argument("--dry-run", action="store_true", help=_("report what would change; change nothing"))
    parser.add_argument(
        "--confirm-lapses",
        metavar="CODE",
        default="",
        help=_("confirm the lapses a dry run listed, by the code it printed"),
    )
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(
            "commune import-members: "
            + _("cannot read %(path)s: %(reason)s") % {"path": args.file, "reason": exc.strerror},
            file=sys.stderr,
        )
        return 2
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        print(
            _("%(path)s: not UTF-8 text (byte %(byte)s); save the spreadsheet as 'CSV UTF-8'")
            % {"path": args.file, "byte": exc.start},
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
            known = ", ".join(o.slug for o in organisations) or _("none yet")
            print(
                "commune import-members: "
                + _("no organisation %(org)s (known: %(known)s)") % {"org": repr(args.org), "known": known},
                file=sys.stderr,
            )
            return 2
    elif len(organisations) == 1:
        org = organisations[0]
    else:
        what = _("there are no organisations yet (found one with `commune found`)")
        if organisations:
            what = _("say which organisation with --org: %(slugs)s") % {
                "slugs": ", ".join(o.slug for o in organisations)
            }
        print(f"commune import-members: {what}", file=sys.stderr)
        return 2
    unit = Body.objects.filter(organisation=org, code=args.unit.strip().upper()).first()
    if unit is None or unit.kind != BodyKind.UNIT:
        reason = (
            _("%(code)s is a council, not a unit, in %(org)s")
            if unit
            else _("%(code)s does not exist in %(org)s")
        )
        print(
            "commune import-members: " + reason % {"code": args.unit.upper(), "org": org.slug},
            file=sys.stderr,
        )
        return 2

    actor = Actor(None, f"operator {getpass.getuser()} (command line)")
    report = roll_import(
        unit=unit,
        csv_text=text,
        dry_run=args.dry_run,
        actor=actor,
        confirm_lapses=args.confirm_lapses,
        progress=ProgressBar(sys.stderr, _("checking")),
    )
    if report.lapsing:
        count = len(report.lapsing)
        if args.dry_run or report.refusal:
            heading = ngettext("%(count)s member would lapse:", "%(count)s members would lapse:", count)
        else:
            heading = ngettext("%(count)s member lapsed:", "%(count)s members lapsed:", count)
        print(heading % {"count": count})
        for number, name in report.lapsing:
            print(f"  {number}  {name}")
    if report.refusal:
        print(
            "commune import-members: " + _("nothing was changed: %(reason)s.") % {"reason": report.refusal},
            file=sys.stderr,
        )
        if report.lapse_code:
            print(
                _("To confirm exactly these lapses: %(option)s")
                % {"option": f"--confirm-lapses {report.lapse_code}"},
                file=sys.stderr,
            )
        return 1
    if not report.ok:
        for problem in report.errors[:MAX_ERRORS_SHOWN]:
            print(f"{args.file}:{problem.line}: {problem.message}", file=sys.stderr)
        if len(report.errors) > MAX_ERRORS_SHOWN:
            more = len(report.errors) - MAX_ERRORS_SHOWN
            print(
                ngettext("... and %(count)s more problem", "... and %(count)s more problems", more)
                % {"count": more},
                file=sys.stderr,
            )
        count = len(report.errors)
        print(
            ngettext(
                "%(count)s problem in %(path)s; nothing was changed.",
                "%(count)s problems in %(path)s; nothing was changed.",
                count,
            )
            % {"count": count, "path": args.file},
            file=sys.stderr,
        )
        return 1
    for warning in report.warnings[:MAX_ERRORS_SHOWN]:
        print(
            f"{args.file}:{warning.line}: " + _("warning: %(message)s") % {"message": warning.message},
            file=sys.stderr,
        )
    if len(report.warnings) > MAX_ERRORS_SHOWN:
        more = len(report.warnings) - MAX_ERRORS_SHOWN
        print(
            ngettext("... and %(count)s more warning", "... and %(count)s more warnings", more)
            % {"count": more},
            file=sys.stderr,
        )
    if args.dry_run:
        parts = [
            _("%(count)s would be admitted") % {"count": report.admitted},
            _("%(count)s would be re-admitted") % {"count": report.readmitted},
            _("%(count)s would be updated") % {"count": report.updated},
            _("%(count)s would be lapsed") % {"count": report.lapsed},
        ]
    else:
        parts = [
            _("%(count)s admitted") % {"count": report.admitted},
            _("%(count)s re-admitted") % {"count": report.readmitted},
            _("%(count)s updated") % {"count": report.updated},
            _("%(count)s lapsed") % {"count": report.lapsed},
        ]
    parts.append(_("%(count)s unchanged") % {"count": report.unchanged})
    print(
        _("Roll of %(unit)s (%(code)s, %(org)s): %(rows)s members listed; %(summary)s.")
        % {
            "unit": unit.name,
            "code": unit.code,
            "org": org.slug,
            "rows": report.rows,
            "summary": ", ".join(parts),
        }
    )
    if args.dry_run:
        print(_("Dry run: nothing was changed."))
        if report.lapse_code:
            print(
                _("To import it with these lapses: %(option)s")
                % {"option": f"--confirm-lapses {report.lapse_code}"}
            )
    elif not report.changed:
        print(_("The roll already matched; nothing was changed."))
    return 0
