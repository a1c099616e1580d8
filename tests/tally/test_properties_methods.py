"""Invariants of the counting methods, checked on generated elections with Hypothesis."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from itertools import pairwise

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from commune.tally import METHODS as REGISTRY
from commune.tally import Ballot, Election, Result, irv, meek_stv, schulze, wigm_stv

Method = Callable[..., Result]
# The methods as the command line and the apps reach them: through the registry, by name.
METHODS: dict[str, Method] = {
    name: REGISTRY[name] for name in ("meek-stv", "wigm-stv", "irv", "schulze", "approval", "plurality")
}
SINGLE_SEAT = {"irv"}

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw: st.DrawFn, *, ties: bool = False) -> Election:
    """3-6 candidates, up to a dozen distinct (possibly truncated) rankings of 1-20 papers each."""
    n = draw(st.integers(3, 6))
    names = tuple(f"c{i}" for i in range(n))
    ballots = []
    for _ in range(draw(st.integers(1, 12))):
        order = draw(st.permutations(names))
        length = draw(st.integers(1, n))
        ranked = order[:length]
        if ties:
            cuts = (
                sorted(draw(st.sets(st.integers(1, length - 1), max_size=length - 1))) if length > 1 else []
            )
            bounds = [0, *cuts, length]
            ranking = tuple(tuple(ranked[a:b]) for a, b in pairwise(bounds))
        else:
            ranking = tuple((c,) for c in ranked)
        ballots.append(Ballot(ranking, draw(st.integers(1, 20))))
    return Election(names, 1, tuple(ballots))


def seats_for(name: str, election: Election, data: st.DataObject) -> int:
    if name in SINGLE_SEAT:
        return 1
    return data.draw(st.integers(1, len(election.candidates) - 1))


def test_the_registry_offers_every_method_under_its_command_line_name() -> None:
    """``commune tally --method NAME`` reaches each count through ``METHODS``."""
    assert METHODS["meek-stv"] is meek_stv and METHODS["wigm-stv"] is wigm_stv
    assert METHODS["irv"] is irv and METHODS["schulze"] is schulze


@PROPERTY
@given(election=elections(), data=st.data(), name=st.sampled_from(sorted(METHODS)), seed=st.integers(0, 99))
def test_the_order_of_the_ballots_does_not_matter(
    election: Election, data: st.DataObject, name: str, seed: int
) -> None:
    """Shuffling the papers gives exactly the same result, ties and draws included."""
    seats = seats_for(name, election, data)
    shuffled = list(election.ballots)
    random.Random(seed).shuffle(shuffled)
    other = Election(election.candidates, election.seats, tuple(shuffled))
    assert METHODS[name](other, seats=seats, seed=seed) == METHODS[name](election, seats=seats, seed=seed)


@PROPERTY
@given(election=elections(), data=st.data(), name=st.sampled_from(sorted(METHODS)))
def test_relabelling_the_candidates_relabels_the_result(
    election: Election, data: st.DataObject, name: str
) -> None:
    """Renaming candidates renames the winners and every total, whenever no tie had to be drawn."""
    seats = seats_for(name, election, data)
    new = data.draw(st.permutations([f"x{i}" for i in range(len(election.candidates))]))
    rename = dict(zip(election.candidates, new, strict=True))
    renamed = Election(
        tuple(rename[c] for c in election.candidates),
        election.seats,
        tuple(
            Ballot(tuple(tuple(rename[c] for c in r) for r in b.ranking), b.count) for b in election.ballots
        ),
    )
    before = METHODS[name](election, seats=seats)
    after = METHODS[name](renamed, seats=seats)
    assume(not before.tie_breaks and not after.tie_breaks)
    assert after.elected == tuple(rename[c] for c in before.elected)
    assert after.ranking == tuple(rename[c] for c in before.ranking)
    for old_stage, new_stage in zip(before.stages, after.stages, strict=True):
        assert dict(new_stage.totals) == {rename[c]: v for c, v in old_stage.totals.items()}


@PROPERTY
@given(election=elections(), data=st.data(), name=st.sampled_from(sorted(METHODS)), seed=st.integers(0, 99))
def test_exactly_the_seats_are_filled(election: Election, data: st.DataObject, name: str, seed: int) -> None:
    """Every method elects exactly ``seats`` distinct standing candidates."""
    seats = seats_for(name, election, data)
    result = METHODS[name](election, seats=seats, seed=seed)
    assert len(result.elected) == seats == len(set(result.elected))
    assert set(result.elected) <= set(election.candidates)


@PROPERTY
@given(election=elections(), data=st.data(), name=st.sampled_from(["meek-stv", "wigm-stv", "irv"]))
def test_transfer_counts_account_for_every_paper(election: Election, data: st.DataObject, name: str) -> None:
    """At every stage, totals + non-transferable + loss = the valid poll; Meek and IRV lose nothing."""
    seats = seats_for(name, election, data)
    result = METHODS[name](election, seats=seats)
    assert result.valid_poll == sum(b.count for b in election.ballots)
    for stage in result.stages:
        assert sum(stage.totals.values()) + stage.non_transferable + stage.loss == result.valid_poll
        assert stage.loss >= 0 and stage.non_transferable >= 0
        if name != "wigm-stv":
            assert stage.loss == 0


@PROPERTY
@given(election=elections(), seed=st.integers(0, 99))
def test_one_seat_meek_and_wigm_elect_the_irv_winner(election: Election, seed: int) -> None:
    """With one seat both STV counts are instant runoff; they even settle ties by the same draws."""
    winner = irv(election, seats=1, seed=seed).elected
    assert meek_stv(election, seats=1, seed=seed).elected == winner
    assert wigm_stv(election, seats=1, seed=seed).elected == winner
    assert wigm_stv(election, seats=1, seed=seed, precision=None).elected == winner


def condorcet_winner(election: Election) -> str | None:
    """The candidate preferred to every other by more papers than prefer the other (ties, truncation)."""
    names = election.candidates
    beats = {(a, b): 0 for a in names for b in names}
    for ballot in election.ballots:
        place = {c: i for i, rank in enumerate(ballot.ranking) for c in rank}
        for a in names:
            for b in names:
                if place.get(a, len(ballot.ranking)) < place.get(b, len(ballot.ranking)):
                    beats[a, b] += ballot.count
    winners = [a for a in names if all(beats[a, b] > beats[b, a] for b in names if b != a)]
    return winners[0] if winners else None


@PROPERTY
@given(election=elections(ties=True), seed=st.integers(0, 99))
def test_schulze_elects_the_condorcet_winner(election: Election, seed: int) -> None:
    """Whenever a Condorcet winner exists, Schulze ranks them first, whatever the seed."""
    winner = condorcet_winner(election)
    assume(winner is not None)
    result = schulze(election, seats=1, seed=seed)
    assert result.elected == (winner,)
    assert result.ranking[0] == winner


@PROPERTY
@given(election=elections(ties=True), seed=st.integers(0, 99))
def test_schulze_ranking_never_puts_a_beaten_candidate_above_its_victor(
    election: Election, seed: int
) -> None:
    """The ranking is a linear extension of the strongest-path order: p[b][a] > p[a][b] puts b above a."""
    result = schulze(election, seats=1, seed=seed)
    p = result.strongest_paths
    assert isinstance(p, Mapping)
    position = {c: i for i, c in enumerate(result.ranking)}
    for a in result.ranking:
        for b in result.ranking:
            if a != b and p[b][a] > p[a][b]:
                assert position[b] < position[a]


@PROPERTY
@given(election=elections())
def test_meek_figures_are_exact_decimals_at_nine_places(election: Election) -> None:
    """Meek's figures are Decimals with exactly nine places: no float ever enters the count."""
    result = meek_stv(election, seats=1)
    for stage in result.stages:
        for value in (*stage.totals.values(), stage.non_transferable):
            assert isinstance(value, Decimal) and value.as_tuple().exponent == -9
