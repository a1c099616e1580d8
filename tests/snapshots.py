"""Rows a fixture built through the real services, kept once per test process and put back as they were.

Building a federation through the services writes thousands of rows, one service call at a time, with its
log entries hashed and signed; the same federation is asked for by hundreds of tests. The first build in a
process notes every row it wrote; a later test asking for the same federation gets those rows inserted
again, verbatim (same keys, same log chain, same signatures), inside its own transaction, in one statement
a table. The test then finds exactly what the build would have left, and rolls it back as before.

The rows are noted only in a test whose transaction rolls back, and put back only where nothing can differ:
never where a row already holds one of the snapshot's keys, and never under a clock set back before the
snapshot was taken. Otherwise the fixture builds afresh, as it always did. A test that commits
(``transactional_db``, ``live_server``: a browser's server reads what it commits) gets them too, put back
in one transaction of their own, and its flush at the end empties them with the rest.

The test processes of one run (pytest-xdist's workers) share what they noted: the first to build a kind of
federation writes its rows to a file in the run's folder (``share_in``), and a process asking for the same
one later, or waiting while it is built, puts those rows back instead of building it again. Each process
has a database of its own, which starts as every other does, so the rows fit it as they fit the first.

Rows another database holds can be put in the same way (``rows_copied``): the demo that ``commune demo``
seeded in the run's demo folder is copied so, once per run, where seeding it again would take the services
some 40 s (``tests/data_folders.py``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone

from commune.statements import statements_run

T = TypeVar("T")


@dataclass
class Snapshot:
    taken_at: datetime
    #: Each table's new rows, as ``values()`` reads them, with the lowest and highest key among them.
    tables: list[tuple[type[models.Model], list[dict[str, Any]], int, int]]
    keys: Any
    #: The ballot boxes' and petitions' key files the build wrote (they live beside the database).
    files: dict[str, bytes]
    #: New rows of the tables keyed otherwise than by a number (ballots by UUID, …).
    others: list[tuple[type[models.Model], list[dict[str, Any]]]]


#: Per test process: what each kind of build left, by the build's arguments.
_TAKEN: dict[Hashable, Snapshot | None] = {}

#: The folder this run's test processes share their snapshots in (``share_in``); None: not shared.
_SHARED: list[Path] = []


def share_in(folder: Path) -> None:
    """From now on, snapshots are shared with the run's other test processes through ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    _SHARED[:] = [folder]


def _shared_file(key: Hashable) -> Path | None:
    if not _SHARED:
        return None
    return _SHARED[0] / f"{hashlib.sha256(repr(key).encode()).hexdigest()[:32]}.snapshot"


@contextmanager
def _shared(key: Hashable) -> Iterator[Path | None]:
    """The file another process left for ``key`` (or None), held under a lock while this process builds
    one, so that a process asking at the same time waits for it instead of building it too."""
    path = _shared_file(key)
    if path is None:
        yield None
        return
    with path.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield path


def _stored(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _write(path: Path, snapshot: Snapshot) -> None:
    """The snapshot, its models named by label (through-models are not importable), written whole."""
    data = {
        "taken_at": snapshot.taken_at,
        "keys": snapshot.keys,
        "files": snapshot.files,
        "tables": [
            (m._meta.label, [{k: _stored(v) for k, v in r.items()} for r in rows], low, high)
            for m, rows, low, high in snapshot.tables
        ],
        "others": [
            (m._meta.label, [{k: _stored(v) for k, v in r.items()} for r in rows])
            for m, rows in snapshot.others
        ],
    }
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    draft.rename(path)


def _read(path: Path) -> Snapshot:
    data = pickle.loads(path.read_bytes())
    return Snapshot(
        taken_at=data["taken_at"],
        keys=data["keys"],
        files=data["files"],
        tables=[(apps.get_model(label), rows, low, high) for label, rows, low, high in data["tables"]],
        others=[(apps.get_model(label), rows) for label, rows in data["others"]],
    )


def _tables() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and isinstance(m._meta.pk, models.AutoField)
    ]


