"""The Schulze method: strongest beatpaths by winning votes, with a full ranking.

Definitions follow Markus Schulze, "A new monotonic, clone-independent, reversal symmetric, and
Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011) 267-303:

* ``d[x][y]`` is the number of voters who strictly prefer ``x`` to ``y``. Candidates in the same rank
  (PrefLib ``.toi`` ties) are preferred neither way; every ranked candidate is preferred to every
  unranked one, and unranked candidates are tied with each other (truncated ballots).
* A link ``x -> y`` has strength ``d[x][y]`` when ``d[x][y] > d[y][x]`` ("winning votes") and does not
  exist otherwise. ``p[x][y]`` is the strength of the strongest path from ``x`` to ``y``, where a
  path is as strong as its weakest link (computed by the Floyd-Warshall widest-path recurrence).
* ``x`` beats ``y`` when ``p[x][y] > p[y][x]``. This relation is a strict partial order (Schulze
  2011, section 4.1), so the candidates no one beats always exist: they are the Schulze winners.

The full ranking is built by repeatedly taking the unbeaten candidates among those not yet placed.
When more than one is unbeaten, the order among them is settled by the seeded lot of
``commune.tally.ties`` and recorded as a ``TieBreak`` with purpose ``"ranking"`` (one per position
decided that way), so the ranking is always a linear extension of the Schulze order and reproducible
from ``seed``.

``Result.ranking`` holds the full order; ``Result.elected`` its first ``seats`` names.
``Result.stages`` is empty (there is no sequence of transfers); the ``SchulzeResult`` carries the
``pairwise`` counts ``d`` and the ``strongest_paths`` ``p`` as nested mappings of ints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from commune.tally.rankings import continuing_candidates, grouped_rankings
from commune.tally.ties import settle
from commune.tally.types import Election, Result, TieBreak

__all__ = ["SchulzeResult", "pairwise_preferences", "schulze", "strongest_paths"]

Matrix = npt.NDArray[np.int64]

#: ``figures[x][y]`` for every ordered pair of distinct standing candidates.
Pairwise = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True, slots=True, kw_only=True)
class SchulzeResult(Result):
    """A Schulze count: the full ``ranking``, the ``pairwise`` preferences ``d`` and the
    ``strongest_paths`` ``p`` between every two candidates."""

    method: str = "schulze"
    pairwise: Pairwise
    strongest_paths: Pairwise


def pairwise_preferences(
    candidates: Sequence[str], ballots: Mapping[tuple[tuple[str, ...], ...], int]
) -> Matrix:
    """``d[i][j]``: papers preferring ``candidates[i]`` to ``candidates[j]`` (ties and truncation allowed)."""
    index = {c: i for i, c in enumerate(candidates)}
    n = len(candidates)
    d = np.zeros((n, n), dtype=np.int64)
    for ranking, papers in ballots.items():
        position = np.full(n, len(ranking), dtype=np.int64)
        for place, rank in enumerate(ranking):
            for name in rank:
                position[index[name]] = place
        d += papers * (position[:, None] < position[None, :])
    return d


def strongest_paths(d: Matrix) -> Matrix:
    """``p[i][j]``: the strength of the strongest path from ``i`` to ``j`` (winning votes)."""
    p = np.where(d > d.T, d, 0).astype(np.int64)
    n = len(p)
    for k in range(n):
        via = np.minimum(p[:, k][:, None], p[k, :][None, :])
        via[k, :] = 0
        via[:, k] = 0
        np.fill_diagonal(via, 0)
        np.maximum(p, via, out=p)
    np.fill_diagonal(p, 0)
    return p


def schulze(election: Election, *, seats: int = 1, seed: int = 0) -> SchulzeResult:
    """Count ``election`` by the Schulze method; the first ``seats`` of the ranking are elected."""
    standing = continuing_candidates(election, seats)
    ballots = grouped_rankings(election, standing)
    d = pairwise_preferences(standing, ballots)
    p = strongest_paths(d)
    beats = p > p.T

    ranking: list[str] = []
    tie_breaks: list[TieBreak] = []
    unplaced = list(range(len(standing)))
    while unplaced:
        unbeaten = [i for i in unplaced if not any(beats[j, i] for j in unplaced)]
        names = [standing[i] for i in unbeaten]
        if len(names) == 1:
            chosen = names[0]
        else:
            tie = settle(
                names, earlier=(), highest=True, stage=len(ranking) + 1, purpose="ranking", seed=seed
            )
            tie_breaks.append(tie)
            chosen = tie.chosen
        ranking.append(chosen)
        unplaced.remove(standing.index(chosen))

    def as_mapping(matrix: Matrix) -> Pairwise:
        return MappingProxyType(
            {
                a: MappingProxyType({b: int(matrix[i, j]) for j, b in enumerate(standing) if i != j})
                for i, a in enumerate(standing)
            }
        )

    return SchulzeResult(
        seats=seats,
        candidates=standing,
        valid_poll=Decimal(sum(ballots.values())),
        elected=tuple(ranking[:seats]),
        stages=(),
        tie_breaks=tuple(tie_breaks),
        ranking=tuple(ranking),
        seed=seed,
        pairwise=as_mapping(d),
        strongest_paths=as_mapping(p),
    )
