"""The constitution in plain words: every rule has a name and a sentence, and every value a rule can take
as a code has words, so no page falls back to showing a key or a code."""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

import pytest

from commune.federation.constitution import DEFAULT_RULES, ElectionMethod, Rules
from commune.federation.constitution_words import (
    ELECTION_METHODS,
    RULE_CHOICES,
    RULE_LABELS,
    rule_label,
    rule_value_words,
)
from commune.federation.views.constitution import rules_changes, rules_in_words


def _rules() -> dict[str, Any]:
    """Every rule's key (``group.rule``) with the field that defines it."""
    return {
        f"{group}.{name}": field
        for group, group_field in Rules.model_fields.items()
        if group != "preamble"
        for name, field in group_field.annotation.model_fields.items()  # type: ignore[union-attr]
    }


def test_every_rule_has_a_name_and_a_sentence_of_its_own() -> None:
    """The constitution page words every rule in a sentence; none is shown as a bare name and value (the
    form kept for a rule from a newer release), and every rule has a name for tables and forms."""
    assert set(_rules()) | {"preamble"} == set(RULE_LABELS)
    sentences = [s for group in rules_in_words(DEFAULT_RULES) for s in group.sentences]
    for key in _rules():
        group, name = key.split(".")
        bare = f"{rule_label(key)}: {rule_value_words(key, DEFAULT_RULES[group][name])}."
        assert bare not in sentences, key
    assert (
        "Any executive's decision goes before its council for a vote once 25% of the council's seated "
        "delegates call it in." in sentences
    )


def test_every_value_a_rule_takes_as_a_code_has_words() -> None:
    """Each rule whose values are codes (a method, a preset, a procedure) says every one of them in words."""
    for key, field in _rules().items():
        if get_origin(field.annotation) is Literal:
            values = get_args(field.annotation)
            assert key in RULE_CHOICES, key
            assert set(values) <= set(RULE_CHOICES[key]), key
    assert set(get_args(ElectionMethod)) == set(ELECTION_METHODS)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("elections.delegate_method", "meek-stv", "the single transferable vote (Meek's method)"),
        ("elections.single_seat_method", "irv", "the instant-runoff vote"),
        ("decisions.constitutional_majority", "2/3", "two thirds"),
        ("decisions.industrial_action_preset", "tua-2016", "the Trade Union Act 2016"),
        ("recall.procedure", "recall-ballot", "a recall ballot"),
        ("ballots.member_votes_secret", False, "no"),
        ("executives.call_in_percent", "12.50", "12.5"),
        ("offices.pay_cap_multiple", "2", "2"),
        ("elections.allow_revote", None, "—"),
        ("somewhere.new_rule", "x-y", "x-y"),
    ],
)
def test_rule_values_in_words(key: str, value: Any, words: str) -> None:
    assert rule_value_words(key, value) == words


def test_the_powers_a_council_may_delegate_read_in_words() -> None:
    """The constitution page lists every power with what it lets an executive do, and says what can never
    be delegated; a power added or taken off the list reads as a rule of its own."""
    sentences = [s for group in rules_in_words(DEFAULT_RULES) for s in group.sentences]
    [powers] = [
        s for s in sentences if s.startswith("A council may delegate to an executive only these powers")
    ]
    assert (
        "to book venues (book halls and rooms for meetings, rallies and events); to print leaflets" in powers
    )
    assert "No power to fill, suspend or remove a seat or office, set anyone's pay, create a body" in powers
    executives = DEFAULT_RULES["executives"]
    after = {
        **DEFAULT_RULES,
        "executives": {
            **executives,
            "delegable_powers": {**executives["delegable_powers"], "run-the-canteen": "run the canteen"},
        },
    }
    [change] = rules_changes(DEFAULT_RULES, after)
    assert (change.label, change.before, change.after) == (
        "Power a council may delegate: to run the canteen",
        "—",
        "run the canteen",
    )


def test_a_change_of_method_reads_in_words() -> None:
    """What a new version changed is said with the rule's name and its values in words."""
    after = {**DEFAULT_RULES, "elections": {**DEFAULT_RULES["elections"], "delegate_method": "meek-stv"}}
    [change] = rules_changes(DEFAULT_RULES, after)
    assert (change.label, change.before, change.after) == (
        "Method for electing delegates",
        "the single transferable vote (Scottish rules)",
        "the single transferable vote (Meek's method)",
    )
    assert rule_label("somewhere.new_rule") == "New rule"
