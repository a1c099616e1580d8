"""A constitution version names the referendum that carried it by a plain id (``federation.0005``): the
migration carries every version's referendum across and back, and the database still refuses a later
version without one."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from commune.federation.models import ConstitutionVersion
from tests.governance.conftest import Fed
from tests.referendum import constitution_amend

BEFORE = [("federation", "0004_organisation_currency")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    """To ``targets``, or (none given) forward to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())


def test_the_migration_carries_each_versions_referendum(transactional_db: None, fed: Fed) -> None:
    rules = dict(ConstitutionVersion.objects.get(organisation=fed.org, number=1).rules)
    rules["offices"] = {**rules["offices"], "term_months": 6}
    referendum = constitution_amend(fed.org, rules).referendum_id
    assert referendum is not None
    before = list(ConstitutionVersion.objects.order_by("pk").values_list("pk", "number", "referendum_id"))

    _migrate(BEFORE)
    _migrate()

    assert (
        list(ConstitutionVersion.objects.order_by("pk").values_list("pk", "number", "referendum_id"))
        == before
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ConstitutionVersion.objects.create(
            organisation=fed.org, number=3, adopted_at=fed.org.founded_at, rules={}
        )
