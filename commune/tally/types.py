"""Immutable values that go into and come out of every count.

Candidates are named by the strings the ballot file uses. Vote values are exact: ``Decimal`` at the
precision the method's statute fixes (never floats).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["Ballot", "Election", "Result", "Stage", "TallyError", "TieBreak", "Transfer"]


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
class Election:
    """Everything a count needs: the candidates, the seats and the ballots."""

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    title: str = ""
    withdrawn: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Transfer:
    """Votes moved in one stage from ``source`` to ``target`` (``None`` target: non-transferable)."""

    source: str
    target: str | None
    votes: Decimal


@dataclass(frozen=True, slots=True)
class TieBreak:
    """A tie met during the count and how it was settled.

    ``rule`` is ``"earlier-stage"`` (the most recent stage at which the tied candidates differed) or
    ``"lot"`` (a seeded draw: ``seed`` reproduces it).
    """

    stage: int
    purpose: str  # "surplus", "exclusion", "election", "ranking"
    tied: tuple[str, ...]
    chosen: str
    rule: str
    seed: int | None = None


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


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of a count, with its full history.

    ``elected`` is in order of election. ``ranking`` is the full order where the method gives one
    (Schulze); otherwise empty. ``extra`` carries method-specific figures (e.g. yes/no thresholds).
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
    extra: Mapping[str, object] = field(default_factory=dict)
