"""Cursors for the statements the busiest path runs thousands of times with other values (a cast's).

Django's cursors on PostgreSQL bind their values on the client (psycopg's ``ClientCursor``): each
statement reaches the server as new text, which PostgreSQL parses, analyses and plans afresh. A cast's
statements (the caller with the membership and the vote or election; the register row and the paper) are
long, and that work was most of what PostgreSQL spent on a cast. ``statement_cursor`` binds the values on
the server instead, so that psycopg prepares a statement on its connection once it has run it
``prepare_threshold`` times (the database's ``OPTIONS``, set from ``COMMUNE_PREPARE_THRESHOLD``) and from
then on sends only the statement's name and its values. Only statements run through this cursor are
prepared; every other query keeps Django's own cursor. Elsewhere (SQLite, or no threshold set) it is
Django's ordinary cursor.

``statements_run`` is the other way round: many different statements, each run once, sent to PostgreSQL
together in one round trip.

``LoopStatements`` runs such statements from an event loop, on connections of its own, those asked for
together in one round trip and one transaction.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import time
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg.pq import ExecStatus
from psycopg.sql import SQL, Literal


@functools.cache
def database_operations() -> Any:
    """The default database's operations (quoting names, adapting values), pure functions of the settings,
    looked up once: ``connection.ops`` on an event loop builds a connection object for every request (each
    its own context) just to reach them."""
    return connections[DEFAULT_DB_ALIAS].ops


def statement_cursor() -> Any:
    """A cursor (Django's wrapper, so its queries are logged and counted as any other) whose statements
    PostgreSQL may prepare; use it as ``with statement_cursor() as cursor``. Its statements must give
    PostgreSQL each value's type where the statement alone does not (``%(paper)s::bytea``)."""
    database = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.x`` looks the connection up again
    if database.vendor != "postgresql" or database.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return database.cursor()
    from django.db.backends.postgresql.base import Cursor, ServerBindingCursor

    database.ensure_connection()
    raw = database.connection
    raw.cursor_factory = ServerBindingCursor  # the connection is this thread's alone
    try:
        return database.cursor()
    finally:
        raw.cursor_factory = Cursor


def statements_run(database: Any, statements: Sequence[tuple[str, Sequence[Any]]]) -> Iterator[Any]:
    """Run ``statements`` (SQL and its values) in order on ``database``, yielding its cursor once each
    statement's result is the cursor's current one: read it before asking for the next. On PostgreSQL
    they are sent together, in one round trip, and their results read in turn; SQLite, in-process, runs
    them one at a time."""
    with database.cursor() as cursor:
        if database.vendor == "postgresql" and statements:
            cursor.execute(
                ";\n".join(sql for sql, _ in statements),
                [value for _, values in statements for value in values],
            )
            for index in range(len(statements)):
                if index:
                    cursor.nextset()
                yield cursor
            return
        for sql, values in statements:
            cursor.execute(sql, values)
            yield cursor


#: The most statements ``LoopStatements`` sends in one round trip and commits as one transaction.
BATCH_MAX = 16


class LoopStatements:
    """A few PostgreSQL connections of an event loop's own, for the statements it runs itself (a member's
    vote, ``commune.api.casting.LoopCasts``): psycopg's ``AsyncConnection``, at most ``size`` of them,
    opened when first needed and kept.

    Statements asked for at about the same time are sent together: those waiting when a connection is
    free (up to ``BATCH_MAX``) go to PostgreSQL in one round trip (psycopg's pipeline mode) and are
    committed together, as one transaction, when the last has run; each caller is then handed its own
    statement's first row. Statements asked for while a batch is on its way queue for the next round trip;
    another connection is used when more statements wait than connections are sending. So ten thousand
    casts cost the database and this process a fraction of ten thousand transactions, and no statement
    waits for a timer: a statement alone when a connection is free goes alone, at once.

    A batch stands or falls whole. If any of its statements fails (an error from PostgreSQL, a lost
    connection, the loop's task cancelled), every caller in it is given the error, the connection is
    closed (its state is unknown), and nothing in the batch is known to have committed or not: a statement
    is never retried here, the caller decides what a statement that may or may not have committed means.
    A caller cancelled while its statement waits is left out of the batch; one cancelled after it was sent
    does not stop it.

    The connections are opened as Django opens its own (``DATABASES['default']``: the same parameters,
    adapters, time zone, role and isolation level) and bind their values as Django's statement cursor
    does (``statement_cursor``): on the server, prepared once run ``prepare_threshold`` times, where the
    setting is given; on the client otherwise. A connection is closed, not kept, once older than
    ``max_age`` seconds (``CONN_MAX_AGE``; ``None``, never)."""

    def __init__(self, *, size: int, max_age: float | None) -> None:
        self.size = size
        self.max_age = max_age
        # Each connection is kept with a cursor made with it, and when it was opened.
        self._idle: list[tuple[Any, float]] = []  # newest last
        self._loop: Any = None
        #: Statements asked for and not yet sent, with the future each caller awaits.
        self._pending: collections.deque[tuple[str, dict[str, Any], asyncio.Future[Any]]] = (
            collections.deque()
        )
        #: Tasks sending batches, each holding one connection (held here: the loop keeps only weak ones).
        self._senders: set[asyncio.Task[None]] = set()
        self._kicked = False

    def _bound(self) -> None:
        """Bound to the running loop: the connections of another (a test's earlier loop) dropped."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            for cursor, _opened in self._idle:
                cursor.connection.pgconn.finish()  # its loop is gone: nothing to await
            self._idle, self._loop = [], loop
            self._pending, self._senders, self._kicked = collections.deque(), set(), False

    async def _connect(self) -> Any:
        database = connections[DEFAULT_DB_ALIAS]
        params = database.get_connection_params()
        del params["cursor_factory"]  # Django's own, for its synchronous connections
        binding = psycopg.AsyncClientCursor if params["prepare_threshold"] is None else psycopg.AsyncCursor
        connection = await psycopg.AsyncConnection.connect(**params, autocommit=True, cursor_factory=binding)
        try:
            options = database.settings_dict["OPTIONS"]
            if "isolation_level" in options:
                await connection.set_isolation_level(psycopg.IsolationLevel(options["isolation_level"]))
            zone = database.timezone_name
            if zone and connection.info.parameter_status("TimeZone") != zone:
                await connection.execute(database.ops.set_time_zone_sql(), [zone])
            if role := options.get("assume_role"):
                await connection.execute(SQL("SET ROLE {}").format(Literal(role)))
        except BaseException:
            await connection.close()
            raise
        return connection

    async def row(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row ``sql`` answers with ``params`` (``None``: no row, or a statement that answers
        with none, such as an ``UPDATE`` without ``RETURNING``), committed with its batch."""
        self._bound()
        future: asyncio.Future[tuple[Any, ...] | None] = self._loop.create_future()
        self._pending.append((sql, params, future))
        self._kick_soon()
        return await future

    def _kick_soon(self) -> None:
        """Start senders once the callbacks the loop is running now have run: the statements they ask for
        join the same batch."""
        if not self._kicked:
            self._kicked = True
            self._loop.call_soon(self._kick)

    def _kick(self) -> None:
        self._kicked = False
        # One more sender only while more statements wait than senders are at work: a statement or two
        # asked for while a batch is on its way go in the next batch rather than in a small one of their own.
        while self._pending and len(self._senders) < min(self.size, len(self._pending)):
            self._senders.add(self._loop.create_task(self._send()))

    async def _send(self) -> None:
        """Take a connection and send batches on it while statements wait, then give it back."""
        try:
            await self._send_batches()
        finally:
            # Here, not in a done callback, which would run after the kick below had counted it still.
            self._senders.discard(asyncio.current_task())
            if self._pending:
                self._kick_soon()  # statements that came as this sender stopped: another for them

    async def _send_batches(self) -> None:
        try:
            taken = await self._taken()
        except BaseException as error:  # no connection to be had: the statements waiting fail with it
            self._fail(list(self._pending), error)
            self._pending.clear()
            if not isinstance(error, Exception):
                raise
            return
        cursor, opened = taken
        while self._pending:
            # As many as may go: fewer, larger batches cost fewer commits than more connections do.
            batch = [self._pending.popleft() for _ in range(min(BATCH_MAX, len(self._pending)))]
            batch = [item for item in batch if not item[2].done()]  # a caller cancelled meanwhile
            if not batch:
                continue
            try:
                rows = await self._run(cursor, [(sql, params) for sql, params, _future in batch])
            except BaseException as error:
                cursor.connection.pgconn.finish()  # mid-batch, failed or cancelled: its state is unknown
                self._fail(batch, error)
                if not isinstance(error, Exception):
                    raise
                return
            for (_sql, _params, future), row in zip(batch, rows, strict=True):
                if not future.done():
                    future.set_result(row)
        if self.max_age is not None and time.monotonic() - opened >= self.max_age:
            await cursor.connection.close()
        else:
            self._idle.append(taken)

    @staticmethod
    def _fail(batch: Sequence[tuple[str, dict[str, Any], asyncio.Future[Any]]], error: BaseException) -> None:
        for _sql, _params, future in batch:
            if future.done():
                continue
            if isinstance(error, Exception):
                future.set_exception(error)
            else:  # the sender was cancelled (the loop closing): so are its callers
                future.cancel()

    async def _taken(self) -> tuple[Any, float]:
        """A connection's cursor and when the connection was opened: an idle one, else a new one (each sender
        holds one, and there are never more than ``size`` senders)."""
        if self._idle:
            return self._idle.pop()
        connection = await self._connect()
        return connection.cursor(), time.monotonic()

    @staticmethod
    async def _run(
        cursor: Any, statements: Sequence[tuple[str, dict[str, Any]]]
    ) -> list[tuple[Any, ...] | None]:
        """Each statement's first row (``None``: none), all committed together: one alone as its own
        transaction; several in one pipeline, whose single sync ends them as one."""
        if len(statements) == 1:
            sql, params = statements[0]
            await cursor.execute(sql, params)
            return [await _first_row(cursor)]
        connection = cursor.connection
        cursors = []
        async with connection.pipeline():
            for sql, params in statements:
                each = connection.cursor()
                await each.execute(sql, params)
                cursors.append(each)
        return [await _first_row(each) for each in cursors]

    async def close(self) -> None:
        """Close every idle connection (a test's loop, before it ends)."""
        self._bound()
        idle, self._idle = self._idle, []
        for cursor, _opened in idle:
            await cursor.connection.close()


async def _first_row(cursor: Any) -> tuple[Any, ...] | None:
    # Asked of the result's status: ``description`` would build every column's description.
    return await cursor.fetchone() if cursor.pgresult.status == ExecStatus.TUPLES_OK else None
