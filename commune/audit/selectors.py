"""Reads of the provenance log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from commune.audit.models import ChainVerification, LogEntry, StateRow
from commune.audit.state import STATE_KEY, row_state, rows_digest, watched
from commune.federation.models import Body


def log_entries_newest_first(
    *, organisation_id: int, body_id: int | None = None, action: str | None = None
) -> QuerySet[LogEntry]:
    """An organisation's log, newest first, each entry with ``body_code`` (the code of the body it concerns,
    read in the same query).

    ``action`` is an exact action (``delegate.seated``) or, ending in a dot, a family (``member.``).
    """
    entries = LogEntry.objects.filter(organisation_id=organisation_id)
    if body_id is not None:
        entries = entries.filter(body_id=body_id)
    if action:
        entries = (
            entries.filter(action__startswith=action)
            if action.endswith(".")
            else entries.filter(action=action)
        )
    return entries.annotate(
        body_code=Subquery(Body.objects.filter(pk=OuterRef("body_id")).values("code")[:1])
    ).order_by("-seq")


#: How many past checks the integrity page lists.
RECENT_VERIFICATIONS = 20


def chain_verifications_recent(*, organisation_id: int) -> list[ChainVerification]:
    """The organisation's latest checks, newest first."""
    return list(
        ChainVerification.objects.filter(organisation_id=organisation_id).order_by("-verified_at", "-pk")[
            :RECENT_VERIFICATIONS
        ]
    )


def rows_logged(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any] | None]:
    """Each row's state as the log last recorded it (None when the log says it was deleted), found through
    the ``StateRow`` index: two queries however many rows. Rows the log never recorded are absent."""
    wanted: dict[str, set[int]] = {}
    for label, pk in keys:
        wanted.setdefault(label, set()).add(pk)
    if not wanted:
        return {}
    where = Q()
    for label, pks in wanted.items():
        where |= Q(model=label, row_pk__in=sorted(pks))
    latest = StateRow.objects.filter(where).values("model", "row_pk").annotate(entry=Max("entry_id"))
    entry_of = {(row["model"], row["row_pk"]): row["entry"] for row in latest}
    payloads = dict(LogEntry.objects.filter(pk__in=set(entry_of.values())).values_list("pk", "payload"))
    found: dict[tuple[str, int], dict[str, Any] | None] = {}
    for key, entry_id in entry_of.items():
        payload = payloads.get(entry_id)
        rows = payload.get(STATE_KEY, []) if isinstance(payload, dict) else []
        for row in rows:
            if (row.get("model"), row.get("pk")) == key:
                found[key] = None if row.get("deleted") else dict(row.get("fields") or {})
    return found


#: Largest ``pk IN (...)`` list in one query.
_CHUNK = 900


def rows_read(keys: Iterable[tuple[str, int]], *, using: str) -> list[dict[str, Any]]:
    """Each row's state as the database now holds it (deleted when it is not there)."""
    by_model: dict[str, list[int]] = {}
    for label, pk in keys:
        by_model.setdefault(label, []).append(pk)
    states: list[dict[str, Any]] = []
    for label in sorted(by_model):
        spec = watched(label)
        assert spec is not None
        pks = sorted(set(by_model[label]))
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(pks), _CHUNK):
            chunk = pks[start : start + _CHUNK]
            for values in (
                spec.model._base_manager.using(using).filter(pk__in=chunk).values("pk", *spec.fields)
            ):
                found[values.pop("pk")] = values
        states.extend(row_state(label, pk, found.get(pk)) for pk in pks)
    return states


def rows_digest_read(label: str, *, field: str, value: Any, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """The state of every row of ``label`` whose ``field`` is ``value``, as one digest to put in the
    ``state`` of the entry of the act that wrote them all (``commune.audit.state.rows_digest``), read as
    the transaction sees them. The check recomputes it from the table."""
    spec = watched(label)
    if spec is None or field not in spec.fields:
        raise ValueError(f"{label} is not held to the log with the field {field}")
    rows = (
        spec.model._base_manager.using(using)
        .filter(**{field: value})
        .order_by("pk")
        .values_list("pk", *spec.fields)
        .iterator(5000)
    )
    return rows_digest(label, field, value, spec.fields, rows)


def rows_disagreeing(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Of the given rows that confer power, those not as the log last recorded them, each with why: a
    field that differs, a row the log never recorded, or one it records as deleted. Reads each model's rows
    in one query and the log in two, however many rows."""
    wanted = sorted({(label, pk) for label, pk in keys if watched(label) is not None})
    if not wanted:
        return {}
    current = {(r["model"], r["pk"]): r for r in rows_read(wanted, using=DEFAULT_DB_ALIAS)}
    logged = rows_logged(wanted)
    wrong: dict[tuple[str, int], str] = {}
    for key in wanted:
        row = current[key]
        if key not in logged:
            if not row.get("deleted"):
                wrong[key] = "no log entry records this row"
            continue
        fields = logged[key]
        if fields is None:
            if not row.get("deleted"):
                wrong[key] = "the log records this row as deleted"
            continue
        if row.get("deleted"):
            wrong[key] = "the row the log records is gone"
            continue
        for name, value in row["fields"].items():
            if name in fields and fields[name] != value:
                wrong[key] = f"its {name} is {value!r} here but {fields[name]!r} in the log"
                break
    return wrong
