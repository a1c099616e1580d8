"""Casual vacancies filled by a Hare-Clark countback of the departed member's papers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commune.tally import Ballot, Election, TallyError, scottish_stv
from commune.tally.countback import countback

# Quota 11 of 30 for 2 seats. A has 16 and a surplus of 5, passed on at 5/16 = 0.3125, so each of
# A's papers keeps 0.6875 for A. B then wins the second seat (see the worked count below).
ELECTION = Election(
    tuple("ABCDE"),
    2,
    (
        Ballot.of("A", "B", count=8),
        Ballot.of("A", "E", count=4),
        Ballot.of("A", "C", "E", count=3),
        Ballot.of("A", "D", "C", count=1),
        Ballot.of("B", count=5),
        Ballot.of("C", count=4),
        Ballot.of("D", count=3),
        Ballot.of("E", "D", count=2),
    ),
)


def test_worked_example() -> None:
    """A leaves; the 16 papers that elected A are recounted at 0.6875 each among C, D and E.

    By hand: the 8 papers A-B have no contesting preference (B holds a seat) and leave the recount.
    Round 1: E 4 × 0.6875 = 2.75; C 3 × 0.6875 = 2.0625; D 0.6875. E has exactly half of 5.5, not
    more, so D, the lowest, is excluded and A-D-C passes to C: C 2.75, E 2.75. Still no majority; C
    and E tie, and at the most recent round where they differed (round 1) C had fewer, so C is
    excluded: A-C-E passes to E (2.0625), A-D-C has no one left. E holds 4.8125 of 4.8125 and fills
    the seat.
    """
    outcome = countback(ELECTION, departed="A")
    assert outcome.original.elected == ("A", "B")
    assert outcome.filled_by == "E"
    recount = outcome.recount
    assert recount.valid_poll == 11  # the quota: 16 papers × 0.6875
    assert [dict(s.totals) for s in recount.stages] == [
        {"C": Decimal("2.0625"), "D": Decimal("0.6875"), "E": Decimal("2.75")},
        {"C": Decimal("2.75"), "D": 0, "E": Decimal("2.75")},
        {"C": 0, "D": 0, "E": Decimal("4.8125")},
    ]
    assert recount.stages[0].non_transferable == Decimal("5.5")
    assert [s.excluded for s in recount.stages] == [(), ("D",), ("C",)]
    assert recount.stages[-1].elected == ("E",)
    assert [(t.chosen, t.rule) for t in recount.tie_breaks] == [("C", "earlier-stage")]


def test_only_candidates_who_stand_again_are_considered() -> None:
    """If E does not stand again, the same papers choose between C and D: C wins."""
    assert countback(ELECTION, departed="A", standing={"C", "D"}).filled_by == "C"


def test_papers_with_no_contesting_preference_cannot_fill_the_seat() -> None:
    """B's papers name no one after B, so a countback cannot fill B's seat."""
    with pytest.raises(TallyError, match="cannot be filled by countback"):
        countback(ELECTION, departed="B")


def test_only_an_elected_member_leaves_a_vacancy() -> None:
    """Asking to replace someone who was not elected is an error, as is a winner standing again."""
    with pytest.raises(TallyError, match="was not elected"):
        countback(ELECTION, departed="C")
    with pytest.raises(TallyError, match="only unsuccessful candidates"):
        countback(ELECTION, departed="A", standing={"B"})


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.permutations("ABCDEF"), st.integers(1, 6), st.integers(1, 5)), min_size=1, max_size=20
    ),
    st.integers(1, 3),
    st.data(),
)
def test_a_countback_fills_the_seat_from_the_unsuccessful_and_accounts_for_every_vote(
    rows: list[tuple[list[str], int, int]], seats: int, data: st.DataObject
) -> None:
    """The seat goes to someone not already elected; each round's figures add up to the papers' value."""
    election = Election(tuple("ABCDEF"), seats, tuple(Ballot.of(*o[:k], count=c) for o, k, c in rows))
    original = scottish_stv(election)
    departed = data.draw(st.sampled_from(original.elected))
    try:
        outcome = countback(election, departed=departed)
    except TallyError as error:
        assert "cannot be filled by countback" in str(error)
        return
    assert outcome.filled_by not in original.elected
    assert outcome.original == original
    for stage in outcome.recount.stages:
        assert sum(stage.totals.values()) + stage.non_transferable == outcome.recount.valid_poll
    assert outcome.recount.valid_poll > 0
