"""``commune audit``: check the provenance log.

    commune audit verify [--org SLUG]

Walks each organisation's hash chain from the first entry and prints how many entries were checked and
either OK or the first entry that is not as it was written (its position and why).

Exit status: 0 when every chain verifies, 1 when any does not, 2 for a usage error (unknown organisation).
"""

from __future__ import annotations

import argparse
import sys

from commune.cli.django_setup import django_start


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commune audit", description="Check the provenance log.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    verify = commands.add_parser(
        "verify", help="verify every organisation's hash chain and name the first bad entry"
    )
    verify.add_argument("--org", metavar="SLUG", help="check only this organisation")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    django_start()
    from commune.audit.services import chain_verify
    from commune.federation.models import Organisation

    organisations = Organisation.objects.order_by("slug")
    if args.org:
        organisations = organisations.filter(slug=args.org)
        if not organisations.exists():
            print(f"commune audit: no organisation {args.org!r}", file=sys.stderr)
            return 2
    failed = 0
    checked = 0
    for org in organisations:
        checked += 1
        report = chain_verify(organisation_id=org.pk)
        if report.ok:
            print(f"{org.slug}: {report.entries} entries checked, OK")
        else:
            failed += 1
            print(f"{org.slug}: {report.entries} entries checked, FAILED at {report.problem}")
    if not checked:
        print("no organisations yet; nothing to verify")
    if failed:
        print(
            f"{failed} of {checked} chains failed verification: the log was altered outside Commune. "
            "Restore from a backup that verifies, and find out who had write access to the database.",
            file=sys.stderr,
        )
        return 1
    return 0
