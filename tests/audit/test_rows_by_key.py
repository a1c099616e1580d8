"""Reading a table in key order a batch at a time (``commune.rows.rows_by_key``), as the log's verification
does: every row once, in order, whatever the batch size, and a small table in one query."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commune.audit.models import LogEntry
from commune.rows import rows_by_key
from tests.conftest import SmallFederation


def test_every_row_is_read_once_in_key_order_whatever_the_batch(federation: SmallFederation) -> None:
    entries = LogEntry.objects.filter(organisation=federation.org)
    in_order = list(entries.order_by("seq", "pk").values_list("pk", flat=True))
    assert len(in_order) > 5
    for size in (1, 2, 3, len(in_order) - 1, len(in_order), len(in_order) + 1):
        assert [e.pk for e in rows_by_key(entries, ("seq", "pk"), size)] == in_order
        assert [r["pk"] for r in rows_by_key(entries.values("pk"), ("pk",), size)] == sorted(in_order)


def test_a_table_smaller_than_a_batch_is_one_query(federation: SmallFederation) -> None:
    entries = LogEntry.objects.filter(organisation=federation.org)
    with CaptureQueriesContext(connection) as queries:
        read = list(rows_by_key(entries, ("seq", "pk"), 10_000))
    assert read and len(queries.captured_queries) == 1
