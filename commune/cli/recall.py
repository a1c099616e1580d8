"""``commune recall``: recall petitions and ballots, through the REST API as yourself.

    commune recall list [--mine | --against NUMBER]
    commune recall show ID
    commune recall open --holder NUMBER (--council CODE | --body CODE --office TITLE) [--grounds TEXT]
    commune recall sign ID
    commune recall withdraw ID
    commune recall ballot ID yes|no|abstain
    commune recall count ID
    commune recall result ID

Only members of the electorate that elected the holder may open, sign and vote; the server decides, as
in the web app. There is no command to pause, void or delay a recall because the API has no such
operation: only the electorate's signatures and votes decide one. Signers' names are never shown.
``withdraw`` takes back your own signature. Connection options and exit status: see
``commune.cli.client``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from commune.cli.client import Api, UsageError, cell, common_options, counts, fields, print_json, run, table
from commune.console import gettext as _
from commune.console import gettext_noop

PROG = "commune recall"

SUMMARY_COLUMNS = [
    ("id", gettext_noop("ID")),
    ("holder_name", gettext_noop("HOLDER")),
    ("seat_label", gettext_noop("SEAT")),
    ("status", gettext_noop("STATUS")),
    ("signed", gettext_noop("SIGNATURES")),
    ("deadline", gettext_noop("DEADLINE")),
]


def _seat(seat: dict[str, Any]) -> str:
    if seat["kind"] == "delegate":
        return _("delegate of %(constituency)s to %(council)s") % seat
    return _("%(office)s of %(body)s") % seat


def _signed(petition: dict[str, Any]) -> str:
    return _("%(signatures)s of %(signatures_required)s") % petition


def show_petition(p: dict[str, Any]) -> None:
    print(
        fields(
            [
                (gettext_noop("Recall"), _("#%(id)s of %(holder_name)s (%(holder)s)") % p),
                (gettext_noop("Seat"), _seat(p["seat"])),
                (gettext_noop("Status"), p["status_label"]),
                (
                    gettext_noop("Signatures"),
                    _("%(signed)s needed (%(percent)s%% of %(electorate)s)")
                    % {
                        "signed": _signed(p),
                        "percent": p["threshold_percent"],
                        "electorate": p["electorate"],
                    },
                ),
                (gettext_noop("Deadline"), p["deadline"]),
                (gettext_noop("Procedure"), p["procedure"]),
                (gettext_noop("Replacement"), p["replacement_rule"]),
                (gettext_noop("Threshold reached"), p["threshold_reached_at"]),
                (gettext_noop("Decided"), p["decided_at"]),
                (gettext_noop("You may take part"), p["you_may_take_part"]),
                (gettext_noop("You signed"), p["you_signed"]),
                (gettext_noop("Grounds"), p["grounds"] or None),
            ]
        )
    )
    ballot = p.get("ballot")
    if ballot:
        outcome = {**ballot, "closed_at": "closed" if ballot["closed"] else None}
        said = _("Recall ballot (%(majority)s majority, electorate %(electorate)s): %(outcome)s") % {
            "majority": ballot["majority"],
            "electorate": ballot["electorate"],
            "outcome": counts(outcome),
        }
        print("\n" + said + ("; " + _("you voted") if ballot["you_voted"] else ""))
        if ballot["explanation"]:
            print(ballot["explanation"])
    replacement = p.get("replacement")
    if replacement:
        who = f"{replacement['name']} ({replacement['member']})" if replacement["member"] else _("nobody yet")
        print(
            "\n"
            + _("Replacement by %(method)s: %(who)s")
            % {"method": replacement["method"] or _("none"), "who": who}
        )
        if replacement["note"]:
            print(replacement["note"])
        stages = (replacement.get("countback") or {}).get("stages") or []
        if stages:
            print(
                _("The countback's recount took %(count)s stage(s); --json shows each.")
                % {"count": len(stages)}
            )


def _list(api: Api, args: argparse.Namespace) -> None:
    if args.mine:
        path = "/recalls/mine"
    elif args.against:
        path = f"/delegates/{args.against}/recalls"
    else:
        path = "/recalls"
    petitions = api.get(api.in_org(path))
    if args.json:
        print_json(petitions)
        return
    rows = [{**p, "seat_label": _seat(p["seat"]), "signed": _signed(p)} for p in petitions]
    print(table(rows, SUMMARY_COLUMNS, empty=_("no recall petitions")))


def _show(api: Api, args: argparse.Namespace) -> None:
    petition = api.get(api.in_org(f"/recalls/{args.id}"))
    print_json(petition) if args.json else show_petition(petition)


def _open(api: Api, args: argparse.Namespace) -> None:
    if args.council and (args.body or args.office):
        raise UsageError(_("a seat is either a delegate's (--council) or an office's (--body and --office)"))
    if not args.council and not (args.body and args.office):
        raise UsageError(_("name the seat: --council CODE for a delegate, or --body CODE --office TITLE"))
    payload = {
        "holder": args.holder,
        "council": args.council,
        "body": args.body,
        "office": args.office,
        "grounds": args.grounds,
    }
    petition = api.post(api.in_org("/recalls"), payload)
    if args.json:
        print_json(petition)
        return
    print(
        _("Recall petition #%(id)s opened with your signature: %(signed)s")
        % {"id": petition["id"], "signed": _signed(petition)}
    )
    print(_("It needs the rest by %(deadline)s.") % {"deadline": cell(petition["deadline"])})


def _sign(api: Api, args: argparse.Namespace) -> None:
    petition = api.post(api.in_org(f"/recalls/{args.id}/signature"))
    if args.json:
        print_json(petition)
        return
    print(
        _("Signed recall #%(id)s: %(signed)s signatures; %(status)s")
        % {"id": petition["id"], "signed": _signed(petition), "status": petition["status_label"]}
    )


def _withdraw(api: Api, args: argparse.Namespace) -> None:
    petition = api.delete(api.in_org(f"/recalls/{args.id}/signature"))
    if args.json:
        print_json(petition)
        return
    print(
        _("Your signature is withdrawn from recall #%(id)s: %(signed)s signatures")
        % {"id": petition["id"], "signed": _signed(petition)}
    )


def _ballot(api: Api, args: argparse.Namespace) -> None:
    api.request("POST", api.in_org(f"/recalls/{args.id}/ballot"), {"choice": args.choice})
    if args.json:
        print_json({"recall": args.id, "voted": True})
    else:
        print(
            _("Your vote in recall #%(id)s's ballot is cast: the register shows that you voted, never how")
            % {"id": args.id}
        )


def _count(api: Api, args: argparse.Namespace) -> None:
    petition = api.post(api.in_org(f"/recalls/{args.id}/ballot/count"))
    print_json(petition) if args.json else show_petition(petition)


def _result(api: Api, args: argparse.Namespace) -> None:
    petition = api.get(api.in_org(f"/recalls/{args.id}/result"))
    print_json(petition) if args.json else show_petition(petition)


def _parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog=PROG, description=_("Open, sign and vote on recall petitions, as yourself through the REST API.")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    p = command("list", _list, _("recall petitions, newest first (counts, never signers' names)"))
    which = p.add_mutually_exclusive_group()
    which.add_argument("--mine", action="store_true", help=_("only those you may sign"))
    which.add_argument("--against", metavar="NUMBER", help=_("only those against this member"))
    p = command("show", _show, _("a petition: count, threshold, deadline, ballot and replacement"))
    p.add_argument("id", type=int, metavar="ID")
    p = command("open", _open, _("open a petition against a holder your electorate elected (you sign first)"))
    p.add_argument("--holder", required=True, metavar="NUMBER", help=_("the holder's membership number"))
    p.add_argument("--council", metavar="CODE", help=_("a delegate's seat: the council they sit on"))
    p.add_argument("--body", metavar="CODE", help=_("an office's seat: the body whose office it is"))
    p.add_argument("--office", metavar="TITLE", help=_("an office's seat: its title"))
    p.add_argument("--grounds", default="", help=_("why, in the petitioners' words"))
    p = command("sign", _sign, _("sign a petition"))
    p.add_argument("id", type=int, metavar="ID")
    p = command("withdraw", _withdraw, _("take back your own signature while it is gathering"))
    p.add_argument("id", type=int, metavar="ID")
    p = command("ballot", _ballot, _("vote in the secret recall ballot (yes: recall them)"))
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("choice", choices=("yes", "no", "abstain"))
    p = command("count", _count, _("count the recall ballot once its time is up or all have voted"))
    p.add_argument("id", type=int, metavar="ID")
    p = command("result", _result, _("the outcome of a decided recall and who fills the seat"))
    p.add_argument("id", type=int, metavar="ID")
    return parser


def main(argv: Sequence[str]) -> int:
    return run(PROG, _parser(), argv)
