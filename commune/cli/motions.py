"""``commune motion``: motions, votes and council sessions, through the REST API as yourself.

    commune motion list [--body CODE] [--status STATUS]
    commune motion show ID
    commune motion move [--body CODE] --title TITLE --text-file FILE [--constitutional] [--industrial-action]
    commune motion support ID
    commune motion amend ID --text-file FILE [--reason TEXT]
    commune motion put ID [--amendment AID] [--session SID] [--minutes N]
    commune motion vote VOTE_ID yes|no|abstain
    commune motion result VOTE_ID
    commune motion close VOTE_ID
    commune motion forward ID
    commune motion refer ID --session SID --to assemblies|referendum [--minutes N] [--referral-days N]
    commune motion referral ID
    commune motion session list --council CODE
    commune motion session open --council CODE [--title TEXT] [--starts-at WHEN]
    commune motion session show ID
    commune motion session attend ID
    commune motion session vote VOTE_ID yes|no|abstain [--reason TEXT]
    commune motion session close ID

``--body`` defaults to your own unit. Connection options and exit status: see ``commune.cli.client``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from commune.cli.client import Api, common_options, counts, fields, print_json, read_text, run, table
from commune.console import gettext as _
from commune.console import gettext_noop

PROG = "commune motion"
CHOICES = ("yes", "no", "abstain")

MOTION_COLUMNS = [
    ("id", gettext_noop("ID")),
    ("status", gettext_noop("STATUS")),
    ("supporters", gettext_noop("SUPPORTERS")),
    ("moved_by", gettext_noop("MOVED BY")),
    ("forwarded_from_body", gettext_noop("FROM")),
    ("title", gettext_noop("TITLE")),
]
VOTE_COLUMNS = [
    ("id", gettext_noop("VOTE")),
    ("purpose", gettext_noop("PURPOSE")),
    ("mode", gettext_noop("MODE")),
    ("outcome", gettext_noop("RESULT")),
]
SEAT_COLUMNS = [
    ("constituency", gettext_noop("CONSTITUENCY")),
    ("delegate", gettext_noop("DELEGATE")),
    ("cast_by", gettext_noop("CAST BY")),
    ("choice", gettext_noop("CHOICE")),
    ("weight", gettext_noop("WEIGHT")),
    ("mandate", gettext_noop("MANDATE")),
    ("departure_reason", gettext_noop("DEPARTURE REASON")),
]


def _body(api: Api, code: str | None) -> str:
    return code or str(api.membership()["unit_code"])


def _votes(votes: list[dict[str, Any]]) -> str:
    return table([{**v, "outcome": counts(v)} for v in votes], VOTE_COLUMNS)


def _seats(seats: list[dict[str, Any]]) -> str:
    rows = [
        {
            **s,
            "mandate": " ".join(p for p in (s["mandate_kind"], s["mandate_instruction"]) if p) or _("none"),
            "cast_by": s["cast_by"] + (" " + _("(alternate)") if s["as_alternate"] else ""),
        }
        for s in seats
    ]
    return table(rows, SEAT_COLUMNS, empty=_("no seat has voted yet"))


def show_motion(motion: dict[str, Any]) -> None:
    print(
        fields(
            [
                (gettext_noop("Motion"), f"#{motion['id']} {motion['title']}"),
                (gettext_noop("Body"), f"{motion['body']['code']} ({motion['body']['name']})"),
                (gettext_noop("Status"), motion["status"]),
                (
                    gettext_noop("Moved by"),
                    motion["moved_by"]
                    or _("forwarded from %(body)s") % {"body": motion["forwarded_from_body"]},
                ),
                (gettext_noop("Moved at"), motion["moved_at"]),
                (gettext_noop("Supporters"), motion["supporters"]),
                (gettext_noop("Constitutional"), motion["constitutional"] or None),
                (gettext_noop("Industrial action"), motion["industrial_action"] or None),
            ]
        )
    )
    print("\n" + motion["text"].rstrip())
    if len(motion.get("provenance", [])) > 1:
        print("\n" + _("Provenance:"))
        for step in motion["provenance"]:
            how = ", " + _("adopted %(result)s") % {"result": step["result"]} if step["result"] else ""
            print(f"  #{step['motion']} {step['body']['code']}: {step['status']}{how}")
    for amendment in motion.get("amendments", []):
        print(
            "\n"
            + _("Amendment #%(id)s by %(by)s (%(status)s):")
            % {"id": amendment["id"], "by": amendment["proposed_by"], "status": amendment["status"]}
        )
        print("  " + amendment["word_diff"].rstrip().replace("\n", "\n  "))
        if amendment["reason"]:
            print("  " + _("Reason: %(reason)s") % {"reason": amendment["reason"]})
    if motion.get("votes"):
        print("\n" + _("Votes:") + "\n" + _votes(motion["votes"]))
    if motion.get("referrals"):
        print("\n" + _("Referrals: %(ids)s") % {"ids": ", ".join(f"#{r}" for r in motion["referrals"])})


def show_vote(vote: dict[str, Any]) -> None:
    print(
        fields(
            [
                (gettext_noop("Vote"), f"#{vote['id']} {vote['question']}"),
                (gettext_noop("Body"), vote["body"]["code"]),
                (gettext_noop("Motion"), f"#{vote['motion']}"),
                (gettext_noop("Purpose"), vote["purpose"]),
                (gettext_noop("Mode"), vote["mode"]),
                (gettext_noop("Session"), vote["session"]),
                (gettext_noop("Electorate"), vote["electorate"]),
                (gettext_noop("Present"), vote["present"]),
                (gettext_noop("Result"), counts(vote)),
                (gettext_noop("Explanation"), vote["explanation"] or None),
            ]
        )
    )
    if vote.get("seats"):
        print("\n" + _seats(vote["seats"]))
    if vote.get("members"):
        print(
            "\n"
            + table(vote["members"], [("member", gettext_noop("MEMBER")), ("choice", gettext_noop("CHOICE"))])
        )


def show_session(session: dict[str, Any]) -> None:
    print(
        fields(
            [
                (gettext_noop("Session"), f"#{session['id']} {session['title']}".rstrip()),
                (gettext_noop("Council"), f"{session['council']['code']} ({session['council']['name']})"),
                (
                    gettext_noop("Called"),
                    _("%(when)s by %(by)s")
                    % {"when": session["opened_at"][:16].replace("T", " "), "by": session["opened_by"]},
                ),
                (gettext_noop("Sits"), str(session.get("starts_at") or "")[:16].replace("T", " ")),
                (gettext_noop("Closed"), session["closed_at"]),
            ]
        )
    )
    roll = [
        {**r, "attended_by": r["attended_by"] + (" (alternate)" if r["as_alternate"] else "")}
        for r in session["roll"]
    ]
    print(
        "\nRoll:\n"
        + table(
            roll,
            [
                ("constituency", gettext_noop("CONSTITUENCY")),
                ("delegate", gettext_noop("DELEGATE")),
                ("attended_by", gettext_noop("PRESENT")),
                ("weight", gettext_noop("WEIGHT")),
            ],
            empty=_("nobody has signed the roll yet"),
        )
    )
    for vote in session["votes"]:
        print(
            "\n"
            + _("Vote #%(id)s: %(question)s (%(outcome)s)")
            % {"id": vote["id"], "question": vote["question"], "outcome": counts(vote)}
        )
        print(_seats(vote["seats"]))


def _output(args: argparse.Namespace, data: Any, render: Any) -> None:
    if args.json:
        print_json(data)
    else:
        render(data)


# --- Handlers --------------------------------------------------------------------------------------------


def _list(api: Api, args: argparse.Namespace) -> None:
    body = _body(api, args.body)
    page = api.get(api.in_org(f"/bodies/{body}/motions"), status=args.status, limit=args.limit)
    if args.json:
        print_json(page)
        return
    print(table(page["items"], MOTION_COLUMNS, empty=_("no motions before %(body)s") % {"body": body}))
    if page["count"] > len(page["items"]):
        print(
            _("(%(shown)s of %(count)s; --limit shows more)")
            % {"shown": len(page["items"]), "count": page["count"]}
        )


def _show(api: Api, args: argparse.Namespace) -> None:
    _output(args, api.get(api.in_org(f"/motions/{args.id}")), show_motion)


def _move(api: Api, args: argparse.Namespace) -> None:
    payload = {
        "title": args.title,
        "text": read_text(args.text_file),
        "constitutional": args.constitutional,
        "industrial_action": args.industrial_action,
    }
    motion = api.post(api.in_org(f"/bodies/{_body(api, args.body)}/motions"), payload)
    _output(args, motion, show_motion)


def _support(api: Api, args: argparse.Namespace) -> None:
    motion = api.post(api.in_org(f"/motions/{args.id}/support"))
    if args.json:
        print_json(motion)
    else:
        print(
            _("You support motion #%(id)s: %(count)s supporter(s), %(status)s")
            % {"id": motion["id"], "count": motion["supporters"], "status": motion["status"]}
        )


def _amend(api: Api, args: argparse.Namespace) -> None:
    payload = {"text": read_text(args.text_file), "reason": args.reason}
    amendment = api.post(api.in_org(f"/motions/{args.id}/amendments"), payload)
    if args.json:
        print_json(amendment)
        return
    print(
        _("Amendment #%(id)s proposed (%(status)s):") % {"id": amendment["id"], "status": amendment["status"]}
    )
    print("  " + amendment["word_diff"].rstrip().replace("\n", "\n  "))


def _put(api: Api, args: argparse.Namespace) -> None:
    payload = {"minutes": args.minutes, "session": args.session}
    path = f"/motions/{args.id}/votes"
    if args.amendment is not None:
        path = f"/motions/{args.id}/amendments/{args.amendment}/votes"
    _output(args, api.post(api.in_org(path), payload), show_vote)


def _cast(api: Api, args: argparse.Namespace) -> None:
    payload = {"choice": args.choice, "reason": getattr(args, "reason", "") or ""}
    cast = api.post(api.in_org(f"/votes/{args.vote_id}/ballots"), payload)
    if args.json:
        print_json(cast)
        return
    if cast["secret"]:
        said = _("Vote #%(vote)s: you voted %(choice)s secretly: the record shows that you voted, never how")
    else:
        said = _("Vote #%(vote)s: you voted %(choice)s on the record")
    if cast["departed"]:
        said += " " + _("(a departure from your mandate, published to your constituents)")
    print(said % {"vote": cast["vote"], "choice": cast["choice"]})


def _result(api: Api, args: argparse.Namespace) -> None:
    _output(args, api.get(api.in_org(f"/votes/{args.vote_id}")), show_vote)


def _close(api: Api, args: argparse.Namespace) -> None:
    _output(args, api.post(api.in_org(f"/votes/{args.vote_id}/close")), show_vote)


def _forward(api: Api, args: argparse.Namespace) -> None:
    motion = api.post(api.in_org(f"/motions/{args.id}/forward"))
    if args.json:
        print_json(motion)
    else:
        print(
            _("Forwarded: motion #%(id)s is now before %(body)s (%(status)s)")
            % {"id": motion["id"], "body": motion["body"]["code"], "status": motion["status"]}
        )


def _refer(api: Api, args: argparse.Namespace) -> None:
    payload = {
        "session": args.session,
        "to": args.to,
        "minutes": args.minutes,
        "referral_days": args.referral_days,
    }
    _output(args, api.post(api.in_org(f"/motions/{args.id}/refer"), payload), show_vote)


def _referral(api: Api, args: argparse.Namespace) -> None:
    referral = api.get(api.in_org(f"/referrals/{args.id}"))
    if args.json:
        print_json(referral)
        return
    outcome = (
        _("open")
        if referral["closed_at"] is None
        else (_("carried") if referral["carried"] else _("not carried"))
    )
    print(
        fields(
            [
                (
                    gettext_noop("Referral"),
                    _("#%(id)s of motion #%(motion)s to %(kind)s")
                    % {"id": referral["id"], "motion": referral["motion"], "kind": referral["kind"]},
                ),
                (gettext_noop("Council"), referral["council"]["code"]),
                (gettext_noop("Closes"), referral["closes_at"]),
                (gettext_noop("Outcome"), outcome),
            ]
        )
    )
    rows = [{**v, "body_code": v["body"]["code"], "outcome": counts(v)} for v in referral["votes"]]
    print(
        "\n"
        + table(
            rows,
            [
                ("id", gettext_noop("VOTE")),
                ("body_code", gettext_noop("BODY")),
                ("outcome", gettext_noop("RESULT")),
            ],
        )
    )


def _session_list(api: Api, args: argparse.Namespace) -> None:
    page = api.get(api.in_org(f"/bodies/{args.council}/sessions"), limit=args.limit)
    if args.json:
        print_json(page)
        return
    columns = [
        ("id", gettext_noop("ID")),
        ("title", gettext_noop("TITLE")),
        ("opened_at", gettext_noop("OPENED")),
        ("closed_at", gettext_noop("CLOSED")),
    ]
    print(
        table(page["items"], columns, empty=_("%(council)s has held no sessions") % {"council": args.council})
    )


def _session_open(api: Api, args: argparse.Namespace) -> None:
    payload = {"title": args.title, **({"starts_at": args.starts_at} if args.starts_at else {})}
    session = api.post(api.in_org(f"/bodies/{args.council}/sessions"), payload)
    _output(args, session, show_session)


def _session_show(api: Api, args: argparse.Namespace) -> None:
    _output(args, api.get(api.in_org(f"/sessions/{args.id}")), show_session)


def _session_attend(api: Api, args: argparse.Namespace) -> None:
    _output(args, api.post(api.in_org(f"/sessions/{args.id}/roll")), show_session)


def _session_close(api: Api, args: argparse.Namespace) -> None:
    _output(args, api.post(api.in_org(f"/sessions/{args.id}/close")), show_session)


# --- Parser ----------------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_(
            "Move, support, amend, forward and vote on motions, and take part in council sessions, "
            "as yourself through the REST API."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Any, help_text: str, parent: Any = commands) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(name, parents=[common], help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    p = command("list", _list, _("the motions before a body"))
    p.add_argument("--body", metavar="CODE", help=_("the body's code (default: your unit)"))
    p.add_argument("--status", help=_("only motions with this status (e.g. on_agenda, adopted)"))
    p.add_argument("--limit", type=int, default=50, help=_("at most this many (default 50, at most 500)"))

    p = command("show", _show, _("a motion: text, provenance, amendments with diffs, votes"))
    p.add_argument("id", type=int, metavar="ID")

    p = command("move", _move, _("move a motion in a body you sit in"))
    p.add_argument("--body", metavar="CODE", help=_("the body's code (default: your unit)"))
    p.add_argument("--title", required=True)
    p.add_argument("--text-file", required=True, metavar="FILE", help=_("the motion's text ('-' for stdin)"))
    p.add_argument("--constitutional", action="store_true", help=_("it needs the constitutional majority"))
    p.add_argument("--industrial-action", action="store_true", help=_("a referendum on it meets the preset"))

    p = command("support", _support, _("support a motion so it reaches the agenda"))
    p.add_argument("id", type=int, metavar="ID")

    p = command("amend", _amend, _("propose an amendment: the whole text as amended"))
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--text-file", required=True, metavar="FILE", help=_("the amended text ('-' for stdin)"))
    p.add_argument("--reason", default="", help=_("why"))

    p = command("put", _put, _("put a motion (or one of its amendments) to its body's vote"))
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--amendment", type=int, metavar="AID", help=_("put this amendment instead"))
    p.add_argument("--session", type=int, metavar="SID", help=_("a council's session, where it votes"))
    p.add_argument(
        "--minutes", type=int, default=60 * 24, help=_("how long voting stays open (default a day)")
    )

    p = command("vote", _cast, _("vote in an assembly or referendum vote"))
    p.add_argument("vote_id", type=int, metavar="VOTE_ID")
    p.add_argument("choice", choices=CHOICES)

    p = command("result", _result, _("a vote: its count and, for open and council votes, every choice"))
    p.add_argument("vote_id", type=int, metavar="VOTE_ID")

    p = command("close", _close, _("count a vote whose time is up or in which everyone has voted"))
    p.add_argument("vote_id", type=int, metavar="VOTE_ID")

    p = command("forward", _forward, _("forward an adopted motion to the council above"))
    p.add_argument("id", type=int, metavar="ID")

    p = command("refer", _refer, _("ask a council, in session, to refer a motion down"))
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--session", type=int, required=True, metavar="SID", help=_("the session that decides"))
    p.add_argument("--to", required=True, choices=("assemblies", "referendum"))
    p.add_argument("--minutes", type=int, default=60, help=_("how long the council votes (default 60)"))
    p.add_argument("--referral-days", type=int, default=14, help=_("how long the members have (default 14)"))

    p = command("referral", _referral, _("a referral: each body's vote and the aggregate"))
    p.add_argument("id", type=int, metavar="ID")

    session = commands.add_parser("session", help=_("council sessions: roll and recorded votes"))
    sessions = session.add_subparsers(dest="session_command", metavar="COMMAND")
    p = command("list", _session_list, _("a council's sessions"), sessions)
    p.add_argument("--council", required=True, metavar="CODE")
    p.add_argument("--limit", type=int, default=50)
    p = command("open", _session_open, _("call a session of a council you sit on, with notice"), sessions)
    p.add_argument("--council", required=True, metavar="CODE")
    p.add_argument("--title", default="")
    p.add_argument(
        "--starts-at",
        default="",
        metavar="WHEN",
        help=_("when it sits, e.g. 2030-05-01T18:00:00+01:00 (default: as soon as the notice allows)"),
    )
    p = command("show", _session_show, _("a session: its roll and every seat's vote"), sessions)
    p.add_argument("id", type=int, metavar="ID")
    p = command("attend", _session_attend, _("sign the roll for your seat (or as an alternate)"), sessions)
    p.add_argument("id", type=int, metavar="ID")
    p = command(
        "vote", _cast, _("vote for your seat; a departure from your mandate needs --reason"), sessions
    )
    p.add_argument("vote_id", type=int, metavar="VOTE_ID")
    p.add_argument("choice", choices=CHOICES)
    p.add_argument("--reason", default="", help=_("why you depart from an instructed mandate"))
    p = command("close", _session_close, _("close a session"), sessions)
    p.add_argument("id", type=int, metavar="ID")
    return parser


def main(argv: Sequence[str]) -> int:
    return run(PROG, _parser(), argv)
