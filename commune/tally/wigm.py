"""STV by the weighted inclusive Gregory method (WIGM): the PR Foundation's *Reference WIGM Rule*.

The rule (Proportional Representation Foundation, "Reference WIGM Rule", https://prfound.org; the
same rule Droop implements as ``wigm-prf``):

A. Quota = valid ballots / (seats + 1), plus one unit of the last decimal place (0.0001).
   Each ballot has weight 1 and counts for its top-ranked hopeful candidate.
B. Each round:
   B.1 Every hopeful candidate whose votes reach the quota is elected, with their surplus (votes -
       quota) pending, largest vote first. Stop if the seats are filled (D.3).
   B.3 If a surplus is pending, transfer the largest (ties per D.1): *every* ballot the candidate
       holds -- inclusive, and at the weight it arrived with -- passes to its next hopeful candidate
       at ``weight * surplus / votes`` (the weighted inclusive Gregory transfer value); the
       candidate keeps exactly the quota. Next round.
   B.4 Otherwise defeat the hopeful candidate with the fewest votes (ties per D.1); stop if the
       remaining hopefuls just fill the seats (D.3); else transfer their ballots at their current
       weight. Next round.
C. Hopefuls left when the count stops are elected if seats remain, otherwise defeated.
D.4 Arithmetic: each product and quotient truncated to four decimal places (``precision=4``).

Ballots pass over candidates already elected or defeated; a ballot with no further hopeful
preference, or with weight 0, is exhausted (non-transferable). What truncation drops is ``loss``.

``precision=None`` counts with exact rationals instead: no truncation, the quota is exactly
valid / (seats + 1) and a candidate is elected on *exceeding* it (the limit of the ``+ 0.0001``
margin). Stage figures are then ``Decimal`` rounded to 12 places for display, ``loss`` is zero and
the exact ``Fraction`` totals are in ``WigmResult.exact_totals``.

How this differs from ``scottish-stv`` (Scottish Local Government Elections Order 2007, rules 45-52),
which is the same inclusive, weighted transfer: the Scottish quota is the integer Droop quota (valid
poll / (seats + 1), fraction ignored, plus 1) where this one is the exact Droop (Hagenbach-Bischoff)
quota plus 0.0001, so a candidate can be elected here with up to a vote less; Scottish transfer
values are worked to five decimal places per paper, these to four (truncating the product and then
the quotient), or exactly. Surplus order, exclusion, ties (D.1 here is settled as everywhere in
``commune.tally``: the most recent earlier stage at which the tied candidates differed, then a seeded
lot, standing for the reference rule's "predetermined random order") and the last vacancies follow
the same pattern.

Stages: ``first-preferences``, then one ``surplus`` or ``exclusion`` stage per transfer, each with
its ``Transfer`` records, and a ``last-vacancies`` stage when hopefuls are elected without a quota.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor
from types import MappingProxyType

from commune.tally.exact import rounded
from commune.tally.rankings import continuing_candidates, strict_rankings
from commune.tally.ties import settle
from commune.tally.types import Election, Result, Stage, TallyError, TieBreak, Transfer

__all__ = ["DEFAULT_WIGM_PRECISION", "WigmResult", "wigm_stv"]

DEFAULT_WIGM_PRECISION: int | None = 4
_DISPLAY_PLACES = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class WigmResult(Result):
    """A WIGM count. ``precision`` is the number of decimal places counted in, ``None`` for exact
    rationals; then ``exact_totals`` holds every stage's totals as fractions and ``exact_quota`` the
    quota (both are empty at a fixed precision, where the stages' figures are already exact)."""

    method: str = "wigm-stv"
    precision: int | None = DEFAULT_WIGM_PRECISION
    exact_totals: tuple[Mapping[str, Fraction], ...] = ()
    exact_quota: Fraction | None = None


def wigm_stv(
    election: Election, *, seats: int, seed: int = 0, precision: int | None = DEFAULT_WIGM_PRECISION
) -> WigmResult:
    """Count ``election`` by the reference WIGM rule; ``precision=None`` for exact rationals."""
    if precision is not None and not 0 <= precision <= 30:
        raise TallyError(f"precision must be between 0 and 30 decimal places, not {precision}")
    names = continuing_candidates(election, seats)
    rankings = strict_rankings(election, names)
    return _WigmCount(names, rankings, seats, seed, precision).result()


class _WigmCount:
    def __init__(
        self,
        names: tuple[str, ...],
        rankings: dict[tuple[str, ...], int],
        seats: int,
        seed: int,
        precision: int | None,
    ) -> None:
        self.names = names
        self.seats = seats
        self.seed = seed
        self.precision = precision
        index = {name: i for i, name in enumerate(names)}
        self.rank: list[tuple[int, ...]] = [tuple(index[c] for c in r) for r in rankings]
        self.count: list[int] = list(rankings.values())
        self.weight: list[Fraction] = [Fraction(1)] * len(self.rank)
        self.pos: list[int] = [0] * len(self.rank)
        self.holders: list[list[int]] = [[] for _ in names]
        self.votes: list[Fraction] = [Fraction(0)] * len(names)
        for pile, ranking in enumerate(self.rank):
            self.holders[ranking[0]].append(pile)
            self.votes[ranking[0]] += self.count[pile]
        self.valid_poll = sum(self.count)
        self.hopeful = list(range(len(names)))
        self.elected: list[int] = []
        self.pending: list[int] = []
        self.non_transferable = Fraction(0)
        if precision is None:
            self.quota = Fraction(self.valid_poll, seats + 1)
        else:
            self.quota = self._trunc(Fraction(self.valid_poll, seats + 1)) + Fraction(1, 10**precision)
        self.stages: list[Stage] = []
        self.history: list[dict[str, Fraction]] = []
        self.tie_breaks: list[TieBreak] = []
        self._run()

    # -- arithmetic ---------------------------------------------------------------------------------

    def _trunc(self, value: Fraction) -> Fraction:
        if self.precision is None:
            return value
        scale = 10**self.precision
        return Fraction(floor(value * scale), scale)

    def _reached(self, votes: Fraction) -> bool:
        return votes > self.quota if self.precision is None else votes >= self.quota

    def _decimal(self, value: Fraction) -> Decimal:
        """Exact at a fixed precision; with exact rationals, to 12 places, halves to even."""
        return rounded(value, _DISPLAY_PLACES if self.precision is None else self.precision)

    # -- the count ----------------------------------------------------------------------------------

    def _complete(self) -> bool:
        return len(self.elected) == self.seats or len(self.elected) + len(self.hopeful) <= self.seats

    def _transfer(self, piles: Sequence[int], source: int) -> tuple[Transfer, ...]:
        moved: dict[int | None, Fraction] = defaultdict(Fraction)
        hopeful = set(self.hopeful)
        for pile in piles:
            ranking = self.rank[pile]
            value = self.weight[pile] * self.count[pile]
            pos = self.pos[pile] + 1
            while pos < len(ranking) and ranking[pos] not in hopeful:
                pos += 1
            self.pos[pile] = pos
            if pos == len(ranking) or self.weight[pile] == 0:
                self.non_transferable += value
                moved[None] += value
            else:
                self.holders[ranking[pos]].append(pile)
                self.votes[ranking[pos]] += value
                moved[ranking[pos]] += value
        order = sorted(moved, key=lambda c: len(self.names) if c is None else c)
        return tuple(
            Transfer(self.names[source], None if c is None else self.names[c], self._decimal(moved[c]))
            for c in order
        )

    def _record(
        self,
        action: str,
        subject: tuple[int, ...],
        transfers: tuple[Transfer, ...] = (),
        excluded: tuple[int, ...] = (),
        elected: tuple[int, ...] = (),
    ) -> None:
        totals = {self.names[c]: self.votes[c] for c in range(len(self.names))}
        self.history.append(totals)
        loss = self.valid_poll - sum(self.votes) - self.non_transferable
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                subject=tuple(self.names[c] for c in subject),
                totals=MappingProxyType({name: self._decimal(v) for name, v in totals.items()}),
                non_transferable=self._decimal(self.non_transferable),
                loss=self._decimal(loss),
                transfers=transfers,
                elected=tuple(self.names[c] for c in elected),
                excluded=tuple(self.names[c] for c in excluded),
            )
        )

    def _elect_winners(self) -> None:
        """B.1: elect every hopeful at the quota, and note them on the stage whose totals show it."""
        newly = sorted(
            (c for c in self.hopeful if self._reached(self.votes[c])), key=lambda c: -self.votes[c]
        )
        if not newly:
            return
        for c in newly:
            self.hopeful.remove(c)
            self.elected.append(c)
            self.pending.append(c)
        last = self.stages[-1]
        self.stages[-1] = Stage(
            number=last.number,
            action=last.action,
            subject=last.subject,
            totals=last.totals,
            non_transferable=last.non_transferable,
            loss=last.loss,
            transfers=last.transfers,
            elected=last.elected + tuple(self.names[c] for c in newly),
            excluded=last.excluded,
        )

    def _choose(self, candidates: Sequence[int], *, lowest: bool, purpose: str) -> int:
        target = (min if lowest else max)(self.votes[c] for c in candidates)
        tied = sorted(c for c in candidates if self.votes[c] == target)
        if len(tied) == 1:
            return tied[0]
        tie = settle(
            [self.names[c] for c in tied],
            earlier=self.history[:-1],
            highest=not lowest,
            stage=len(self.stages),
            purpose=purpose,
            seed=self.seed,
        )
        self.tie_breaks.append(tie)
        return self.names.index(tie.chosen)

    def _run(self) -> None:
        self._record("first-preferences", ())
        defeated: tuple[int, ...] = ()
        while True:
            self._elect_winners()
            if self._complete():
                break
            if self.pending:
                c = self._choose(self.pending, lowest=False, purpose="surplus")
                self.pending.remove(c)
                surplus = self.votes[c] - self.quota
                held = self.holders[c]
                for pile in held:
                    self.weight[pile] = self._trunc(self._trunc(self.weight[pile] * surplus) / self.votes[c])
                self.votes[c] = self.quota
                self._record("surplus", (c,), self._transfer(held, c))
                continue
            loser = self._choose(self.hopeful, lowest=True, purpose="exclusion")
            self.hopeful.remove(loser)
            if self._complete():
                defeated = (loser,)
                break
            held = self.holders[loser]
            transfers = self._transfer(held, loser)
            self.votes[loser] = Fraction(0)
            self._record("exclusion", (loser,), transfers, excluded=(loser,))
        if len(self.elected) < self.seats:
            remaining = tuple(sorted(self.hopeful, key=lambda c: -self.votes[c]))
            self.elected.extend(remaining)
            self.hopeful.clear()
            self._record("last-vacancies", (), excluded=defeated, elected=remaining)

    def result(self) -> WigmResult:
        exact = self.precision is None
        return WigmResult(
            seats=self.seats,
            candidates=self.names,
            valid_poll=Decimal(self.valid_poll),
            elected=tuple(self.names[c] for c in self.elected),
            stages=tuple(self.stages),
            quota=self._decimal(self.quota),
            tie_breaks=tuple(self.tie_breaks),
            seed=self.seed,
            precision=self.precision,
            exact_totals=tuple(MappingProxyType(h) for h in self.history) if exact else (),
            exact_quota=self.quota if exact else None,
        )
