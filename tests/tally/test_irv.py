"""Instant-runoff voting: known answers, the tie rule, and the bookkeeping of every stage."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commune.tally.irv import irv
from commune.tally.types import Ballot, Election, TallyError, Transfer

TENNESSEE = ("Memphis", "Nashville", "Chattanooga", "Knoxville")


def tennessee() -> Election:
    """Wikipedia, "Instant-runoff voting", the Tennessee capital example (percentages as papers)."""
    return Election(
        candidates=TENNESSEE,
        seats=1,
        ballots=(
            Ballot.of("Memphis", "Nashville", "Chattanooga", "Knoxville", count=42),
            Ballot.of("Nashville", "Chattanooga", "Knoxville", "Memphis", count=26),
            Ballot.of("Chattanooga", "Knoxville", "Nashville", "Memphis", count=15),
            Ballot.of("Knoxville", "Chattanooga", "Nashville", "Memphis", count=17),
        ),
    )


def test_tennessee_capital_elects_knoxville() -> None:
    """Wikipedia's IRV Tennessee example: Chattanooga then Nashville are excluded; Knoxville wins 58-42."""
    result = irv(tennessee(), seats=1)
    assert result.elected == ("Knoxville",)
    assert [s.action for s in result.stages] == ["first-preferences", "exclusion", "exclusion"]
    assert [s.excluded for s in result.stages] == [(), ("Chattanooga",), ("Nashville",)]
    first, second, third = (dict(s.totals) for s in result.stages)
    assert first == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}
    assert second == {"Memphis": 42, "Nashville": 26, "Chattanooga": 0, "Knoxville": 32}
    assert third == {"Memphis": 42, "Nashville": 0, "Chattanooga": 0, "Knoxville": 58}
    assert result.stages[1].transfers == (Transfer("Chattanooga", "Knoxville", Decimal(15)),)
    assert result.stages[2].transfers == (Transfer("Nashville", "Knoxville", Decimal(26)),)
    assert result.stages[-1].elected == ("Knoxville",)
    assert result.valid_poll == 100
    assert result.tie_breaks == ()


def test_first_round_majority_ends_the_count() -> None:
    """A candidate with more than half of the first preferences is elected at once."""
    election = Election(
        ("A", "B", "C"), 1, (Ballot.of("A", count=6), Ballot.of("B", "A", count=3), Ballot.of("C"))
    )
    result = irv(election, seats=1)
    assert result.elected == ("A",)
    assert len(result.stages) == 1


def test_majority_is_of_continuing_votes_not_of_all_papers() -> None:
    """Exhausted papers leave the count: 4 of 7 continuing votes is a majority though 4 of 10 papers is not."""
    election = Election(
        ("A", "B", "C"),
        1,
        (Ballot.of("A", count=4), Ballot.of("B", count=3), Ballot.of("C", count=3)),
    )
    # B and C tie at 3 with no earlier stage: a lot excludes one; the other then holds 3 of 7.
    result = irv(election, seats=1, seed=0)
    assert result.elected == ("A",)
    final = result.stages[-1]
    assert final.non_transferable == 3
    assert final.totals["A"] == 4


def test_exclusion_tie_goes_back_to_the_earlier_stage() -> None:
    """B and C tie at stage 2; C had fewer votes at stage 1, so C is excluded without a lot."""
    election = Election(
        ("A", "B", "C", "D"),
        1,
        (
            Ballot.of("A", count=10),
            Ballot.of("B", "A", count=6),
            Ballot.of("C", "A", count=5),
            Ballot.of("D", "B", count=1),
            Ballot.of("D", "C", count=2),
        ),
    )
    result = irv(election, seats=1, seed=123)
    assert result.stages[1].excluded == ("D",)
    assert result.stages[1].totals["B"] == result.stages[1].totals["C"] == 7
    assert result.stages[2].excluded == ("C",)
    (tie,) = result.tie_breaks
    assert (tie.tied, tie.chosen, tie.rule, tie.purpose) == (("B", "C"), "C", "earlier-stage", "exclusion")
    assert tie.seed is None
    assert result.elected == ("A",)


