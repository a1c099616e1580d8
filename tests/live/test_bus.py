"""The bus behind live pages, in memory and in Redis: a follower receives every event published after the
point it follows from, in order, once, including what was published while it was away (Last-Event-ID);
under Redis an event published through one bus (one process) reaches a follower of another."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from commune.live.bus import Event, MemoryBus, RedisBus
from tests.live.conftest import redis_url, run_async

#: Bounds a hang, never a speed.
PATIENCE = 20


def _bus(kind: str) -> Any:
    return MemoryBus() if kind == "memory" else RedisBus(redis_url())


@pytest.fixture(params=["memory", "redis"])
def bus(request: pytest.FixtureRequest) -> Any:
    return _bus(request.param)


def _topic() -> str:
    return f"test:{uuid.uuid4().hex}"


async def _take(events: AsyncIterator[Event], n: int) -> list[Event]:
    async def take() -> list[Event]:
        return [await anext(events) for _ in range(n)]  # type: ignore[arg-type]

    return await asyncio.wait_for(take(), PATIENCE)


def _from_a_thread(publish: Callable[..., str], *args: Any) -> str:
    """Publish as a service does: from a thread of its own, not the followers' event loop."""
    out: list[str] = []
    worker = threading.Thread(target=lambda: out.append(publish(*args)))
    worker.start()
    worker.join()
    return out[0]


def test_a_follower_receives_what_is_published_after_the_point_it_follows_from(bus: Any) -> None:
    topic = _topic()
    bus.publish(topic, "before", {"n": 0})
    since = bus.last_id(topic)

    async def run() -> list[Event]:
        events = bus.follow(topic, since)
        for n in (1, 2, 3):
            await asyncio.to_thread(_from_a_thread, bus.publish, topic, "turnout", {"n": n})
        try:
            return await _take(events, 3)
        finally:
            await events.aclose()

    got = run_async(run())
    assert [(e.kind, e.data) for e in got] == [
        ("turnout", {"n": 1}),
        ("turnout", {"n": 2}),
        ("turnout", {"n": 3}),
    ]
    assert all(e.topic == topic for e in got)


def test_a_follower_that_comes_back_with_the_last_id_it_saw_is_sent_what_it_missed_then_what_follows(
    bus: Any,
) -> None:
    topic = _topic()
    since = bus.last_id(topic)
    assert since == "0-0"
    first = bus.publish(topic, "turnout", {"n": 1})

    async def first_visit() -> str:
        events = bus.follow(topic, since)
        try:
            (seen,) = await _take(events, 1)
        finally:
            await events.aclose()
        return seen.id

    last_seen = run_async(first_visit())
    assert last_seen == first
    # Away: two events go by.
    bus.publish(topic, "turnout", {"n": 2})
    bus.publish(topic, "closed", {"carried": True})

    async def back() -> list[Event]:
        events = bus.follow(topic, last_seen)
        try:
            missed = await _take(events, 2)
            await asyncio.to_thread(bus.publish, topic, "note", {"n": 3})
            return missed + await _take(events, 1)
        finally:
            await events.aclose()

    got = run_async(back())
    assert [e.kind for e in got] == ["turnout", "closed", "note"]
    assert [e.data for e in got] == [{"n": 2}, {"carried": True}, {"n": 3}]
    assert len({e.id for e in got}) == 3


def test_followers_of_one_topic_hear_nothing_of_another(bus: Any) -> None:
    mine, other = _topic(), _topic()
    since = bus.last_id(mine)

    async def run() -> list[Event]:
        events = bus.follow(mine, since)
        await asyncio.to_thread(bus.publish, other, "turnout", {"other": True})
        await asyncio.to_thread(bus.publish, mine, "turnout", {"mine": True})
        try:
            return await _take(events, 1)
        finally:
            await events.aclose()

    assert [e.data for e in run_async(run())] == [{"mine": True}]


def test_history_is_bounded() -> None:
    bus = MemoryBus(history=3)
    topic = _topic()
    for n in range(10):
        bus.publish(topic, "turnout", {"n": n})

    async def run() -> list[Event]:
        events = bus.follow(topic, "0-0")
        try:
            return await _take(events, 3)
        finally:
            await events.aclose()

    assert [e.data["n"] for e in run_async(run())] == [7, 8, 9]


