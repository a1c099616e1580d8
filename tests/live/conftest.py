"""The live bus's fixtures: Redis is the one CI starts (``.ci/run``); elsewhere a test that needs it is
skipped when it is not running, and fails under CI."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest

T = TypeVar("T")

REDIS_URL = os.environ.get("COMMUNE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_url(database: int | None = None) -> str:
    """The test Redis's URL (with another of its numbered databases, if given: servers whose events must
    not reach other servers' streams), or skip (fail under CI) when none answers."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = (
            f"Redis not reachable at {REDIS_URL} ({exc}): start redis-server or set COMMUNE_TEST_REDIS_URL"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return REDIS_URL if database is None else urlsplit(REDIS_URL)._replace(path=f"/{database}").geturl()


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a thread of its own: the browser tests' Playwright keeps an event loop running in
    the main thread of the same test process, where another could not start."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, asyncio.run(coroutine)))
        except BaseException as exc:  # handed back to the test's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]
