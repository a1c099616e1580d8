"""The test processes' databases, migrated once per run and copied.

Migrating an empty database takes about 25 s of a core, most of it Django working out each migration's
model states. Every test process needs a database of its own, and the servers some tests start need a
migrated SQLite data folder (``tests/data_folders.py``): migrated one by one, that was three migrations a run
on two cores before any test could start. Instead:

- on SQLite, each process's in-memory database is a copy of the data folder's, which is migrated once per
  run by the first process to need it, with ``commune serve --migrate`` itself (``tests/data_folders.py``);
- on PostgreSQL, the first process migrates its database and copies it into a template database; the other
  copies the template (``CREATE DATABASE … TEMPLATE``), having prepared the data folder meanwhile.

Either way every database starts as one migration left it, and the test of the data migrations
(``tests/upgrades``) still migrates backwards and forwards for itself.

A test that commits (``transactional_db``, ``live_server``) ends by emptying every table (Django's
``flush``). On PostgreSQL that is one ``TRUNCATE`` of every table, which gives each table and index new
files and syncs them to disk at commit: 1 to 3 s for this project's 120 tables, however few rows they
hold, most of it spent waiting on the disk. Such a test leaves a few thousand rows at most, so the suite
deletes them instead (``flush_by_deleting``): milliseconds for empty tables.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test.utils import setup_databases

#: What ``teardown_databases`` takes back: (connection, name before the test database, destroy it).
OldConfig = list[tuple[Any, str, bool]]

#: The template database this process made (PostgreSQL, the first process of a run).
_MADE: list[str] = []
#: The run's template database, made by its first process (PostgreSQL).
_TEMPLATE: list[str] = []


def databases_set_up(run_folder: Path, migrated_data_dir: Callable[[], Path]) -> OldConfig:
    """Set up this process's test database as the module says; what ``teardown_databases`` takes back."""
    if connection.vendor == "sqlite":
        return _sqlite_copied(migrated_data_dir() / "commune.sqlite3")
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _migrated()
    return _postgres_from_template(run_folder, migrated_data_dir)


def _migrated() -> OldConfig:
    return list(
        setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
    )


def _sqlite_copied(migrated: Path) -> OldConfig:
    """The in-memory test database, its tables made without migrating (Django's syncdb), then replaced
    page by page with the migrated file's (SQLite's backup)."""
    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    migrate_was = test_settings.get("MIGRATE", True)
    test_settings["MIGRATE"] = connection.settings_dict["TEST"]["MIGRATE"] = False
    try:
        old_config = _migrated()
    finally:
        test_settings["MIGRATE"] = connection.settings_dict["TEST"]["MIGRATE"] = migrate_was
    # Opened as immutable: nothing is written beside the shared file, which other processes copy.
    with closing(sqlite3.connect(f"file:{migrated}?immutable=1", uri=True)) as source:
        connection.ensure_connection()
        source.backup(connection.connection)
    return old_config


def scratch_database(name: str) -> str:
    """On PostgreSQL, ``name`` made anew as a copy of this run's migrated template while it is there (an
    empty database otherwise, for its user to migrate), beside this process's test database: its URL.
    Drop it with ``scratch_database_drop``."""
    try:
        if _TEMPLATE:
            _database_copy(_TEMPLATE[0], name)
            return _url(name)
    except DatabaseError:  # the template dropped, or being copied at this moment
        pass
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    return _url(name)


def _url(name: str) -> str:
    params = connection.settings_dict
    user, host, port = quote_plus(params["USER"]), params["HOST"] or "localhost", params["PORT"] or 5432
    password = f":{quote_plus(params['PASSWORD'])}" if params["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def scratch_database_drop(name: str) -> None:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def _postgres_from_template(run_folder: Path, migrated_data_dir: Callable[[], Path]) -> OldConfig:
    template = f"test_{connection.settings_dict['NAME']}_migrated"
    _TEMPLATE[:] = [template]
    ready = run_folder / "postgres-template.ready"
    with (run_folder / "postgres-template.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            first = not ready.exists()
        except BlockingIOError:
            first = False
            migrated_data_dir()  # another process is migrating: prepare the servers' folder meanwhile
            fcntl.flock(lock, fcntl.LOCK_EX)
        if first:
            old_config = _migrated()
            _database_copy(connection.settings_dict["NAME"], template)
            _MADE.append(template)
            ready.touch()
            return old_config
    return _postgres_copied(template)


def template_drop() -> None:
    """Drop the template database this process made, at its end: every process copied it as it started."""
    if _MADE:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(_MADE.pop())}")


def _postgres_copied(template: str) -> OldConfig:
    """This process's test database as a copy of ``template``, set up as pytest-django would leave it."""
    old_name = connection.settings_dict["NAME"]
    name = connection.creation._get_test_db_name()
    _database_copy(template, name)
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    return [(connection, old_name, True)]


def _database_copy(source: str, target: str) -> None:
    """``target`` made anew as a copy of ``source``, which nobody may be connected to meanwhile."""
    quote = connection.ops.quote_name
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def flush_by_deleting() -> None:
    """From now on, on PostgreSQL, the flush at the end of a test that commits deletes every table's rows
    rather than truncating the tables (the module says why). Its foreign keys are checked at commit
    (Django makes them ``DEFERRABLE INITIALLY DEFERRED``), so the tables can be emptied in any order."""
    if connection.vendor != "postgresql":
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush

    def sql_flush(
        self: BaseDatabaseOperations,
        style: Any,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables]

    operations.sql_flush = sql_flush  # type: ignore[method-assign]
