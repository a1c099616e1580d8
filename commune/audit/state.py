"""The rows that confer power, held to the log: which they are, how they are written into log entries, and
how the state the log describes is rebuilt and compared with the tables.

Each app names its power-bearing models here from its ``AppConfig.ready`` (``power_rows_watch``), with the
fields that count and the path from a row to its organisation, so that this module imports no app. Every
change to such a row is written, as the row's new state, into the ``state`` list of a log entry of its
organisation (``commune.audit.capture``): ``{"model": "federation.delegation", "pk": 12, "fields": {...}}``
or ``{"model": ..., "pk": ..., "deleted": true}``. Replaying every entry's ``state`` in order, later
states replacing earlier ones, rebuilds what the tables must hold; anything else is a change made behind
the log's back.

A large batch of rows written by one act (a payment file's payments) may instead be held as one digest:
``{"model": ..., "group": {"field": "dues_import_id", "value": 7}, "fields": [...], "rows": N, "digest": ...}``
says that the rows of the model whose ``field`` is ``value`` are exactly ``N`` rows whose ids and ``fields``
hash to ``digest`` (``rows_digest``). The check recomputes it from the table, so a row of the batch changed,
added or deleted is caught as surely as a row held one by one. Such rows are never changed one by one.

Nothing here touches the database: the functions take rows and entries as values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from commune.audit.chain import canonical_json

#: The key of a log entry's payload that holds the rows the act wrote.
STATE_KEY = "state"


@dataclass(frozen=True)
class Watched:
    """A model whose rows confer power: the fields that count and the way to its organisation."""

    model: type[models.Model]
    fields: tuple[str, ...]
    #: Attribute path from a row to its organisation's id, e.g. ``council.organisation_id``.
    organisation: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()

    @property
    def organisation_lookup(self) -> str:
        """The same path as a query lookup (``council__organisation_id``)."""
        return self.organisation.replace(".", "__")

    def organisation_of(self, row: models.Model) -> int | None:
        value: Any = row
        for part in self.organisation.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return int(value)


_WATCHED: dict[str, Watched] = {}


def power_rows_watch(model: type[models.Model], *, fields: Iterable[str], organisation: str) -> None:
    """Hold ``model``'s rows to the log. Call from the owning app's ``AppConfig.ready``.

    ``fields`` are attribute names (``member_id`` for a foreign key); ``organisation`` is the attribute
    path from a row to its organisation's id.
    """
    names = tuple(fields)
    known = {f.attname for f in model._meta.concrete_fields}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"{model._meta.label} has no field {', '.join(unknown)}")
    watched = Watched(model, names, organisation)
    _WATCHED[watched.label] = watched
    from commune.audit.capture import capture_connect

    capture_connect(model)


#: A check of fields derived from held ones: given an organisation's id, it reads the rows and yields
#: (pk, field, the value the held fields make it, the value in the table) for each that differs.
DerivedCheck = Callable[[int], Iterable[tuple[int, str, Any, Any]]]

_DERIVED: dict[str, DerivedCheck] = {}


def power_rows_derived(model: type[models.Model], check: DerivedCheck) -> None:
    """Hold fields of a watched model that are computed from its held ones (a body's place in the tree, from
    its parent) to them: a query that trusts such a field (who votes for a council) is then as safe as the
    fields the log holds. Call from the owning app's ``AppConfig.ready``, after ``power_rows_watch``."""
    label = model._meta.label_lower
    if label not in _WATCHED:
        raise ValueError(f"{model._meta.label} is not held to the log")
    _DERIVED[label] = check


def derived_checks() -> list[tuple[Watched, DerivedCheck]]:
    """Every check of derived fields, with its model, in a fixed order."""
    return [(_WATCHED[label], _DERIVED[label]) for label in sorted(_DERIVED)]


def watched_models() -> list[Watched]:
    """Every watched model, in a fixed order."""
    return [_WATCHED[label] for label in sorted(_WATCHED)]


def watched(label_or_model: str | type[models.Model]) -> Watched | None:
    label = label_or_model if isinstance(label_or_model, str) else label_or_model._meta.label_lower
    return _WATCHED.get(label)


def value_plain(value: Any) -> Any:
    """A field's value as it is written into the log (JSON): dates and times in ISO form (UTC), decimals
    as text, JSON as it is. Values read back from the database give the same text on every backend."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [value_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): value_plain(v) for k, v in value.items()}
    return value


def row_state(label: str, pk: int, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """One row as it goes into an entry's ``state``: its fields, or that it was deleted (``values`` None)."""
    if values is None:
        return {"model": label, "pk": pk, "deleted": True}
    return {"model": label, "pk": pk, "fields": {name: value_plain(v) for name, v in values.items()}}


