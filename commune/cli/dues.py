"""``commune dues``: import a unit's payment file (a bank or payroll export), and lapse for arrears on
time.

    commune dues import FILE.csv --unit CODE [--org SLUG] [--dry-run]
    commune dues run-due

The file has a header row naming ``number``, ``amount``, ``paid_on`` (2026-11-30 or 30/11/2026) and
optionally ``reference``. Every problem is printed with its line number and nothing is imported unless
every line is good; ``--dry-run`` checks the file and imports nothing. A progress bar shows on standard
error as a large file is checked and written. ``run-due`` gives notice to members as far in arrears as the
constitution lets a member lapse for, and lapses those whose notice has run out (the scheduler,
``commune election worker``, does this on every pass).

Exit status: 0 when the payments were imported (or would be, with ``--dry-run``), 1 when the file has
problems or the import was refused, 2 for a usage error (no such file, organisation or unit).
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
        prog="commune dues", description=_("Members' dues: payment files, lapsing.")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    importing = commands.add_parser("import", help=_("import a unit's payment file: every line or none"))
    importing.add_argument(
        "file", metavar="FILE.csv", type=Path, help=_("CSV with number,amount,paid_on[,reference]")
    )
    importing.add_argument(
        "--unit", required=True, metavar="CODE", help=_("the unit the payments were made to")
    )
    importing.add_argument(
        "--org", metavar="SLUG", help=_("the organisation (needed when there is more than one)")
    )
    importing.add_argument("--dry-run", action="store_true", help=_("check the file and import nothing"))
    commands.add_parser("run-due", help=_("give notice of lapsing, and lapse those whose notice ran out"))
    return parser


def _import(args: argparse.Namespace) -> int:
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        print(
            "commune dues: "
            + _("cannot read %(path)s: %(reason)s") % {"path": args.file, "reason": exc.strerror},
            file=sys.stderr,
        )
        return 2
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        print(
            _("%(path)s: not UTF-8 text (byte %(byte)s); save it as 'CSV UTF-8'")
            % {"path": args.file, "byte": exc.start},
            file=sys.stderr,
        )
        return 1
    django_start()
    from commune.audit.services import Actor
    from commune.dues.services import dues_import
    from commune.federation.models import Body, BodyKind, Organisation

    organisations = list(Organisation.objects.order_by("slug"))
    org = next((o for o in organisations if o.slug == args.org), None) if args.org else None
    if args.org and org is None:
        print("commune dues: " + _("no organisation %(org)s") % {"org": repr(args.org)}, file=sys.stderr)
        return 2
    if org is None:
        if len(organisations) != 1:
            print("commune dues: " + _("say which organisation with --org"), file=sys.stderr)
            return 2
        org = organisations[0]
    unit = Body.objects.filter(organisation=org, code=args.unit.strip().upper(), kind=BodyKind.UNIT).first()
    if unit is None:
        print(
            "commune dues: "
            + _("%(org)s has no unit %(code)s") % {"org": org.slug, "code": args.unit.upper()},
            file=sys.stderr,
        )
        return 2
    report = dues_import(
        unit=unit,
        csv_text=text,
        dry_run=args.dry_run,
        actor=Actor(None, f"operator {getpass.getuser()} (command line)"),
        progress=ProgressBar(sys.stderr, _("checking")),
        write_progress=ProgressBar(sys.stderr, _("writing")),
    )
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
                "%(count)s problem in %(path)s; nothing was imported.",
                "%(count)s problems in %(path)s; nothing was imported.",
                count,
            )
            % {"count": count, "path": args.file},
            file=sys.stderr,
        )
        return 1
    if args.dry_run:
        summary = _(
            "%(unit)s (%(code)s, %(org)s): %(rows)s payments totalling %(total)s from %(members)s members "
            "would be imported."
        )
    else:
        summary = _(
            "%(unit)s (%(code)s, %(org)s): %(rows)s payments totalling %(total)s from %(members)s members imported."
        )
    values = {"unit": unit.name, "code": unit.code, "org": org.slug, "rows": report.rows}
    print(summary % {**values, "total": report.total, "members": report.members})
    if args.dry_run:
        print(_("Dry run: nothing was imported."))
    return 0


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command == "import":
        return _import(args)
    django_start()
    from commune.dues.services import dues_run_due

    report = dues_run_due(sweep=True)
    for line in report.done:
        print(line)
    for line in report.problems:
        print(_("problem: %(problem)s") % {"problem": line}, file=sys.stderr)
    return 0
