"""``commune audit``: check the provenance log.

    commune audit verify [--org SLUG] [--extends SEQ:HASH] [--full]
    commune audit head [--org SLUG]
    commune audit key
    commune audit erase-person EMAIL_OR_NUMBER [--org SLUG] --yes
    commune audit erasure-requests

``verify`` walks each organisation's hash chain from the first entry, checking every hash, and every
signature after the last signed checkpoint (a position an earlier verification reached, signed with the
log's key), and prints how many entries were checked and either OK with the head it reached, or the first
entry that is not as it was written (its position and why). An intact chain gets a new checkpoint at its
head. ``--full`` ignores the checkpoints and checks every signature. ``--extends SEQ:HASH`` (with ``--org``) also
checks that the log still passes through a head noted earlier: that it was neither rewritten nor cut back.
``head`` prints each organisation's current head, to note down and check against later. ``key`` prints
the id and public key of the key that signs the log (to publish, and to trust after changing the key).
``erase-person`` answers a request to erase a person (found by email address, or by membership number in
``--org``): their name is erased from every entry of every log written since erasure became possible, each
log records the erasure in a signed entry, and their account loses its name, address and password. It cannot
be undone, so it asks for ``--yes``; it prints what it redacted and what it had to keep.
``erasure-requests`` lists the requests for erasure people have made from their account page and not yet
carried out (erasing the person closes theirs), with the account's address and membership numbers.

Exit status: 0 when every chain verifies, 1 when any does not, 2 for a usage error (unknown organisation).
"""

from __future__ import annotations

import argparse
import sys

from commune.cli.django_setup import django_start
from commune.console import gettext as _


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commune audit", description=_("Check the provenance log."))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    verify = commands.add_parser(
        "verify", help=_("verify every organisation's hash chain and name the first bad entry")
    )
    verify.add_argument("--org", metavar="SLUG", help=_("check only this organisation"))
    verify.add_argument(
        "--extends",
        metavar="SEQ:HASH",
        help=_("also check that the log extends this head, noted earlier (needs --org)"),
    )
    verify.add_argument(
        "--full",
        action="store_true",
        help=_("check every signature, not only those after the last checkpoint"),
    )
    head = commands.add_parser("head", help=_("print each organisation's current head (SEQ:HASH)"))
    head.add_argument("--org", metavar="SLUG", help=_("only this organisation"))
    commands.add_parser("key", help=_("print the id and public key of the key that signs the log"))
    erase = commands.add_parser(
        "erase-person", help=_("erase a person's name from the log's entries and from their account")
    )
    erase.add_argument("who", metavar="EMAIL_OR_NUMBER", help=_("their email address, or membership number"))
    erase.add_argument("--org", metavar="SLUG", help=_("the organisation whose membership number it is"))
    erase.add_argument("--yes", action="store_true", help=_("erasure cannot be undone: confirm it"))
    commands.add_parser("erasure-requests", help=_("list the requests for erasure not yet carried out"))
    return parser


def _erasure_requests() -> int:
    from commune.accounts.models import ErasureRequest

    waiting = ErasureRequest.objects.filter(carried_out_at__isnull=True).select_related("person")
    found = False
    for request in waiting.prefetch_related("person__members__organisation"):
        found = True
        numbers = ", ".join(
            _("%(number)s in %(org)s") % {"number": m.number, "org": m.organisation.slug}
            for m in request.person.members.all()
        )
        print(
            f"{request.requested_at:%Y-%m-%d %H:%M} UTC  {request.person.email}  ({numbers or _('no membership')})"
            + (
                "\n  " + _("they say: %(statement)s") % {"statement": request.statement}
                if request.statement
                else ""
            )
        )
    if not found:
        print(_("no request for erasure is waiting"))
    return 0


