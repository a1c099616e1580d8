"""``commune mandate``: mandates on agenda items and delegates' compliance records, through the REST API.

    commune mandate list --motion ID
    commune mandate show ID
    commune mandate propose --motion ID --kind binding|instructed|free [--instruction yes|no|abstain]
                            [--constituency CODE] [--note TEXT] [--minutes N] [--session SID]
    commune mandate decide ID
    commune mandate compliance NUMBER

A mandate is proposed to the constituency's own vote (``commune motion vote``) and exists only if that
vote carries it; ``decide`` counts that vote once its time is up or everyone has voted. ``--constituency``
defaults to your own unit. Connection options and exit status: see ``commune.cli.client``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from commune.cli.client import Api, common_options, fields, print_json, run, table
from commune.console import gettext as _
from commune.console import gettext_noop

PROG = "commune mandate"

MANDATE_COLUMNS = [
    ("id", gettext_noop("ID")),
    ("constituency", gettext_noop("CONSTITUENCY")),
    ("council", gettext_noop("COUNCIL")),
    ("kind", gettext_noop("KIND")),
    ("instruction", gettext_noop("INSTRUCTION")),
    ("status", gettext_noop("STATUS")),
    ("vote", gettext_noop("VOTE")),
    ("proposed_by", gettext_noop("PROPOSED BY")),
]
COMPLIANCE_COLUMNS = [
    ("cast_at", gettext_noop("CAST")),
    ("vote", gettext_noop("VOTE")),
    ("council", gettext_noop("COUNCIL")),
    ("motion_title", gettext_noop("MOTION")),
    ("mandate", gettext_noop("MANDATE")),
    ("choice", gettext_noop("CHOICE")),
    ("compliance", gettext_noop("COMPLIANCE")),
    ("departure_reason", gettext_noop("REASON")),
]


def show_mandate(mandate: dict[str, Any]) -> None:
    print(
        fields(
            [
                (
                    gettext_noop("Mandate"),
                    f"#{mandate['id']} {mandate['kind']} {mandate['instruction']}".rstrip(),
                ),
                (gettext_noop("Motion"), f"#{mandate['motion']} {mandate['motion_title']}"),
                (
                    gettext_noop("Constituency"),
                    _("%(constituency)s (delegates to %(council)s)") % mandate,
                ),
                (gettext_noop("Status"), mandate["status"]),
                (gettext_noop("Decided by"), _("vote #%(vote)s") % mandate),
                (
                    gettext_noop("Proposed"),
                    _("%(when)s by %(by)s")
                    % {"when": mandate["proposed_at"][:16].replace("T", " "), "by": mandate["proposed_by"]},
                ),
                (gettext_noop("Decided at"), mandate["decided_at"]),
                (gettext_noop("Note"), mandate["note"] or None),
            ]
        )
    )


def show_compliance(record: dict[str, Any]) -> None:
    print(_("%(name)s (%(member)s): %(votes)s vote(s), %(departures)s departure(s)") % record)
    rows = [
        {
            **row,
            "mandate": " ".join(p for p in (row["mandate_kind"], row["mandate_instruction"]) if p)
            or _("none"),
            "motion_title": f"#{row['motion']} {row['motion_title']}",
        }
        for row in record["record"]
    ]
    print(table(rows, COMPLIANCE_COLUMNS, empty=_("no votes cast for their seats yet")))


def _list(api: Api, args: argparse.Namespace) -> None:
    mandates = api.get(api.in_org(f"/motions/{args.motion}/mandates"))
    if args.json:
        print_json(mandates)
    else:
        print(
            table(mandates, MANDATE_COLUMNS, empty=_("no mandates on motion #%(id)s") % {"id": args.motion})
        )


def _show(api: Api, args: argparse.Namespace) -> None:
    mandate = api.get(api.in_org(f"/mandates/{args.id}"))
    print_json(mandate) if args.json else show_mandate(mandate)


def _propose(api: Api, args: argparse.Namespace) -> None:
    payload = {
        "constituency": args.constituency or api.membership()["unit_code"],
        "kind": args.kind,
        "instruction": args.instruction or "",
        "note": args.note,
        "minutes": args.minutes,
        "session": args.session,
    }
    mandate = api.post(api.in_org(f"/motions/{args.motion}/mandates"), payload)
    if args.json:
        print_json(mandate)
        return
    show_mandate(mandate)
    print(
        "\n"
        + _("Your constituency now votes on it: %(command)s")
        % {"command": f"commune motion vote {mandate['vote']} yes|no|abstain"}
    )


def _decide(api: Api, args: argparse.Namespace) -> None:
    mandate = api.post(api.in_org(f"/mandates/{args.id}/decide"))
    print_json(mandate) if args.json else show_mandate(mandate)


def _compliance(api: Api, args: argparse.Namespace) -> None:
    record = api.get(api.in_org(f"/delegates/{args.number}/compliance"))
    print_json(record) if args.json else show_compliance(record)


def _parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_(
            "Mandates your constituency gives its delegates, and every delegate's compliance record."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    p = command("list", _list, _("the mandates given (or being voted on) for an agenda item"))
    p.add_argument("--motion", type=int, required=True, metavar="ID")
    p = command("show", _show, _("one mandate"))
    p.add_argument("id", type=int, metavar="ID")
    p = command("propose", _propose, _("propose a mandate to your constituency's vote"))
    p.add_argument(
        "--motion", type=int, required=True, metavar="ID", help=_("the item on the council's agenda")
    )
    p.add_argument("--kind", required=True, choices=("binding", "instructed", "free"))
    p.add_argument("--instruction", choices=("yes", "no", "abstain"), help=_("how the delegates are to vote"))
    p.add_argument(
        "--constituency", metavar="CODE", help=_("whose delegates it instructs (default: your unit)")
    )
    p.add_argument("--note", default="", help=_("a note for the delegates"))
    p.add_argument(
        "--minutes", type=int, default=60 * 24, help=_("how long the constituency votes (default a day)")
    )
    p.add_argument("--session", type=int, metavar="SID", help=_("for a council constituency: its session"))
    p = command("decide", _decide, _("count the constituency's vote on a mandate"))
    p.add_argument("id", type=int, metavar="ID")
    p = command("compliance", _compliance, _("a delegate's votes beside their mandates"))
    p.add_argument("number", metavar="NUMBER", help=_("the delegate's membership number"))
    return parser


def main(argv: Sequence[str]) -> int:
    return run(PROG, _parser(), argv)
