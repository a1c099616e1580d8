"""Model instances from the rows of a query written out in SQL, for the few reads on the busiest path.

``Model.objects.raw`` works out, on every call, which of the cursor's columns belong to which field and in
what order to build the model; on a request that does little else (casting a vote) that costs more than
the query itself. Here the columns are named once per model (``row_columns``), in the model's own order,
and the instance is built straight from the row (``row_instance``) with the converters the database
backend would apply (SQLite returns times as text and booleans as integers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Q, QuerySet

from commune.statements import database_operations

M = TypeVar("M", bound=Model)
R = TypeVar("R")

_Converters = tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
_converters: dict[tuple[str, str, type[Model]], _Converters] = {}
_columns: dict[tuple[type[Model], str], str] = {}


def row_columns(model: type[Model], alias: str) -> str:
    """Every concrete column of ``model`` under the table alias ``alias``, in the model's field order:
    the select list ``row_instance`` reads back (named once per model and alias, for the default database,
    whose kind does not change in a process)."""
    key = (model, alias)
    found = _columns.get(key)
    if found is None:
        quote = database_operations().quote_name
        found = _columns[key] = ", ".join(
            f"{alias}.{quote(str(field.column))}" for field in model._meta.concrete_fields
        )
    return found


def _converters_of(database: Any, model: type[Model]) -> _Converters:
    key = (database.alias, database.vendor, model)
    found = _converters.get(key)
    if found is None:
        built = []
        for index, field in enumerate(model._meta.concrete_fields):
            column = field.get_col(model._meta.db_table)
            functions = tuple(database.ops.get_db_converters(column) + field.get_db_converters(database))
            if functions:
                built.append((index, functions, column))
        found = _converters[key] = tuple(built)
    return found


def row_instance(model: type[M], row: Sequence[Any], start: int = 0) -> M:
    """The ``model`` instance whose columns (``row_columns``) begin at ``row[start]``, as loaded from the
    database (not ``adding``, so saving it updates)."""
    database = connections[DEFAULT_DB_ALIAS]
    fields = model._meta.concrete_fields
    values = list(row[start : start + len(fields)])
    for index, functions, column in _converters_of(database, model):
        value = values[index]
        for function in functions:
            value = function(value, column, database)
        values[index] = value
    return model.from_db(database.alias, (), values)


def rows_by_key(queryset: QuerySet[Any, R], key: Sequence[str], size: int) -> Iterator[R]:
    """The rows of ``queryset`` in the order of the fields ``key`` (unique together), read ``size`` at a
    time from where the last read ended. Memory stays bounded however long the table, as with
    ``iterator()``, but without its server-side cursor on PostgreSQL, which takes three round trips
    however few rows there are: reading a small table costs one query. The rows may be instances or
    ``values()`` dicts holding the key's fields."""
    ordered = queryset.order_by(*key)
    after: tuple[Any, ...] | None = None
    while True:
        page = list((ordered if after is None else ordered.filter(_after(key, after)))[:size])
        yield from page
        if len(page) < size:
            return
        last = page[-1]
        after = tuple(last[k] if isinstance(last, dict) else getattr(last, k) for k in key)


def _after(key: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows whose ``key`` comes after ``values`` in that order: (a, b) > (x, y) is a > x, or a = x and b > y."""
    head, *rest = key
    later = Q(**{f"{head}__gt": values[0]})
    if not rest:
        return later
    return later | (Q(**{head: values[0]}) & _after(rest, values[1:]))