def _erase(args: argparse.Namespace) -> int:
    from commune.audit.erasure import person_erase, person_find
    from commune.audit.errors import AuditError
    from commune.federation.models import Organisation

    organisation = None
    if args.org:
        organisation = Organisation.objects.filter(slug=args.org).first()
        if organisation is None:
            print("commune audit: " + _("no organisation %(org)s") % {"org": repr(args.org)}, file=sys.stderr)
            return 2
    try:
        person = person_find(who=args.who, organisation=organisation)
    except AuditError as exc:
        print(f"commune audit: {exc}", file=sys.stderr)
        return 2
    report = person_erase(person=person)
    for org in report.organisations:
        erased = (
            _("%(count)s entries redacted, recorded in #%(seq)s")
            % {"count": len(org.redacted), "seq": org.erasure_seq}
            if org.redacted
            else _("no entry to redact")
        )
        print(f"{org.slug}: {erased}")
        if org.kept_plain:
            seqs = ", ".join(f"#{seq}" for seq in org.kept_plain[:20])
            more = " …" if len(org.kept_plain) > 20 else ""
            print(
                "  "
                + _(
                    "%(count)s entries written before erasure was possible still name them and cannot be changed: "
                    "%(seqs)s"
                )
                % {"count": len(org.kept_plain), "seqs": seqs + more}
            )
        if org.kept_in_payload:
            print(
                "  "
                + _("%(count)s entries hold their name in the record of an election (as a candidate)")
                % {"count": org.kept_in_payload}
            )
    print(
        _("account #%(id)s: name, address, password, tokens and two-factor devices erased")
        % {"id": report.person_id}
    )
    return 0


def main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    extends = None
    if getattr(args, "extends", None):
        if not args.org:
            parser.error(_("--extends needs --org: a head belongs to one organisation's log"))
        from commune.audit.verification import ChainHeadSeen

        try:
            extends = ChainHeadSeen.parse(args.extends)
        except ValueError as exc:
            parser.error(str(exc))
    if args.command == "erase-person" and not args.yes:
        parser.error(_("erasure cannot be undone: add --yes to confirm it"))
    django_start()
    if args.command == "erase-person":
        return _erase(args)
    if args.command == "erasure-requests":
        return _erasure_requests()
    if args.command == "key":
        from commune.audit.signing import signing_key

        key = signing_key()
        print(f"key {key.key_id}: public key {key.public_hex}")
        return 0
    from commune.audit.services import checkpoint_record
    from commune.audit.verification import chain_head, chain_verify
    from commune.federation.models import Organisation

    organisations = Organisation.objects.order_by("slug")
    if args.org:
        organisations = organisations.filter(slug=args.org)
        if not organisations.exists():
            print(f"commune audit: no organisation {args.org!r}", file=sys.stderr)
            return 2
    if args.command == "head":
        for org in organisations:
            print(f"{org.slug}: {chain_head(organisation_id=org.pk) or 'nothing recorded yet'}")
        return 0
    failed = 0
    checked = 0
    for org in organisations:
        checked += 1
        report = chain_verify(organisation_id=org.pk, extends=extends, full=args.full)
        checkpoint_record(organisation_id=org.pk, report=report)
        if report.ok:
            reached = f", head {report.head}" if report.head else ""
            since = (
                f" (signatures checked after the checkpoint at #{report.checkpoint})"
                if report.checkpoint is not None
                else ""
            )
            print(f"{org.slug}: {report.entries} entries checked, OK{reached}{since}")
        elif report.problem is not None:
            failed += 1
            print(f"{org.slug}: {report.entries} entries checked, FAILED at {report.problem}")
        else:
            failed += 1
            rows = "row differs" if report.discrepancy_count == 1 else "rows differ"
            print(
                f"{org.slug}: {report.entries} entries checked and intact, but FAILED: "
                f"{report.discrepancy_count} {rows} from the state the log records"
            )
            for discrepancy in report.discrepancies:
                print(f"  {discrepancy}")
            if report.discrepancy_count > len(report.discrepancies):
                print(f"  … and {report.discrepancy_count - len(report.discrepancies)} more")
    if not checked:
        print("no organisations yet; nothing to verify")
    if failed:
        print(
            f"{failed} of {checked} chains failed verification: the log, or the records of who holds power, "
            "were altered outside Commune. Restore from a backup that verifies, and find out who had write "
            "access to the database.",
            file=sys.stderr,
        )
        return 1
    return 0
