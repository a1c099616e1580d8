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

``LoopStatements`` runs such statements from an event loop, on connections of its own.
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


class LoopStatements:
    """A few PostgreSQL connections of an event loop's own, for the statements it runs itself (a member's
    vote, ``commune.api.casting.LoopCasts``): psycopg's ``AsyncConnection``, at most ``size`` of them,
    opened when first asked for and kept, each a connection in autocommit, so that a statement is its own
    transaction, committed when its answer is read.

    They are opened as Django opens its own (``DATABASES['default']``: the same parameters, adapters,
    time zone, role and isolation level) and bind their values as Django's statement cursor does
    (``statement_cursor``): on the server, prepared once run ``prepare_threshold`` times, where the setting
    is given; on the client otherwise. Each connection's statements run on one cursor, made with it, and a
    task waiting for a connection is handed the next one given back. A connection is closed, not kept,
    once older than ``max_age``
    seconds (``CONN_MAX_AGE``; ``None``, never), and whenever a statement on it fails or is cancelled, as
    its state is then unknown: the statement's error is raised. A statement is never retried here: the
    caller decides what a statement that may or may not have committed means."""

    def __init__(self, *, size: int, max_age: float | None) -> None:
        self.size = size
        self.max_age = max_age
        # Each connection is kept with the one cursor its statements run on, and when it was opened.
        self._idle: list[tuple[Any, float]] = []  # newest last
        self._open = 0
        self._waiting: collections.deque[asyncio.Future[tuple[Any, float] | None]] = collections.deque()
        self._loop: Any = None

    def _bound(self) -> None:
        """Bound to the running loop: the connections of another (a test's earlier loop) dropped."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            for cursor, _opened in self._idle:
                cursor.connection.pgconn.finish()  # its loop is gone: nothing to await
            self._idle, self._open, self._loop, self._waiting = [], 0, loop, collections.deque()

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

    async def _taken(self) -> tuple[Any, float]:
        """A connection's cursor, and when the connection was opened: an idle one, a new one while fewer
        than ``size`` are open, or else the next one given back (``_released``), handed straight over."""
        self._bound()
        if self._idle:  # nothing else runs on the loop until this returns
            return self._idle.pop()
        if self._open < self.size:
            self._open += 1
        else:
            waiter: asyncio.Future[tuple[Any, float] | None] = self._loop.create_future()
            self._waiting.append(waiter)
            try:
                handed = await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():  # handed one as this task was cancelled
                    self._released(waiter.result())
                raise
            if handed is not None:
                return handed
            # else a connection was closed, and its place handed over: open one in it
        try:
            connection = await self._connect()
        except BaseException:
            self._released(None)
            raise
        return connection.cursor(), time.monotonic()

    def _released(self, taken: tuple[Any, float] | None) -> None:
        """A connection's cursor given back (``None``: its connection closed, its place free), handed to
        the first task still waiting for one, else kept (or its place counted free)."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():  # not cancelled
                waiter.set_result(taken)
                return
        if taken is None:
            self._open -= 1
        else:
            self._idle.append(taken)

    async def row(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row ``sql`` answers with ``params`` (``None``: no row, or a statement that answers
        with none, such as an ``UPDATE`` without ``RETURNING``), committed."""
        taken = await self._taken()
        cursor, opened = taken
        try:
            await cursor.execute(sql, params)
            # Asked of the result's status: ``description`` would build every column's description.
            found = await cursor.fetchone() if cursor.pgresult.status == ExecStatus.TUPLES_OK else None
        except BaseException:
            cursor.connection.pgconn.finish()  # mid-statement, failed or cancelled: its state is unknown
            self._released(None)
            raise
        if self.max_age is not None and time.monotonic() - opened >= self.max_age:
            self._released(None)
            await cursor.connection.close()
        else:
            self._released(taken)
        return found

    async def close(self) -> None:
        """Close every idle connection (a test's loop, before it ends)."""
        self._bound()
        idle, self._idle = self._idle, []
        self._open -= len(idle)
        for cursor, _opened in idle:
            await cursor.connection.close()
