"""Scottish STV (SSI 2007/42, Schedule 1, rules 45–52) on small counts worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commune.tally import Ballot, Election, Stage, TallyError, TieBreak, scottish_stv


def election(seats: int, *ballots: Ballot, candidates: str = "ABCD", withdrawn: str = "") -> Election:
    return Election(tuple(candidates), seats, tuple(ballots), withdrawn=frozenset(withdrawn))


def totals(stage: Stage) -> dict[str, str]:
    return {name: str(value.normalize()) for name, value in stage.totals.items()}


def test_surplus_then_exclusion_worked_by_hand() -> None:
    """Quota 6 of 17; A's surplus of 2 moves at 2/8 = 0.25; D's exclusion then elects C."""
    result = scottish_stv(
        election(
            2,
            Ballot.of("A", "B", count=6),
            Ballot.of("A", "C", count=2),
            Ballot.of("B", count=3),
            Ballot.of("C", count=4),
            Ballot.of("D", "C", count=2),
        )
    )
    assert result.quota == 6
    assert result.valid_poll == 17
    assert result.elected == ("A", "C")
    assert [s.action for s in result.stages] == ["first-preferences", "surplus", "exclusion"]
    assert totals(result.stages[0]) == {"A": "8", "B": "3", "C": "4", "D": "2"}
    assert totals(result.stages[1]) == {"A": "6", "B": "4.5", "C": "4.5", "D": "2"}
    assert totals(result.stages[2]) == {"A": "6", "B": "4.5", "C": "6.5", "D": "0"}
    assert result.stages[0].elected == ("A",)
    assert result.stages[2].elected == ("C",)
    assert result.stages[2].excluded == ("D",)
    assert {(t.target, t.votes) for t in result.stages[1].transfers} == {
        ("B", Decimal("1.5")),
        ("C", Decimal("0.5")),
    }


def test_transfer_value_is_truncated_to_five_places_and_the_loss_is_kept() -> None:
    """Rule 48(3): 2/7 becomes 0.28571; seven papers carry 1.99997 and 0.00003 is lost."""
    result = scottish_stv(
        election(
            2,
            Ballot.of("A", "B", count=7),
            Ballot.of("B", count=3),
            Ballot.of("C", count=2),
            candidates="ABC",
        )
    )
    assert result.quota == 5
    surplus = result.stages[1]
    assert surplus.totals["B"] == Decimal("4.99997")
    assert surplus.loss == Decimal("0.00003")
    exclusion = result.stages[2]
    assert exclusion.subject == ("C",)
    assert exclusion.non_transferable == 2
    # B never reaches the quota but is the one continuing candidate for the one vacancy left (rule 52).
    assert result.stages[3].action == "last-vacancies"
    assert result.stages[3].elected == ("B",)
    assert result.elected == ("A", "B")


def test_surplus_from_transferred_papers_uses_the_value_when_received() -> None:
    """A paper received at 0.4 passes on at surplus × 0.4 ÷ total, truncated (rule 48(3)-(4))."""
    # Quota floor(20/4)+1 = 6. A's surplus 4 of 10 moves at 0.4: B gets 4 and has 9, surplus 3.
    # B's own papers move at 3/9 = 0.33333; the ten received at 0.4 at 3 × 0.4 / 9 = 0.13333.
    # C gets 5 × 0.33333 + 10 × 0.13333 = 2.99995; the 0.00005 truncated is lost.
    result = scottish_stv(
        election(
            3,
            Ballot.of("A", "B", "C", count=10),
            Ballot.of("B", "C", count=5),
            Ballot.of("C", count=2),
            Ballot.of("D", count=3),
        )
    )
    assert result.quota == 6
    assert result.stages[1].totals["B"] == 9
    assert result.stages[2].subject == ("B",)
    assert result.stages[2].totals["C"] == Decimal("4.99995")
    assert result.stages[2].loss == Decimal("0.00005")
    assert result.elected == ("A", "B", "C")


def test_exclusion_tie_goes_by_the_most_recent_stage_that_differs() -> None:
    """B and C tie on 4; at the first stage B had 3 and C 4, so B is excluded (rule 51)."""
    result = scottish_stv(
        election(
            2,
            Ballot.of("A", "B", count=8),
            Ballot.of("B", count=3),
            Ballot.of("C", count=4),
            Ballot.of("D", count=5),
        )
    )
    assert result.stages[1].totals["B"] == result.stages[1].totals["C"] == 4
    assert result.stages[2].excluded == ("B",)
    assert result.tie_breaks == (
        TieBreak(stage=3, purpose="exclusion", tied=("B", "C"), chosen="B", rule="earlier-stage"),
    )
    assert result.stages[2].non_transferable == 4
    assert result.elected == ("A", "D")


def test_a_tie_at_every_stage_is_settled_by_a_seeded_lot() -> None:
    """With no stage to tell them apart, the seed draws the lot; the same seed gives the same draw."""
    tied = election(
        1, Ballot.of("A", count=3), Ballot.of("B", count=3), Ballot.of("C", count=1), candidates="ABC"
    )
    winners = {scottish_stv(tied, seed=seed).elected for seed in range(20)}
    assert winners == {("A",), ("B",)}
    first = scottish_stv(tied, seed=7)
    assert first == scottish_stv(tied, seed=7)
    lots = [t for t in first.tie_breaks if t.rule == "lot"]
    assert len(lots) == 1 and lots[0].seed == 7 and lots[0].purpose == "exclusion"


def test_withdrawn_candidates_are_skipped() -> None:
    """Preferences for a withdrawn candidate pass straight to the next."""
    result = scottish_stv(
        election(1, Ballot.of("B", "A", count=3), Ballot.of("C", count=2), candidates="ABC", withdrawn="B")
    )
    assert result.candidates == ("A", "C")
    assert result.stages[0].totals == {"A": 3, "C": 2}
    assert result.elected == ("A",)


def test_a_repeated_preference_ends_the_paper() -> None:
    """A candidate ranked twice ends what the paper validly says; it is counted up to that point."""
    result = scottish_stv(
        election(1, Ballot.of("C", count=2), Ballot((("A",), ("A",), ("B",)), 1), candidates="ABC")
    )
    assert result.valid_poll == 3
    assert result.elected == ("C",)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (election(1, Ballot((("A", "B"),), 1)), "strict rankings"),
        (election(5, Ballot.of("A")), "5 seats but only 4"),
        (election(0, Ballot.of("A")), "at least 1"),
        (election(1, Ballot.of("Z")), "'Z', who is not a candidate"),
        (election(1), "no valid ballot papers"),
        (election(1, Ballot.of("A", count=10**12)), "beyond this count's fixed-point range"),
    ],
)
def test_impossible_counts_raise_tally_error(bad: Election, message: str) -> None:
    """Equal rankings, too many seats, unknown names and empty polls are refused with a reason."""
    with pytest.raises(TallyError, match=message):
        scottish_stv(bad)


def test_inputs_are_not_changed_and_the_count_is_deterministic() -> None:
    """Counting twice gives equal results; the election is untouched."""
    e = election(
        2, Ballot.of("A", "B", count=7), Ballot.of("B", count=3), Ballot.of("C", count=2), candidates="ABC"
    )
    before = repr(e)
    assert scottish_stv(e) == scottish_stv(e)
    assert repr(e) == before
