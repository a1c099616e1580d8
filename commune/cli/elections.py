"""``commune election``: run elections, and every other timed vote, on time.

    commune election run-due              do every transition that has fallen due, once, and exit
    commune election worker [--interval SECONDS]
                                          keep doing so, every SECONDS (default 10), until stopped

Run one ``worker`` beside ``commune serve`` (more are harmless: each transition claims its election, vote
or petition with a row lock and is idempotent). It opens and closes nominations and voting, publishes and
counts the bulletins, seats the winners when their term starts, and calls the next election as terms end
— whether or not anyone is using the site. It keeps recalls on time: petitions past their window lapse,
recall ballots are counted when they close, and recall by-elections' winners take the seat. And it closes
every other vote when its time is up: votes on motions and amendments, councils' votes on referring a
question down, the assemblies' votes on a referred question and referendums (deciding the referral with
the last of them), and constituencies' votes on mandates. It reminds members of the picket and other
shifts they signed up for, the day before. It gives members far in arrears notice of lapsing, and lapses
those whose notice has run out (``commune dues run-due``). And it verifies every organisation's provenance
log every ``COMMUNE_LOG_VERIFY_MINUTES`` (60 by default), telling the members when it fails. ``run-due``
suits a system timer instead.

Exit status: 0 on success (problems met with single elections or votes are printed and do not stop the
others), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Protocol

from commune.cli.django_setup import django_start
from commune.console import gettext as _


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune election", description=_("Run elections, and every other timed vote, on time.")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run-due", help=_("do every transition that has fallen due, once"))
    worker = commands.add_parser(
        "worker", help=_("keep elections and every other timed vote moving on time until stopped")
    )
    worker.add_argument(
        "--interval", type=float, default=10.0, help=_("seconds between passes (default: 10)")
    )
    return parser


class _Report(Protocol):
    done: list[str]
    problems: list[str]


def _due_transitions() -> list[Callable[[], _Report]]:
    """Every app's scheduled transitions, in the order one pass runs them. Elections come before recalls,
    so a recall by-election declared in this pass is seated in it too."""
    from commune.actions.services import actions_run_due
    from commune.audit.services import chains_verify_due
    from commune.dues.services import dues_run_due
    from commune.elections.services import elections_run_due
    from commune.mandates.services import mandates_run_due
    from commune.membership.services import applications_run_due
    from commune.motions.services import motions_run_due
    from commune.pledges.services import pledges_run_due
    from commune.recall.services import recalls_run_due

    return [
        elections_run_due,
        recalls_run_due,
        motions_run_due,
        applications_run_due,
        mandates_run_due,
        pledges_run_due,
        actions_run_due,
        dues_run_due,
        chains_verify_due,
    ]


def _pass() -> None:
    """One pass: every transition of every app that has fallen due."""
    for run_due in _due_transitions():
        report = run_due()
        for line in report.done:
            print(line, flush=True)
        for line in report.problems:
            print(f"problem: {line}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    django_start(speak=False)
    if args.command == "run-due":
        _pass()
        return 0
    if args.interval <= 0:
        print("commune election: --interval must be positive", file=sys.stderr)
        return 2
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"commune election worker: running due transitions every {args.interval:g}s", flush=True)
    from django.db import close_old_connections

    while not stopping:
        started = time.monotonic()
        close_old_connections()  # a database restart between passes costs one pass, not the worker
        _pass()
        while not stopping and time.monotonic() - started < args.interval:
            time.sleep(min(0.5, args.interval))
    return 0
