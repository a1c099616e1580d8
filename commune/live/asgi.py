"""The live edge: server-sent events served natively under ASGI, everything else handed on.

``GET /live/<kind>/<id>/`` opens a stream of the topic's events (``text/event-stream``). The person is
read from the Django session cookie once, as the stream opens, and checked against ``access`` in one short
call on Django's thread; after that the stream holds no thread and no database connection, only a queue
fed by the process's tailer (``bus``), which writes an event straight to a stream waiting for one
(``_Pushing``). A browser's ``EventSource`` reconnects by itself and sends the id
of the last event it saw (``Last-Event-ID``), from which it is sent what it missed; a page passes the id
it was rendered at as ``?since=``. Each stream ends after ``STREAM_SECONDS``, so the reconnection checks
again whether the person may still follow (a member who left stops receiving within that time).
Every other request goes to ``fallback`` (the Django WSGI application in a bounded thread pool).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from asgiref.sync import sync_to_async

from commune.live.bus import Event, event_id_valid

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = re.compile(r"^/live/(?P<kind>[a-z]+)/(?P<ident>[0-9]{1,18})/$")
#: A comment line this often keeps proxies from closing a quiet stream.
HEARTBEAT_SECONDS = 15.0
#: A stream ends after this long; the browser reconnects (and is checked again) at once.
STREAM_SECONDS = 300.0
#: How long the browser waits before reconnecting after a dropped stream.
RETRY_MS = 2000


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def _session_key(scope: Scope) -> str:
    from django.conf import settings

    cookie: SimpleCookie = SimpleCookie()
    with contextlib.suppress(Exception):
        cookie.load(_header(scope, b"cookie"))
    morsel = cookie.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel else ""


def follow_allowed(session_key: str, kind: str, ident: int) -> str | None:
    """The topic, if the session's person may follow it (run on Django's thread)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user
    from django.http import HttpRequest

    from commune.accounts.two_factor_views import REQUIRED, VERIFIED
    from commune.federation.access import NotFound
    from commune.live.access import topic_follow_check

    try:
        request = HttpRequest()
        request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key or None)
        if request.session.get(REQUIRED) and not request.session.get(VERIFIED):
            return None
        user = get_user(request)
        return topic_follow_check(user, kind, ident)  # type: ignore[arg-type]
    except NotFound:
        return None


def _follow_allowed_as_a_request(session_key: str, kind: str, ident: int) -> str | None:
    """``follow_allowed`` with the database connection handled as around a request: one that is broken or
    too old is closed before and after."""
    from django.db import close_old_connections

    close_old_connections()
    try:
        return follow_allowed(session_key, kind, ident)
    finally:
        close_old_connections()


async def _refuse(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def _query(scope: Scope, name: str) -> str:
    from urllib.parse import parse_qs

    values = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1")).get(name, [])
    return values[0] if values else ""


class _Pushing:
    """Writes a stream's events in the order they come, at once when the connection can take them.

    ``now`` is called by the bus in its pass over the topic's followers (``bus.Write``): it steps the
    server's ``send`` itself, which completes without waiting when the connection's buffer has room, so
    the event is written then and there and the stream's own task is not woken. If the server holds the
    write back (a slow reader), the rest of that ``send`` is finished in a task, and until it is every
    further event waits its turn in the follower's queue and goes through ``in_turn``."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._finishing: asyncio.Task[None] | None = None
        #: Set when a write finished in the background failed: the event is lost to this stream, which
        #: then ends, so the browser reconnects and is sent it again.
        self.broken = asyncio.Event()

    @staticmethod
    def _message(frame: bytes) -> Message:
        return {"type": "http.response.body", "body": frame, "more_body": True}

    def now(self, event: Event) -> bool:
        if self._finishing is not None or self.broken.is_set():
            return False
        sending = self._send(self._message(event.frame))
        try:
            waits_on = sending.send(None)  # type: ignore[attr-defined]
        except StopIteration:
            return True
        except Exception:
            # The connection is gone or broken: the stream's task meets the same error and ends the stream.
            return False
        self._finishing = asyncio.ensure_future(self._finish(sending, waits_on))
        return True

    async def _finish(self, sending: Any, waits_on: Any) -> None:
        """Run the rest of ``sending`` as a task of its own would: wait until what it waits on is done,
        resume it, until it returns. Cancelled (the stream ends), it is closed unfinished."""
        try:
            while True:
                if waits_on is None:
                    await asyncio.sleep(0)
                else:
                    await asyncio.wait((waits_on,))
                waits_on = sending.send(None)
        except StopIteration:
            pass
        except asyncio.CancelledError:
            sending.close()
            raise
        except Exception:
            self.broken.set()
        finally:
            self._finishing = None

    async def in_turn(self, frame: bytes) -> None:
        """Write ``frame`` after anything still being written."""
        while self._finishing is not None:
            await asyncio.shield(self._finishing)
        await self._send(self._message(frame))

    async def stop(self) -> None:
        if self._finishing is not None:
            self._finishing.cancel()
            with contextlib.suppress(BaseException):
                await self._finishing


async def stream(scope: Scope, receive: Receive, send: Send, kind: str, ident: int) -> None:
    from commune.live.services import live_bus

    if scope["method"] != "GET":
        await _refuse(send, 405, "GET only")
        return
    topic = await sync_to_async(_follow_allowed_as_a_request)(_session_key(scope), kind, ident)
    if topic is None:
        await _refuse(send, 404, "Not found")
        return
    after = _header(scope, b"last-event-id") or _query(scope, "since")
    if not event_id_valid(after):
        after = ""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-store"),
                (b"x-accel-buffering", b"no"),  # nginx: pass each event on as it comes
            ],
        }
    )
    await send({"type": "http.response.body", "body": f"retry: {RETRY_MS}\n\n".encode(), "more_body": True})

    pushing = _Pushing(send)

    async def forward() -> None:
        events = live_bus().follow(topic, after or None, write=pushing.now)
        try:
            async for event in events:
                await pushing.in_turn(event.frame)
        finally:
            await events.aclose()  # type: ignore[attr-defined]

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await send({"type": "http.response.body", "body": b": still here\n\n", "more_body": True})

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    tasks = [asyncio.ensure_future(f()) for f in (forward, heartbeat, disconnected, pushing.broken.wait)]
    try:
        await asyncio.wait(tasks, timeout=STREAM_SECONDS, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        await pushing.stop()
    with contextlib.suppress(Exception):
        await send({"type": "http.response.body", "body": b""})


def live_application(fallback: ASGIApp) -> ASGIApp:
    """Serve ``/live/...`` streams here and hand every other request to ``fallback``."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            match = PATH.match(scope.get("path", ""))
            if match:
                await stream(scope, receive, send, match["kind"], int(match["ident"]))
                return
        await fallback(scope, receive, send)

    return application