def _others() -> list[type[models.Model]]:
    """Tables keyed otherwise than by a number (ballots by UUID, sessions, …)."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not isinstance(m._meta.pk, models.AutoField)
    ]


def _one_row(parts: list[str], params: list[Any], using: str = DEFAULT_DB_ALIAS) -> list[Any]:
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [row[0] for row in cursor.fetchall()]


def _highest_keys(tables: list[type[models.Model]], using: str = DEFAULT_DB_ALIAS) -> list[int]:
    qn = connections[using].ops.quote_name
    parts = [f"SELECT COALESCE(MAX({qn(m._meta.pk.column)}), 0) FROM {qn(m._meta.db_table)}" for m in tables]
    return [int(v) for v in _one_row(parts, [], using)]


@dataclass
class _Held:
    """The keys a database holds: each numbered table's highest, and every key of the other tables."""

    highest: dict[type[models.Model], int]
    others: dict[type[models.Model], set[Any]]


def _held(using: str = DEFAULT_DB_ALIAS) -> _Held:
    tables = _tables()
    return _Held(
        highest=dict(zip(tables, _highest_keys(tables, using), strict=True)),
        others={m: set(m._base_manager.using(using).values_list("pk", flat=True)) for m in _others()},
    )


def _rows_beyond(
    held: _Held, using: str = DEFAULT_DB_ALIAS
) -> tuple[
    list[tuple[type[models.Model], list[dict[str, Any]], int, int]],
    list[tuple[type[models.Model], list[dict[str, Any]]]],
]:
    """The rows of database ``using`` whose keys ``held`` does not hold: numbered tables' (with their
    lowest and highest key), then the others'."""
    kept, other_rows = [], []
    for model, highest in held.highest.items():
        rows = list(model._base_manager.using(using).filter(pk__gt=highest).order_by("pk").values())
        if rows:
            pk = model._meta.pk.attname
            kept.append((model, rows, rows[0][pk], rows[-1][pk]))
    for model, had in held.others.items():
        pk = model._meta.pk.attname
        rows = [r for r in model._base_manager.using(using).values() if r[pk] not in had]
        if rows:
            other_rows.append((model, rows))
    return kept, other_rows


def _files() -> dict[str, bytes]:
    folder = Path(settings.BOX_KEYS_DIR)
    return {p.name: p.read_bytes() for p in folder.glob("*.key")} if folder.is_dir() else {}


def _take(build: Callable[[], T], keys_of: Callable[[T], Any]) -> tuple[T, Snapshot | None]:
    held = _held()
    files_before = _files()
    taken_at = timezone.now()
    built = build()
    files = {name: data for name, data in _files().items() if files_before.get(name) != data}
    kept, other_rows = _rows_beyond(held)
    snapshot = Snapshot(taken_at=taken_at, tables=kept, keys=keys_of(built), files=files, others=other_rows)
    return built, snapshot


def _free(snapshot: Snapshot) -> bool:
    qn = connection.ops.quote_name
    parts, params = [], []
    for model, _, low, high in snapshot.tables:
        column = qn(model._meta.pk.column)
        parts.append(f"SELECT COUNT(*) FROM {qn(model._meta.db_table)} WHERE {column} BETWEEN %s AND %s")
        params += [low, high]
    if any(_one_row(parts, params)):
        return False
    return not any(
        model._base_manager.filter(pk__in=[r[model._meta.pk.attname] for r in rows]).exists()
        for model, rows in snapshot.others
    )


def _put_back(snapshot: Snapshot) -> None:
    folder = Path(settings.BOX_KEYS_DIR)
    for name, data in snapshot.files.items():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    bound = _BOUND.get(id(snapshot))
    if bound is None:
        bound = _BOUND[id(snapshot)] = _bound(_statements(snapshot))
    if isinstance(bound, str):
        with connection.cursor() as cursor:
            cursor.execute(bound)  # no values: the text is not read for placeholders again
        return
    for _ in statements_run(connection, bound):
        pass


#: Per snapshot of this process (they live as long as it does): what puts its rows back. On PostgreSQL,
#: the statements' whole text with every value written in; else the statements and their values.
_BOUND: dict[int, str | list[tuple[str, tuple[Any, ...]]]] = {}


def _bound(statements: list[tuple[str, tuple[Any, ...]]]) -> str | list[tuple[str, tuple[Any, ...]]]:
    """On PostgreSQL, ``statements`` as one text with their values written in, as psycopg writes them for
    Django's cursor (on the client) before every run: written once, where a put-back wrote them anew each
    time, which was most of its time (each column's values an array, dumped element by element). SQLite
    binds its values natively: the statements are kept as they are."""
    if connection.vendor != "postgresql" or not statements:
        return statements
    with connection.cursor() as cursor:
        return ";\n".join(cursor.cursor.mogrify(sql, values) for sql, values in statements)


