"""Under ``commune serve`` a cast is handed to Django's threads in one step each way
(``commune.api.casting_edge``), answered as the general hand-off (a2wsgi) answers it; anything else sent
to a cast's path, a large body or one of unknown length, takes the general hand-off."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from a2wsgi import WSGIMiddleware
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

from commune.accounts.services import api_token_create
from commune.api.casting_edge import BODY_MAX
from commune.ballots.models import YesNoRegisterEntry
from commune.live.asgi import live_application
from config.asgi import served
from config.wsgi import application as wsgi_application
from tests.cast_queries import assembly_vote
from tests.live.conftest import run_async

pytestmark = pytest.mark.django_db

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class CountingPool(ThreadPoolExecutor):
    """One thread sharing the test's database connection (and its transaction); counts what it is given."""

    def __init__(self) -> None:
        connection = connections["default"]

        def share() -> None:
            connections["default"] = connection

        super().__init__(max_workers=1, initializer=share)
        self.submitted = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


@pytest.fixture
def pool() -> Iterator[CountingPool]:
    connection = connections["default"]
    connection.inc_thread_sharing()
    # As Django's test client does: a request's start and end must not close the test's connection, which
    # holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    executor = CountingPool()
    try:
        yield executor
    finally:
        executor.shutdown()
        request_finished.connect(close_old_connections)
        request_started.connect(close_old_connections)
        connection.dec_thread_sharing()


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each time a request's thread waits on the event loop (a2wsgi reading the body or sending a part of
    the answer)."""
    waits: list[int] = []
    run = asyncio.run_coroutine_threadsafe

    def counted(coroutine: Any, loop: Any) -> Any:
        waits.append(threading.get_ident())
        return run(coroutine, loop)

    monkeypatch.setattr(asyncio, "run_coroutine_threadsafe", counted)
    return waits


def _threads(pool: CountingPool) -> WSGIMiddleware:
    threads = WSGIMiddleware(wsgi_application, workers=1)  # type: ignore[arg-type]
    threads.executor.shutdown()
    threads.executor = pool
    return threads


def _call(
    app: Any, path: str, body: bytes, token: str, *, sized: bool = True, gone: bool = False
) -> Answer | None:
    """Send one request to the ASGI ``app``: its answer, or ``None`` if it sent nothing."""
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    headers.append((b"authorization", f"Bearer {token}".encode()))
    if sized:
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    parts = [body[: len(body) // 2], body[len(body) // 2 :]]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if gone:
            return {"type": "http.disconnect"}
        if parts:
            chunk = parts.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(parts)}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))

    run_async(app(scope, receive, send))
    if not sent:
        return None
    start, *bodies = sent
    return start["status"], list(start["headers"]), b"".join(m.get("body", b"") for m in bodies)


def _token(person: Any) -> str:
    return api_token_create(user=person, name="cast")[1]


def test_a_cast_is_handed_to_the_threads_once_and_recorded(pool: CountingPool, hops: list[int]) -> None:
    vote, members = assembly_vote(5, "edge")
    app = served(wsgi_application, _threads(pool))
    path = f"/api/orgs/edge/votes/{vote.pk}/ballots"
    finished: list[int] = []

    def note(**kwargs: Any) -> None:
        finished.append(threading.get_ident())

    request_finished.connect(note)
    try:
        answer = _call(app, path, json.dumps({"choice": "yes"}).encode(), _token(members[1].person))
    finally:
        request_finished.disconnect(note)
    assert answer is not None and answer[0] == 201, answer
    assert json.loads(answer[2]) == {"vote": vote.pk, "choice": "yes", "secret": True, "departed": False}
    assert (pool.submitted, hops) == (1, [])
    # The request's end is signalled on the thread that served it, where its database connection lives.
    assert len(finished) == 1 and finished[0] != threading.get_ident()
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id, member=members[1]).exists()


def test_the_edge_answers_as_the_general_hand_off(pool: CountingPool, hops: list[int]) -> None:
    """The same status, headers and body, for a vote recorded, a second vote refused, a body the
    operation's schema refuses and a token that is not valid."""
    vote, members = assembly_vote(6, "edgeq")
    threads = _threads(pool)
    edge, general = served(wsgi_application, threads), live_application(threads)  # type: ignore[arg-type]
    path = f"/api/orgs/edgeq/votes/{vote.pk}/ballots"
    yes = json.dumps({"choice": "yes"}).encode()
    for body, edge_token, general_token in [
        (yes, _token(members[1].person), _token(members[2].person)),
        (yes, _token(members[1].person), _token(members[2].person)),
        (json.dumps({"choice": "maybe"}).encode(), _token(members[3].person), _token(members[3].person)),
        (yes, "not-a-token", "not-a-token"),
    ]:
        waited = len(hops)
        from_edge = _call(edge, path, body, edge_token)
        assert len(hops) == waited
        from_general = _call(general, path, body, general_token)
        assert len(hops) > waited
        assert from_edge == from_general
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count() == 2


def test_a_large_or_unsized_body_takes_the_general_hand_off(pool: CountingPool, hops: list[int]) -> None:
    vote, members = assembly_vote(5, "edgel")
    app = served(wsgi_application, _threads(pool))
    path = f"/api/orgs/edgel/votes/{vote.pk}/ballots"
    large = json.dumps({"choice": "yes", "reason": "x" * BODY_MAX}).encode()
    refused = _call(app, path, large, _token(members[1].person))
    assert refused is not None and refused[0] == 422 and hops
    waited = len(hops)
    unsized = _call(app, path, json.dumps({"choice": "no"}).encode(), _token(members[2].person), sized=False)
    assert unsized is not None and len(hops) > waited
    assert not YesNoRegisterEntry.objects.filter(box_id=vote.box_id).exists()


def test_a_cast_whose_client_is_gone_before_its_body_is_not_run(pool: CountingPool) -> None:
    vote, members = assembly_vote(5, "edgeg")
    app = served(wsgi_application, _threads(pool))
    path = f"/api/orgs/edgeg/votes/{vote.pk}/ballots"
    assert _call(app, path, b'{"choice": "yes"}', _token(members[1].person), gone=True) is None
    assert pool.submitted == 0
    assert not YesNoRegisterEntry.objects.filter(box_id=vote.box_id).exists()
