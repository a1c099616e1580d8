"""Instant-runoff voting: one seat, exclude the lowest until someone has a majority.

The count (the usual statement of IRV, e.g. Wikipedia "Instant-runoff voting"):

1. Every valid ballot counts for its highest-ranked continuing candidate.
2. A candidate with more than half of the votes held by continuing candidates (exhausted ballots no
   longer count) is elected; so is the last continuing candidate.
3. Otherwise the candidate with the fewest votes is excluded and each of their ballots passes to its
   next continuing preference (or exhausts). Go to 2.

Ties for exclusion go to the candidate with the fewest votes at the most recent earlier stage at
which the tied candidates' votes differed; failing that, to a seeded lot (``commune.tally.ties``).

Stages: stage 1 is ``first-preferences``; every later stage is the ``exclusion`` of one candidate,
with the totals after their ballots moved and the ``Transfer`` of each parcel. A ballot that ranks no
continuing candidate at all is not a valid vote and is left out of the valid poll.

"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from commune.tally.rankings import StrictRanking, continuing_candidates, strict_rankings
from commune.tally.ties import settle
from commune.tally.types import Election, Result, Stage, TallyError, TieBreak, Transfer

__all__ = ["IrvResult", "irv"]


@dataclass(frozen=True, slots=True, kw_only=True)
class IrvResult(Result):
    """An instant-runoff count: one stage per round, the last electing the winner."""

    method: str = "irv"


def irv(election: Election, *, seats: int = 1, seed: int = 0) -> IrvResult:
    """Count ``election`` by instant-runoff voting. ``seats`` must be 1; ballots must be strict."""
    if seats != 1:
        raise TallyError(f"instant-runoff voting fills one seat, not {seats}: use an STV method")
    standing = continuing_candidates(election, seats)
    ballots = strict_rankings(election, standing)
    valid_poll = sum(ballots.values())
    continuing = set(standing)

    def count() -> tuple[dict[str, int], int, dict[StrictRanking, str | None]]:
        totals = dict.fromkeys(standing, 0)
        exhausted = 0
        tops: dict[StrictRanking, str | None] = {}
        for ranking, papers in ballots.items():
            top = next((c for c in ranking if c in continuing), None)
            tops[ranking] = top
            if top is None:
                exhausted += papers
            else:
                totals[top] += papers
        return totals, exhausted, tops

    stages: list[Stage] = []
    history: list[dict[str, int]] = []
    tie_breaks: list[TieBreak] = []
    totals, exhausted, tops = count()
    excluded: str | None = None
    transfers: tuple[Transfer, ...] = ()
    while True:
        number = len(stages) + 1
        active = valid_poll - exhausted
        leader = max(continuing, key=lambda c: totals[c])
        winner = leader if 2 * totals[leader] > active or len(continuing) == 1 else None
        stages.append(
            Stage(
                number=number,
                action="exclusion" if excluded else "first-preferences",
                subject=(excluded,) if excluded else (),
                totals=MappingProxyType({c: Decimal(v) for c, v in totals.items()}),
                non_transferable=Decimal(exhausted),
                transfers=transfers,
                elected=(winner,) if winner else (),
                excluded=(excluded,) if excluded else (),
            )
        )
        if winner:
            return IrvResult(
                seats=1,
                candidates=standing,
                valid_poll=Decimal(valid_poll),
                elected=(winner,),
                stages=tuple(stages),
                tie_breaks=tuple(tie_breaks),
                seed=seed,
            )
        fewest = min(totals[c] for c in continuing)
        lowest = [c for c in standing if c in continuing and totals[c] == fewest]
        if len(lowest) == 1:
            excluded = lowest[0]
        else:
            tie = settle(lowest, earlier=history, highest=False, stage=number, purpose="exclusion", seed=seed)
            tie_breaks.append(tie)
            excluded = tie.chosen
        history.append(totals)
        continuing.discard(excluded)
        before = tops
        totals, exhausted, tops = count()
        moved: dict[str | None, int] = defaultdict(int)
        for ranking, papers in ballots.items():
            if before[ranking] == excluded:
                moved[tops[ranking]] += papers
        transfers = tuple(
            Transfer(excluded, target, Decimal(papers))
            for target, papers in sorted(moved.items(), key=lambda item: (item[0] is None, item[0] or ""))
        )
