"""Casts handed to Django's threads in one step each way, not five.

Under ``commune serve`` every request but a live stream goes from uvicorn's event loop to the Django WSGI
application on a bounded pool of threads (a2wsgi's ``WSGIMiddleware``, ``config.asgi``). a2wsgi hands a
request over in as many steps as it has parts: the thread is given the request, then asks the event loop
for the body, then hands the loop the answer's start, its body and its end, each a round trip between the
thread and the loop that wakes both and waits for the other. A cast (``commune.api.casting``) is a small
JSON body answered by a small JSON answer, and ten thousand of them come at once: here the body is read
on the loop, the same WSGI application is run on the same pool of threads with the body in hand, and the
answer it gives, collected on that thread, is sent from the loop. One hand-off each way.

Nothing the application does changes: the same environment (a2wsgi's own ``build_environ``), the same
middlewares and answer, the request's end signalled on its thread as before (its database connection
closed there if it is too old), and at most the pool's threads run requests at once. Only a ``POST`` to a
cast's path whose body has a ``Content-Length`` of at most ``BODY_MAX`` bytes is taken here (a ranking of
500 candidates is about 4 KiB); anything else, and a body of unknown length, goes to ``fallback`` as
before, so a large body is never held in memory here.

With ``on_loop`` (``commune.api.casting.LoopCasts``, on PostgreSQL), a cast whose body is in hand is first
offered to it, as its scope and body (it reads them itself, without a WSGI environment): a member's vote
it records is answered from the loop without a thread at all; anything it does not answer is handed to the
threads as above, and it is shown the answer they gave.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import io
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import Executor
from typing import Any, Protocol

from a2wsgi.wsgi import build_environ

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
WSGIApp = Callable[[Any, Callable[..., Any]], Iterable[bytes]]

#: The paths of the two cast operations (``commune.api.casting.cast_routes``).
CAST_PATH = re.compile(r"/api/orgs/[-a-zA-Z0-9_]+/(?:votes|elections)/[0-9]{1,18}/ballots")
#: The largest body read here; a larger one takes the general hand-off, which reads it as Django asks.
BODY_MAX = 64 * 1024

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class PreparedCast(Protocol):
    async def answered(self) -> Answer | None: ...

    def remember(self, answer: Answer) -> None: ...


class LoopCasting(Protocol):
    """Casts answered on the loop (``commune.api.casting.LoopCasts``)."""

    def prepare(self, scope: Scope, body: bytes) -> PreparedCast | None: ...


def _length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _answered(wsgi: WSGIApp, environ: Any) -> Answer:
    """Run the WSGI application on this thread: its status, headers (as a2wsgi sends them) and body."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return written.append

    iterable = wsgi(environ, start_response)
    try:
        written.extend(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()  # the request's end (Django's ``request_finished``), on the thread that served it
    status, headers = started
    return (
        int(status.split(" ", 1)[0]),
        [(name.strip().encode("latin1").lower(), value.strip().encode("latin1")) for name, value in headers],
        b"".join(written),
    )


def casting_edge(
    wsgi: WSGIApp, executor: Executor, fallback: ASGIApp, on_loop: LoopCasting | None = None
) -> ASGIApp:
    """Hand a cast to ``wsgi`` on ``executor`` in one step, or answer it with ``on_loop`` (see the module's
    docstring); everything else to ``fallback``, the same application behind a2wsgi on the same
    ``executor``."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and CAST_PATH.fullmatch(scope["path"]):
            length = _length(scope)
            if length is not None and length <= BODY_MAX:
                await _cast(scope, receive, send)
                return
        await fallback(scope, receive, send)

    async def _cast(scope: Scope, receive: Receive, send: Send) -> None:
        chunks = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        cast = None if on_loop is None else on_loop.prepare(scope, body)
        answer = None if cast is None else await cast.answered()
        if answer is None:
            environ = build_environ(scope, io.BytesIO(body))  # type: ignore[arg-type]
            run = functools.partial(contextvars.copy_context().run, _answered, wsgi, environ)
            answer = await asyncio.get_running_loop().run_in_executor(executor, run)
            if cast is not None:
                cast.remember(answer)
        status, headers, content = answer
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    return application
