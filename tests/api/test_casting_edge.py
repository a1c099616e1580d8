"""Under ``commune serve`` a cast is handed to Django's threads in one step each way
(``commune.api.casting_edge``), answered as the general hand-off (a2wsgi) answers it; anything else sent
to a cast's path, a large body or one of unknown length, takes the general hand-off. On PostgreSQL a
member's vote is cast on the event loop itself once the process knows the vote and its answer's headers
(``commune.api.casting.LoopCasts``), with the same answer, and every refusal still goes to the threads."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from a2wsgi import WSGIMiddleware
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.utils import timezone

from commune.accounts.models import ApiToken
from commune.accounts.services import api_token_create
from commune.api.casting import LoopCasts
from commune.api.casting_edge import BODY_MAX
from commune.ballots.models import Ballot, RegisterEntry, YesNoEncryptedPaper, YesNoRegisterEntry
from commune.federation.models import Member
from commune.live import services as live_services
from commune.live.asgi import live_application
from commune.live.bus import MemoryBus
from commune.live.services import live_bus_reset
from commune.motions import bars
from commune.motions.models import Vote
from commune.motions.services.live import vote_topic
from commune.statements import LoopStatements
from config.asgi import served
from config.wsgi import application as wsgi_application
from tests.cast_queries import assembly_vote
from tests.conftest import build_federation
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


def _scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The ASGI scope of a POST to ``path`` with ``headers``, as uvicorn builds it."""
    return {
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


def _call(
    app: Any,
    path: str,
    body: bytes,
    token: str,
    *,
    sized: bool = True,
    gone: bool = False,
    language: str = "",
    loop: LoopCasts | None = None,
    headers: dict[bytes, list[bytes]] | None = None,
    **scope_changes: Any,
) -> Answer | None:
    """Send one request to the ASGI ``app`` (serving the votes ``loop`` casts on the event loop, whose
    connections are closed before the loop ends): its answer, or ``None`` if it sent nothing. ``headers``
    replaces headers (each name with its values, one header each) and ``scope_changes`` the scope's."""
    sent_headers = {b"host": [b"testserver"], b"content-type": [b"application/json"]}
    sent_headers[b"authorization"] = [f"Bearer {token}".encode()]
    if language:
        sent_headers[b"accept-language"] = [language.encode()]
    if sized:
        sent_headers[b"content-length"] = [str(len(body)).encode()]
    sent_headers.update(headers or {})
    scope = _scope(path, [(name, value) for name, values in sent_headers.items() for value in values])
    scope.update(scope_changes)
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

    async def served() -> None:
        try:
            await app(scope, receive, send)
        finally:
            if loop is not None:
                await loop.statements.close()

    run_async(served())
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


# A member's vote cast on the event loop (``commune.api.casting.LoopCasts``), PostgreSQL only: its own
# connections must see what the test wrote, so these tests commit (``transaction=True``).

on_postgresql = pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="casts are answered on the event loop on PostgreSQL only",
)
#: Bounds a wait, never a speed.
PATIENCE = 30


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """What the test writes is committed; at its end the live coalescer's thread, which read the turnout
    of the votes cast on the loop, closes its database connection, so that the test database can be
    dropped."""
    yield
    closed = threading.Event()

    def close() -> dict[str, Any]:
        connections.close_all()
        closed.set()
        return {}

    live_services._coalescer.offer("test:0", "closed", close)
    assert closed.wait(PATIENCE)


def _loop_served(pool: CountingPool) -> tuple[Any, Any, LoopCasts]:
    """The application with votes cast on the event loop, and the general hand-off (a2wsgi) alone."""
    casts = LoopCasts.configured()
    assert casts is not None
    threads = _threads(pool)
    return served(wsgi_application, threads, casts), live_application(threads), casts  # type: ignore[arg-type]


def _rows(vote: Any) -> tuple[int, int]:
    return (
        YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count(),
        YesNoEncryptedPaper.objects.filter(box_id=vote.box_id).count(),
    )