def _statements(snapshot: Snapshot) -> list[tuple[str, tuple[Any, ...]]]:
    """The inserts of the snapshot's rows, compiled once (as ``QuerySet.bulk_create`` would write them,
    without the per-row work it does each time), then the sequences moved past the keys put back."""
    # The connection itself, not ``django.db.connection``: the compilers read it hundreds of thousands of
    # times, and each read through that stand-in looks the connection up again.
    database = connections[DEFAULT_DB_ALIAS]
    statements: list[tuple[str, tuple[Any, ...]]] = []
    for model, rows, *_ in [*snapshot.tables, *snapshot.others]:
        fields = list(model._meta.local_concrete_fields)
        objs = [model(**row) for row in rows]
        batch = max(1, database.ops.bulk_batch_size(fields, objs))
        for start in range(0, len(objs), batch):
            query = InsertQuery(model)
            query.insert_values(fields, objs[start : start + batch], raw=True)
            statements += [
                (sql, tuple(params)) for sql, params in query.get_compiler(connection=database).as_sql()
            ]
    resets = database.ops.sequence_reset_sql(no_style(), [m for m, _, _, _ in snapshot.tables])
    return statements + [(sql, ()) for sql in resets]


def rows_copied(*, source: str, since: str) -> bool:
    """Insert into the test database, as they are (keys included), the rows that database ``source`` holds
    and database ``since`` does not (both named by their alias): what a command added to a copy of
    ``since``. Nothing is copied, and False returned, where any of their keys is taken already.

    The copied rows may refer by key to rows ``since`` held already (those its migrations made: content
    types, permissions); such a reference is copied only where the test database holds the very same row
    under that key, and otherwise this fails rather than point the copy at another."""
    held = _held(since)
    tables, others = _rows_beyond(held, source)
    copied = Snapshot(taken_at=timezone.now(), tables=tables, keys=None, files={}, others=others)
    if not _free(copied):
        return False
    _references_agree(copied, held, since)
    for _ in statements_run(connection, _statements(copied)):
        pass
    return True


def _references_agree(copied: Snapshot, held: _Held, since: str) -> None:
    made = {m for m, highest in held.highest.items() if highest} | {
        m for m, had in held.others.items() if had
    }
    for model, rows, *_ in [*copied.tables, *copied.others]:
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model not in made:
                continue
            target, column = field.related_model, field.target_field.attname
            referred = {row[field.attname] for row in rows} - {None}
            theirs = list(
                target._base_manager.using(since)
                .filter(**{f"{column}__in": referred})
                .order_by(column)
                .values()
            )
            ours = list(
                target._base_manager.filter(**{f"{column}__in": [r[column] for r in theirs]})
                .order_by(column)
                .values()
            )
            if theirs != ours:
                raise RuntimeError(
                    f"{model._meta.label}.{field.name} refers to {target._meta.label} rows that this "
                    f"database holds otherwise, or not at all, under the same {column}: "
                    f"{[r for r in theirs if r not in ours][:3]}"
                )


def kept_or_built(
    key: Hashable, build: Callable[[], T], keys_of: Callable[[T], Any], load: Callable[[Any], T]
) -> T:
    """What ``build()`` returns: the first time in the run by building it and noting its rows; later, in
    this process or another, where allowed, by putting those rows back and reading the result with
    ``load(keys)``."""
    if key not in _TAKEN:
        with _shared(key) as path:
            if path is not None and path.exists():
                _TAKEN[key] = _read(path)
            elif not connection.in_atomic_block:  # a test that commits: rows are noted where they roll back
                return build()
            else:
                built, taken = _take(build, keys_of)
                _TAKEN[key] = taken
                if path is not None:
                    _write(path, taken)
                return built
    snapshot = _TAKEN[key]
    if snapshot is None or timezone.now() < snapshot.taken_at or not _free(snapshot):
        return build()
    with transaction.atomic():  # whole or not at all, in a test that commits too
        _put_back(snapshot)
    return load(snapshot.keys)