def test_tie_without_history_is_settled_by_a_reproducible_seeded_lot() -> None:
    """A first-stage tie is drawn by lot: the seed is recorded and the same seed gives the same count."""
    election = Election(
        ("A", "B", "C"),
        1,
        (Ballot.of("A", "C", count=2), Ballot.of("B", "C", count=2), Ballot.of("C", count=3)),
    )
    outcomes = {}
    for seed in range(20):
        result = irv(election, seats=1, seed=seed)
        (tie,) = result.tie_breaks
        assert tie.rule == "lot" and tie.seed == seed and tie.tied == ("A", "B")
        assert result.stages[1].excluded == (tie.chosen,)
        assert irv(election, seats=1, seed=seed) == result
        outcomes[seed] = tie.chosen
    assert set(outcomes.values()) == {"A", "B"}


def test_every_stage_accounts_for_the_whole_valid_poll() -> None:
    """At every stage, the totals plus the exhausted papers equal the valid poll."""
    result = irv(tennessee(), seats=1)
    for stage in result.stages:
        assert sum(stage.totals.values()) + stage.non_transferable + stage.loss == result.valid_poll


def test_withdrawn_candidate_is_skipped_on_every_paper() -> None:
    """Papers for a withdrawn candidate count for their next preference from the start."""
    election = Election(
        ("A", "B", "W"),
        1,
        (Ballot.of("W", "B", count=5), Ballot.of("A", count=4)),
        withdrawn=frozenset({"W"}),
    )
    result = irv(election, seats=1)
    assert result.candidates == ("A", "B")
    assert dict(result.stages[0].totals) == {"A": 4, "B": 5}
    assert result.elected == ("B",)


def test_papers_ranking_no_standing_candidate_are_not_valid_votes() -> None:
    """A blank paper, or one ranking only withdrawn candidates, is left out of the valid poll."""
    election = Election(
        ("A", "B", "W"),
        1,
        (Ballot((), count=3), Ballot.of("W", count=2), Ballot.of("A", count=2), Ballot.of("B")),
        withdrawn=frozenset({"W"}),
    )
    assert irv(election, seats=1).valid_poll == 3


@pytest.mark.parametrize(
    ("election", "seats", "message"),
    [
        (Election(("A", "B"), 2, (Ballot.of("A"),)), 2, "one seat"),
        (Election(("A", "B"), 1, (Ballot.of("A", "Z"),)), 1, "unknown candidate 'Z'"),
        (Election(("A", "B"), 1, (Ballot((("A", "B"),)),)), 1, "strict rankings"),
        (Election(("A", "B"), 1, (Ballot.of("A", count=-1),)), 1, "negative count"),
        (Election(("A", "A"), 1, ()), 1, "twice"),
        (Election(("A", "B"), 1, (), withdrawn=frozenset({"A", "B"})), 1, "cannot fill"),
        (Election(("A",), 1, (), withdrawn=frozenset({"Q"})), 1, "not standing"),
    ],
)
def test_impossible_requests_raise_tally_error(election: Election, seats: int, message: str) -> None:
    """Bad ballots and impossible seat counts are refused with a message saying what is wrong."""
    with pytest.raises(TallyError, match=message):
        irv(election, seats=seats)


def test_a_repeated_preference_ends_the_paper() -> None:
    """As in the Scottish count, preferences after a candidate's second mark are ignored."""
    election = Election(
        ("A", "B", "C"),
        1,
        (Ballot.of("C", "C", "A", count=2), Ballot.of("A", count=3), Ballot.of("B", count=4)),
    )
    result = irv(election, seats=1)
    # C's papers exhaust when C is excluded instead of passing to A, so B keeps the lead.
    assert result.stages[1].transfers == (Transfer("C", None, Decimal(2)),)
    assert result.elected == ("B",)


def test_inputs_are_left_untouched() -> None:
    """Counting does not alter the election it was given."""
    election = tennessee()
    before = repr(election)
    irv(election, seats=1)
    assert repr(election) == before
