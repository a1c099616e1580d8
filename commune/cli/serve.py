"""``commune serve``: serve the web UI and the REST API with uvicorn.

    commune serve [--host 127.0.0.1] [--port 8000] [--workers N] [--migrate] [--no-scheduler]

The database comes from ``DATABASE_URL`` (PostgreSQL in production) or the SQLite file in
``COMMUNE_DATA_DIR``. Put a TLS-terminating proxy in front for anything but local use.

Beside the web workers it runs the scheduler (``commune election worker``) in its own process, so that
nominations and ballots open and close on time, counts are published and recalls lapse or are counted
even when nobody is using the site. ``--no-scheduler`` leaves that to a worker run elsewhere (several
are harmless: each transition claims its row). SIGTERM or Ctrl-C stops the web workers and the scheduler
(after the pass it is in) before the command exits with status 0.

Each worker serves ``config.asgi``: live pages' event streams (``/live/...``) natively, one coroutine each,
and every other request through the Django WSGI application on a bounded pool of threads
(``COMMUNE_THREADS``, default 10). Commune's views are synchronous; run under Django's own ASGI handler,
every request would take a thread of its own and open its own database connection, which exhausts
PostgreSQL under load. With ``COMMUNE_REDIS_URL`` set, an event published by any worker (or the scheduler)
reaches the followers on every worker; without it each worker pushes only its own, so run one worker.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
from types import FrameType

from commune.cli.django_setup import django_start
from commune.console import gettext as _


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune serve", description=_("Serve the web UI and the REST API.")
    )
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default: 127.0.0.1)"))
    parser.add_argument("--port", type=int, default=8000, help=_("port to listen on (default: 8000)"))
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help=_("worker processes (default: 1; one per core)")
    )
    parser.add_argument("--migrate", action="store_true", help=_("apply database migrations before serving"))
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help=_("do not run the election scheduler here (run `commune election worker` elsewhere)"),
    )
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.workers < 1:
        _parser().error("--workers must be at least 1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.migrate:
        django_start(speak=False)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=1)
    uvicorn_run(host=args.host, port=args.port, workers=args.workers, scheduler=not args.no_scheduler)
    return 0


#: Linux's prctl() option that has the kernel signal a child when its parent dies.
PR_SET_PDEATHSIG = 1

#: How long open requests (live streams above all) have to finish when the server is told to stop.
GRACEFUL_SHUTDOWN_SECONDS = 3

#: How long the scheduler may take to finish the pass it is in before it is killed.
SCHEDULER_STOP_TIMEOUT = 15


def _die_with_parent() -> None:
    """Run in the scheduler's process before it starts: should ``commune serve`` itself be killed outright
    (SIGKILL, a crash), the kernel stops the scheduler too instead of leaving it orphaned."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def scheduler_start() -> subprocess.Popen[bytes]:
    """Run ``commune election worker`` as a child process with this process's environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "commune", "election", "worker"],
        env=os.environ.copy(),
        preexec_fn=_die_with_parent,  # called before any thread starts in this process
    )


def scheduler_stop(child: subprocess.Popen[bytes]) -> None:
    """Ask the scheduler to stop after its current pass, and wait for it (killing it if it hangs)."""
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=SCHEDULER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _resource_tracker_stop() -> None:
    """Several workers are started through ``multiprocessing``, which starts a resource tracker beside them;
    left alone it only notices this process has gone after it has, so it is stopped here, as the workers
    were."""
    from multiprocessing import resource_tracker

    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        stop()


class StopRequested(Exception):
    """SIGTERM or SIGINT arrived: serving ends, and what was started beside it is stopped."""


def _stop_requested(signum: int, frame: FrameType | None) -> None:
    raise StopRequested(signal.Signals(signum).name)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def loop_and_parser() -> tuple[str, str]:
    """uvicorn's event loop and HTTP parser, named rather than left to uvicorn's guess: uvloop and
    httptools (C: less of each core per request and per event written to a live page's streams), or
    asyncio's own loop and h11 on a platform where they cannot be installed."""
    import importlib.util

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return loop, http


def uvicorn_run(*, host: str, port: int, workers: int = 1, scheduler: bool = True) -> None:
    """Serve ``config.asgi`` (workers import it themselves, so it is passed by name), with the scheduler
    beside it unless told otherwise. SIGTERM or SIGINT stops the server and the scheduler, and returns.

    While it serves, uvicorn catches SIGTERM and SIGINT itself, shuts down gracefully, and then raises the
    signal again so that the process ends as it would have; under Python's default SIGTERM handling that
    would end this process on the spot, leaving the scheduler running. Here that signal (or one arriving
    before or after uvicorn's own handling) becomes ``StopRequested`` instead, so the scheduler is stopped
    before the command returns."""
    import uvicorn

    loop, http = loop_and_parser()
    previous = {sig: signal.signal(sig, _stop_requested) for sig in STOP_SIGNALS}
    child = None
    try:
        child = scheduler_start() if scheduler else None
        uvicorn.run(
            "config.asgi:application",
            interface="asgi3",
            loop=loop,
            http=http,
            host=host,
            port=port,
            workers=workers,
            lifespan="off",
            # Live streams never end by themselves: on SIGTERM they are cut after this long.
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            proxy_headers=True,
            log_level=os.environ.get("COMMUNE_LOG_LEVEL", "info").lower(),
        )
    except StopRequested:
        pass
    finally:
        # A second Ctrl-C must not cut the clean-up short: the scheduler's stop is bounded anyway.
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        if child is not None:
            scheduler_stop(child)
        _resource_tracker_stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