def test_votes_are_cast_on_the_event_loop_only_on_postgresql(settings: Any) -> None:
    if connections["default"].vendor != "postgresql":
        assert LoopCasts.configured() is None
        return
    assert LoopCasts.configured() is not None
    settings.LOOP_CONNECTIONS = 0
    assert LoopCasts.configured() is None


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_vote_is_cast_on_the_loop_with_the_answer_the_threads_give(
    pool: CountingPool, hops: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    """The first vote (its shape and its answer's headers not yet known to the process) goes to the
    threads; the next is cast on the loop, handed to no thread, and answered byte for byte as the
    threads and the general hand-off answer it; its token's first use is noted, on the loop's connection."""
    vote, members = assembly_vote(6, "loopy")
    app, general, casts = _loop_served(pool)
    path = f"/api/orgs/loopy/votes/{vote.pk}/ballots"
    yes = json.dumps({"choice": "yes"}).encode()
    by_threads = _call(app, path, yes, _token(members[1].person), loop=casts)
    assert pool.submitted == 1
    token_row, raw = api_token_create(user=members[2].person, name="cast")
    on_loop = _call(app, path, yes, raw, loop=casts)
    assert (pool.submitted, hops) == (1, [])
    by_general = _call(general, path, yes, _token(members[3].person))
    assert by_threads is not None and by_threads[0] == 201
    assert on_loop == by_threads == by_general
    assert dict(on_loop[1])[b"content-length"] == str(len(on_loop[2])).encode()
    assert _rows(vote) == (3, 3)
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id, member=members[2]).exists()
    token_row.refresh_from_db()
    assert token_row.last_used_at is not None
    assert "not noted" not in caplog.text


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_vote_in_another_language_waits_for_that_languages_answer(pool: CountingPool) -> None:
    """The headers are remembered per language: the first vote asked in French goes to the threads."""
    vote, members = assembly_vote(6, "loopl")
    app, _general, casts = _loop_served(pool)
    path = f"/api/orgs/loopl/votes/{vote.pk}/ballots"
    no = json.dumps({"choice": "no"}).encode()
    english = _call(app, path, no, _token(members[1].person), loop=casts)
    french = [_call(app, path, no, _token(m.person), language="fr", loop=casts) for m in members[2:4]]
    assert pool.submitted == 2
    assert english is not None and french[0] is not None
    assert dict(french[0][1])[b"content-language"] == b"fr" and dict(english[1])[b"content-language"] == b"en"
    assert french[0] == french[1]
    assert _rows(vote) == (3, 3)


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_every_refusal_is_handed_to_the_threads_and_answered_as_before(
    pool: CountingPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second vote, a token that is not valid, someone not on the electorate, another organisation's
    vote, a member a bar keeps out, an invalid body and a closed vote: the loop records nothing, and
    each gets the general hand-off's answer."""
    vote, members = assembly_vote(6, "loopr")
    other, _others = assembly_vote(5, "loopr2")
    app, general, casts = _loop_served(pool)
    path = f"/api/orgs/loopr/votes/{vote.pk}/ballots"
    yes, no = json.dumps({"choice": "yes"}).encode(), json.dumps({"choice": "no"}).encode()
    assert _call(app, path, yes, _token(members[1].person), loop=casts) is not None  # shape and headers known
    outsider = (
        Member.objects.filter(organisation_id=vote.organisation_id)
        .exclude(current_unit=vote.body)
        .select_related("person")
        .first()
    )
    assert outsider is not None
    monkeypatch.setattr(bars, "_vote_bars", [])
    monkeypatch.setattr(bars, "_applies", {})
    barred = members[4]
    bars.vote_bar_register(
        lambda of: {barred.pk: "has an interest"},
        applies_sql=lambda motion: f"{motion} = {int(vote.motion_id or 0)}",
    )
    refusals = [
        (path, no, _token(members[1].person), 409),
        (path, no, "not-a-token", 401),
        (path, no, _token(outsider.person), 403),
        (f"/api/orgs/loopr/votes/{other.pk}/ballots", no, _token(members[2].person), 404),
        (path, no, _token(barred.person), 403),
        (path, json.dumps({"choice": "maybe"}).encode(), _token(members[3].person), 422),
    ]
    for refused_path, body, token, status in refusals:
        submitted = pool.submitted
        from_loop = _call(app, refused_path, body, token, loop=casts)
        assert pool.submitted == submitted + 1
        assert from_loop is not None and from_loop[0] == status, from_loop
        assert from_loop == _call(general, refused_path, body, token)
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now())  # its time is up
    closed = (path, no, _token(members[5].person))
    from_loop = _call(app, *closed, loop=casts)
    assert from_loop is not None and from_loop[0] == 409 and from_loop == _call(general, *closed)
    assert _rows(vote) == (1, 1)
    assert _rows(other) == (0, 0)


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_request_the_loop_does_not_read_as_a_cast_is_answered_by_the_threads(
    pool: CountingPool, settings: Any
) -> None:
    """The loop reads a cast from its ASGI scope itself, as the threads read the environment built from
    it: a host not allowed (or sent twice), a query string, another content type, a body that may hold a
    NUL, a Content-Length that is not the body's, a body over the upload limit, a path under a root path,
    or a server refusing some user agents: each is handed to the threads and gets the general hand-off's
    answer."""
    vote, members = assembly_vote(22, "loopn")
    app, general, casts = _loop_served(pool)
    path = f"/api/orgs/loopn/votes/{vote.pk}/ballots"
    yes = json.dumps({"choice": "yes"}).encode()
    assert _call(app, path, yes, _token(members[1].person), loop=casts) is not None  # shape and headers known
    nul = json.dumps({"choice": "yes", "reason": "\x00"}).encode()
    unread: list[tuple[str, bytes, dict[str, Any], dict[str, Any]]] = [
        ("a host not allowed", yes, {"headers": {b"host": [b"elsewhere.example"]}}, {}),
        ("a host sent twice", yes, {"headers": {b"host": [b"testserver", b"testserver"]}}, {}),
        ("a query string", yes, {"query_string": b"choice=no"}, {}),
        ("another content type", yes, {"headers": {b"content-type": [b"text/plain"]}}, {}),
        ("a body that may hold a NUL", nul, {}, {}),
        ("a length not the body's", yes, {"headers": {b"content-length": [str(len(yes) - 1).encode()]}}, {}),
        ("a body over the upload limit", yes, {}, {"DATA_UPLOAD_MAX_MEMORY_SIZE": len(yes) - 1}),
        ("a root path", yes, {"root_path": "/api"}, {}),
        ("user agents refused", yes, {}, {"DISALLOWED_USER_AGENTS": [re.compile("^nobody$")]}),
    ]
    voters = iter(members[2:])
    for what, body, changes, changed_settings in unread:
        before = {name: getattr(settings, name) for name in changed_settings}
        for name, value in changed_settings.items():
            setattr(settings, name, value)
        submitted = pool.submitted
        from_loop = _call(app, path, body, _token(next(voters).person), loop=casts, **changes)
        assert pool.submitted == submitted + 1, what
        from_general = _call(general, path, body, _token(next(voters).person), **changes)
        for name, value in before.items():
            setattr(settings, name, value)
        assert from_loop is not None and from_general is not None, what
        if what == "a root path":  # Django's page not found, with a cookie of its own each time
            assert from_loop[0] == from_general[0] == 404
        else:
            assert from_loop == from_general, what
    submitted = pool.submitted
    answer = _call(app, path, yes, _token(next(voters).person), loop=casts)  # one the loop reads: cast there
    assert answer is not None and answer[0] == 201 and pool.submitted == submitted


