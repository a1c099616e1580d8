"""Properties of the Scottish STV count on generated elections, and agreement with pref_voting."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from commune.tally import Ballot, Election, Result, scottish_stv

NAMES = "ABCDEFG"


@st.composite
def elections(draw: st.DrawFn) -> Election:
    n = draw(st.integers(3, 6))
    candidates = tuple(NAMES[:n])
    seats = draw(st.integers(1, min(3, n - 1)))
    ballot = st.builds(
        lambda order, length, count: Ballot.of(*order[:length], count=count),
        st.permutations(candidates),
        st.integers(1, n),
        st.integers(1, 6),
    )
    return Election(candidates, seats, tuple(draw(st.lists(ballot, min_size=1, max_size=25))))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(elections())
def test_every_vote_is_accounted_for_at_every_stage(election: Election) -> None:
    """At every stage: totals + non-transferable + truncation loss = valid poll; loss never shrinks."""
    result = scottish_stv(election)
    previous_loss = Decimal(0)
    for stage in result.stages:
        assert sum(stage.totals.values()) + stage.non_transferable + stage.loss == result.valid_poll
        assert stage.non_transferable >= 0
        assert stage.loss >= previous_loss
        previous_loss = stage.loss
        assert all(value >= 0 for value in stage.totals.values())


@SETTINGS
@given(elections(), st.integers(0, 2**32))
def test_exactly_the_seats_are_filled(election: Election, seed: int) -> None:
    """Exactly ``seats`` distinct candidates are elected, whatever the seed."""
    result = scottish_stv(election, seed=seed)
    assert len(result.elected) == election.seats
    assert len(set(result.elected)) == election.seats


@SETTINGS
@given(elections(), st.randoms(use_true_random=False))
def test_ballot_order_does_not_matter(election: Election, rnd: random.Random) -> None:
    """Shuffling the papers changes nothing in the result."""
    shuffled = list(election.ballots)
    rnd.shuffle(shuffled)
    assert scottish_stv(election) == scottish_stv(
        Election(election.candidates, election.seats, tuple(shuffled))
    )


@SETTINGS
@given(elections(), st.randoms(use_true_random=False))
def test_relabelling_candidates_relabels_the_result(election: Election, rnd: random.Random) -> None:
    """Renaming and reordering the candidates renames the result (when no tie had to be broken)."""
    result = scottish_stv(election)
    assume(not result.tie_breaks)
    new_names = [f"X{i}" for i in range(len(election.candidates))]
    rnd.shuffle(new_names)
    rename = dict(zip(election.candidates, new_names, strict=True))
    reordered = list(rename.values())
    rnd.shuffle(reordered)
    relabelled = Election(
        tuple(reordered),
        election.seats,
        tuple(Ballot.of(*(rename[c] for c in b.strict()), count=b.count) for b in election.ballots),
    )
    other = scottish_stv(relabelled)
    assert set(other.elected) == {rename[c] for c in result.elected}
    assert len(other.stages) == len(result.stages)
    for mine, theirs in zip(result.stages, other.stages, strict=True):
        assert {rename[c]: v for c, v in mine.totals.items()} == dict(theirs.totals)


def _pref_voting_winners(election: Election) -> set[str]:
    from pref_voting.profiles_with_ties import ProfileWithTies
    from pref_voting.proportional_methods import stv_scottish

    rankings = [{c: rank + 1 for rank, c in enumerate(b.strict())} for b in election.ballots]
    profile = ProfileWithTies(
        rankings, rcounts=[b.count for b in election.ballots], candidates=list(election.candidates)
    )
    return set(stv_scottish(profile, num_seats=election.seats, rng=random.Random(0)))


def _tie_free(result: Result) -> bool:
    return not result.tie_breaks


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_agrees_with_pref_voting_stv_scottish(election: Election) -> None:
    """Where no tie has to be broken, pref_voting's ``stv_scottish`` elects the same candidates."""
    result = scottish_stv(election)
    assume(_tie_free(result))
    assert set(result.elected) == _pref_voting_winners(election)


def test_agrees_with_pref_voting_on_larger_seeded_elections() -> None:
    """Twenty seeded elections of a few hundred papers and 8 candidates give the same winners."""
    rng = random.Random(42)
    candidates = tuple("ABCDEFGH")
    checked = 0
    for _ in range(20):
        ballots = tuple(
            Ballot.of(*rng.sample(candidates, rng.randint(1, 8)), count=rng.randint(1, 9)) for _ in range(60)
        )
        election = Election(candidates, rng.randint(2, 4), ballots)
        result = scottish_stv(election)
        if result.tie_breaks:
            continue
        assert set(result.elected) == _pref_voting_winners(election)
        checked += 1
    assert checked >= 15
