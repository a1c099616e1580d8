"""Single-round methods: approval and plurality (first past the post), for one or more seats.

* **Approval**: a ballot approves every standing candidate it ranks, in whatever order or tie (an
  approval paper is naturally one rank holding all approved names; a ranked paper approves everyone
  it ranks). Each candidate's total is the number of papers approving them.
* **Plurality**: a ballot counts for its first-ranked standing candidate (withdrawn candidates are
  skipped, so the next preference counts). A first rank holding several candidates is an overvote
  and is rejected with ``TallyError``: plurality needs a single mark.

The ``seats`` candidates with the most votes are elected, in order of votes. Equal totals that
matter (that straddle the last seat, or that order the elected) are ordered by the seeded lot of
``commune.tally.ties``, one ``TieBreak`` (purpose ``"election"``) per place so decided. There is one stage, action ``"count"``.
For approval ``sum(totals)`` exceeds the valid poll whenever papers approve several candidates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from commune.tally.rankings import continuing_candidates, grouped_rankings
from commune.tally.ties import settle
from commune.tally.types import Election, Result, Stage, TallyError, TieBreak

__all__ = ["ApprovalResult", "PluralityResult", "approval", "plurality"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovalResult(Result):
    """An approval count: one stage, each candidate's total the papers approving them."""

    method: str = "approval"


@dataclass(frozen=True, slots=True, kw_only=True)
class PluralityResult(Result):
    """A plurality count: one stage, each candidate's total their first preferences."""

    method: str = "plurality"


def _elect(
    standing: tuple[str, ...], totals: dict[str, int], seats: int, seed: int
) -> tuple[tuple[str, ...], Stage, tuple[TieBreak, ...]]:
    """Who is elected, in order, the one stage, and the ties drawn to decide them."""
    by_votes: dict[int, list[str]] = defaultdict(list)
    for name in standing:
        by_votes[totals[name]].append(name)
    order: list[str] = []
    tie_breaks: list[TieBreak] = []
    for votes in sorted(by_votes, reverse=True):
        group = by_votes[votes]
        while group and len(order) < seats and len(group) > 1:
            tie = settle(group, earlier=(), highest=True, stage=1, purpose="election", seed=seed)
            tie_breaks.append(tie)
            order.append(tie.chosen)
            group = [c for c in group if c != tie.chosen]
        order.extend(group)
    elected = tuple(order[:seats])
    stage = Stage(
        number=1,
        action="count",
        subject=(),
        totals=MappingProxyType({c: Decimal(totals[c]) for c in standing}),
        non_transferable=Decimal(0),
        elected=elected,
    )
    return elected, stage, tuple(tie_breaks)


def approval(election: Election, *, seats: int = 1, seed: int = 0) -> ApprovalResult:
    """Count ``election`` by approval voting: each paper approves every candidate it ranks."""
    standing = continuing_candidates(election, seats)
    ballots = grouped_rankings(election, standing)
    totals = dict.fromkeys(standing, 0)
    for ranking, papers in ballots.items():
        for rank in ranking:
            for name in rank:
                totals[name] += papers
    elected, stage, tie_breaks = _elect(standing, totals, seats, seed)
    return ApprovalResult(
        seats=seats,
        candidates=standing,
        valid_poll=Decimal(sum(ballots.values())),
        elected=elected,
        stages=(stage,),
        tie_breaks=tie_breaks,
        seed=seed,
    )


def plurality(election: Election, *, seats: int = 1, seed: int = 0) -> PluralityResult:
    """Count ``election`` by plurality: each paper counts for its first-ranked standing candidate."""
    standing = continuing_candidates(election, seats)
    ballots = grouped_rankings(election, standing)
    totals = dict.fromkeys(standing, 0)
    for ranking, papers in ballots.items():
        first = ranking[0]
        if len(first) > 1:
            raise TallyError(f"a plurality paper marks several first choices: {', '.join(first)}")
        totals[first[0]] += papers
    elected, stage, tie_breaks = _elect(standing, totals, seats, seed)
    return PluralityResult(
        seats=seats,
        candidates=standing,
        valid_poll=Decimal(sum(ballots.values())),
        elected=elected,
        stages=(stage,),
        tie_breaks=tie_breaks,
        seed=seed,
    )