#: The state the log describes: (model label, pk) → fields, or None for a row the log says was deleted.
LogState = dict[tuple[str, int], dict[str, Any] | None]


def state_replay(states: Iterable[Iterable[Mapping[str, Any]]], into: LogState | None = None) -> LogState:
    """Apply each entry's ``state`` in order: a later state of a row replaces the earlier one."""
    result: LogState = {} if into is None else into
    for rows in states:
        state_apply(result, rows)
    return result


def state_apply(state: LogState, rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        key = (str(row["model"]), int(row["pk"]))
        state[key] = None if row.get("deleted") else dict(row.get("fields") or {})


#: ``canonical_json``, with one encoder made once: a batch has many rows.
_ROW_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode


class RowsDigest:
    """The digest of a batch of rows: each row's id and fields, in the order of their ids."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = tuple(fields)
        self.count = 0
        self._hash = hashlib.sha256()

    def add(self, pk: int, row: Mapping[str, Any]) -> None:
        self.add_values(pk, [row.get(n) for n in self.fields])

    def add_values(self, pk: int, values: Iterable[Any]) -> None:
        """``values``: the row's ``fields``, in their order."""
        self._hash.update(_ROW_ENCODE([pk, [value_plain(v) for v in values]]).encode())
        self._hash.update(b"\n")
        self.count += 1

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def rows_digest(
    label: str, field: str, value: Any, fields: Iterable[str], rows: Iterable[tuple[Any, ...]]
) -> dict[str, Any]:
    """The state of every row of ``label`` whose ``field`` is ``value``, as one digest: ``rows`` are those
    rows (``pk`` then ``fields``, as tuples), in the order of their ids."""
    digest = RowsDigest(fields)
    for row in rows:
        digest.add_values(int(row[0]), row[1:])
    return {
        "model": label,
        "group": {"field": field, "value": value_plain(value)},
        "fields": list(digest.fields),
        "rows": digest.count,
        "digest": digest.hexdigest(),
    }


@dataclass(frozen=True)
class RowDiscrepancy:
    """A row that is not as the log says: ``field`` differs, or the row is ``missing`` or ``extra``."""

    model: str
    title: str
    pk: int
    organisation_id: int
    #: "differs", "missing" (the log has it, the table does not), "extra" (the reverse), "batch" (the rows
    #: whose ``field`` is ``pk`` are not those the log's digest of them holds: ``logged`` and ``found`` count
    #: them) or "derived" (``field``, computed from held fields, is not what they make it: ``logged``)
    kind: str
    field: str = ""
    logged: Any = None
    found: Any = None

    def __str__(self) -> str:
        what = f"{self.title} #{self.pk}"
        if self.kind == "batch":
            return (
                f"{self.title} rows with {self.field} {self.pk} are not those the log holds ({self.logged} rows "
                f"logged, {self.found} found): rows were changed, added or deleted behind the log's back"
            )
        if self.kind == "missing":
            return f"{what} is in the log but not in the table: it was deleted behind the log's back"
        if self.kind == "extra":
            return f"{what} is in the table but no log entry wrote it: it was added behind the log's back"
        if self.kind == "derived":
            return (
                f"{what}: {self.field} is {_shown(self.found)} in the table, but what the log holds makes it "
                f"{_shown(self.logged)}: it was changed behind the log's back"
            )
        return f"{what}: {self.field} is {_shown(self.found)} in the table, but the log says {_shown(self.logged)}"


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def state_compare(
    state: LogState,
    tables: Iterable[tuple[Watched, Iterator[Mapping[str, Any]]]],
    *,
    organisation_id: int,
) -> Iterator[RowDiscrepancy]:
    """Compare the log's state with the rows of each watched table (``pk`` and its fields, as read from
    the database), naming every field that differs and every row missing or extra. Consumes ``state``."""
    for spec, rows in tables:
        for row in rows:
            pk = int(row["pk"])
            key = (spec.label, pk)
            logged = state.pop(key, None)
            if logged is None:
                yield RowDiscrepancy(spec.label, spec.title, pk, organisation_id, "extra")
                continue
            # Only the fields the log holds are compared: a field added to the watch later is held to the
            # log from the next entry that writes the row (or a new baseline).
            for name in spec.fields:
                found = value_plain(row[name])
                if name in logged and logged[name] != found:
                    yield RowDiscrepancy(
                        spec.label,
                        spec.title,
                        pk,
                        organisation_id,
                        "differs",
                        field=name,
                        logged=logged[name],
                        found=found,
                    )
    for (label, pk), fields in sorted(state.items()):
        gone = _WATCHED.get(label)
        if fields is not None and gone is not None:
            yield RowDiscrepancy(label, gone.title, pk, organisation_id, "missing")


_ABSENT = object()


def _fields_digest(values: list[Any]) -> bytes:
    return hashlib.blake2b(canonical_json(values).encode(), digest_size=16).digest()


class LeanState:
    """The state the log describes, held lean for a whole organisation: per row, which fields the log
    holds and a 16-byte digest of their values (the row key packed into one integer). Rows whose digest
    differs from the table's are only *suspects*: their fields are read again, in a second pass over the
    entries, to name what differs (``state_compare`` on just those rows)."""

    def __init__(self) -> None:
        self._labels: dict[str, int] = {}
        self._label_list: list[str] = []
        self._fieldsets: dict[tuple[str, ...], int] = {}
        self._fieldset_list: list[tuple[str, ...]] = []
        #: key → b"" for a row the log says was deleted, else fieldset index (2 bytes) + digest.
        self.rows: dict[int, bytes] = {}
        #: Batches held as one digest (``rows_digest``): (model label, value) → (fields, rows, digest).
        self.batches: dict[tuple[str, Any], tuple[tuple[str, ...], int, str]] = {}
        #: The field that names a model's batches.
        self.batch_field: dict[str, str] = {}

    def _key(self, label: str, pk: int) -> int:
        index = self._labels.get(label)
        if index is None:
            index = self._labels[label] = len(self._label_list)
            self._label_list.append(label)
        return pk * 1024 + index

    def _unkey(self, key: int) -> tuple[str, int]:
        return self._label_list[key % 1024], key // 1024

    def apply(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            if "group" in row:
                self._batch_apply(row)
                continue
            key = self._key(str(row["model"]), int(row["pk"]))
            if row.get("deleted"):
                self.rows[key] = b""
                continue
            fields = row.get("fields") or {}
            names = tuple(sorted(fields))
            fieldset = self._fieldsets.get(names)
            if fieldset is None:
                fieldset = self._fieldsets[names] = len(self._fieldset_list)
                self._fieldset_list.append(names)
            self.rows[key] = fieldset.to_bytes(2, "big") + _fields_digest([fields[n] for n in names])

    def _batch_apply(self, row: Mapping[str, Any]) -> None:
        label, group = str(row["model"]), row["group"]
        field = str(group["field"])
        if self.batch_field.setdefault(label, field) != field:
            raise ValueError(f"{label}'s batches are named by {self.batch_field[label]}, not {field}")
        fields = tuple(str(n) for n in row["fields"])
        self.batches[(label, group["value"])] = (fields, int(row["rows"]), str(row["digest"]))

    def compare(
        self, tables: Iterable[tuple[Watched, Iterator[Mapping[str, Any]]]], *, organisation_id: int
    ) -> Iterator[RowDiscrepancy | tuple[Watched, Mapping[str, Any]]]:
        """Rows extra or missing, and batches whose digest differs, as discrepancies; rows whose fields may
        differ, as (model, table row) for a closer look. Consumes the state."""
        found: dict[tuple[str, Any], RowsDigest] = {}
        for spec, table_rows in tables:
            batch_field = self.batch_field.get(spec.label)
            for row in table_rows:
                pk = int(row["pk"])
                if batch_field is not None:
                    batch = (spec.label, value_plain(row.get(batch_field)))
                    if batch in self.batches:
                        if batch not in found:
                            found[batch] = RowsDigest(self.batches[batch][0])
                        found[batch].add(pk, row)
                        self.rows.pop(self._key(spec.label, pk), None)
                        continue
                held = self.rows.pop(self._key(spec.label, pk), None)
                if not held:
                    yield RowDiscrepancy(spec.label, spec.title, pk, organisation_id, "extra")
                    continue
                names = self._fieldset_list[int.from_bytes(held[:2], "big")]
                values = [value_plain(row[n]) if n in row else _ABSENT for n in names]
                if _ABSENT in values or _fields_digest(values) != held[2:]:
                    yield spec, row
        for (label, value), (fields, count, digest) in sorted(self.batches.items(), key=str):
            seen = found.get((label, value)) or RowsDigest(fields)
            held_spec = _WATCHED.get(label)
            if held_spec is not None and (seen.count != count or seen.hexdigest() != digest):
                field = self.batch_field[label]
                pk = value if isinstance(value, int) else 0
                yield RowDiscrepancy(
                    label,
                    held_spec.title,
                    pk,
                    organisation_id,
                    "batch",
                    field=field,
                    logged=count,
                    found=seen.count,
                )
        for key in sorted(self.rows):
            if self.rows[key]:
                label, pk = self._unkey(key)
                gone = _WATCHED.get(label)
                if gone is not None:
                    yield RowDiscrepancy(label, gone.title, pk, organisation_id, "missing")
