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
exact; they come out as ``Decimal``. A draw "by lot" is the seeded lot of ``commune.tally.ties`` and is
recorded as a ``TieBreak`` with that seed, so anyone can repeat it.

Identical rankings always travel together (they are at the same preference, at the same value, at
every stage), so the count keeps one *pile* per ``Ballot`` (the readers merge identical rankings into
one ``Ballot``), held as rows of numpy arrays. That is what makes a million papers cheap: the work
grows with the number of distinct rankings, not the number of papers, and each transfer is a few
array operations.

Candidates reaching the quota at the same stage are listed as elected in order of their votes
(then of the ballot's candidate order); the order matters to nothing in the count, since each
surplus is taken largest first under rule 49.

A paper is read from its first preference until its preferences run out or a candidate is ranked a
second time (a repeated preference ends what the paper validly expresses). Withdrawn candidates are
skipped. A paper with no preference for a standing candidate is not part of the valid poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from operator import attrgetter
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from commune.tally.exact import fixed
from commune.tally.ties import settle
from commune.tally.types import (
    Ballot,
    Election,
    PackedElection,
    Result,
    Stage,
    TallyError,
    TieBreak,
    Transfer,
)

__all__ = ["UNIT", "ScottishCount", "ScottishResult", "scottish_stv", "votes"]

#: One vote in the count's fixed-point units: rule 48(3) works to five decimal places.
UNIT = 100_000

_CONTINUING, _ELECTED, _EXCLUDED = 0, 1, 2

# Products of a surplus and a paper's value must stay within int64: surplus ≤ poll × UNIT and
# value ≤ UNIT, so the poll may be at most (2**63 - 1) // UNIT**2 papers (about 922 million).
_MAX_POLL = (2**63 - 1) // UNIT**2
_COUNT = attrgetter("count")
_RANKING = attrgetter("ranking")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScottishResult(Result):
    """A Scottish STV count: the quota (rule 46) and one stage per surplus or exclusion, each with
    its transfers, every figure exact to five decimal places."""

    method: str = "scottish-stv"


def votes(units: int) -> Decimal:
    """The exact ``Decimal`` for a value held in units of 0.00001 of a vote."""
    return fixed(units, 5)


def scottish_stv(
    election: Election | PackedElection, *, seats: int | None = None, seed: int = 0
) -> ScottishResult:
    """Count ``election`` by the Scottish STV rules and return the full result.

    A ``PackedElection`` is counted as it stands, without building a ``Ballot`` per ranking.

    ``seats`` overrides ``election.seats``. ``seed`` settles any tie that the rules leave to lot.
    Raises ``TallyError`` for rankings with equal preferences, unknown candidates or an impossible
    number of seats.
    """
    return ScottishCount(election, seats=election.seats if seats is None else seats, seed=seed).result


class ScottishCount:
    """One Scottish STV count, run to completion on construction.

    ``result`` is the ``Result``; ``kept(name)`` gives the papers behind an elected candidate's
    votes, which a casual-vacancy countback recounts.

    The papers are held as numpy arrays, one row per pile of identical rankings, so that moving a
    candidate's papers is a handful of array operations however many piles there are. Every value
    is an exact int64 in units of 0.00001 of a vote (the poll is bounded so no product overflows).
    """

    def __init__(self, election: Election | PackedElection, *, seats: int, seed: int) -> None:
        self.names: tuple[str, ...] = tuple(c for c in election.candidates if c not in election.withdrawn)
        if len(set(self.names)) != len(self.names):
            raise TallyError("candidate names must be distinct")
        if seats < 1:
            raise TallyError(f"the number of seats must be at least 1, not {seats}")
        if seats > len(self.names):
            raise TallyError(f"{seats} seats but only {len(self.names)} standing candidates")
        self.seats = seats
        self.seed = seed
        n = len(self.names)

        index = {name: i for i, name in enumerate(self.names)}
        if isinstance(election, PackedElection):
            matrix, counts = _packed_piles(election, index)
        else:
            matrix, counts = _piles(election.ballots, index, election)
        # One row per pile: the effective ranking as candidate indices, padded with ``n`` (no one).
        self._matrix = matrix
        self._cells = matrix.ravel()  # the same cells, addressed as row * columns + column
        self._count = counts
        self._width = matrix.shape[1] - 1  # the last column is always ``n``
        self._pos = np.zeros(len(counts), dtype=np.int64)
        self._value = np.full(len(counts), UNIT, dtype=np.int64)
        self._holder = matrix[:, 0].astype(np.int64)  # -1: the pile has left the count

        self.valid_poll = int(counts.sum())
        if self.valid_poll == 0:
            raise TallyError("there are no valid ballot papers to count")
        if self.valid_poll > _MAX_POLL:
            raise TallyError(f"more than {_MAX_POLL:,} papers is beyond this count's fixed-point range")
        self.quota = (self.valid_poll // (seats + 1) + 1) * UNIT
        self._state = [_CONTINUING] * n
        self._open = np.ones(n + 1, dtype=bool)  # continuing candidates; index ``n`` (no one) is never open
        self._open[n] = False
        first = np.zeros(n + 1, dtype=np.int64)
        np.add.at(first, self._holder, counts)
        self._totals = [int(papers) * UNIT for papers in first[:n]]
        self._non_transferable = 0
        self._loss = 0
        self._surplus_done = [False] * n
        self._elected: list[int] = []
        self._history: list[tuple[int, ...]] = []
        self._stages: list[Stage] = []
        self._tie_breaks: list[TieBreak] = []
        self._kept: dict[int, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = {}

        self._run()
        self.result = ScottishResult(
            seats=seats,
            candidates=self.names,
            valid_poll=Decimal(self.valid_poll),
            elected=tuple(self.names[c] for c in self._elected),
            stages=tuple(self._stages),
            quota=Decimal(self.quota // UNIT),
            tie_breaks=tuple(self._tie_breaks),
            seed=seed,
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
                    self._open[c] = False
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

    def _elect(self) -> tuple[int, ...]:
        """Rule 47: deem elected every continuing candidate at or above the quota, largest first."""
        reached = [c for c, s in enumerate(self._state) if s == _CONTINUING and self._totals[c] >= self.quota]
        reached.sort(key=lambda c: (-self._totals[c], c))
        for c in reached:
            self._state[c] = _ELECTED
            self._open[c] = False
        self._elected.extend(reached)
        return tuple(reached)

    def _transfer_surplus(self, source: int) -> list[tuple[int | None, int]]:
        """Rule 48: pass every paper of ``source`` on at ``surplus × value ÷ total`` (5 dp, truncated)."""
        total = self._totals[source]
        surplus = total - self.quota
        piles = np.flatnonzero(self._holder == source)
        values = self._value[piles]
        new_values = surplus * values // total  # exact: both factors are bounded by _MAX_POLL
        self._kept[source] = (piles, values - new_values)
        transfers, moved = self._pass_on(piles, new_values)
        self._totals[source] = self.quota
        self._surplus_done[source] = True
        self._loss += surplus - moved
        return transfers

    def _exclude(self, source: int) -> list[tuple[int | None, int]]:
        """Rule 50: pass every paper of ``source`` on at the value it carries."""
        self._state[source] = _EXCLUDED
        self._open[source] = False
        piles = np.flatnonzero(self._holder == source)
        transfers, moved = self._pass_on(piles, self._value[piles])
        self._loss += self._totals[source] - moved  # zero: exclusion moves every paper at its value
        self._totals[source] = 0
        return transfers

    def _pass_on(
        self, piles: npt.NDArray[np.intp], new_values: npt.NDArray[np.int64]
    ) -> tuple[list[tuple[int | None, int]], int]:
        """Move each pile to its next continuing preference at its new value, all piles at once.

        Returns the transfers (target ``None``: non-transferable) and the total value moved.
        """
        n = len(self.names)
        start = piles * self._matrix.shape[1]  # each pile's row in the flattened matrix
        pos = self._pos[piles] + 1
        target = self._cells[start + pos]
        # Only the piles whose next preference is not continuing look further, a step at a time.
        passing = np.flatnonzero(~self._open[target] & (pos < self._width))
        while len(passing):
            pos[passing] += 1
            target[passing] = self._cells[start[passing] + pos[passing]]
            passing = passing[~self._open[target[passing]] & (pos[passing] < self._width)]

        worth = self._count[piles] * new_values
        gained = np.zeros(n + 1, dtype=np.int64)
        np.add.at(gained, target, worth)
        received = np.zeros(n + 1, dtype=bool)
        received[target] = True

        alive = (target < n) & (new_values > 0)
        self._holder[piles] = np.where(alive, target, -1)
        self._pos[piles] = pos
        self._value[piles] = new_values

        transfers: list[tuple[int | None, int]] = []
        for c in np.flatnonzero(received[:n]).tolist():
            self._totals[c] += int(gained[c])
            transfers.append((c, int(gained[c])))
        exhausted = int(gained[n])
        self._non_transferable += exhausted
        if exhausted or not transfers:
            transfers.append((None, exhausted))
        return transfers, int(gained.sum())

    def kept(self, name: str) -> list[tuple[tuple[int, ...], int, int]]:
        """The papers that make up elected candidate ``name``'s votes after their surplus went.

        Each is ``(ranking as indices into names, papers, value per paper in units)``: the value that
        stayed with the candidate. With no surplus transferred, all their papers at their value.
        """
        c = self.names.index(name)
        if c in self._kept:
            piles, values = self._kept[c]
        else:
            piles = np.flatnonzero(self._holder == c)
            values = self._value[piles]
        n = len(self.names)
        return [
            (tuple(int(x) for x in self._matrix[p] if x != n), int(self._count[p]), int(v))
            for p, v in zip(piles.tolist(), values.tolist(), strict=True)
        ]

    # -- ties ----------------------------------------------------------------------------------------

    def _settle(self, tied: list[int], purpose: str, *, highest: bool) -> int:
        """Rules 49(2) and 51: the most recent earlier stage at which the tied candidates differed, then lot.

        ``highest`` picks the candidate who was ahead at that stage (surpluses), otherwise the one
        who was behind (exclusions); ``commune.tally.ties`` holds the rule every count shares.
        """
        if len(tied) == 1:
            return tied[0]
        tie = settle(
            [self.names[c] for c in tied],
            earlier=[{self.names[c]: snapshot[c] for c in tied} for snapshot in self._history[:-1]],
            highest=highest,
            stage=len(self._stages) + 1,
            purpose=purpose,
            seed=self.seed,
        )
        self._tie_breaks.append(tie)
        return self.names.index(tie.chosen)

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


def _piles(
    ballots: Sequence[Ballot], index: dict[str, int], election: Election
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The papers as a matrix of effective rankings (padded with ``len(index)``) and their counts.

    Rows with no count or no preference for a standing candidate are left out. Identical rankings
    need not be merged: they move together whatever row they are in.
    """
    n = len(index)
    counts_list = list(map(_COUNT, ballots))
    if counts_list and min(counts_list) < 0:
        raise TallyError(f"a ballot has a negative count ({min(counts_list)})")
    if sum(counts_list) > _MAX_POLL:
        raise TallyError(f"more than {_MAX_POLL:,} papers is beyond this count's fixed-point range")
    rankings = list(map(_RANKING, ballots))
    lengths_list = list(map(len, rankings))
    by_rank: dict[tuple[str, ...], int] = {(name,): i for name, i in index.items()}
    flat: npt.NDArray[np.int64] | None
    try:
        # Fast path for the usual paper: strict, standing candidates only.
        flat = np.fromiter(
            map(by_rank.__getitem__, chain.from_iterable(rankings)), dtype=np.int64, count=sum(lengths_list)
        )
    except KeyError:
        flat = None
    lengths = np.array(lengths_list, dtype=np.int64)
    width = int(lengths.max()) if len(lengths) else 0
    if flat is not None:
        matrix = _pad(flat, lengths, width, n)
        ordered = np.sort(matrix[:, :width], axis=1)
        if not ((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] < n)).any():
            keep = (np.array(counts_list, dtype=np.int64) > 0) & (lengths > 0)
            return matrix[keep], np.array(counts_list, dtype=np.int64)[keep]
    # Careful path: withdrawn candidates skipped, a repeated candidate ends the paper.
    effective = [_careful(ballot, index, election.withdrawn) for ballot in ballots]
    lengths = np.array([len(r) for r in effective], dtype=np.int64)
    width = int(lengths.max()) if len(lengths) else 0
    flat = np.fromiter(chain.from_iterable(effective), dtype=np.int64, count=int(lengths.sum()))
    matrix = _pad(flat, lengths, width, n)
    counts = np.array(counts_list, dtype=np.int64)
    keep = (counts > 0) & (lengths > 0)
    return matrix[keep], counts[keep]


def _packed_piles(
    election: PackedElection, index: dict[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """As ``_piles``, straight from a packed election's arrays (its rankings are strict, no repeats)."""
    n = len(index)
    prefs, lengths, counts = election.prefs, election.lengths, election.counts
    if (len(counts) and int(counts.max()) > _MAX_POLL) or int(counts.sum()) > _MAX_POLL:
        raise TallyError(f"more than {_MAX_POLL:,} papers is beyond this count's fixed-point range")
    if election.withdrawn:
        # Withdrawn candidates are skipped: each ranking keeps its standing candidates, in order.
        standing = np.array([index.get(name, -1) for name in election.candidates], dtype=np.int64)
        mapped = standing[prefs]
        kept = mapped >= 0
        owner = np.repeat(np.arange(len(lengths)), lengths)
        lengths = np.bincount(owner[kept], minlength=len(lengths)).astype(np.int64)
        prefs = mapped[kept]
    keep = (counts > 0) & (lengths > 0)
    if not keep.all():
        prefs, lengths, counts = prefs[np.repeat(keep, lengths)], lengths[keep], counts[keep]
    width = int(lengths.max()) if len(lengths) else 0
    return _pad(prefs, lengths, width, n), counts


def _pad(
    flat: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64], width: int, n: int
) -> npt.NDArray[np.int64]:
    """Rows of ``lengths`` taken in turn from ``flat``, padded to ``width + 1`` columns with ``n``."""
    matrix = np.full((len(lengths), width + 1), n, dtype=np.int64)
    if len(flat):
        # Where each row's run of ``flat`` goes in the flattened matrix, less where it starts in ``flat``.
        shift = np.arange(len(lengths)) * (width + 1) - (np.cumsum(lengths) - lengths)
        matrix.ravel()[np.arange(len(flat)) + np.repeat(shift, lengths)] = flat
    return matrix


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
