"""``commune serve``: serve the web UI and the REST API with uvicorn.

    commune serve [--host 127.0.0.1] [--port 8000] [--workers N] [--migrate] [--no-scheduler]

The database comes from ``DATABASE_URL`` (PostgreSQL in production) or the SQLite file in
``COMMUNE_DATA_DIR``. Put a TLS-terminating proxy in front for anything but local use.

Beside the web workers it runs the scheduler (``commune election worker``) in its own process, so that
nominations and ballots open and close on time, counts are published and recalls lapse or are counted
even when nobody is using the site. ``--no-scheduler`` leaves that to a worker run elsewhere (several
are harmless: each transition claims its row).

Commune's views are synchronous, so the workers speak WSGI: under ASGI every request would run on a
thread of its own and open its own database connection, which exhausts PostgreSQL under load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from commune.cli.django_setup import django_start


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commune serve", description="Serve the web UI and the REST API.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="worker processes (default: 1; try 2 per core)"
    )
    parser.add_argument("--migrate", action="store_true", help="apply database migrations before serving")
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run the election scheduler here (run `commune election worker` elsewhere)",
    )
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.workers < 1:
        _parser().error("--workers must be at least 1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.migrate:
        django_start()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=1)
    uvicorn_run(host=args.host, port=args.port, workers=args.workers, scheduler=not args.no_scheduler)
    return 0


def scheduler_start() -> subprocess.Popen[bytes]:
    """Run ``commune election worker`` as a child process with this process's environment."""
    return subprocess.Popen([sys.executable, "-m", "commune", "election", "worker"], env=os.environ.copy())


def uvicorn_run(*, host: str, port: int, workers: int = 1, scheduler: bool = True) -> None:
    """Serve ``config.wsgi`` (workers import it themselves, so it is passed by name), with the scheduler
    beside it unless told otherwise; the scheduler stops when serving stops."""
    import uvicorn

    child = scheduler_start() if scheduler else None
    try:
        uvicorn.run(
            "config.wsgi:application",
            interface="wsgi",
            host=host,
            port=port,
            workers=workers,
            lifespan="off",
            proxy_headers=True,
            log_level=os.environ.get("COMMUNE_LOG_LEVEL", "info").lower(),
        )
    finally:
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
