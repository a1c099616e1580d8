"""The migration that stores each referral's rule fills the referrals already made with the rule that
applies to each, so every stored result stays true to how it was decided."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commune.motions.models import Referral, Vote
from tests.motions.conftest import Fed, all_vote, close
from tests.motions.test_vote_rules import UNITS, refer, unit_votes

BEFORE = [("motions", "0001_initial")]
AFTER = [("motions", "0002_referral_rule")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _migrate_to_latest() -> None:
    """Where the suite's other tests expect the schema to be once this one is done. Going back before a
    migration also unapplies every later one that depends on it, in other apps too: forward again means
    every app's latest."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_referrals_get_the_rule_that_decides_them(transactional_db: None, fed: Fed) -> None:
    """A referendum gets its ballot's rule; a referral to the assemblies still open, the rule its units
    vote under (here the constitutional majority); one already decided, the ordinary majority of the
    constitution in force when it closed, which is what decided it."""
    referendum = refer(fed, "D1", (11, 16), "referendum", constitutional=True)
    still_open = refer(fed, "CONGRESS", (3, 11), "assemblies", constitutional=True)
    decided = refer(fed, "D0", (3, 6), "assemblies", constitutional=True)
    for code, vote_id in unit_votes(decided).items():
        all_vote(fed, vote_id, dict.fromkeys(UNITS[code], "yes"))
        close(fed, UNITS[code][0], vote_id)
    assert Referral.objects.get(pk=decided["id"]).closed_at is not None

    _migrate(BEFORE)
    _migrate(AFTER)
    try:
        _check(referendum, still_open, decided)
    finally:
        _migrate_to_latest()


def _check(referendum: Any, still_open: Any, decided: Any) -> None:
    # Only the columns the migration under test knows of: later migrations are not applied yet.
    rules = dict(Referral.objects.values_list("id", "rule"))
    ballot = Vote.objects.only("rule").get(referral_id=referendum["id"])
    assert rules[referendum["id"]] == ballot.rule
    assert rules[referendum["id"]]["name"] == "constitutional majority"
    unit_rules = {
        tuple(sorted(v.rule.items())) for v in Vote.objects.only("rule").filter(referral_id=still_open["id"])
    }
    assert unit_rules == {tuple(sorted(rules[still_open["id"]].items()))}
    assert rules[still_open["id"]]["majority"] == "2/3"
    assert rules[decided["id"]] == {
        "name": "ordinary majority",
        "majority": "1/2",
        "majority_strict": True,
        "abstentions_count": False,
        "quorum": "1/10",
        "quorum_of": "electorate",
        "turnout": None,
        "support": None,
    }
