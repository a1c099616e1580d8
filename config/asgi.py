"""The application ``commune serve`` runs: live streams served natively (``commune.live.asgi``), every other
request handed to the Django WSGI application on a bounded pool of threads (a2wsgi), so at most
``COMMUNE_THREADS`` requests per process hold a database connection at once, however many people keep a
live page open. A cast is handed to the same pool in one step each way (``commune.api.casting_edge``), or on
PostgreSQL, a member's vote or first ballot, cast on the loop itself (``commune.api.casting.LoopCasts``)."""

import os
from collections.abc import Callable, Iterable
from typing import Any

from a2wsgi import WSGIMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from commune.api.casting_edge import ASGIApp, LoopCasting, casting_edge
from commune.live.asgi import live_application
from config.wsgi import application as wsgi_application


def served(
    wsgi: Callable[[Any, Callable[..., Any]], Iterable[bytes]],
    threads: WSGIMiddleware,
    on_loop: LoopCasting | None = None,
) -> ASGIApp:
    """The application serving ``wsgi``, which ``threads`` (its pool of threads) runs, and members' votes
    ``on_loop`` casts on the event loop."""
    return live_application(casting_edge(wsgi, threads.executor, threads, on_loop))  # type: ignore[arg-type]


def _on_loop() -> LoopCasting | None:
    from commune.api.casting import LoopCasts  # Django's models: once ``config.wsgi`` has set Django up

    return LoopCasts.configured()


application = served(
    wsgi_application,
    WSGIMiddleware(wsgi_application, workers=int(os.environ.get("COMMUNE_THREADS", "10"))),  # type: ignore[arg-type]
    _on_loop(),
)
