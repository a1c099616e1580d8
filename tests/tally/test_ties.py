"""Ties: one rule for every count, and one lot, so that a seed draws the same way whatever the method."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commune.tally import (
    Ballot,
    Election,
    Result,
    approval,
    countback,
    irv,
    meek_stv,
    plurality,
    schulze,
    scottish_stv,
    wigm_stv,
)
from commune.tally.ties import lot_order, settle

SEEDS = range(24)

# D leads with 2 of 5 papers, short of a majority and of the quota; A, B and C have one paper each at
# every stage, so the first exclusion among them can only be drawn by lot.
EXCLUSION = Election(
    tuple("ABCD"),
    1,
    (Ballot.of("D", count=2), Ballot.of("A"), Ballot.of("B"), Ballot.of("C")),
)
# A, B and C have the same totals and beat each other nowhere: the winner can only be drawn by lot.
ELECTION = Election(
    tuple("ABC"),
    1,
    (Ballot.of("A", "B", "C"), Ballot.of("B", "C", "A"), Ballot.of("C", "A", "B")),
)
# X and Y are elected; X's papers, at the value that stayed with X, go equally to A, B and C.
VACANCY = Election(
    ("X", "Y", "A", "B", "C"),
    2,
    (
        Ballot.of("X", "A", count=2),
        Ballot.of("X", "B", count=2),
        Ballot.of("X", "C", count=2),
        Ballot.of("Y", count=4),
    ),
)

EXCLUDING: dict[str, Callable[[int], Result]] = {
    "scottish-stv": lambda seed: scottish_stv(EXCLUSION, seed=seed),
    "meek-stv": lambda seed: meek_stv(EXCLUSION, seats=1, seed=seed),
    "wigm-stv": lambda seed: wigm_stv(EXCLUSION, seats=1, seed=seed),
    "wigm-stv exact": lambda seed: wigm_stv(EXCLUSION, seats=1, seed=seed, precision=None),
    "irv": lambda seed: irv(EXCLUSION, seats=1, seed=seed),
    "countback": lambda seed: countback(VACANCY, departed="X", seed=seed).recount,
}
ELECTING: dict[str, Callable[[int], Result]] = {
    "plurality": lambda seed: plurality(ELECTION, seats=1, seed=seed),
    "approval": lambda seed: approval(ELECTION, seats=1, seed=seed),
    "schulze": lambda seed: schulze(ELECTION, seats=1, seed=seed),
}


def _first_draw(result: Result) -> tuple[str, str]:
    tie = result.tie_breaks[0]
    assert tie.tied == ("A", "B", "C") and tie.rule == "lot"
    return tie.chosen, tie.purpose


@pytest.mark.parametrize("seed", SEEDS)
def test_one_seed_excludes_the_same_candidate_in_every_method(seed: int) -> None:
    """The same tied candidates and the same seed: every count that excludes one excludes the same one."""
    excluded = {name: _first_draw(count(seed)) for name, count in EXCLUDING.items()}
    assert len(set(excluded.values())) == 1, excluded


@pytest.mark.parametrize("seed", SEEDS)
def test_one_seed_elects_the_same_candidate_in_every_method(seed: int) -> None:
    """...and every count that elects or ranks one first elects the same one."""
    chosen = {name: _first_draw(count(seed))[0] for name, count in ELECTING.items()}
    assert len(set(chosen.values())) == 1, chosen


def _documented_lot(seed: int, names: list[str]) -> tuple[str, ...]:
    """The lot as ``commune.tally.ties`` documents it, worked out here with nothing but hashlib."""
    return tuple(
        sorted(names, key=lambda n: int.from_bytes(hashlib.sha256(f"{seed}:{n}".encode()).digest(), "big"))[
            ::-1
        ]
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_lot_is_the_documented_draw_and_each_method_takes_the_right_end(seed: int) -> None:
    """Every method records the same drawn order; exclusions take its last, elections and rankings its first."""
    drawn = _documented_lot(seed, ["A", "B", "C"])
    assert lot_order(seed, ["C", "A", "B"]) == drawn
    for count in EXCLUDING.values():
        tie = count(seed).tie_breaks[0]
        assert (tie.lot, tie.seed, tie.chosen) == (drawn, seed, drawn[-1])
    for count in ELECTING.values():
        tie = count(seed).tie_breaks[0]
        assert (tie.lot, tie.seed, tie.chosen) == (drawn, seed, drawn[0])


def test_seeds_draw_differently() -> None:
    """The lot is not a fixed order in disguise: over a few seeds every candidate is excluded once."""
    assert {lot_order(seed, "ABC")[-1] for seed in SEEDS} == {"A", "B", "C"}


@given(
    seed=st.integers(), names=st.sets(st.text(min_size=1, max_size=8), min_size=2, max_size=8), data=st.data()
)
def test_a_lot_among_some_agrees_with_the_lot_among_all(
    seed: int, names: set[str], data: st.DataObject
) -> None:
    """The lot is one order of every candidate fixed by the seed: any few keep their places in it."""
    some = data.draw(st.sets(st.sampled_from(sorted(names)), min_size=2))
    everyone = lot_order(seed, names)
    assert lot_order(seed, some) == tuple(name for name in everyone if name in some)


def test_earlier_stages_come_before_the_lot() -> None:
    """The most recent stage at which the tied differ decides; older stages narrow those still level."""
    earlier = [{"A": 5, "B": 3, "C": 3}, {"A": 6, "B": 6, "C": 4}]
    # Excluding: at the last stage C had fewest.
    tie = settle(("A", "B", "C"), earlier=earlier, highest=False, stage=3, purpose="exclusion", seed=1)
    assert (tie.chosen, tie.rule, tie.seed, tie.lot) == ("C", "earlier-stage", None, ())
    # Taking the highest: A and B were level at the last stage; the stage before, A was ahead.
    tie = settle(("A", "B", "C"), earlier=earlier, highest=True, stage=3, purpose="surplus", seed=1)
    assert (tie.chosen, tie.rule) == ("A", "earlier-stage")
    # Level at every stage: the lot decides, among those the stages left level only.
    level = [{"A": 1, "B": 1, "C": 0}]
    tie = settle(("A", "B", "C"), earlier=level, highest=True, stage=2, purpose="surplus", seed=9)
    assert tie.rule == "lot" and tie.lot == lot_order(9, "AB") and tie.chosen == tie.lot[0]
    assert tie.tied == ("A", "B", "C")
