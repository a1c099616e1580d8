"""Immutable values that go into and come out of every count.

Candidates are named by the strings the ballot file uses. Vote values are exact: ``Decimal`` at the
precision the method's statute fixes (never floats).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal

import numpy as np
import numpy.typing as npt

__all__ = [
    "RESULT_FIELDS",
    "Ballot",
    "CountSpec",
    "Election",
    "PackedElection",
    "Result",
    "Stage",
    "TallyError",
    "TieBreak",
    "Transfer",
]


class TallyError(ValueError):
    """A count cannot proceed: bad input (with file and line where known) or an impossible request."""


@dataclass(frozen=True, slots=True)
class Ballot:
    """``count`` identical papers ranking ``ranking`` (first preference first).

    Each rank is a tuple of candidates; a rank of more than one candidate is a tie (PrefLib ``.toi``),
    which the ranked methods that cannot use ties reject with a clear error.
    """

    ranking: tuple[tuple[str, ...], ...]
    count: int = 1

    @classmethod
    def of(cls, *names: str, count: int = 1) -> Ballot:
        """A strict ranking: ``Ballot.of("A", "B", count=3)``."""
        return cls(tuple((n,) for n in names), count)

    @property
    def is_strict(self) -> bool:
        return all(len(rank) == 1 for rank in self.ranking)

    def strict(self) -> tuple[str, ...]:
        """The ranking as a flat tuple; raises ``TallyError`` if it contains ties."""
        if not self.is_strict:
            raise TallyError("this method needs strict rankings, but a ballot ranks candidates equally")
        return tuple(rank[0] for rank in self.ranking)


@dataclass(frozen=True, slots=True)
class CountSpec:
    """How an election is to be counted, as a ballot file may say: the method (a name of
    ``commune.tally.methods.METHODS``), the seed for any lot, and the method's options as written
    (``("precision", "9")``), sorted by name. ``commune.tally.methods.count`` counts by it."""

    method: str
    seed: int = 0
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Election:
    """Everything a count needs: the candidates, the seats and the ballots.

    ``count`` is how the ballot file says the election was counted, if it says (a published bulletin
    does, so that the file alone reproduces the declared result); ``None`` otherwise.
    """

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    title: str = ""
    withdrawn: frozenset[str] = frozenset()
    count: CountSpec | None = None


@dataclass(frozen=True, slots=True, eq=False)
class PackedElection:
    """An election of strict rankings held as three integer arrays instead of ``Ballot`` values.

    The same election as ``unpack()`` returns, in the form a count over many papers uses directly:
    ``prefs`` holds every ranking's candidates end to end, as indices into ``candidates`` (from 0);
    ``lengths[i]`` is how many of them belong to ranking ``i``; ``counts[i]`` is how many papers rank
    that way. No candidate appears twice in one ranking. The same ranking may occur more than once
    (``unpack()`` merges them). The arrays are copied to read-only int64 arrays, so the value is
    immutable; ``TallyError`` says what is wrong with inconsistent ones.

    ``commune.tally.readers.read_packed`` builds one from a large BLT file without creating an
    object per ranking, and ``scottish_stv`` counts it without unpacking.
    """

    candidates: tuple[str, ...]
    seats: int
    prefs: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]
    title: str = ""
    withdrawn: frozenset[str] = frozenset()
    count: CountSpec | None = None

    def __post_init__(self) -> None:
        for name in ("prefs", "lengths", "counts"):
            array = np.array(getattr(self, name), dtype=np.int64)  # a copy: the caller's stays theirs
            if array.ndim != 1:
                raise TallyError(f"{name} must be one-dimensional")
            array.flags.writeable = False
            object.__setattr__(self, name, array)
        prefs, lengths, counts = self.prefs, self.lengths, self.counts
        if len(lengths) != len(counts):
            raise TallyError(f"{len(lengths)} ranking lengths but {len(counts)} counts")
        if len(lengths) and int(lengths.min()) < 0:
            raise TallyError("a ranking length cannot be negative")
        if int(lengths.sum()) != len(prefs):
            raise TallyError(
                f"the ranking lengths add up to {int(lengths.sum())}, not {len(prefs)} preferences"
            )
        if len(counts) and int(counts.min()) < 0:
            raise TallyError(f"a ballot has a negative count ({int(counts.min())})")
        if len(prefs) and not (int(prefs.min()) >= 0 and int(prefs.max()) < len(self.candidates)):
            raise TallyError(f"a preference is not a candidate index (there are {len(self.candidates)})")
        if repeats_a_candidate(prefs, lengths):
            raise TallyError("a ranking names a candidate more than once")

    def unpack(self) -> Election:
        """The same election with one ``Ballot`` per distinct ranking (first appearance first)."""
        single = [(candidate,) for candidate in self.candidates]  # one shared rank tuple per candidate
        flat: list[tuple[str, ...]] = list(map(single.__getitem__, self.prefs.tolist()))
        stops = np.cumsum(self.lengths)
        # C-level maps only: no Python code runs per ranking but Ballot's own __init__.
        starts = (stops - self.lengths).tolist()
        rankings: list[tuple[tuple[str, ...], ...]] = list(
            map(tuple, map(flat.__getitem__, map(slice, starts, stops.tolist())))
        )
        counts = self.counts.tolist()
        if len(set(rankings)) < len(rankings):
            merged: dict[tuple[tuple[str, ...], ...], int] = {}
            for ranking, count in zip(rankings, counts, strict=True):
                merged[ranking] = merged.get(ranking, 0) + count
            rankings, counts = list(merged), list(merged.values())
        return Election(
            candidates=self.candidates,
            seats=self.seats,
            ballots=tuple(map(Ballot, rankings, counts)),
            title=self.title,
            withdrawn=self.withdrawn,
            count=self.count,
        )


def repeats_a_candidate(prefs: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> bool:
    """Whether any ranking (``lengths`` consecutive runs of ``prefs``, indices from 0) repeats a candidate."""
    filled = lengths > 0
    if not filled.any():
        return False
    starts = (np.cumsum(lengths) - lengths)[filled]
    if int(prefs.max()) < 63:
        # One bit per candidate: a ranking repeats someone iff its bits number fewer than its preferences.
        bits = np.bitwise_or.reduceat(np.left_shift(np.int64(1), prefs), starts)
        return int(np.bitwise_count(bits).sum()) != len(prefs)
    width = int(lengths.max())
    matrix = np.full((len(lengths), width), -1, dtype=np.int64)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    matrix[rows, np.arange(len(prefs)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = prefs
    ordered = np.sort(matrix, axis=1)
    return bool(((ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] >= 0)).any())


@dataclass(frozen=True, slots=True)
class Transfer:
    """Votes moved in one stage from ``source`` to ``target`` (``None`` target: non-transferable)."""

    source: str
    target: str | None
    votes: Decimal


@dataclass(frozen=True, slots=True)
class TieBreak:
    """A tie met during the count and how it was settled (the rule is in ``commune.tally.ties``).

    ``tied`` names the tied candidates in the count's candidate order. ``rule`` is ``"earlier-stage"``
    (the most recent stage at which the tied candidates differed) or ``"lot"``: then ``seed`` is the
    seed drawn with and ``lot`` the order it put the candidates still tied in, the favoured first
    (``chosen`` is the first where the count wanted the candidate ahead, the last for an exclusion).
    """

    stage: int
    purpose: str  # "surplus", "exclusion", "election", "ranking"
    tied: tuple[str, ...]
    chosen: str
    rule: str
    seed: int | None = None
    lot: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a count.

    ``action`` is one of ``"first-preferences"``, ``"surplus"``, ``"exclusion"``, ``"last-vacancies"``,
    ``"iteration"`` (Meek), ``"round"`` (IRV), ``"count"`` (single-round methods).
    ``subject`` names whose surplus was transferred or who was excluded.
    ``totals`` are every candidate's votes at the end of the stage.
    ``loss`` is value lost to truncation, cumulative, so that at every stage
    ``sum(totals) + non_transferable + loss == valid poll``.
    """

    number: int
    action: str
    subject: tuple[str, ...]
    totals: Mapping[str, Decimal]
    non_transferable: Decimal
    loss: Decimal = Decimal(0)
    transfers: tuple[Transfer, ...] = ()
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def description(self) -> str:
        names = ", ".join(self.subject)
        return {
            "first-preferences": "First preferences",
            "surplus": f"Surplus of {names}",
            "exclusion": f"Exclusion of {names}",
            "last-vacancies": "Last vacancies filled",
        }.get(self.action, f"{self.action.replace('-', ' ').capitalize()}{' ' + names if names else ''}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The outcome of a count, with its full history: what every method's result has.

    ``elected`` is in order of election. ``ranking`` is the full order where the method gives one
    (Schulze); otherwise empty. ``seed`` is the seed any tie left to lot was drawn with. Each method
    returns its own subclass (``ScottishResult``, ``MeekResult``, ...), which adds the figures only
    that method has, as typed fields.
    """

    method: str
    seats: int
    candidates: tuple[str, ...]
    valid_poll: Decimal
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    quota: Decimal | None = None
    tie_breaks: tuple[TieBreak, ...] = ()
    ranking: tuple[str, ...] = ()
    seed: int = 0


#: The fields every ``Result`` has; a subclass's other fields are the figures of its method.
RESULT_FIELDS = frozenset(f.name for f in fields(Result))
