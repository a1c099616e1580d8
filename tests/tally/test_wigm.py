"""WIGM STV: the PR Foundation reference count of a real election, transfer values, exact mode."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from commune.tally.irv import irv
from commune.tally.meek import meek_stv
from commune.tally.readers import parse_blt
from commune.tally.types import Ballot, Election, Result, Stage, Transfer
from commune.tally.wigm import wigm_stv

GPUS = Path(__file__).parent.parent / "data" / "gpus-2005" / "gpus-steering-committee-2005.blt"
NAMES = (
    "Budd Dickinson",
    "Kirit Mookerjee",
    "Tom Sevigny",
    "Pat LaMarche",
    "Michael Piacsek",
    "Write-In 2",
    "Rebecca Rotzler",
    "Kristen Olsen",
    "Jason Jones",
    "Write-In 1",
    "Steve Greenfield",
    "Jimmy Leas",
    "Steve Kramer",
)


def gpus() -> Election:
    return parse_blt(GPUS.read_bytes(), name=GPUS.name)


def stage_where(result: Result, action: str, subject: str) -> Stage:
    return next(s for s in result.stages if s.action == action and subject in s.subject)


def figures(stage: Stage, values: str) -> None:
    """``values``: the thirteen votes in ballot-file order, as printed in the reference count."""
    expected = dict(zip(NAMES, (Decimal(v) for v in values.split()), strict=True))
    assert dict(stage.totals) == expected


def test_gpus_2005_reference_wigm_elects_sevigny_where_meek_elects_olsen() -> None:
    """Droop's PR Foundation Reference WIGM count (SC-wigm-prf-fixed-p4): Sevigny takes the last seat."""
    result = wigm_stv(gpus(), seats=4)
    assert result.elected == ("Rebecca Rotzler", "Pat LaMarche", "Steve Kramer", "Tom Sevigny")
    assert result.quota == Decimal("18.8001")
    assert "Kristen Olsen" in meek_stv(gpus(), seats=4).elected


def test_gpus_2005_every_transfer_matches_the_reference_to_four_places() -> None:
    """The totals after each transfer are those of the reference count, rounds 1 to 11."""
    result = wigm_stv(gpus(), seats=4)
    figures(
        stage_where(result, "surplus", "Rebecca Rotzler"),
        "6.8606 3.4303 8.4303 22 2.4303 0 18.8001 12.6181 1.4303 0 0 0 18",
    )
    figures(
        stage_where(result, "surplus", "Pat LaMarche"),
        "7.8784 3.5757 9.3027 18.8001 2.7211 0 18.8001 12.9089 1.4303 0 0 0 18.5816",
    )
    assert stage_where(result, "exclusion", "Jason Jones").totals["Kristen Olsen"] == Decimal("14.3392")
    piacsek = stage_where(result, "exclusion", "Michael Piacsek")
    assert piacsek.elected == ("Steve Kramer",)
    figures(piacsek, "8.8784 3.7211 9.3027 18.8001 0 0 18.8001 14.7695 0 0 0 0 19.7270")
    kramer = stage_where(result, "surplus", "Steve Kramer")
    assert kramer.non_transferable == Decimal("0.0068")
    figures(kramer, "9.1598 4.0698 9.5909 18.8001 0 0 18.8001 14.7695 0 0 0 0 18.8001")
    mookerjee = stage_where(result, "exclusion", "Kirit Mookerjee")
    assert mookerjee.non_transferable == Decimal("1.4439")
    figures(mookerjee, "9.6002 0 10.7363 18.8001 0 0 18.8001 15.8164 0 0 0 0 18.8001")
    dickinson = stage_where(result, "exclusion", "Budd Dickinson")
    assert dickinson.non_transferable == Decimal("3.8707")
    figures(dickinson, "0 0 16.8969 18.8001 0 0 18.8001 16.8292 0 0 0 0 18.8001")


def test_the_count_stops_before_moving_the_last_defeated_candidates_papers() -> None:
    """Reference rule B.4/D.3: once Olsen's defeat leaves Sevigny to fill the last seat, nothing moves."""
    result = wigm_stv(gpus(), seats=4)
    last = result.stages[-1]
    assert (last.action, last.excluded, last.elected) == (
        "last-vacancies",
        ("Kristen Olsen",),
        ("Tom Sevigny",),
    )
    assert last.transfers == ()
    assert last.totals == result.stages[-2].totals


def test_truncation_loss_is_accounted_for() -> None:
    """Totals, non-transferable value and truncation loss add up to the valid poll at every stage."""
    result = wigm_stv(gpus(), seats=4)
    for stage in result.stages:
        assert sum(stage.totals.values()) + stage.non_transferable + stage.loss == result.valid_poll
    assert result.stages[-1].loss > 0


