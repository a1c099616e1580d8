"""The watched tables as a verification reads them (``commune.audit.table_reads``): compiled once and run
with each organisation's id, they give exactly the rows and values the ORM gives, one organisation's and
no other's, whatever the page size; on PostgreSQL the first pages take one round trip."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commune.audit import table_reads
from commune.audit.state import watched_models
from commune.audit.table_reads import TableRead, organisation_rows, organisation_tables
from tests.conftest import SmallFederation, build_federation


def _by_orm(organisation_id: int) -> list[tuple[str, list[dict[str, Any]]]]:
    return [
        (spec.label, list(organisation_rows(spec, organisation_id).order_by("pk")))
        for spec in watched_models()
    ]


def _read(organisation_id: int, **page: int) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(spec.label, list(rows)) for spec, rows in organisation_tables(organisation_id, **page)]


def test_each_organisation_gets_its_own_rows_as_the_orm_reads_them(federation: SmallFederation) -> None:
    other = build_federation(units_per_district=1, members_per_unit=3, slug="other")
    for organisation_id in (federation.org.pk, other.org.pk, federation.org.pk):
        expected = _by_orm(organisation_id)
        assert sum(len(rows) for _, rows in expected) > 20
        assert _read(organisation_id) == expected
    # Values come back converted as values() converts them (dates, booleans, JSON), not as raw columns.
    assert _read(other.org.pk) != _read(federation.org.pk)


@pytest.mark.parametrize("page", [1, 2, 3])
def test_a_table_longer_than_a_page_is_read_on_by_key(federation: SmallFederation, page: int) -> None:
    expected = _by_orm(federation.org.pk)
    assert max(len(rows) for _, rows in expected) > page
    assert _read(federation.org.pk, page=page) == expected


def test_a_table_whose_query_cannot_take_another_id_is_read_through_the_orm(
    federation: SmallFederation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table_reads, "_compiled", type(table_reads._compiled)())
    monkeypatch.setattr(TableRead, "compiled", classmethod(lambda cls, spec, database, page: None))
    assert _read(federation.org.pk) == _by_orm(federation.org.pk)


def test_the_first_pages_take_one_query_on_postgresql_and_one_a_table_otherwise(
    federation: SmallFederation,
) -> None:
    list(organisation_tables(federation.org.pk))  # compiled
    with CaptureQueriesContext(connection) as queries:
        for _, rows in organisation_tables(federation.org.pk):
            list(rows)
    expected = 1 if connection.vendor == "postgresql" else len(watched_models())
    assert len(queries.captured_queries) == expected
