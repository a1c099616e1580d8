"""A database from before rows of power were held to the log gets a baseline when it is migrated: one
entry per organisation and table with every such row as it stood; from then on they are held to the log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commune.audit import services
from commune.audit.chain import SCHEME_PLAIN
from commune.audit.models import LogEntry
from commune.audit.verification import chain_verify
from commune.federation.models import Delegation
from tests.conftest import build_federation


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_baseline_holds_the_rows_as_they_stood_and_later_edits_are_named(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database from before the baseline also predates erasable text: its entries hash their text as it
    # stands, so the migrations can be taken back past audit 0007.
    with monkeypatch.context() as before:
        before.setattr(services, "SCHEME_COMMITTED", SCHEME_PLAIN)
        fed = build_federation(slug="bl")
    seat = Delegation.objects.get(council=fed.congress)
    _migrate([("audit", "0004_chain_verifications")])
    try:
        # Before the baseline, an edit the log never saw is taken as it stands: it cannot be told apart.
        Delegation.objects.filter(pk=seat.pk).update(source="edited before the upgrade")
    finally:
        _migrate_to_latest()

    baseline = list(LogEntry.objects.filter(organisation=fed.org, action="state.baseline").order_by("seq"))
    models = [entry.payload["state"][0]["model"] for entry in baseline]
    assert "federation.delegation" in models and "federation.membership" in models
    assert len(models) == len(set(models))
    seats = next(e for e in baseline if e.payload["state"][0]["model"] == "federation.delegation")
    assert "the 2 delegations as they stood" in seats.summary
    assert {r["fields"]["source"] for r in seats.payload["state"]} == {
        "test election",
        "edited before the upgrade",
    }
    assert chain_verify(organisation_id=fed.org.pk).ok

    Delegation.objects.filter(pk=seat.pk).update(member=fed.members["m9"])
    report = chain_verify(organisation_id=fed.org.pk)
    assert [(d.model, d.pk, d.field) for d in report.discrepancies] == [
        ("federation.delegation", seat.pk, "member_id")
    ]
    Delegation.objects.filter(pk=seat.pk).update(member=fed.members["m3"])
