"""The constitution's list of delegable powers: each power has a name and a description, and nothing that
belongs to the members alone can be listed, whatever it is called (a second line of defence: the list is
changed only by a referendum of the membership)."""

from __future__ import annotations

import pytest

from commune.federation.constitution import (
    DEFAULT_DELEGABLE_POWERS,
    ConstitutionError,
    power_undelegable_reason,
    rules_validate,
)
from commune.governance.powers import RESERVED_POWERS


def _listing(powers: dict[str, str]) -> dict[str, object]:
    return {"executives": {"delegable_powers": powers}}


def test_the_default_list_is_in_force_and_delegable() -> None:
    assert rules_validate({}).executives.delegable_powers == DEFAULT_DELEGABLE_POWERS
    for name, description in DEFAULT_DELEGABLE_POWERS.items():
        assert power_undelegable_reason(name, description) is None, name


@pytest.mark.parametrize("power", sorted(RESERVED_POWERS))
def test_no_reserved_power_can_be_listed_under_its_own_name(power: str) -> None:
    with pytest.raises(ConstitutionError, match=f"'{power}' cannot be delegated, whatever it is called"):
        rules_validate(_listing({power: "help with the work"}))


@pytest.mark.parametrize(
    ("name", "description", "why"),
    [
        ("staffing", "appoint the organisers the committee needs", "every seat and office"),
        ("rota", "fill the secretary's post while it is vacant", "every seat and office"),
        ("budget", "set the officers' allowances", "pay is set only within"),
        ("grades", "review wage bands", "pay is set only within"),
        ("working-groups", "set up committees for each campaign", "only a council creates"),
        ("final-word", "veto what the council decides", "nothing overrules a council"),
        ("discipline", "expel members who break the strike", "admitted and expelled"),
        ("roll-keeping", "lapse members who do not pay", "admitted and expelled"),
        ("platforms", "decide which factions may organise", "a tendency belongs"),
        ("standing-orders", "interpret and revise the rules between congresses", "the rules change only"),
        ("emergency", "use emergency powers in a dispute", "never power in general"),
    ],
)
def test_a_power_is_refused_by_what_its_description_says(name: str, description: str, why: str) -> None:
    """An innocent name does not carry a description that does what no council may delegate."""
    with pytest.raises(ConstitutionError, match=why):
        rules_validate(_listing({name: description}))


@pytest.mark.parametrize(
    ("powers", "problem"),
    [
        ({"Book Venues": "book halls"}, "is not a power name"),
        ({"book-venues": "  "}, "needs a description"),
        ({"book-venues": "x" * 301}, "needs a description"),
    ],
)
def test_each_listed_power_has_a_name_and_a_description(powers: dict[str, str], problem: str) -> None:
    with pytest.raises(ConstitutionError, match=problem):
        rules_validate(_listing(powers))


def test_a_council_may_be_allowed_to_delegate_nothing() -> None:
    assert rules_validate(_listing({})).executives.delegable_powers == {}