def test_under_redis_an_event_published_through_one_process_reaches_followers_of_another() -> None:
    """Two buses stand for two server processes: each tails the stream with its own connection."""
    url = redis_url()
    publisher, follower = RedisBus(url), RedisBus(url)
    topic = _topic()
    since = follower.last_id(topic)

    async def run() -> list[Event]:
        streams = [follower.follow(topic, since) for _ in range(3)]
        await asyncio.to_thread(publisher.publish, topic, "turnout", {"turnout": 1})
        try:
            return [e for events in streams for e in await _take(events, 1)]
        finally:
            for events in streams:
                await events.aclose()

    got = run_async(run())
    assert [e.data for e in got] == [{"turnout": 1}] * 3
    assert not follower._tailers  # the last follower gone, the process stops tailing the topic


def test_a_follower_joining_a_topic_already_followed_here_still_catches_up_from_its_own_point(
    bus: Any,
) -> None:
    """The second page opened in a process must not lose what the first page's follower already took."""
    topic = _topic()
    since = bus.last_id(topic)

    async def run() -> list[Event]:
        first = bus.follow(topic, since)
        await asyncio.to_thread(bus.publish, topic, "turnout", {"n": 1})
        await _take(first, 1)
        await asyncio.to_thread(bus.publish, topic, "turnout", {"n": 2})
        await _take(first, 1)
        second = bus.follow(topic, since)
        try:
            return await _take(second, 2)
        finally:
            await first.aclose()
            await second.aclose()

    assert [e.data["n"] for e in run_async(run())] == [1, 2]


def test_a_quiet_topic_is_still_tailed_after_longer_than_a_blocking_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tailer's blocking read outlasts Redis's client timeouts: followers of a topic quiet for longer
    than one read still receive the next event. The read is made shorter here so that the topic stays quiet
    through several of them in a couple of seconds; the client's timeout is longer than the read as it
    ships, and as it is here."""
    import commune.live.bus as bus_module

    bus = RedisBus(redis_url())
    assert _socket_timeout(bus) > bus_module.BLOCK_MS / 1000
    monkeypatch.setattr(bus_module, "BLOCK_MS", 400)
    assert _socket_timeout(bus) > bus_module.BLOCK_MS / 1000
    topic = _topic()
    since = bus.last_id(topic)
    quiet = bus_module.BLOCK_MS / 1000 * 4 + 0.5

    async def run() -> list[Event]:
        events = bus.follow(topic, since)
        waiting = asyncio.ensure_future(_take(events, 1))
        await asyncio.sleep(quiet)
        await asyncio.to_thread(bus.publish, topic, "turnout", {"n": 1})
        try:
            return await waiting
        finally:
            await events.aclose()

    assert [e.data for e in run_async(run())] == [{"n": 1}]


def _socket_timeout(bus: RedisBus) -> float:
    """The socket timeout of the clients the tailer reads with."""
    return float(bus.async_client().connection_pool.connection_kwargs["socket_timeout"])


async def _until(condition: Callable[[], bool]) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), PATIENCE)


def test_a_follower_that_writes_at_once_is_handed_events_in_order_and_one_it_cannot_take_waits_its_turn(
    bus: Any,
) -> None:
    """While the follower waits with nothing queued, an event goes straight to its ``write``; one that it
    refuses (its connection still busy) is yielded instead, and what comes while that one is being passed
    on queues behind it rather than overtaking it. Each event is passed on once, in order."""
    topic = _topic()
    since = bus.last_id(topic)
    passed_on: list[tuple[str, int]] = []

    def write(event: Event) -> bool:
        if event.data["n"] == 2:
            return False
        passed_on.append(("written", event.data["n"]))
        return True

    async def run() -> None:
        events = bus.follow(topic, since, write=write)
        release = asyncio.Event()

        async def consume() -> None:
            async for event in events:
                passed_on.append(("yielded", event.data["n"]))
                if event.data["n"] == 2:
                    await release.wait()

        consumer = asyncio.ensure_future(consume())
        try:
            await asyncio.to_thread(bus.publish, topic, "turnout", {"n": 1})
            await _until(lambda: len(passed_on) == 1)
            await asyncio.to_thread(bus.publish, topic, "turnout", {"n": 2})
            await _until(lambda: ("yielded", 2) in passed_on)
            # The stream's task is busy with 2: 3 must wait behind it.
            await asyncio.to_thread(bus.publish, topic, "turnout", {"n": 3})
            await asyncio.sleep(0.5)
            assert ("written", 3) not in passed_on
            release.set()
            await _until(lambda: ("yielded", 3) in passed_on)
            await asyncio.sleep(0.1)  # the stream's task waits again, nothing queued
            await asyncio.to_thread(bus.publish, topic, "turnout", {"n": 4})
            await _until(lambda: len(passed_on) == 4)
        finally:
            consumer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await consumer

    run_async(run())
    assert [n for _, n in passed_on] == [1, 2, 3, 4]
    assert passed_on[1:] == [("yielded", 2), ("yielded", 3), ("written", 4)]
