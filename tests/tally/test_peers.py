"""Cross-checks against pref_voting on seeded random elections, wherever the two sets of rules coincide.

pref_voting is a test-only dependency. Each check counts elections that the rules settle without a tie
or a knife-edge (where the two libraries' tie rules or float tolerances may legitimately differ) and
asserts that most elections were compared, so a check cannot pass by skipping everything.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

import pytest

pref_voting = pytest.importorskip("pref_voting")

from pref_voting.grade_methods import approval as pv_approval  # noqa: E402
from pref_voting.grade_profiles import GradeProfile  # noqa: E402
from pref_voting.iterative_methods import instant_runoff  # noqa: E402
from pref_voting.margin_based_methods import beat_path  # noqa: E402
from pref_voting.profiles import Profile  # noqa: E402
from pref_voting.profiles_with_ties import ProfileWithTies  # noqa: E402
from pref_voting.proportional_methods import stv_meek, stv_wig  # noqa: E402
from pref_voting.scoring_methods import plurality as pv_plurality  # noqa: E402

from commune.tally import (  # noqa: E402
    Ballot,
    Election,
    MeekResult,
    Result,
    irv,
    meek_stv,
    plurality,
    schulze,
    wigm_stv,
)
from commune.tally.single_round import approval  # noqa: E402

RUNS = 120
KNIFE_EDGE = Decimal("0.001")

Ranking = tuple[int, ...]


def factional_rankings(rng: random.Random, n: int, voters: int) -> list[Ranking]:
    """Voters follow one of three factions' orders, each perturbed by a few adjacent swaps."""
    factions = [rng.sample(range(n), n) for _ in range(3)]
    weights = [rng.random() + 0.2 for _ in factions]
    out = []
    for _ in range(voters):
        order = list(rng.choices(factions, weights)[0])
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(n - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        out.append(tuple(order))
    return out


def election_of(rankings: list[Ranking], n: int, seats: int) -> Election:
    names = tuple(f"c{i}" for i in range(n))
    ballots = tuple(Ballot.of(*(names[c] for c in r), count=k) for r, k in Counter(rankings).items())
    return Election(names, seats, ballots)


def indices(names: tuple[str, ...]) -> list[int]:
    return sorted(int(name[1:]) for name in names)


def cases(seed: int) -> Iterator[tuple[list[Ranking], int, int]]:
    rng = random.Random(seed)
    for _ in range(RUNS):
        n = rng.randint(3, 6)
        yield factional_rankings(rng, n, rng.randint(9, 60)), n, rng.randint(1, min(3, n - 1))


def stv_on_a_knife_edge(result: Result, exact: Callable[[int], dict[str, Fraction]] | None = None) -> bool:
    """Did any decision of the count rest on a margin below ``KNIFE_EDGE``?

    Checked: every hopeful's distance from the quota (Meek's quota moves, so the stage's own quota is
    used when recorded), and the gap between each defeated candidate and the next-lowest hopeful.
    """
    if result.tie_breaks:
        return True
    quotas = result.quotas if isinstance(result, MeekResult) else None
    done: set[str] = set()
    for i, stage in enumerate(result.stages):
        quota = quotas[i] if quotas is not None else result.quota
        assert isinstance(quota, Decimal)
        hopeful = [c for c in result.candidates if c not in done]
        if any(abs(stage.totals[c] - quota) < KNIFE_EDGE for c in hopeful):
            return True
        done.update(stage.elected)
        following = result.stages[i + 1] if i + 1 < len(result.stages) else None
        if following is not None and following.excluded:
            (loser,) = following.excluded
            rest = sorted(stage.totals[c] for c in hopeful if c != loser and c not in stage.elected)
            if rest and rest[0] - stage.totals[loser] < KNIFE_EDGE:
                return True
            done.add(loser)
    return False


def test_meek_matches_pref_voting_stv_meek() -> None:
    """Meek STV elects the same candidates as pref_voting's stv_meek away from knife-edges."""
    compared = 0
    for rankings, n, seats in cases(2024):
        ours = meek_stv(election_of(rankings, n, seats), seats=seats)
        if stv_on_a_knife_edge(ours):
            continue
        assert indices(ours.elected) == sorted(stv_meek(Profile(rankings), num_seats=seats))
        compared += 1
    assert compared >= RUNS * 0.7


def test_wigm_exact_matches_pref_voting_stv_wig() -> None:
    """Exact WIGM elects the same candidates as pref_voting's stv_wig (rational Droop quota).

    pref_voting elects at the quota and we on exceeding it, so counts where anyone sits at or near the
    quota are left out, as are ties.
    """
    compared = 0
    for rankings, n, seats in cases(7):
        ours = wigm_stv(election_of(rankings, n, seats), seats=seats, precision=None)
        if stv_on_a_knife_edge(ours):
            continue
        assert indices(ours.elected) == sorted(stv_wig(Profile(rankings), num_seats=seats))
        compared += 1
    assert compared >= RUNS * 0.6


def test_irv_matches_pref_voting_instant_runoff() -> None:
    """IRV elects pref_voting's instant_runoff winner whenever neither count meets a tie."""
    compared = 0
    for rankings, n, _ in cases(99):
        ours = irv(election_of(rankings, n, 1), seats=1)
        theirs = instant_runoff(Profile(rankings))
        if ours.tie_breaks or len(theirs) != 1:
            continue
        assert indices(ours.elected) == theirs
        compared += 1
    assert compared >= RUNS * 0.7


def schulze_winners(result: Result) -> list[int]:
    """The Schulze winner set: the first place, or everyone in the tie drawn for it."""
    first = [t for t in result.tie_breaks if t.stage == 1]
    return indices(first[0].tied if first else result.ranking[:1])


def test_schulze_matches_pref_voting_beat_path_including_ties() -> None:
    """On complete rankings the Schulze winner set equals pref_voting's beat_path, ties and all."""
    for rankings, n, _ in cases(5):
        assert schulze_winners(schulze(election_of(rankings, n, 1), seats=1)) == beat_path(Profile(rankings))


def test_schulze_with_truncated_and_tied_ballots_matches_winning_votes_beat_path() -> None:
    """With truncation and equal ranks, beat_path measured by winning votes (support) agrees."""
    rng = random.Random(11)
    for _ in range(RUNS):
        n = rng.randint(3, 6)
        names = tuple(f"c{i}" for i in range(n))
        ballots: list[Ballot] = []
        rank_maps: list[dict[int, int]] = []
        for _ in range(rng.randint(5, 40)):
            ranked = rng.sample(range(n), rng.randint(1, n))
            ranks = sorted(rng.randint(1, len(ranked)) for _ in ranked)
            groups: dict[int, list[int]] = {}
            for c, r in zip(ranked, ranks, strict=True):
                groups.setdefault(r, []).append(c)
            ballots.append(Ballot(tuple(tuple(names[c] for c in groups[r]) for r in sorted(groups))))
            rank_maps.append({c: r for r in groups for c in groups[r]})
        profile = ProfileWithTies(rank_maps, candidates=list(range(n)))
        profile.use_extended_strict_preference()
        theirs = beat_path(profile, strength_function=profile.support)
        ours = schulze(Election(names, 1, tuple(ballots)), seats=1)
        assert schulze_winners(ours) == theirs


def test_plurality_matches_pref_voting_plurality() -> None:
    """The plurality winner set (everyone at the top total) equals pref_voting's."""
    for rankings, n, _ in cases(3):
        ours = plurality(election_of(rankings, n, 1), seats=1)
        top = max(ours.stages[0].totals.values())
        winners = tuple(c for c, v in ours.stages[0].totals.items() if v == top)
        assert indices(winners) == pv_plurality(Profile(rankings))


def test_approval_matches_pref_voting_approval() -> None:
    """Approval totals' winner set equals pref_voting's approval on the same approval ballots."""
    rng = random.Random(17)
    for _ in range(RUNS):
        n = rng.randint(2, 6)
        names = tuple(f"c{i}" for i in range(n))
        approved = [rng.sample(range(n), rng.randint(1, n)) for _ in range(rng.randint(3, 40))]
        ours = approval(
            Election(names, 1, tuple(Ballot((tuple(names[c] for c in a),)) for a in approved)), seats=1
        )
        top = max(ours.stages[0].totals.values())
        winners = tuple(c for c, v in ours.stages[0].totals.items() if v == top)
        profile = GradeProfile([dict.fromkeys(a, 1) for a in approved], [0, 1], candidates=list(range(n)))
        assert indices(winners) == pv_approval(profile)
