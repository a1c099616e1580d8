"""Approval and plurality: counts, seats, the approved set, and ties drawn by lot."""

from __future__ import annotations

import pytest

from commune.tally.single_round import approval, plurality
from commune.tally.types import Ballot, Election, TallyError


def tennessee() -> Election:
    """The Tennessee capital electorate used throughout Wikipedia's voting-method articles."""
    return Election(
        ("Memphis", "Nashville", "Chattanooga", "Knoxville"),
        1,
        (
            Ballot.of("Memphis", "Nashville", "Chattanooga", "Knoxville", count=42),
            Ballot.of("Nashville", "Chattanooga", "Knoxville", "Memphis", count=26),
            Ballot.of("Chattanooga", "Knoxville", "Nashville", "Memphis", count=15),
            Ballot.of("Knoxville", "Chattanooga", "Nashville", "Memphis", count=17),
        ),
    )


def test_plurality_tennessee_elects_memphis() -> None:
    """Wikipedia's Tennessee example under first past the post: Memphis wins with 42 of 100."""
    result = plurality(tennessee(), seats=1)
    assert result.elected == ("Memphis",)
    (stage,) = result.stages
    assert stage.action == "count"
    assert dict(stage.totals) == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}
    assert result.valid_poll == 100


def test_plurality_several_seats_in_order_of_votes() -> None:
    """Two seats go to the two largest totals, listed largest first."""
    assert plurality(tennessee(), seats=2).elected == ("Memphis", "Nashville")


def test_plurality_skips_withdrawn_first_choices() -> None:
    """A paper whose first choice withdrew counts for its next preference."""
    election = Election(
        ("A", "B", "W"),
        1,
        (Ballot.of("W", "B", count=3), Ballot.of("A", count=2)),
        withdrawn=frozenset({"W"}),
    )
    assert plurality(election, seats=1).elected == ("B",)


def test_plurality_refuses_an_overvote() -> None:
    """A first rank naming two candidates is not a plurality vote."""
    election = Election(("A", "B"), 1, (Ballot((("A", "B"),)),))
    with pytest.raises(TallyError, match="several first choices"):
        plurality(election, seats=1)


def test_approval_counts_every_ranked_candidate_once_per_paper() -> None:
    """Each paper approves all the candidates it ranks, ties included; order does not matter."""
    election = Election(
        ("A", "B", "C", "D"),
        1,
        (
            Ballot((("A", "B"),), count=4),  # approval paper: one rank of approved names
            Ballot.of("C", "B", count=3),  # ranked paper: approves C and B
            Ballot.of("D", count=2),
        ),
    )
    result = approval(election, seats=1)
    assert dict(result.stages[0].totals) == {"A": 4, "B": 7, "C": 3, "D": 2}
    assert result.elected == ("B",)
    assert result.valid_poll == 9


def test_approval_tennessee_approving_everyone_ranked_is_a_full_tie() -> None:
    """When every paper ranks every candidate, approval cannot separate them: the lot decides."""
    result = approval(tennessee(), seats=1, seed=3)
    assert set(result.stages[0].totals.values()) == {100}
    (tie,) = result.tie_breaks
    assert tie.rule == "lot" and tie.seed == 3 and len(tie.tied) == 4
    assert result.elected == (tie.chosen,)


def test_tie_for_the_last_seat_is_drawn_and_recorded() -> None:
    """B and C tie for the second seat: a seeded lot picks one and says so."""
    election = Election(
        ("A", "B", "C"), 2, (Ballot.of("A", count=5), Ballot.of("B", count=3), Ballot.of("C", count=3))
    )
    winners = set()
    for seed in range(16):
        result = plurality(election, seats=2, seed=seed)
        (tie,) = result.tie_breaks
        assert tie.tied == ("B", "C") and tie.purpose == "election" and tie.seed == seed
        assert result.elected == ("A", tie.chosen)
        assert plurality(election, seats=2, seed=seed) == result
        winners.add(tie.chosen)
    assert winners == {"B", "C"}


def test_ties_below_the_last_seat_need_no_lot() -> None:
    """Equal totals that decide nothing are left alone."""
    election = Election(
        ("A", "B", "C"), 1, (Ballot.of("A", count=5), Ballot.of("B", count=3), Ballot.of("C", count=3))
    )
    assert plurality(election, seats=1).tie_breaks == ()


def test_seats_must_be_fillable() -> None:
    """Asking for more seats than candidates is refused."""
    with pytest.raises(TallyError, match="cannot fill"):
        approval(Election(("A",), 2, ()), seats=2)
