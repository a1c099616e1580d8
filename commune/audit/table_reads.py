"""Reading every watched table's rows of one organisation, as a verification compares them with the log.

There are some fifty watched tables, and the comparison reads them all whatever the organisation's size;
the test suite makes it after every test. Built through the ORM each time, the fifty queries cost more in
Python than the database spends answering them, and on PostgreSQL each is a round trip of its own. So:

- each table's query (its rows of the organisation, as ``values("pk", *fields)``, by key, a page at a
  time) is compiled once per database connection, with a stand-in organisation id whose place among the
  query's parameters is noted; a read puts the real id in that place and runs the same SQL, converting
  the columns as the ORM's ``values()`` would (``TableRead``);
- on PostgreSQL the first page of every table is asked for in one round trip (``statements_run``);
  SQLite answers in-process, one statement each.

A table with more rows of the organisation than a page holds is read on by key through the ORM
(``rows_by_key``), so memory stays bounded however large the organisation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

from commune.audit.state import Watched, watched_models
from commune.rows import rows_by_key
from commune.statements import statements_run

#: Rows read a query; a table with more rows of the organisation is read on a page at a time.
PAGE = 2000
#: An organisation id no row holds (ids are positive): it marks where the real one goes in the parameters.
_STAND_IN = -7_340_033


def organisation_rows(spec: Watched, organisation_id: int) -> QuerySet[Any, dict[str, Any]]:
    """The organisation's rows of the watched table, as the comparison reads them."""
    return spec.model._base_manager.filter(**{spec.organisation_lookup: organisation_id}).values(
        "pk", *spec.fields
    )


@dataclass(frozen=True)
class TableRead:
    """One table's first page, compiled: run it with another organisation's id (``rows``)."""

    spec: Watched
    sql: str
    params: tuple[Any, ...]
    #: Where the organisation's id goes in ``params``.
    slot: int
    names: tuple[str, ...]
    compiler: SQLCompiler
    converters: dict[int, Any]

    @classmethod
    def compiled(cls, spec: Watched, database: BaseDatabaseWrapper, page: int) -> TableRead | None:
        """None where the stand-in id is not exactly one of the query's parameters (it cannot be swapped
        for the real one): that table is then read through the ORM."""
        queryset = organisation_rows(spec, _STAND_IN).order_by("pk")[:page]
        compiler = queryset.query.get_compiler(connection=database)
        sql, params = compiler.as_sql()
        slots = [index for index, value in enumerate(params) if value == _STAND_IN]
        if len(slots) != 1:
            return None
        query = queryset.query
        return cls(
            spec=spec,
            sql=sql,
            params=tuple(params),
            slot=slots[0],
            names=(*query.extra_select, *query.values_select, *query.annotation_select),
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]]),
        )

    def arguments(self, organisation_id: int) -> list[Any]:
        params = list(self.params)
        params[self.slot] = organisation_id
        return params

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        """The rows the database answered, as ``values()`` would give them."""
        converted = self.compiler.apply_converters(raw, self.converters) if self.converters else raw
        return [dict(zip(self.names, row, strict=True)) for row in converted]


#: Per database connection (a thread's own), per page size: each watched table's read, compiled.
_compiled: WeakKeyDictionary[BaseDatabaseWrapper, dict[int, list[tuple[Watched, TableRead | None]]]] = (
    WeakKeyDictionary()
)


def _reads(database: BaseDatabaseWrapper, page: int) -> list[tuple[Watched, TableRead | None]]:
    by_page = _compiled.setdefault(database, {})
    if page not in by_page:
        by_page[page] = [(spec, TableRead.compiled(spec, database, page)) for spec in watched_models()]
    return by_page[page]


def organisation_tables(
    organisation_id: int, *, page: int = PAGE
) -> Iterator[tuple[Watched, Iterator[dict[str, Any]]]]:
    """Every watched table (in ``watched_models`` order) with the organisation's rows of it, by key,
    ``page`` rows a query."""
    database = connections[router.db_for_read(watched_models()[0].model)]
    reads = _reads(database, page)
    compiled = [read for _, read in reads if read is not None]
    first = _first_pages(database, compiled, organisation_id)
    pages = {read.spec.label: rows for read, rows in zip(compiled, first, strict=True)}
    for spec, _ in reads:
        yield spec, _read_on(spec, organisation_id, pages.get(spec.label), page)


def _first_pages(
    database: BaseDatabaseWrapper, reads: list[TableRead], organisation_id: int
) -> list[list[dict[str, Any]]]:
    statements = [(read.sql, read.arguments(organisation_id)) for read in reads]
    return [
        read.rows(cursor.fetchall())
        for read, cursor in zip(reads, statements_run(database, statements), strict=True)
    ]


def _read_on(
    spec: Watched, organisation_id: int, first: list[dict[str, Any]] | None, page: int
) -> Iterator[dict[str, Any]]:
    if first is None:
        yield from rows_by_key(organisation_rows(spec, organisation_id), ("pk",), page)
        return
    yield from first
    if len(first) == page:
        rest = organisation_rows(spec, organisation_id).filter(pk__gt=first[-1]["pk"])
        yield from rows_by_key(rest, ("pk",), page)