class _Watched(MemoryBus):
    """A bus the test can wait on."""

    def __init__(self) -> None:
        super().__init__()
        self.published = threading.Event()

    def publish(self, topic: str, kind: str, data: dict[str, Any]) -> str:
        event_id = super().publish(topic, kind, data)
        self.published.set()
        return event_id


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_vote_cast_on_the_loop_publishes_the_turnout(pool: CountingPool) -> None:
    vote, members = assembly_vote(6, "loopt")
    app, _general, casts = _loop_served(pool)
    path = f"/api/orgs/loopt/votes/{vote.pk}/ballots"
    yes = json.dumps({"choice": "yes"}).encode()
    _call(app, path, yes, _token(members[1].person), loop=casts)
    bus = _Watched()
    live_bus_reset(bus)
    try:
        _call(app, path, yes, _token(members[2].person), loop=casts)
        assert pool.submitted == 1
        assert bus.published.wait(PATIENCE)
    finally:
        live_bus_reset(None)
    [event] = bus._topics[vote_topic(vote.pk)]
    assert (event.kind, event.data["turnout"]) == ("turnout", 2)


@on_postgresql
@pytest.mark.usefixtures("committed")
@pytest.mark.parametrize("committed_first", [True, False])
def test_a_connection_lost_during_the_statement_loses_or_doubles_nothing(
    pool: CountingPool, monkeypatch: pytest.MonkeyPatch, committed_first: bool
) -> None:
    """The loop's connection is lost after the statement committed, or before it ran: the threads are
    asked, and find the vote cast (a second vote, refused) or cast it; it is in the box once."""
    vote, members = assembly_vote(5, "loopc" if committed_first else "loopb")
    app, _general, casts = _loop_served(pool)
    path = f"/api/orgs/{vote.organisation.slug}/votes/{vote.pk}/ballots"
    yes = json.dumps({"choice": "yes"}).encode()
    _call(app, path, yes, _token(members[1].person), loop=casts)
    row = LoopStatements.row

    async def lost(self: LoopStatements, sql: str, params: dict[str, Any]) -> Any:
        if committed_first:
            await row(self, sql, params)
        raise psycopg.OperationalError("the connection was lost")

    monkeypatch.setattr(LoopStatements, "row", lost)
    answer = _call(app, path, yes, _token(members[2].person), loop=casts)
    assert pool.submitted == 2
    assert answer is not None and answer[0] == (409 if committed_first else 201)
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id, member=members[2]).count() == 1
    assert _rows(vote) == (2, 2)


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_vote_whose_request_is_cancelled_mid_statement_is_cast_once_when_sent_again(
    pool: CountingPool,
) -> None:
    """The request is cancelled (its client gone, its server stopping) while its statement waits for the
    vote's row: the statement ends with its connection, and the vote sent again is in the box once."""
    vote, members = assembly_vote(5, "loopx")
    app, _general, casts = _loop_served(pool)
    path = f"/api/orgs/loopx/votes/{vote.pk}/ballots"
    yes = json.dumps({"choice": "yes"}).encode()
    _call(app, path, yes, _token(members[1].person), loop=casts)
    token = _token(members[2].person)
    params = connections["default"].get_connection_params()
    del params["cursor_factory"]
    holder = psycopg.connect(**params)  # holds the vote's row, as a close in progress does
    watcher = psycopg.connect(**params, autocommit=True)
    cancelled: list[bool] = []

    async def cast_then_cancel() -> None:
        headers = [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-length", str(len(yes)).encode()),
        ]
        scope = _scope(path, headers)
        parts = [yes]

        async def receive() -> dict[str, Any]:
            if parts:
                return {"type": "http.request", "body": parts.pop(), "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            raise AssertionError(f"a cancelled request answered {message}")

        task = asyncio.create_task(app(scope, receive, send))
        for _ in range(PATIENCE * 20):
            await asyncio.sleep(0.05)
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE '%%caster%%'"
            ).fetchone()
            if waiting and waiting[0]:
                break
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            cancelled.append(True)
        await casts.statements.close()

    try:
        holder.execute(f"SELECT id FROM {Vote._meta.db_table} WHERE id = %s FOR UPDATE", [vote.pk])
        run_async(cast_then_cancel())
    finally:
        holder.rollback()
        holder.close()
    assert cancelled == [True]
    for _ in range(PATIENCE * 20):  # until no statement of the cancelled request is left running
        running = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND query LIKE '%%caster%%' AND pid <> pg_backend_pid()"
        ).fetchone()
        if running is not None and not running[0]:
            break
        time.sleep(0.05)
    watcher.close()
    again = _call(app, path, yes, token, loop=casts)
    assert again is not None and again[0] in (201, 409)
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id, member=members[2]).count() == 1
    assert _rows(vote) == (2, 2)


