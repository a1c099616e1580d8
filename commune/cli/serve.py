"""``commune serve``: serve the web UI and the REST API with uvicorn.

    commune serve [--host 127.0.0.1] [--port 8000] [--workers N] [--migrate]

The database comes from ``DATABASE_URL`` (PostgreSQL in production) or the SQLite file in
``COMMUNE_DATA_DIR``. Put a TLS-terminating proxy in front for anything but local use.
"""

from __future__ import annotations

import argparse
import os
import warnings

from commune.cli.django_setup import django_start


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commune serve", description="Serve the web UI and the REST API.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="worker processes (default: 1; try 2 per core)"
    )
    parser.add_argument("--migrate", action="store_true", help="apply database migrations before serving")
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
    uvicorn_run(host=args.host, port=args.port, workers=args.workers)
    return 0


def uvicorn_run(*, host: str, port: int, workers: int = 1) -> None:
    """Serve ``config.asgi`` (workers import it themselves, so it is passed by name)."""
    import uvicorn

    # Static files are plain file iterators, which Django's ASGI handler warns about on every request;
    # the warning is about performance under heavy static load, which a proxy or CDN should carry.
    quiet = "ignore:StreamingHttpResponse must consume synchronous iterators"
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), quiet]))
    warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
    uvicorn.run(
        "config.asgi:application",
        host=host,
        port=port,
        workers=workers,
        lifespan="off",  # Django's ASGI handler does not speak the lifespan protocol
        proxy_headers=True,
        log_level=os.environ.get("COMMUNE_LOG_LEVEL", "info").lower(),
    )
