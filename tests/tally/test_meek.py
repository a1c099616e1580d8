"""Meek STV: the PR Foundation reference count of a real election, figure for figure, and its bookkeeping."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from commune.tally.irv import irv
from commune.tally.meek import meek_stv
from commune.tally.readers import parse_blt
from commune.tally.types import Ballot, Election, Result, Stage, TallyError

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


def test_gpus_2005_reference_meek_elects_lamarche_rotzler_kramer_olsen() -> None:
    """Droop's PR Foundation Reference Meek count of the GPUS 2005 election (SC-meek-prf-o6-fixed-p9)."""
    result = meek_stv(gpus(), seats=4)
    assert set(result.elected) == {"Pat LaMarche", "Rebecca Rotzler", "Steve Kramer", "Kristen Olsen"}
    assert result.elected[:2] == ("Rebecca Rotzler", "Pat LaMarche")
    assert result.elected[2:] == ("Steve Kramer", "Kristen Olsen")
    assert result.quota == Decimal("18.586296861")


def test_gpus_2005_first_surplus_round_matches_the_reference_to_nine_places() -> None:
    """Reference round 2: the converged votes and the keep factors of the two first winners."""
    result = meek_stv(gpus(), seats=4)
    stage = result.stages[1]
    assert (stage.action, stage.subject) == ("surplus", ("Rebecca Rotzler", "Pat LaMarche"))
    figures(
        stage,
        "8.006073598 3.232685848 9.408174589 18.800000609 2.759954125 0 18.800000299"
        " 13.000470959 1.435843893 0 0 0 18.556796080",
    )
    keep = result.keep_factors[1]
    assert keep["Pat LaMarche"] == Decimal("0.837944884")
    assert keep["Rebecca Rotzler"] == Decimal("0.564156107")
    assert result.quotas[1] == Decimal("18.800000001")


def test_gpus_2005_later_rounds_match_the_reference() -> None:
    """Reference rounds 7-11: exclusions, Kramer's election and surplus, and Olsen's election."""
    result = meek_stv(gpus(), seats=4)
    jones = stage_where(result, "exclusion", "Jason Jones")
    assert jones.totals["Kristen Olsen"] == Decimal("14.436314852")
    piacsek = stage_where(result, "exclusion", "Michael Piacsek")
    assert piacsek.elected == ("Steve Kramer",)
    figures(
        piacsek,
        "9.006073598 3.394740964 9.408174589 19.165213770 0 0 18.800000299 14.506945584 0 0 0 0 19.718851196",
    )
    kramer = stage_where(result, "surplus", "Steve Kramer")
    assert kramer.non_transferable == Decimal("0.004333472")
    assert result.quotas[kramer.number - 1] == Decimal("18.799133306")
    figures(
        kramer,
        "9.427381450 3.730149807 9.774255128 18.799133460 0 0 18.799133416 14.666479770 0 0 0 0 18.799133497",
    )
    mookerjee = stage_where(result, "exclusion", "Kirit Mookerjee")
    assert mookerjee.non_transferable == Decimal("0.051403528")
    figures(
        mookerjee,
        "10.204118384 0 11.498644230 18.789719457 0 0 18.789719396 15.876675538 0 0 0 0 18.789719467",
    )
    dickinson = stage_where(result, "exclusion", "Budd Dickinson")
    assert dickinson.elected == ("Kristen Olsen",)
    assert dickinson.non_transferable == Decimal("1.068515700")
    figures(
        dickinson,
        "0 0 16.482212783 19.087429756 0 0 19.073682122 19.085721549 0 0 0 0 19.202438090",
    )
    final_keep = result.keep_factors[-1]
    assert final_keep["Steve Kramer"] == Decimal("0.667516215")
    assert final_keep["Pat LaMarche"] == Decimal("0.602321356")


def test_zero_vote_candidates_tie_and_are_drawn_by_lot() -> None:
    """The four candidates with no votes at any stage are defeated one by one, each draw recorded."""
    result = meek_stv(gpus(), seats=4, seed=7)
    draws = [t for t in result.tie_breaks if t.purpose == "exclusion"]
    assert [len(t.tied) for t in draws] == [4, 3, 2]
    assert all(t.rule == "lot" and t.seed == 7 for t in draws)
    defeated = [s.subject[0] for s in result.stages if s.action == "exclusion"][:4]
    assert set(defeated) == {"Write-In 1", "Write-In 2", "Steve Greenfield", "Jimmy Leas"}
    assert [t.chosen for t in draws] == defeated[:3]
    assert meek_stv(gpus(), seats=4, seed=7) == result


