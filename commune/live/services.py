"""Publishing to live pages: ``live_publish(topic, kind, data)`` once the transaction commits.

A topic names one thing people watch (``vote:12``); what may be followed, and by whom, is decided in
``access``. An event says what changed in words a page can show; it never carries more than every
follower of the topic may see (a secret vote's events carry the turnout, never a choice).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

from commune.live.bus import MemoryBus, RedisBus

logger = logging.getLogger(__name__)

Bus = MemoryBus | RedisBus

_bus: Bus | None = None
_bus_lock = threading.Lock()


def live_bus() -> Bus:
    """This process's bus: Redis streams when ``COMMUNE_REDIS_URL`` is set, else held in memory."""
    global _bus
    with _bus_lock:
        if _bus is None:
            url = getattr(settings, "LIVE_REDIS_URL", "")
            _bus = RedisBus(url) if url else MemoryBus()
        return _bus


def live_bus_reset(bus: Bus | None = None) -> None:
    """Use ``bus`` from now on (tests), or choose again from the settings."""
    global _bus
    with _bus_lock:
        _bus = bus


def live_topic(kind: str, ident: int) -> str:
    return f"{kind}:{ident}"


def live_publish(topic: str, kind: str, data: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
    """Publish an event to ``topic`` after the current transaction commits (at once outside one), so
    nobody is ever told of a change that was rolled back. ``data`` may be a function: it is then read
    after the commit, so that concurrent writes each publish the state they left, newest last."""

    def publish() -> None:
        try:
            live_bus().publish(topic, kind, data() if callable(data) else data)
        except Exception:  # a page not updated is shown right on its next load; the write stands
            logger.exception("live event %s on %s not published", kind, topic)

    transaction.on_commit(publish)


class _Coalescer:
    """Publishes the newest state of busy topics at most every ``interval`` seconds, from one thread of this
    process: a vote cast by ten thousand members in a minute tells its followers its turnout a few times a
    second, not ten thousand times, and the casts do not wait on the count nor on Redis."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._pending: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {}
        self._thread: threading.Thread | None = None

    def offer(self, topic: str, kind: str, data: Callable[[], dict[str, Any]]) -> None:
        with self._lock:
            self._pending[(topic, kind)] = data
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="live-coalescer", daemon=True)
                self._thread.start()
            self._lock.notify()

    def _run(self) -> None:
        from django.db import close_old_connections

        while True:
            with self._lock:
                while not self._pending:
                    self._lock.wait()
            # Let the burst gather: what arrives meanwhile is published once, as it stands then.
            time.sleep(float(getattr(settings, "LIVE_COALESCE_SECONDS", 0)))
            with self._lock:
                due, self._pending = self._pending, {}
            close_old_connections()
            for (topic, kind), data in due.items():
                try:
                    live_bus().publish(topic, kind, data())
                except Exception:  # as in ``live_publish``: the next event or page load puts it right
                    logger.exception("live event %s on %s not published", kind, topic)


_coalescer = _Coalescer()


def live_publish_latest(
    topic: str, kind: str, data: Callable[[], dict[str, Any]], *, committed: bool = False
) -> None:
    """Publish the state ``data`` reads, after the current transaction commits, coalesced: with
    ``LIVE_COALESCE_SECONDS`` set, the events of one topic and kind that come within that time are
    published once, with the state read after the last of them (never older than what any of them saw).
    For a running count (a vote's turnout); an event that says something of its own uses ``live_publish``.
    Without the setting (the tests), each is published at once, as ``live_publish`` does.

    ``committed``: the write was committed on a connection that is not Django's (an event loop's own,
    ``commune.statements.LoopStatements``), so there is no transaction to wait for, and the caller may be
    an event loop, on which nothing may wait for the database or Redis: the event is handed to the
    coalescer's thread, which reads and publishes it (at once without the setting)."""
    if committed:
        _coalescer.offer(topic, kind, data)
    elif not float(getattr(settings, "LIVE_COALESCE_SECONDS", 0)):
        live_publish(topic, kind, data)
    else:
        transaction.on_commit(lambda: _coalescer.offer(topic, kind, data))


def live_last_id(topic: str) -> str:
    """The id of the newest event of ``topic`` (``0-0`` if none): a page rendered now passes it to its
    script, which follows from there and so misses nothing that happens between render and connect."""
    try:
        return live_bus().last_id(topic)
    except Exception:
        logger.exception("live topic %s not read", topic)
        return "0-0"