@on_postgresql
@pytest.mark.usefixtures("committed")
@pytest.mark.parametrize("threshold", [2, None])
def test_the_loops_connections_prepare_as_the_setting_says(
    monkeypatch: pytest.MonkeyPatch, threshold: int | None
) -> None:
    """``COMMUNE_PREPARE_THRESHOLD`` (the database's ``prepare_threshold``): statements prepared once run
    that many times; without it, none (values bound on the client, as Django's own cursors do)."""
    options = connections["default"].settings_dict["OPTIONS"]
    monkeypatch.setitem(options, "prepare_threshold", threshold)
    statements = LoopStatements(size=1, max_age=None)

    async def prepared() -> int:
        try:
            for number in range(4):
                assert await statements.row("SELECT %(number)s::int + 1", {"number": number}) == (number + 1,)
            found = await statements.row("SELECT count(*) FROM pg_prepared_statements", {})
            assert found is not None
            return int(found[0])
        finally:
            await statements.close()

    assert (run_async(prepared()) > 0) == (threshold is not None)


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_statement_answering_no_rows_keeps_its_connection() -> None:
    """An ``UPDATE`` without ``RETURNING`` (a token's last use, noted on the loop) answers ``None``, and
    the next statement runs on the same connection."""
    statements = LoopStatements(size=1, max_age=None)

    async def run() -> tuple[Any, ...]:
        try:
            before = await statements.row("SELECT pg_backend_pid()", {})
            noted = await statements.row(f"UPDATE {ApiToken._meta.db_table} SET name = name WHERE false", {})
            return before, noted, await statements.row("SELECT pg_backend_pid()", {})
        finally:
            await statements.close()

    before, noted, after = run_async(run())
    assert noted is None and before == after


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_statements_asked_for_while_a_batch_is_on_its_way_go_on_another_connection_and_no_third() -> None:
    """With two connections: a slow statement on its way holds one; three asked for meanwhile go together
    on the other and are answered first, a fourth cancelled before it was sent is left out, and later
    statements run on those two connections, no third."""
    statements = LoopStatements(size=2, max_age=None)
    sql = "SELECT pg_backend_pid(), txid_current() FROM pg_sleep(%(seconds)s::float)"

    async def run() -> tuple[Any, bool, list[Any], list[Any]]:
        try:
            slow = asyncio.create_task(statements.row(sql, {"seconds": 0.5}))
            while not statements._pending:  # asked for
                await asyncio.sleep(0.001)
            while statements._pending:  # on its way
                await asyncio.sleep(0.001)
            meanwhile = [asyncio.create_task(statements.row(sql, {"seconds": 0})) for _ in range(4)]
            await asyncio.sleep(0)  # each asked for; none sent yet
            meanwhile[3].cancel()
            answered = await asyncio.gather(*meanwhile, return_exceptions=True)
            still_slow = not slow.done()
            first = await slow
            later = await asyncio.gather(*(statements.row(sql, {"seconds": 0.05}) for _ in range(6)))
            return first, still_slow, answered, later
        finally:
            await statements.close()

    first, still_slow, answered, later = run_async(run())
    assert isinstance(answered.pop(3), asyncio.CancelledError)
    assert still_slow  # the three were answered while the slow one was still running
    assert len({row[0] for row in answered}) == 1 and answered[0][0] != first[0]
    assert len({row[1] for row in answered}) == 1  # one transaction
    assert {row[0] for row in later} <= {first[0], answered[0][0]}


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_statements_asked_for_together_go_as_one_transaction_each_answered_its_own_row() -> None:
    """Ten statements asked for at once on one connection go together, committed as one transaction
    (one transaction id for all), each caller handed its own row; one asked for alone later is a
    transaction of its own."""
    statements = LoopStatements(size=1, max_age=None)
    numbered = "SELECT %(number)s::int, txid_current()"

    async def run() -> tuple[list[Any], Any]:
        try:
            together = await asyncio.gather(*(statements.row(numbered, {"number": n}) for n in range(10)))
            return together, await statements.row(numbered, {"number": 10})
        finally:
            await statements.close()

    together, alone = run_async(run())
    assert [row[0] for row in together] == list(range(10))
    assert len({row[1] for row in together}) == 1
    assert alone[0] == 10 and alone[1] != together[0][1]


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_statement_that_fails_fails_its_whole_batch_and_none_of_it_commits() -> None:
    """Two inserts sent with a statement that fails: every caller is given the error, neither row is
    there, and the next statement runs on a new connection."""
    probe = "loop_batch_probe"
    with connections["default"].cursor() as cursor:
        cursor.execute(f"CREATE TABLE {probe} (n int)")
    statements = LoopStatements(size=1, max_age=None)
    insert = f"INSERT INTO {probe} VALUES (%(n)s) RETURNING n"

    async def run() -> tuple[Any, list[Any], Any]:
        try:
            before = await statements.row("SELECT pg_backend_pid()", {})
            batch = await asyncio.gather(
                statements.row(insert, {"n": 1}),
                statements.row("SELECT 1 / %(zero)s::int", {"zero": 0}),
                statements.row(insert, {"n": 3}),
                return_exceptions=True,
            )
            return before, batch, await statements.row("SELECT pg_backend_pid()", {})
        finally:
            await statements.close()

    try:
        before, batch, after = run_async(run())
        with connections["default"].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {probe}")
            (rows,) = cursor.fetchone()
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute(f"DROP TABLE {probe}")
    assert all(isinstance(outcome, psycopg.Error) for outcome in batch), batch
    assert rows == 0
    assert after != before


