"""Meek STV, exactly as the Proportional Representation Foundation's *Reference Meek Rule* states it.

Meek's method is the algorithm of I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123 --
Single Transferable Vote by Meek's method", The Computer Journal 30(3) (1987) 277-281, as revised by
Hill (Voting matters 22, 2006) and adopted for New Zealand local elections (Local Electoral
Regulations 2001, Schedule 1A). Every candidate has a *keep factor*: hopeful 1, defeated 0, elected
in between, and each ballot gives each candidate it ranks the share of its remaining weight that the
candidate keeps. The count (PR Foundation reference rule, https://prfound.org):

A. Every hopeful candidate's keep factor is 1; omega is 0.000001.
B. While more candidates are hopeful than there are seats left to fill (and seats are left):
   B.2 Iterate: (a) for each ballot, weight ``w = 1``; for each ranked candidate in order, the
       candidate receives ``w * kf`` **rounded up** at the precision and ``w`` is reduced by as much;
       (b) quota = sum of all candidates' votes / (seats + 1), **truncated**, plus one unit of the
       last decimal place; (c) every hopeful candidate with votes >= quota is elected;
       (d) total surplus ``s`` = sum over elected of (votes - quota), not below 0;
       (e) if anyone was elected, start a new round (B); if ``s < omega``, or if ``s`` did not fall
       since the last iteration, stop iterating and go to B.3;
       (f) each elected candidate's ``kf := kf * quota / votes``, each product and quotient rounded
       up; iterate again.
   B.3 Defeat the hopeful candidate with the fewest votes; every hopeful candidate whose votes are
       within ``s`` of that lowest is tied with them. Set the defeated candidate's ``kf`` to 0.
C. Elect the remaining hopeful candidates if seats are left, otherwise defeat them.

Arithmetic is fixed-point in integers: ``precision`` decimal places (default 9, the reference rule's
and New Zealand's), keep factors and the shares credited rounded up, the quota truncated. A ballot's
weight falls by exactly what it credits, so ``sum(votes) + non_transferable`` equals the valid poll
at every stage and ``loss`` is always 0. Figures come out as ``Decimal``.

Ties for defeat go to the earlier stages (fewest votes at the most recent stage where the tied
candidates differed) and then to a seeded lot, as in every count in ``commune.tally``; the reference
rule's "predetermined random order" is this lot. Candidates elected together are listed by votes,
then in ballot-file order.

Stages: one per round of iteration, with the votes when the round ended (a new election, or
convergence). Stage 1 is ``first-preferences``: the first round, whose first distribution (every keep
factor 1) elects anyone with a quota of first preferences, and which otherwise converges at once
(nobody has a surplus) and ends in a defeat. Every later stage is named after what started it:
``surplus`` (subject: the candidates elected at the end of the stage before, whose keep factors now
fall) or ``exclusion`` (subject: the candidate defeated at the end of the stage before). A
``last-vacancies`` stage records hopefuls elected without reaching the quota. Stages carry no
``Transfer`` records: Meek moves fractions of every ballot at once. The ``MeekResult`` holds, per
stage, the ``keep_factors``, ``quotas`` and ``iterations``, with the ``precision`` and ``omega``.

Identical rankings are counted together: the work grows with the number of distinct rankings. The
distribution runs on numpy integer arrays (``int64`` while every product fits, Python integers in
object arrays beyond that), so the figures are exact either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from commune.tally.exact import fixed
from commune.tally.rankings import continuing_candidates, strict_rankings
from commune.tally.ties import settle
from commune.tally.types import Election, Result, Stage, TallyError, TieBreak

__all__ = ["DEFAULT_OMEGA", "DEFAULT_PRECISION", "MeekResult", "meek_stv"]

DEFAULT_PRECISION = 9
DEFAULT_OMEGA = Decimal("0.000001")


@dataclass(frozen=True, slots=True, kw_only=True)
class MeekResult(Result):
    """A Meek count, with the figures of each stage that only Meek has.

    ``keep_factors``, ``quotas`` and ``iterations`` have one entry per stage: every candidate's keep
    factor and the quota when the stage ended, and how many distributions the stage took.
    ``precision`` is the number of decimal places counted in, ``omega`` the surplus below which
    iteration stopped.
    """

    method: str = "meek-stv"
    precision: int = DEFAULT_PRECISION
    omega: Decimal = DEFAULT_OMEGA
    keep_factors: tuple[Mapping[str, Decimal], ...] = ()
    quotas: tuple[Decimal, ...] = ()
    iterations: tuple[int, ...] = ()


Array = npt.NDArray[Any]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class _Ballots:
    """Distinct rankings as a padded index matrix, longest first, with their paper counts."""

    def __init__(self, rankings: dict[tuple[str, ...], int], names: Sequence[str], scale: int) -> None:
        index = {name: i for i, name in enumerate(names)}
        ordered = sorted(rankings.items(), key=lambda item: -len(item[0]))
        self.scale = scale
        self.papers = sum(rankings.values())
        self.size = len(names)
        exact = scale * scale < 2**62 and self.papers * scale < 2**62
        self.dtype: Any = np.int64 if exact else object
        width = len(ordered[0][0]) if ordered else 0
        self.matrix = np.full((len(ordered), width), len(names), dtype=np.int64)
        for row, (ranking, _) in enumerate(ordered):
            self.matrix[row, : len(ranking)] = [index[name] for name in ranking]
        self.counts = np.array([papers for _, papers in ordered], dtype=self.dtype)
        lengths = [len(ranking) for ranking, _ in ordered]
        # rows[j]: how many rankings have a (j+1)th preference (rankings are sorted longest first).
        self.rows = [sum(1 for n in lengths if n > j) for j in range(width)]

    def distribute(self, keep: list[int]) -> tuple[list[int], int]:
        """Every candidate's votes and the exhausted weight, for keep factors in units."""
        scale = self.scale
        kf: Array = np.array([*keep, 0], dtype=self.dtype)
        weight: Array = np.full(len(self.counts), scale, dtype=self.dtype)
        votes: Array = np.zeros(self.size + 1, dtype=self.dtype)
        for column, rows in enumerate(self.rows):
            candidates = self.matrix[:rows, column]
            kept = (weight[:rows] * kf[candidates] + (scale - 1)) // scale
            weight[:rows] -= kept
            np.add.at(votes, candidates, kept * self.counts[:rows])
        residual = int((weight * self.counts).sum())
        return [int(v) for v in votes[: self.size]], residual


