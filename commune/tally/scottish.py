"""Scottish STV: the count of the Scottish Local Government Elections Order 2007 (SSI 2007/42).

The rules are those of Schedule 1, rules 45 to 52 (https://www.legislation.gov.uk/ssi/2007/42/schedule/1):

* **Quota** (rule 46): the valid poll divided by one more than the number of seats, any fraction
  ignored, plus one. It is fixed for the whole count.
* **Election** (rule 47): a candidate whose votes at the end of a stage equal or exceed the quota is
  elected.
* **Surplus** (rule 48): every paper held by the elected candidate is passed to its next continuing
  preference at the value ``surplus × value of the paper when received ÷ candidate's total``, worked
  to five decimal places with the remainder ignored. Papers with no further preference are
  non-transferable at that value; what the truncation drops is recorded as ``loss``.
* **Order of surpluses** (rule 49): one surplus per stage, the largest first; equal surpluses go by the
  most recent earlier stage at which the candidates' votes differed, then by lot.
* **Exclusion** (rules 50, 51): with no surplus to transfer, the continuing candidate with fewest votes
  is excluded and every paper they hold passes on at the value it carries; ties go as for surpluses
  (the candidate with fewer votes at the most recent differing stage is excluded), then by lot.
* **Last vacancies** (rule 52): once the continuing candidates are no more than the vacancies left,
  they are all elected and no further transfer is made.

Values are kept as integers in units of 0.00001 of a vote, so every figure the statute defines is
exact; they come out as ``Decimal``. A draw "by lot" uses ``random.Random(seed)`` and is recorded as a
``TieBreak`` with that seed, so anyone can repeat it.

Identical rankings always travel together (they are at the same preference, at the same value, at
every stage), so the count keeps one *pile* per distinct ranking. That is what makes a million papers
cheap: the work grows with the number of distinct rankings, not the number of papers.

A paper is read from its first preference until its preferences run out or a candidate is ranked a
second time (a repeated preference ends what the paper validly expresses). Withdrawn candidates are
skipped. A paper with no preference for a standing candidate is not part of the valid poll.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal
from types import MappingProxyType

from commune.tally.types import Ballot, Election, Result, Stage, TallyError, TieBreak, Transfer

__all__ = ["UNIT", "ScottishCount", "scottish_stv", "votes"]

#: One vote in the count's fixed-point units: rule 48(3) works to five decimal places.
UNIT = 100_000

_CONTINUING, _ELECTED, _EXCLUDED = 0, 1, 2


def votes(units: int) -> Decimal:
    """The exact ``Decimal`` for a value held in units of 0.00001 of a vote."""
    return Decimal(units).scaleb(-5)


def scottish_stv(election: Election, *, seats: int | None = None, seed: int = 0) -> Result:
    """Count ``election`` by the Scottish STV rules and return the full result.

    ``seats`` overrides ``election.seats``. ``seed`` settles any tie that the rules leave to lot.
    Raises ``TallyError`` for rankings with equal preferences, unknown candidates or an impossible
    number of seats.
    """
    return ScottishCount(election, seats=election.seats if seats is None else seats, seed=seed).result


class ScottishCount:
    """One Scottish STV count, run to completion on construction.

    ``result`` is the ``Result``. ``kept`` maps each elected candidate to the papers that make up
    their votes once their surplus has gone (or, with no surplus transferred, all of their papers):
    ``(ranking, papers, value per paper in units)`` with rankings as candidate indices into
    ``names``. A casual-vacancy countback uses these.
    """

    def __init__(self, election: Election, *, seats: int, seed: int) -> None:
        self.names: tuple[str, ...] = tuple(c for c in election.candidates if c not in election.withdrawn)
        if len(set(self.names)) != len(self.names):
            raise TallyError("candidate names must be distinct")
        if seats < 1:
            raise TallyError(f"the number of seats must be at least 1, not {seats}")
        if seats > len(self.names):
            raise TallyError(f"{seats} seats but only {len(self.names)} standing candidates")
        self.seats = seats
        self.seed = seed
        self._rng: random.Random | None = None
        n = len(self.names)

        grouped = _group(election.ballots, {name: i for i, name in enumerate(self.names)}, election.withdrawn)
        self._rank: list[tuple[int, ...]] = list(grouped)
        self._count: list[int] = list(grouped.values())
        self._pos: list[int] = [0] * len(self._rank)
        self._value: list[int] = [UNIT] * len(self._rank)
        self._holders: list[list[int]] = [[] for _ in range(n)]
        for pile, ranking in enumerate(self._rank):
            self._holders[ranking[0]].append(pile)

        self.valid_poll = sum(self._count)
        if self.valid_poll == 0:
            raise TallyError("there are no valid ballot papers to count")
        self.quota = (self.valid_poll // (seats + 1) + 1) * UNIT
        self._state = [_CONTINUING] * n
        self._totals = [0] * n
        for pile, ranking in enumerate(self._rank):
            self._totals[ranking[0]] += self._count[pile] * UNIT
        self._non_transferable = 0
        self._loss = 0
        self._surplus_done = [False] * n
        self._elected: list[int] = []
        self._history: list[tuple[int, ...]] = []
        self._stages: list[Stage] = []
        self._tie_breaks: list[TieBreak] = []
        self.kept: dict[str, list[tuple[tuple[int, ...], int, int]]] = {}

        self._run()
        self.result = Result(
            method="scottish-stv",
            seats=seats,
            candidates=self.names,
            valid_poll=Decimal(self.valid_poll),
            elected=tuple(self.names[c] for c in self._elected),
            stages=tuple(self._stages),
            quota=Decimal(self.quota // UNIT),
            tie_breaks=tuple(self._tie_breaks),
            extra=MappingProxyType({"seed": seed}),
        )

    # -- the count -----------------------------------------------------------------------------------

    def _run(self) -> None:
        elected_now = self._elect()
        self._record("first-preferences", (), (), elected_now, ())
        while len(self._elected) < self.seats:
            continuing = [c for c, s in enumerate(self._state) if s == _CONTINUING]
            if len(continuing) <= self.seats - len(self._elected):
                continuing.sort(key=lambda c: (-self._totals[c], c))
                for c in continuing:
                    self._state[c] = _ELECTED
                self._elected.extend(continuing)
                self._record("last-vacancies", (), (), tuple(continuing), ())
                break
            with_surplus = [
                c for c in self._elected if self._totals[c] > self.quota and not self._surplus_done[c]
            ]
            if with_surplus:
                largest = max(self._totals[c] for c in with_surplus)
                tied = [c for c in with_surplus if self._totals[c] == largest]
                source = self._settle(tied, "surplus", highest=True)
                transfers = self._transfer_surplus(source)
                elected_now = self._elect()
                self._record("surplus", (source,), transfers, elected_now, ())
            else:
                fewest = min(self._totals[c] for c in continuing)
                tied = [c for c in continuing if self._totals[c] == fewest]
                source = self._settle(tied, "exclusion", highest=False)
                transfers = self._exclude(source)
                elected_now = self._elect()
                self._record("exclusion", (source,), transfers, elected_now, (source,))
        for c in self._elected:
            if self.names[c] not in self.kept:
                self.kept[self.names[c]] = [
                    (self._rank[p], self._count[p], self._value[p]) for p in self._holders[c]
                ]

    def _elect(self) -> tuple[int, ...]:
        """Rule 47: deem elected every continuing candidate at or above the quota, largest first."""
        reached = [c for c, s in enumerate(self._state) if s == _CONTINUING and self._totals[c] >= self.quota]
        reached.sort(key=lambda c: (-self._totals[c], c))
        for c in reached:
            self._state[c] = _ELECTED
        self._elected.extend(reached)
        return tuple(reached)

    def _transfer_surplus(self, source: int) -> list[tuple[int | None, int]]:
        """Rule 48: pass every paper of ``source`` on at ``surplus × value ÷ total`` (5 dp, truncated)."""
        total = self._totals[source]
        surplus = total - self.quota
        piles = self._holders[source]
        self._holders[source] = []
        kept: list[tuple[tuple[int, ...], int, int]] = []
        new_values: list[int] = []
        for p in piles:
            value = self._value[p]
            new_value = surplus * value // total
            new_values.append(new_value)
            kept.append((self._rank[p], self._count[p], value - new_value))
        self.kept[self.names[source]] = kept
        transfers, moved = self._pass_on(piles, new_values)
        self._totals[source] = self.quota
        self._surplus_done[source] = True
        self._loss += surplus - moved
        return transfers

    def _exclude(self, source: int) -> list[tuple[int | None, int]]:
        """Rule 50: pass every paper of ``source`` on at the value it carries."""
        self._state[source] = _EXCLUDED
        piles = self._holders[source]
        self._holders[source] = []
        transfers, moved = self._pass_on(piles, [self._value[p] for p in piles])
        self._loss += self._totals[source] - moved  # zero: exclusion moves every paper at its value
        self._totals[source] = 0
        return transfers

    def _pass_on(
        self, piles: Sequence[int], new_values: Sequence[int]
    ) -> tuple[list[tuple[int | None, int]], int]:
        """Move each pile to its next continuing preference at its new value.

        Returns the transfers (target ``None``: non-transferable) and the total value moved.
        """
        state, rank, pos, count = self._state, self._rank, self._pos, self._count
        value, holders, totals = self._value, self._holders, self._totals
        gained = [0] * len(self.names)
        received = [False] * len(self.names)
        exhausted = 0
        for p, new_value in zip(piles, new_values, strict=True):
            ranking = rank[p]
            k = pos[p] + 1
            end = len(ranking)
            while k < end and state[ranking[k]] != _CONTINUING:
                k += 1
            worth = count[p] * new_value
            if k < end:
                target = ranking[k]
                gained[target] += worth
                received[target] = True
                if new_value:
                    pos[p] = k
                    value[p] = new_value
                    holders[target].append(p)
            else:
                exhausted += worth
        transfers: list[tuple[int | None, int]] = []
        for target, worth in enumerate(gained):
            if received[target]:
                totals[target] += worth
                transfers.append((target, worth))
        self._non_transferable += exhausted
        if exhausted or not transfers:
            transfers.append((None, exhausted))
        return transfers, sum(gained) + exhausted

    # -- ties ----------------------------------------------------------------------------------------

    def _settle(self, tied: list[int], purpose: str, *, highest: bool) -> int:
        """Rules 49(2) and 51: the most recent earlier stage at which the tied candidates differed, then lot.

        ``highest`` picks the candidate who was ahead at that stage (surpluses), otherwise the one
        who was behind (exclusions). With three or more tied, each earlier stage narrows the field to
        those at the extreme until one remains.
        """
        if len(tied) == 1:
            return tied[0]
        field = list(tied)
        for snapshot in reversed(self._history[:-1]):
            figures = [snapshot[c] for c in field]
            extreme = max(figures) if highest else min(figures)
            narrowed = [c for c in field if snapshot[c] == extreme]
            if len(narrowed) < len(field):
                field = narrowed
                if len(field) == 1:
                    self._tie_breaks.append(
                        TieBreak(
                            stage=len(self._stages) + 1,
                            purpose=purpose,
                            tied=tuple(self.names[c] for c in tied),
                            chosen=self.names[field[0]],
                            rule="earlier-stage",
                        )
                    )
                    return field[0]
        if self._rng is None:
            self._rng = random.Random(self.seed)
        chosen = self._rng.choice(sorted(field))
        self._tie_breaks.append(
            TieBreak(
                stage=len(self._stages) + 1,
                purpose=purpose,
                tied=tuple(self.names[c] for c in tied),
                chosen=self.names[chosen],
                rule="lot",
                seed=self.seed,
            )
        )
        return chosen

    # -- record --------------------------------------------------------------------------------------

    def _record(
        self,
        action: str,
        subject: tuple[int, ...],
        transfers: Sequence[tuple[int | None, int]],
        elected: tuple[int, ...],
        excluded: tuple[int, ...],
    ) -> None:
        self._history.append(tuple(self._totals))
        names = self.names
        source = names[subject[0]] if subject else ""
        self._stages.append(
            Stage(
                number=len(self._stages) + 1,
                action=action,
                subject=tuple(names[c] for c in subject),
                totals=MappingProxyType({names[c]: votes(t) for c, t in enumerate(self._totals)}),
                non_transferable=votes(self._non_transferable),
                loss=votes(self._loss),
                transfers=tuple(
                    Transfer(source, None if target is None else names[target], votes(worth))
                    for target, worth in transfers
                ),
                elected=tuple(names[c] for c in elected),
                excluded=tuple(names[c] for c in excluded),
            )
        )


def _group(
    ballots: Sequence[Ballot], index: dict[str, int], withdrawn: frozenset[str]
) -> dict[tuple[int, ...], int]:
    """Papers by distinct effective ranking (candidate indices), in order of first appearance."""
    grouped: dict[tuple[int, ...], int] = {}
    # Fast path for the usual paper: strict, standing candidates only, no repeats. The one-candidate
    # ranks map straight to indices; anything else takes the careful path below.
    by_rank: dict[tuple[str, ...], int] = {(name,): i for name, i in index.items()}
    lookup = by_rank.__getitem__
    for ballot in ballots:
        count = ballot.count
        try:
            prefs = tuple(map(lookup, ballot.ranking))
        except (KeyError, TypeError):
            prefs = _careful(ballot, index, withdrawn)
        else:
            if len(set(prefs)) != len(prefs):
                prefs = _careful(ballot, index, withdrawn)
        if count < 0:
            raise TallyError(f"a ballot has a negative count ({count})")
        if count and prefs:
            grouped[prefs] = grouped.get(prefs, 0) + count
    return grouped


def _careful(ballot: Ballot, index: dict[str, int], withdrawn: frozenset[str]) -> tuple[int, ...]:
    """A paper's effective ranking: withdrawn candidates skipped, cut at the first repeated candidate."""
    prefs: list[int] = []
    for rank in ballot.ranking:
        if len(rank) != 1:
            raise TallyError("Scottish STV needs strict rankings, but a ballot ranks candidates equally")
        name = rank[0]
        i = index.get(name)
        if i is None:
            if name in withdrawn:
                continue
            raise TallyError(f"a ballot ranks {name!r}, who is not a candidate")
        if i in prefs:
            break
        prefs.append(i)
    return tuple(prefs)
