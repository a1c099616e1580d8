"""``commune notifications``: your notifications, through the REST API as yourself.

    commune notifications [--unread] [--mark-read] [--limit N]

Newest first. ``--mark-read`` marks the notifications shown as read after printing them. Connection
options and exit status: see ``commune.cli.client``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from commune.cli.client import Api, common_options, print_json, run, table
from commune.console import gettext as _
from commune.console import gettext_noop, ngettext

PROG = "commune notifications"


def _notifications(api: Api, args: argparse.Namespace) -> None:
    page = api.get("/notifications", unread=args.unread or None, limit=args.limit)
    items = page["items"]
    if args.json:
        print_json(page)
    else:
        rows = [{**n, "new": "*" if n["read_at"] is None else ""} for n in items]
        columns = [
            ("new", ""),
            ("created_at", gettext_noop("WHEN")),
            ("kind", gettext_noop("KIND")),
            ("subject", gettext_noop("SUBJECT")),
        ]
        print(table(rows, columns, empty=_("no unread notifications") if args.unread else "no notifications"))
        if page["count"] > len(items):
            print(
                _("(%(shown)s of %(count)s; --limit shows more)")
                % {"shown": len(items), "count": page["count"]}
            )
    if args.mark_read:
        unread = [n for n in items if n["read_at"] is None]
        if page["count"] <= len(items):
            marked = int(api.post("/notifications/read")["marked"]) if unread else 0
        else:  # mark only what was shown, not what the reader has not seen yet
            for n in unread:
                api.post(f"/notifications/{n['id']}/read")
            marked = len(unread)
        if not args.json:
            print(ngettext("%(count)s marked read", "%(count)s marked read", marked) % {"count": marked})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[common_options()], description=_("Your notifications, newest first.")
    )
    parser.add_argument("--unread", action="store_true", help=_("only those not yet read"))
    parser.add_argument("--mark-read", action="store_true", help=_("mark those shown as read"))
    parser.add_argument(
        "--limit", type=int, default=50, help=_("at most this many (default 50, at most 500)")
    )
    parser.set_defaults(handler=_notifications)
    return parser


def main(argv: Sequence[str]) -> int:
    return run(PROG, _parser(), argv)
