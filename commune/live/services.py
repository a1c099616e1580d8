"""Publishing to live pages: ``live_publish(topic, kind, data)`` once the transaction commits.

A topic names one thing people watch (``vote:12``); what may be followed, and by whom, is decided in
``access``. An event says what changed in words a page can show; it never carries more than every
follower of the topic may see (a secret vote's events carry the turnout, never a choice).
"""

from __future__ import annotations

import logging
import threading
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


def live_last_id(topic: str) -> str:
    """The id of the newest event of ``topic`` (``0-0`` if none): a page rendered now passes it to its
    script, which follows from there and so misses nothing that happens between render and connect."""
    try:
        return live_bus().last_id(topic)
    except Exception:
        logger.exception("live topic %s not read", topic)
        return "0-0"
