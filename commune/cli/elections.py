"""``commune election``: run elections on time.

    commune election run-due              do every transition that has fallen due, once, and exit
    commune election worker [--interval SECONDS]
                                          keep doing so, every SECONDS (default 10), until stopped

Run one ``worker`` beside ``commune serve`` (more are harmless: each transition claims its election with a
row lock and is idempotent). It opens and closes nominations and voting, publishes and counts the
bulletins, seats the winners when their term starts, and calls the next election as terms end — whether
or not anyone is using the site. It also keeps recalls on time: petitions past their window lapse, recall
ballots are counted when they close, and recall by-elections' winners take the seat. ``run-due`` suits a
system timer instead.

Exit status: 0 on success (problems met with single elections are printed and do not stop the others),
2 for a usage error.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType

from commune.cli.django_setup import django_start


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commune election", description="Run elections on time.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run-due", help="do every transition that has fallen due, once")
    worker = commands.add_parser("worker", help="keep elections moving on time until stopped")
    worker.add_argument("--interval", type=float, default=10.0, help="seconds between passes (default: 10)")
    return parser


def _pass() -> None:
    from commune.elections.services import elections_run_due
    from commune.mandates.services import recalls_run_due

    report = elections_run_due()
    for line in report.done:
        print(line, flush=True)
    for line in report.problems:
        print(f"problem: {line}", file=sys.stderr, flush=True)
    # Recalls after elections: a recall's by-election declared in this pass is then seated.
    for line in recalls_run_due().done:
        print(line, flush=True)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    django_start()
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
