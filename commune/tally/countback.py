"""Fill a casual vacancy by countback: recount the papers that elected the departed member.

This is the Hare-Clark casual-vacancy recount of the Australian Capital Territory (Electoral Act 1992
(ACT), Schedule 4, Part 4.3 "Casual vacancies"; Elections ACT, "Casual vacancies in the Legislative
Assembly") and of Tasmania, adapted to a count held under the Scottish rules:

1. The original election is counted again by the Scottish STV rules (``commune.tally.scottish``).
2. The papers recounted are those that make up the departed member's votes: every paper they held
   when their surplus was transferred, each at the value that *stayed* with them (the value it
   carried less the value passed on), so that together they weigh the quota, less what truncation
   dropped. A member whose surplus was never transferred (elected at the end of the count) keeps all
   their papers at the value those carry.
3. The contesting candidates are those who stood and were not elected (or, if given, those of them
   who choose to stand again). The other winners keep their seats and take no part.
4. Each paper counts for the highest-ranked contesting candidate on it. A candidate with more than
   half of the votes held by contesting candidates fills the vacancy. Otherwise the candidate with
   fewest votes is excluded and their papers pass, at the same values, to their next contesting
   preference; ties go to the most recent earlier round at which the candidates differed, then to a
   seeded lot. Papers with no contesting preference leave the recount.

The outcome names who fills the seat and carries the recount as a ``RecountResult`` (one stage per
round, values exact in units of 0.00001 of a vote).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from types import MappingProxyType

from commune.tally.scottish import ScottishCount, ScottishResult, votes
from commune.tally.ties import settle
from commune.tally.types import Election, Result, Stage, TallyError, TieBreak, Transfer

__all__ = ["Countback", "RecountResult", "countback"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecountResult(Result):
    """The recount of a countback: one seat, one stage per round, filled by a majority of the votes
    held by contesting candidates. Its ``candidates`` are those who contested the vacancy."""

    method: str = "countback"


@dataclass(frozen=True, slots=True)
class Countback:
    """Who fills the vacancy, the original count, and the recount that chose them."""

    filled_by: str
    departed: str
    original: ScottishResult
    recount: RecountResult


def countback(
    election: Election,
    *,
    departed: str,
    seats: int | None = None,
    seed: int = 0,
    standing: Collection[str] | None = None,
) -> Countback:
    """Fill the seat ``departed`` leaves by a Hare-Clark countback of the Scottish STV count.

    ``standing`` limits the contest to those of the unsuccessful candidates who stand again (all of
    them by default). ``seed`` settles ties left to lot, in the original count and the recount alike.
    Raises ``TallyError`` if ``departed`` was not elected or nobody can contest the vacancy.
    """
    original = ScottishCount(election, seats=election.seats if seats is None else seats, seed=seed)
    result = original.result
    if departed not in result.elected:
        raise TallyError(f"{departed!r} was not elected, so there is no seat of theirs to fill")
    unsuccessful = [c for c in result.candidates if c not in result.elected]
    if standing is not None:
        unknown = sorted(set(standing) - set(unsuccessful))
        if unknown:
            raise TallyError(
                f"only unsuccessful candidates can contest the vacancy, not {', '.join(unknown)}"
            )
        unsuccessful = [c for c in unsuccessful if c in standing]
    if not unsuccessful:
        raise TallyError("no candidate is left to contest the vacancy")

    names = original.names
    papers = [(ranking, count, value) for ranking, count, value in original.kept(departed) if value]
    recount = _recount(papers, names, [names.index(c) for c in unsuccessful], seed)
    return Countback(filled_by=recount.elected[0], departed=departed, original=result, recount=recount)


def _recount(
    papers: list[tuple[tuple[int, ...], int, int]],
    names: tuple[str, ...],
    order: list[int],
    seed: int,
) -> RecountResult:
    """A one-seat majority count of ``papers`` among the contesting candidates ``order`` (indices)."""
    continuing = set(order)
    holders: dict[int, list[tuple[tuple[int, ...], int, int, int]]] = {c: [] for c in order}
    exhausted = 0

    def place(ranking: tuple[int, ...], count: int, value: int, start: int) -> int | None:
        for position in range(start, len(ranking)):
            if ranking[position] in continuing:
                holders[ranking[position]].append((ranking, count, value, position))
                return ranking[position]
        return None

    gained: dict[int | None, int] = {}
    for ranking, count, value in papers:
        target = place(ranking, count, value, 0)
        gained[target] = gained.get(target, 0) + count * value
    exhausted += gained.get(None, 0)
    total_value = sum(count * value for _, count, value in papers)

    if total_value == exhausted:
        raise TallyError(
            "none of the departed member's papers shows a preference for a contesting candidate,"
            " so the vacancy cannot be filled by countback"
        )

    stages: list[Stage] = []
    history: list[dict[int, int]] = []
    tie_breaks: list[TieBreak] = []

    def totals() -> dict[int, int]:
        return {
            c: sum(count * value for _, count, value, _ in holders[c]) if c in continuing else 0
            for c in order
        }

    def record(action: str, subject: tuple[int, ...], moved: dict[int | None, int]) -> None:
        figures = totals()
        history.append(figures)
        source = names[subject[0]] if subject else ""
        stages.append(
            Stage(
                number=len(stages) + 1,
                action=action,
                subject=tuple(names[c] for c in subject),
                totals=MappingProxyType({names[c]: votes(figures[c]) for c in order}),
                non_transferable=votes(exhausted),
                transfers=tuple(
                    Transfer(source, None if t is None else names[t], votes(v)) for t, v in moved.items()
                ),
                excluded=tuple(names[c] for c in subject),
            )
        )

    record("first-preferences", (), {})
    while True:
        figures = totals()
        held = sum(figures[c] for c in continuing)
        leader = max(sorted(continuing), key=lambda c: figures[c])
        if 2 * figures[leader] > held or len(continuing) == 1:
            stages[-1] = replace(stages[-1], elected=(names[leader],))
            break
        fewest = min(figures[c] for c in continuing)
        tied = [c for c in order if c in continuing and figures[c] == fewest]
        loser = tied[0]
        if len(tied) > 1:
            tie = settle(
                [names[c] for c in tied],
                earlier=[{names[c]: before[c] for c in tied} for before in history[:-1]],
                highest=False,
                stage=len(stages) + 1,
                purpose="exclusion",
                seed=seed,
            )
            tie_breaks.append(tie)
            loser = names.index(tie.chosen)
        continuing.discard(loser)
        moving, holders[loser] = holders[loser], []
        moved: dict[int | None, int] = {}
        for ranking, count, value, position in moving:
            target = place(ranking, count, value, position + 1)
            moved[target] = moved.get(target, 0) + count * value
        exhausted += moved.get(None, 0)
        record("exclusion", (loser,), moved)

    return RecountResult(
        seats=1,
        candidates=tuple(names[c] for c in order),
        valid_poll=votes(total_value),
        elected=(names[leader],),
        stages=tuple(stages),
        quota=None,
        tie_breaks=tuple(tie_breaks),
        seed=seed,
    )
