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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


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