@on_postgresql
@pytest.mark.usefixtures("committed")
def test_a_first_ballot_is_cast_on_the_loop_with_the_answer_the_threads_give(
    pool: CountingPool, clock: Any
) -> None:
    """An election's first ballot after one the process has seen: its two statements on the loop, handed
    to no thread, answered as the threads answer (but for its own tracker); a re-vote, an unknown
    candidate and a token that is not valid are handed to the threads and answered by them."""
    from tests.elections.conftest import call, stand, to_voting

    fed = build_federation(units_per_district=1, members_per_unit=6, slug="loope")
    unit = fed.units[0]
    members = list(Member.objects.filter(current_unit=unit).select_related("person").order_by("number"))
    election = call(clock, unit, seats=1, title="Chair")
    first, second = stand(election, members[0], members[1])
    election = to_voting(clock, election)
    app, general, casts = _loop_served(pool)
    path = f"/api/orgs/loope/elections/{election.pk}/ballots"
    ranking = json.dumps({"ranking": [second, first]}).encode()
    by_threads = _call(app, path, ranking, _token(members[2].person), loop=casts)
    assert pool.submitted == 1
    again = _token(members[3].person)
    on_loop = _call(app, path, ranking, again, loop=casts)
    assert pool.submitted == 1
    by_general = _call(general, path, ranking, _token(members[4].person))
    answers = [by_threads, on_loop, by_general]
    assert all(answer is not None and answer[0] == 201 for answer in answers), answers
    trackers = [json.loads(answer[2])["tracker"] for answer in answers if answer is not None]
    assert len(set(trackers)) == 3
    assert on_loop is not None and by_threads is not None
    assert on_loop[2].replace(trackers[1].encode(), trackers[0].encode()) == by_threads[2]
    assert on_loop[:2] == by_threads[:2] == by_general[:2]  # type: ignore[index]
    assert Ballot.objects.filter(box_id=election.box_id).count() == 3
    for body, token, status in [
        (ranking, again, 201),  # a re-vote: the earlier ballot replaced
        (json.dumps({"ranking": [first, 10**9]}).encode(), _token(members[5].person), 400),
        (ranking, "not-a-token", 401),
    ]:
        submitted = pool.submitted
        answer = _call(app, path, body, token, loop=casts)
        assert pool.submitted == submitted + 1
        assert answer is not None and answer[0] == status, answer
    assert Ballot.objects.filter(box_id=election.box_id).count() == 3
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == 3
