"""The checks and groupings of ranked ballots that the counts other than Scottish STV share.

Scottish STV reads its papers its own way (``commune.tally.scottish``), with the same effect: a
candidate ranked a second time ends what the paper validly expresses, withdrawn candidates are skipped,
and a paper with no standing candidate is not a valid vote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from commune.tally.types import Ballot, Election, TallyError

__all__ = ["Ranking", "StrictRanking", "continuing_candidates", "grouped_rankings", "strict_rankings"]

#: A ranking of ranks, first preference first; a rank of several candidates ranks them equally.
Ranking = tuple[tuple[str, ...], ...]
#: A ranking of one candidate per rank.
StrictRanking = tuple[str, ...]


def continuing_candidates(election: Election, seats: int) -> tuple[str, ...]:
    """The candidates standing (not withdrawn), after checking the candidate list and the seats."""
    if len(set(election.candidates)) != len(election.candidates):
        raise TallyError("the candidate list names a candidate twice")
    unknown = election.withdrawn - set(election.candidates)
    if unknown:
        raise TallyError(f"withdrawn candidates are not standing: {', '.join(sorted(unknown))}")
    standing = tuple(c for c in election.candidates if c not in election.withdrawn)
    if seats < 1:
        raise TallyError(f"the number of seats must be at least 1, not {seats}")
    if seats > len(standing):
        raise TallyError(f"cannot fill {seats} seats from {len(standing)} standing candidates")
    return standing


def grouped_rankings(election: Election, standing: Sequence[str]) -> dict[Ranking, int]:
    """Each distinct ranking (withdrawn candidates removed, ties kept) with its number of papers.

    Raises ``TallyError`` for an unknown candidate or a negative count. As in the Scottish count, a
    candidate ranked a second time ends what the paper validly expresses: the rank holding the
    repeat and everything after it are ignored. Ballots that rank no standing candidate are dropped:
    they are not valid votes; with none left at all there is nothing to count (``TallyError``).
    """
    known = set(election.candidates)
    keep = set(standing)
    groups: dict[Ranking, int] = defaultdict(int)
    for number, ballot in enumerate(election.ballots, start=1):
        if ballot.count < 0:
            raise TallyError(f"ballot {number} has a negative count ({ballot.count})")
        for rank in ballot.ranking:
            for name in rank:
                if name not in known:
                    raise TallyError(f"ballot {number} ranks an unknown candidate {name!r}")
        seen: set[str] = set()
        ranking: list[tuple[str, ...]] = []
        for rank in ballot.ranking:
            if len(set(rank)) < len(rank) or seen.intersection(rank):
                break
            seen.update(rank)
            kept = tuple(name for name in rank if name in keep)
            if kept:
                ranking.append(kept)
        if ranking and ballot.count:
            groups[tuple(ranking)] += ballot.count
    if not groups:
        raise TallyError("there are no valid ballot papers to count")
    return dict(groups)


def strict_rankings(election: Election, standing: Sequence[str]) -> dict[StrictRanking, int]:
    """As ``grouped_rankings``, for methods that need every rank to hold one candidate."""
    return {
        Ballot(ranking).strict(): count for ranking, count in grouped_rankings(election, standing).items()
    }
