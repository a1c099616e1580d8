"""A stream's events are written by the bus's pass over its followers, in the order they come: at once
when the server's ``send`` can take them without waiting, else behind the write still under way."""

from __future__ import annotations

import asyncio
from typing import Any

from commune.live.asgi import _Pushing
from commune.live.bus import Event
from tests.live.conftest import run_async


def _event(n: int) -> Event:
    return Event(f"1-{n}", "vote:1", "turnout", {"n": n})


class _Connection:
    """A server's ``send`` whose writes are held back (a slow reader) until ``drained`` is set."""

    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.drained = asyncio.Event()
        self.drained.set()

    async def send(self, message: dict[str, Any]) -> None:
        await self.drained.wait()
        self.written.append(message["body"])


def test_an_event_is_written_at_once_when_the_connection_can_take_it() -> None:
    async def run() -> tuple[bool, list[bytes]]:
        connection = _Connection()
        taken = _Pushing(connection.send).now(_event(1))
        return taken, connection.written

    taken, written = run_async(run())
    assert taken
    assert written == [_event(1).frame]


def test_while_a_write_is_held_back_the_next_event_waits_its_turn_and_follows_it() -> None:
    async def run() -> list[bytes]:
        connection = _Connection()
        connection.drained.clear()
        pushing = _Pushing(connection.send)
        assert pushing.now(_event(1))  # taken: finished in the background once the reader catches up
        assert not pushing.now(_event(2))  # refused: the bus queues it for the stream's task
        second = asyncio.ensure_future(pushing.in_turn(_event(2).frame))
        await asyncio.sleep(0.05)
        assert connection.written == []
        connection.drained.set()
        await asyncio.wait_for(second, 20)
        assert pushing.now(_event(3))  # the connection free again: written at once
        return connection.written

    assert run_async(run()) == [_event(1).frame, _event(2).frame, _event(3).frame]


def test_a_write_still_held_back_when_the_stream_ends_is_dropped_without_an_error() -> None:
    async def run() -> list[bytes]:
        connection = _Connection()
        connection.drained.clear()
        pushing = _Pushing(connection.send)
        assert pushing.now(_event(1))
        await pushing.stop()
        connection.drained.set()
        await asyncio.sleep(0.05)
        return connection.written

    assert run_async(run()) == []


def test_a_write_that_fails_after_being_held_back_breaks_the_stream_so_the_browser_reconnects() -> None:
    """The event it held is lost to this connection: the stream ends (and the browser catches up from its
    last id) rather than go on without it."""

    async def run() -> tuple[bool, bool]:
        connection = _Connection()
        connection.drained.clear()

        async def failing_send(message: dict[str, Any]) -> None:
            await connection.drained.wait()
            raise RuntimeError("connection lost mid-write")

        pushing = _Pushing(failing_send)
        assert pushing.now(_event(1))
        connection.drained.set()
        await asyncio.wait_for(pushing.broken.wait(), 20)
        return pushing.broken.is_set(), pushing.now(_event(2))

    assert run_async(run()) == (True, False)
