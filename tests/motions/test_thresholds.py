"""The thresholds a vote must meet come from the constitution and are counted exactly by the tally."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from commune.federation.constitution import DecisionRules
from commune.motions.diff import text_diff, unified_diff, word_diff
from commune.motions.thresholds import decide, decision_rule, rule_from_json, rule_to_json


def test_ordinary_majority_is_more_than_half_and_constitutional_at_least_two_thirds() -> None:
    """A tie fails the ordinary majority; exactly two thirds passes the constitutional one."""
    rules = DecisionRules()
    ordinary = rule_to_json(decision_rule(rules))
    assert not decide(rule=ordinary, yes=5, no=5, abstain=0, electorate=20, present=None).passed
    constitutional = rule_to_json(decision_rule(rules, constitutional=True))
    assert decide(rule=constitutional, yes=10, no=5, abstain=0, electorate=20, present=None).passed
    assert not decide(rule=constitutional, yes=9, no=5, abstain=0, electorate=20, present=None).passed


def test_quorum_is_read_from_the_constitution() -> None:
    """With a 30% quorum of the electorate, 5 of 20 taking part is not enough however they vote."""
    rule = rule_to_json(decision_rule(DecisionRules(quorum_percent=Decimal(30))))
    result = decide(rule=rule, yes=5, no=0, abstain=0, electorate=20, present=None)
    assert not result.passed and result.failed_tests[0].name == "quorum"


def test_tua_2016_presets_apply_only_to_referendums_on_industrial_action() -> None:
    """The preset adds 50% turnout (and, for important public services, 40% of the electorate yes) to a
    referendum on industrial action, and to nothing else."""
    rules = DecisionRules(industrial_action_preset="tua-2016-important-public-services")
    strike = decision_rule(rules, referendum=True, industrial_action=True)
    assert (strike.turnout, strike.support) == (Fraction(1, 2), Fraction(2, 5))
    assert "important public services" in strike.name
    assert decision_rule(rules, referendum=False, industrial_action=True).turnout is None
    assert (
        decision_rule(
            DecisionRules(industrial_action_preset="none"), referendum=True, industrial_action=True
        ).turnout
        is None
    )
    assert rule_from_json(rule_to_json(strike)) == strike
    # 11 of 20 vote, all yes: 55% turnout, and 11 yes is at least 40% of 20 (8).
    assert decide(rule=rule_to_json(strike), yes=11, no=0, abstain=0, electorate=20, present=None).passed
    # 10 of 20 vote, 7 yes: 7 < 8 = 40% of the electorate, so it fails on support alone.
    failed = decide(rule=rule_to_json(strike), yes=7, no=3, abstain=0, electorate=20, present=None)
    assert [t.name for t in failed.failed_tests] == ["support"]


def test_amendment_diffs_read_line_by_line_and_word_by_word() -> None:
    """The diff marks removed and added lines and words, and keeps what is unchanged."""
    before, after = "Open a strike fund.\nAudit it yearly.", "Open a hardship fund.\nAudit it yearly."
    assert [(d.op, d.text) for d in text_diff(before, after)] == [
        ("-", "Open a strike fund."),
        ("+", "Open a hardship fund."),
        (" ", "Audit it yearly."),
    ]
    assert word_diff(before, after) == "Open a [-strike-] {+hardship+} fund. Audit it yearly."
    assert "-Open a strike fund." in unified_diff(before, after)
