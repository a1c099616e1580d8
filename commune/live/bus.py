"""The event bus behind live pages: a bounded history per topic that a follower can tail and catch up on.

Two backends with the same behaviour:

- ``RedisBus`` (``COMMUNE_REDIS_URL`` set): one Redis stream per topic. ``XADD`` with ``MAXLEN ~`` keeps a
  bounded history, the entry ids (``<ms>-<seq>``) are the events' ids, so a follower that reconnects with
  the id of the last event it saw reads what it missed with ``XRANGE``. Each server process runs one tailer
  per topic that has followers there (``XREAD BLOCK`` on its own connection) and fans its events out to
  them in memory, so ten thousand followers of one vote cost one Redis connection per process, not ten
  thousand. Any process may publish (a web worker, the scheduler, a command): every process's followers
  receive it.
- ``MemoryBus`` (no Redis): the same within one process, for the demo and a single worker.

Publishing is synchronous (services run in threads); following is asynchronous (the ASGI edge).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

logger = logging.getLogger(__name__)

#: Events kept per topic for followers who reconnect (approximately, under Redis).
HISTORY = 1000
#: Redis forgets a topic's history this long after its last event.
HISTORY_SECONDS = 24 * 3600
#: How long the tailer's XREAD blocks before it checks whether anyone still follows.
BLOCK_MS = 5000
#: Failed reads in a row after which a tailer gives up (its followers' streams end and reconnect).
RETRIES = 5


@dataclass(frozen=True)
class Event:
    id: str
    topic: str
    kind: str
    data: dict[str, Any]

    @cached_property
    def order(self) -> tuple[int, int]:
        return _order(self.id)

    @cached_property
    def frame(self) -> bytes:
        """The event as a server-sent event, encoded once however many followers it goes to."""
        data = json.dumps(self.data, separators=(",", ":"))
        return f"id: {self.id}\nevent: {self.kind}\ndata: {data}\n\n".encode()


def _order(event_id: str) -> tuple[int, int]:
    """An event id ``<ms>-<seq>`` as something that sorts as the events were published."""
    ms, _, seq = event_id.partition("-")
    try:
        return int(ms), int(seq or 0)
    except ValueError:
        return (0, 0)


def event_id_valid(event_id: str) -> bool:
    ms, sep, seq = event_id.partition("-")
    return bool(sep) and ms.isdigit() and seq.isdigit() and len(event_id) <= 40


#: Passes one event on to a follower at once, in the loop that hands it over, without waking the
#: follower's task; answers False when it cannot now (the follower is still passing on an earlier one), and
#: the event then waits in the follower's queue, in order.
Write = Callable[[Event], bool]


class _Follower:
    """One follower's queue: events handed over from the loop that runs the tailer (or from a publishing
    thread, in memory), read in the follower's loop. While the follower waits with nothing queued, an
    event goes straight to its ``write`` if it has one: ten thousand followers of one vote then cost ten
    thousand calls in the tailer's pass, not ten thousand tasks woken."""

    def __init__(self, after: str | None, write: Write | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue()
        #: The last event passed on; nothing at or before it is passed on again.
        self.last = _order(after) if after else (0, 0)
        self._write = write
        self.waiting = False

    def offer(self, event: Event | None) -> None:
        """Hand ``event`` over; ``None`` ends the follower's stream."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self.take(event)
            return
        with contextlib.suppress(RuntimeError):  # the follower's loop has closed: nobody to tell
            self.loop.call_soon_threadsafe(self.take, event)

    def take(self, event: Event | None) -> None:
        """In the follower's loop: pass ``event`` on now if the follower waits with nothing queued and can
        take it, else queue it behind the others."""
        if event is not None and self.waiting and self._write is not None and self.queue.empty():
            if event.order <= self.last:
                return
            if self._write(event):
                self.last = event.order
                return
        self.queue.put_nowait(event)

    def arrived(self, event: Event) -> bool:
        """Whether ``event`` is new to this follower (it may come twice while catching up), noting it."""
        if event.order <= self.last:
            return False
        self.last = event.order
        return True


async def _deliver(follower: _Follower, missed: list[Event]) -> AsyncIterator[Event]:
    """What was missed, then what arrives and was not written straight away, each once and in order."""
    for event in missed:
        if follower.arrived(event):
            yield event
    while True:
        follower.waiting = True
        try:
            arrived = await follower.queue.get()
        finally:
            follower.waiting = False
        if arrived is None:
            return
        if follower.arrived(arrived):
            yield arrived


class MemoryBus:
    """Topics held in this process: publishers and followers must share it."""

    def __init__(self, history: int = HISTORY) -> None:
        self._history = history
        self._lock = threading.Lock()
        self._topics: dict[str, deque[Event]] = {}
        self._followers: dict[str, set[_Follower]] = {}
        self._last = (0, 0)

    def _next_id(self) -> str:
        ms = int(time.time() * 1000)
        last_ms, last_seq = self._last
        self._last = (ms, 0) if ms > last_ms else (last_ms, last_seq + 1)
        return f"{self._last[0]}-{self._last[1]}"

    def publish(self, topic: str, kind: str, data: dict[str, Any]) -> str:
        with self._lock:
            event = Event(self._next_id(), topic, kind, data)
            self._topics.setdefault(topic, deque(maxlen=self._history)).append(event)
            followers = list(self._followers.get(topic, ()))
        for follower in followers:
            follower.offer(event)
        return event.id

    def last_id(self, topic: str) -> str:
        with self._lock:
            events = self._topics.get(topic)
            return events[-1].id if events else "0-0"

    async def follow(
        self, topic: str, after: str | None = None, write: Write | None = None
    ) -> AsyncIterator[Event]:
        """The topic's events after ``after`` (else after the newest now), in order; those that ``write``
        takes at once are not yielded."""
        with self._lock:
            history = list(self._topics.get(topic, ()))
            start = after or (history[-1].id if history else None)
            follower = _Follower(start, write)
            self._followers.setdefault(topic, set()).add(follower)
        try:
            missed = [e for e in history if e.order > _order(after)] if after else []
            async for event in _deliver(follower, missed):
                yield event
        finally:
            with self._lock:
                self._followers.get(topic, set()).discard(follower)


def _key(topic: str) -> str:
    return f"commune:live:{topic}"


def _decode(topic: str, entry_id: bytes | str, fields: dict[Any, Any]) -> Event:
    def text(value: bytes | str) -> str:
        return value.decode() if isinstance(value, bytes) else value

    values = {text(k): text(v) for k, v in fields.items()}
    return Event(text(entry_id), topic, values.get("kind", ""), json.loads(values.get("data", "{}")))


class _Tailer:
    """Reads one topic's stream in this process and hands each event to the followers here."""

    def __init__(self, bus: RedisBus, topic: str) -> None:
        self.bus = bus
        self.topic = topic
        self.followers: set[_Follower] = set()
        self.start: str | None = None
        self.ready = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            await self._tail()
        except Exception:
            logger.exception("live topic %s: tailing stopped", self.topic)
        finally:
            self.ready.set()
            if self.bus._tailers.get(self.topic) is self:
                del self.bus._tailers[self.topic]
            for follower in list(self.followers):
                follower.offer(None)  # their streams end; browsers reconnect and catch up from their last id

    async def _tail(self) -> None:
        import redis

        key = _key(self.topic)
        position: str | None = None
        failures = 0
        while self.followers:
            client = self.bus.async_client()
            try:
                if position is None:
                    newest = await client.xrevrange(key, count=1)
                    position = _decode(self.topic, *newest[0]).id if newest else "0-0"
                    self.start = position
                    self.ready.set()
                while self.followers:
                    answer = await client.xread({key: position}, block=BLOCK_MS, count=500)
                    failures = 0
                    for _, entries in answer or ():
                        for entry_id, fields in entries:
                            event = _decode(self.topic, entry_id, fields)
                            position = event.id
                            for follower in list(self.followers):
                                follower.offer(event)
            except (redis.RedisError, OSError) as exc:
                failures += 1
                if failures > RETRIES:
                    raise
                logger.warning(
                    "live topic %s: Redis failed (%s); reading again from %s", self.topic, exc, position
                )
                await asyncio.sleep(min(failures, 5))
            finally:
                await client.aclose()


class RedisBus:
    """Topics in Redis streams, shared by every process that uses the same Redis database."""

    def __init__(self, url: str, history: int = HISTORY) -> None:
        import redis

        self.url = url
        self._history = history
        self._client = redis.Redis.from_url(url)
        self._tailers: dict[str, _Tailer] = {}

    def async_client(self) -> Any:
        import redis.asyncio

        # A socket timeout longer than the blocking read, which would otherwise be cut short by it.
        return redis.asyncio.Redis.from_url(self.url, socket_timeout=BLOCK_MS / 1000 + 10)

    def publish(self, topic: str, kind: str, data: dict[str, Any]) -> str:
        key = _key(topic)
        with self._client.pipeline() as pipe:
            pipe.xadd(key, {"kind": kind, "data": json.dumps(data)}, maxlen=self._history, approximate=True)
            pipe.expire(key, HISTORY_SECONDS)
            entry_id, _ = pipe.execute()
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    def last_id(self, topic: str) -> str:
        newest: Any = self._client.xrevrange(_key(topic), count=1)
        return _decode(topic, *newest[0]).id if newest else "0-0"

    async def follow(
        self, topic: str, after: str | None = None, write: Write | None = None
    ) -> AsyncIterator[Event]:
        """The topic's events after ``after`` (else after the newest now), in order; those that ``write``
        takes at once are not yielded."""
        follower = _Follower(after, write)
        tailer = self._tailers.get(topic)
        if tailer is None or tailer.task.done():
            tailer = self._tailers[topic] = _Tailer(self, topic)
        tailer.followers.add(follower)
        try:
            await tailer.ready.wait()
            missed: list[Event] = []
            if after:
                # Everything after the follower's point, read once it is on the tailer's list: what the
                # tailer hands over meanwhile comes twice and is passed on once (``_deliver``).
                client = self.async_client()
                try:
                    entries = await client.xrange(_key(topic), min=f"({after}", max="+", count=self._history)
                finally:
                    await client.aclose()
                missed = [_decode(topic, entry_id, fields) for entry_id, fields in entries]
            elif tailer.start:
                follower.last = max(follower.last, _order(tailer.start))
            async for event in _deliver(follower, missed):
                yield event
        finally:
            tailer.followers.discard(follower)
            if not tailer.followers and not tailer.task.done():
                if self._tailers.get(topic) is tailer:
                    del self._tailers[topic]
                tailer.task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await tailer.task