def test_every_stage_conserves_the_valid_poll_exactly() -> None:
    """Votes plus non-transferable value equal the valid poll at every stage; nothing is lost."""
    result = meek_stv(gpus(), seats=4)
    assert result.valid_poll == 94
    for stage in result.stages:
        assert stage.loss == 0
        assert sum(stage.totals.values()) + stage.non_transferable == result.valid_poll


def test_one_seat_meek_is_instant_runoff() -> None:
    """With one seat Meek STV elects the IRV winner: Knoxville in Wikipedia's Tennessee example."""
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
    result = meek_stv(election, seats=1)
    assert result.elected == irv(election, seats=1).elected == ("Knoxville",)
    assert [(s.action, s.subject) for s in result.stages] == [
        ("first-preferences", ()),
        ("exclusion", ("Chattanooga",)),
        ("exclusion", ("Nashville",)),
    ]
    assert result.stages[-1].totals["Knoxville"] == 58


def test_as_many_seats_as_candidates_elects_everyone() -> None:
    """With a seat for every candidate the first preferences are recorded and all are elected."""
    election = Election(("A", "B"), 2, (Ballot.of("A", count=3), Ballot.of("B")))
    result = meek_stv(election, seats=2)
    assert [s.action for s in result.stages] == ["first-preferences", "last-vacancies"]
    assert result.elected == ("A", "B")


def test_keep_factor_shrinks_a_winner_to_the_quota() -> None:
    """A winner with 60 of 100 first preferences keeps only what the quota needs and passes the rest on.

    Two seats, quota 33.333333334: A's keep factor converges near 33.3/60 and B receives the rest of
    A's 60 papers' value, so B (with 10 of their own) is elected ahead of C (30).
    """
    election = Election(
        ("A", "B", "C"),
        2,
        (Ballot.of("A", "B", count=60), Ballot.of("B", count=10), Ballot.of("C", count=30)),
    )
    result = meek_stv(election, seats=2)
    assert result.elected == ("A", "B")
    keep_a = result.keep_factors[-1]["A"]
    assert Decimal("0.55") < keep_a < Decimal("0.56")


def test_higher_precision_uses_exact_python_integers() -> None:
    """At 15 places the products outgrow int64; the count stays exact and elects the same four."""
    result = meek_stv(gpus(), seats=4, precision=15, omega=Decimal("1e-12"))
    assert set(result.elected) == {"Pat LaMarche", "Rebecca Rotzler", "Steve Kramer", "Kristen Olsen"}
    assert result.stages[1].totals["Pat LaMarche"].as_tuple().exponent == -15
    for stage in result.stages:
        assert sum(stage.totals.values()) + stage.non_transferable == result.valid_poll


def test_remaining_hopefuls_fill_the_last_seats() -> None:
    """When the hopefuls left just fill the seats they are elected without reaching the quota.

    A's surplus exhausts, so the quota falls towards 1.5, then 1, but B, C and D (1 vote each) never
    exceed it: two are defeated in turn (by lot) and the third takes the last seat.
    """
    election = Election(
        ("A", "B", "C", "D"),
        2,
        (Ballot.of("A", count=10), Ballot.of("B"), Ballot.of("C"), Ballot.of("D")),
    )
    result = meek_stv(election, seats=2, seed=1)
    assert result.elected[0] == "A"
    last = result.stages[-1]
    assert last.action == "last-vacancies"
    assert last.elected == result.elected[1:]
    defeated = [t.chosen for t in result.tie_breaks]
    assert len(defeated) == 2 and last.excluded == (defeated[1],)
    assert set(defeated) | set(result.elected) == {"A", "B", "C", "D"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"precision": -1}, "precision"),
        ({"omega": Decimal("0.0000000001")}, "omega"),
        ({"omega": Decimal(0)}, "omega"),
    ],
)
def test_bad_arithmetic_settings_are_refused(kwargs: dict[str, object], message: str) -> None:
    """A precision out of range or an omega finer than the precision is refused."""
    with pytest.raises(TallyError, match=message):
        meek_stv(gpus(), seats=4, **kwargs)  # type: ignore[arg-type]


def test_tied_rankings_and_empty_elections_are_refused() -> None:
    """Meek needs strict rankings and at least one valid paper."""
    with pytest.raises(TallyError, match="strict"):
        meek_stv(Election(("A", "B"), 1, (Ballot((("A", "B"),)),)), seats=1)
    with pytest.raises(TallyError, match="no valid"):
        meek_stv(Election(("A", "B"), 1, ()), seats=1)