def meek_stv(
    election: Election,
    *,
    seats: int,
    seed: int = 0,
    precision: int = DEFAULT_PRECISION,
    omega: Decimal = DEFAULT_OMEGA,
) -> MeekResult:
    """Count ``election`` by Meek STV (PR Foundation reference rule) and return the full result.

    ``precision`` is the number of decimal places of the fixed-point arithmetic; ``omega`` the total
    surplus below which iteration stops (it must be a whole number of units at that precision).
    Raises ``TallyError`` for tied rankings, unknown candidates or impossible seat numbers.
    """
    if not 0 <= precision <= 30:
        raise TallyError(f"precision must be between 0 and 30 decimal places, not {precision}")
    scale = 10**precision
    omega_units = Fraction(omega) * scale
    if omega_units.denominator != 1 or omega_units <= 0:
        raise TallyError(f"omega {omega} is not a positive whole number of units at {precision} places")
    names = continuing_candidates(election, seats)
    rankings = strict_rankings(election, names)
    return _MeekCount(names, rankings, seats, seed, scale, int(omega_units)).result(omega)


class _MeekCount:
    def __init__(
        self,
        names: tuple[str, ...],
        rankings: dict[tuple[str, ...], int],
        seats: int,
        seed: int,
        scale: int,
        omega: int,
    ) -> None:
        self.names = names
        self.seats = seats
        self.seed = seed
        self.scale = scale
        self.omega = omega
        self.ballots = _Ballots(rankings, names, scale)
        self.keep = [scale] * len(names)
        self.hopeful = list(range(len(names)))
        self.elected: list[int] = []
        self.stages: list[Stage] = []
        self.history: list[dict[str, int]] = []
        self.keep_history: list[Mapping[str, Decimal]] = []
        self.quotas: list[int] = []
        self.iterations: list[int] = []
        self.tie_breaks: list[TieBreak] = []
        self.quota = 0
        self._run()

    def _value(self, units: int) -> Decimal:
        return fixed(units, len(str(self.scale)) - 1)

    def _iterate(self) -> tuple[list[int], int, int, list[int], int]:
        """One round of B.2: returns votes, residual, surplus, the newly elected and iterations."""
        last_surplus: int | None = None
        iterations = 0
        while True:
            votes, residual = self.ballots.distribute(self.keep)
            iterations += 1
            self.quota = sum(votes) // (self.seats + 1) + 1
            newly = [c for c in self.hopeful if votes[c] >= self.quota]
            newly.sort(key=lambda c: -votes[c])
            for c in newly:
                self.hopeful.remove(c)
                self.elected.append(c)
            surplus = max(0, sum(votes[c] - self.quota for c in self.elected))
            if newly or surplus < self.omega or (last_surplus is not None and surplus >= last_surplus):
                return votes, residual, surplus, newly, iterations
            last_surplus = surplus
            for c in self.elected:
                raised = _ceil_div(self.keep[c] * self.quota, self.scale)
                self.keep[c] = min(self.scale, _ceil_div(raised * self.scale, votes[c]))

    def _record(
        self,
        action: str,
        subject: tuple[int, ...],
        votes: list[int],
        residual: int,
        elected: Sequence[int],
        excluded: tuple[int, ...],
        iterations: int,
    ) -> None:
        totals = {self.names[c]: votes[c] for c in range(len(self.names))}
        self.history.append(totals)
        self.keep_history.append(
            MappingProxyType({self.names[c]: self._value(k) for c, k in enumerate(self.keep)})
        )
        self.quotas.append(self.quota)
        self.iterations.append(iterations)
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                subject=tuple(self.names[c] for c in subject),
                totals=MappingProxyType({name: self._value(v) for name, v in totals.items()}),
                non_transferable=self._value(residual),
                elected=tuple(self.names[c] for c in elected),
                excluded=tuple(self.names[c] for c in excluded),
            )
        )

    def _run(self) -> None:
        action, subject = "first-preferences", cast(tuple[int, ...], ())
        votes, residual = self.ballots.distribute(self.keep)
        self.quota = sum(votes) // (self.seats + 1) + 1
        if not len(self.hopeful) > self.seats > 0:
            self._record(action, subject, votes, residual, (), (), 1)
        while len(self.hopeful) > self.seats - len(self.elected) > 0:
            votes, residual, surplus, newly, iterations = self._iterate()
            excluded = subject if action == "exclusion" else ()
            self._record(action, subject, votes, residual, newly, excluded, iterations)
            if newly:
                action, subject = "surplus", tuple(newly)
                continue
            lowest = min(votes[c] for c in self.hopeful)
            tied = [self.names[c] for c in self.hopeful if votes[c] <= lowest + surplus]
            if len(tied) == 1:
                loser = self.names.index(tied[0])
            else:
                tie = settle(
                    tied,
                    earlier=self.history[:-1],
                    highest=False,
                    stage=len(self.stages),
                    purpose="exclusion",
                    seed=self.seed,
                )
                self.tie_breaks.append(tie)
                loser = self.names.index(tie.chosen)
            self.hopeful.remove(loser)
            self.keep[loser] = 0
            action, subject = "exclusion", (loser,)
        if len(self.elected) < self.seats:
            remaining = sorted(self.hopeful, key=lambda c: -votes[c])
            self.elected.extend(remaining)
            self.hopeful.clear()
            excluded = subject if action == "exclusion" else ()
            self._record("last-vacancies", (), votes, residual, remaining, excluded, 0)

    def result(self, omega: Decimal) -> MeekResult:
        return MeekResult(
            seats=self.seats,
            candidates=self.names,
            valid_poll=Decimal(self.ballots.papers),
            elected=tuple(self.names[c] for c in self.elected),
            stages=tuple(self.stages),
            quota=self._value(self.quota),
            tie_breaks=tuple(self.tie_breaks),
            seed=self.seed,
            precision=len(str(self.scale)) - 1,
            omega=omega,
            keep_factors=tuple(self.keep_history),
            quotas=tuple(self._value(q) for q in self.quotas),
            iterations=tuple(self.iterations),
        )
