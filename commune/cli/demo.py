"""``commune demo``: a local demo federation, seeded and served in one command.

    commune demo [--host 127.0.0.1] [--port 8000] [--data-dir ./data] [--reset]

The demo always keeps its own SQLite database in the data folder (``DATABASE_URL`` is ignored, so a demo
can never touch a production database). The first run migrates and seeds the Transport Workers'
Federation; later runs serve what is there; ``--reset`` throws the demo database away and seeds afresh.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from commune.cli.django_setup import django_start
from commune.cli.serve import uvicorn_run
from commune.console import gettext as _

DATABASE_FILE = "commune.sqlite3"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune demo",
        description=_("Seed a demo federation into a local SQLite database and serve it."),
    )
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default: 127.0.0.1)"))
    parser.add_argument("--port", type=int, default=8000, help=_("port to listen on (default: 8000)"))
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("data"),
        help=_("folder for the demo database (default: ./data)"),
    )
    parser.add_argument("--reset", action="store_true", help=_("delete the demo database and seed it again"))
    return parser


def _say(text: str = "") -> None:
    print(text, flush=True)


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    data_dir = args.data_dir.resolve()
    os.environ["COMMUNE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    hosts = "*" if args.host in {"0.0.0.0", "::"} else f"localhost,127.0.0.1,{args.host}"
    os.environ.setdefault("COMMUNE_ALLOWED_HOSTS", hosts)
    database = data_dir / DATABASE_FILE
    if args.reset:
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)

    django_start(speak=False)
    from django.core.management import call_command

    from commune.federation.demo import (
        DEMO_NAME,
        demo_is_seeded,
        demo_plan,
        demo_scrutineer_sign_in,
        demo_seed,
        demo_sign_ins,
    )

    _say(f"Demo database: {database}")
    call_command("migrate", interactive=False, verbosity=0)
    if demo_is_seeded():
        _say(f"The {DEMO_NAME} is already seeded (use --reset to start again).")
    else:
        plan = demo_plan()
        _say(f"Seeding the {DEMO_NAME}: {plan.member_count:,} members in {len(plan.depots)} depots ...")
        started = time.monotonic()
        demo_seed(plan=plan)
        _say(f"Seeded in {time.monotonic() - started:.1f} s.")
    _say()
    _say("Sign in as:")
    for sign_in in demo_sign_ins():
        _say(f"  {sign_in.role:<38} {sign_in.email:<32} password: {sign_in.password}   ({sign_in.name})")
    scrutineer = demo_scrutineer_sign_in()
    _say(f"  {scrutineer.role:<38} {scrutineer.email:<32} password: {scrutineer.password}")
    from commune.federation.demo import DEMO_SLUG
    from commune.motions.demo import demo_scrutiny_path

    _say(
        f"    (not a member: reads the strike ballot's report at {demo_scrutiny_path(organisation_slug=DEMO_SLUG)})"
    )
    from commune.meetings.demo import demo_meeting_path

    meeting = demo_meeting_path()
    if meeting:
        base = f"http://{args.host}:{args.port}"
        _say()
        _say(f"Congress is in session: {base}{meeting}  (projector: {base}{meeting}projector/)")
        _say("  the Congress delegate above has a vote to cast there, from a phone or a laptop.")
    _say()
    _say(f"Serving at http://{args.host}:{args.port}/  (Ctrl-C to stop)")
    uvicorn_run(host=args.host, port=args.port)
    return 0