def test_inclusive_gregory_transfer_values() -> None:
    """Every paper of a winner moves at surplus / votes: 4.9999 / 9 truncated is 0.5555 a paper.

    Twelve papers, two seats: quota 12/3 + 0.0001 = 4.0001. A has 9; six A>B papers carry 3.3330
    to B (now 4.3330, elected), three A>C papers carry 1.6665 to C.
    """
    election = Election(
        ("A", "B", "C"),
        2,
        (Ballot.of("A", "B", count=6), Ballot.of("A", "C", count=3), Ballot.of("B"), Ballot.of("C", count=2)),
    )
    result = wigm_stv(election, seats=2)
    surplus = result.stages[1]
    assert surplus.transfers == (Transfer("A", "B", Decimal("3.3330")), Transfer("A", "C", Decimal("1.6665")))
    assert surplus.totals["B"] == Decimal("4.3330")
    assert surplus.elected == ("B",)
    assert result.elected == ("A", "B")


def test_exact_rationals_transfer_without_truncation() -> None:
    """With precision=None the same transfer is exactly 5/9 a paper: B gets 10/3, C gets 5/3."""
    election = Election(
        ("A", "B", "C"),
        2,
        (Ballot.of("A", "B", count=6), Ballot.of("A", "C", count=3), Ballot.of("B"), Ballot.of("C", count=2)),
    )
    result = wigm_stv(election, seats=2, precision=None)
    exact = result.exact_totals
    assert exact[1]["B"] == Fraction(13, 3)
    assert exact[1]["C"] == Fraction(11, 3)
    assert result.exact_quota == Fraction(4)
    assert all(stage.loss == 0 for stage in result.stages)


def test_exact_mode_elects_on_exceeding_the_quota() -> None:
    """Exactly: a candidate with precisely valid/(seats+1) votes is not yet elected."""
    election = Election(
        ("A", "B", "C"), 1, (Ballot.of("A", count=3), Ballot.of("B", count=2), Ballot.of("C"))
    )
    result = wigm_stv(election, seats=1, precision=None)
    assert result.stages[0].elected == ()
    assert result.stages[1].excluded == ("C",)
    assert result.elected == ("A",)


def test_exact_mode_matches_the_reference_winners_on_gpus_2005() -> None:
    """Without truncation the GPUS count elects the same four."""
    result = wigm_stv(gpus(), seats=4, precision=None)
    assert set(result.elected) == {"Rebecca Rotzler", "Pat LaMarche", "Steve Kramer", "Tom Sevigny"}
    assert result.quota == Decimal("18.8")


def test_one_seat_wigm_is_instant_runoff() -> None:
    """One seat: WIGM elects the IRV winner (Knoxville in Wikipedia's Tennessee example)."""
    election = Election(
        ("Memphis", "Nashville", "Chattanooga", "Knoxville"),
        1,
        (
            Ballot.of("Memphis", "Nashville", "Chattanooga", "Knoxville", count=42),
            Ballot.of("Nashville", "Chattanooga", "Knoxville", "Memphis", count=26),
            Ballot.of("Chattanooga", "Knoxville", "Nashville", "Memphis", count=15),
            Ballot.of("Knoxville", "Chattanooga", "Nashville", "Memphis", count=17),
        ),
    )
    assert wigm_stv(election, seats=1).elected == irv(election, seats=1).elected == ("Knoxville",)


def test_surplus_ties_go_to_the_earlier_stage() -> None:
    """A and B reach 11 together; A had more at the stage before, so A's surplus moves first.

    41 papers, three seats: quota 10.2501. Stage 1: A 10, B 9, X 3, D 9, E 10. X's exclusion gives A
    one paper and B two.
    """
    election = Election(
        ("A", "B", "X", "D", "E"),
        3,
        (
            Ballot.of("A", count=10),
            Ballot.of("B", count=9),
            Ballot.of("X", "A", count=1),
            Ballot.of("X", "B", count=2),
            Ballot.of("D", count=9),
            Ballot.of("E", count=10),
        ),
    )
    result = wigm_stv(election, seats=3)
    assert result.stages[1].excluded == ("X",)
    assert result.stages[1].elected == ("A", "B")
    (tie,) = result.tie_breaks
    assert (tie.purpose, tie.tied, tie.chosen, tie.rule) == ("surplus", ("A", "B"), "A", "earlier-stage")
    assert [s.subject for s in result.stages[2:4]] == [("A",), ("B",)]
    assert result.elected == ("A", "B", "E")
