"""The figures of democracy health as plain values: counts, and the shares read from them.

Shares are exact fractions of two counts; they are rounded only for display (``percent``), so a figure
shown as 66.7 % can always be checked against the counts beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

#: Holding more than this many seats and offices at once is flagged. docs/principles.md names the old guard's
#: "enormous undivided prestige" and bureaucrats who "creep into warm corners": power gathers where one
#: person sits on the council above their unit, the council above that and an executive besides. A
#: delegate who sits at two levels is the federation working (a unit's delegate to the district can be the
#: district's delegate to congress); a third seat or office is a warning sign to be seen, not a breach.
MAX_HOLDINGS_BEFORE_WARNING = 2


def percent(numerator: int, denominator: int) -> Decimal | None:
    """The share as a percentage to one decimal place, or ``None`` when there is nothing to share."""
    if denominator == 0:
        return None
    exact = Fraction(100 * numerator, denominator)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_EVEN
    )


@dataclass
class Counts:
    """Everything counted for one period (a month, or the whole record) or one body."""

    elections: int = 0
    uncontested_elections: int = 0
    election_voted: int = 0
    election_electors: int = 0
    assembly_votes: int = 0
    assembly_cast: int = 0
    assembly_electorate: int = 0
    referendum_voted: int = 0
    referendum_electors: int = 0
    motions_from_units: int = 0
    motions_from_councils: int = 0
    council_votes: int = 0
    free_mandate_votes: int = 0
    instructed_votes: int = 0
    followed: int = 0
    departures: int = 0
    petitions_opened: int = 0
    petitions_reached_threshold: int = 0
    recalled: int = 0
    retained: int = 0
    lapsed: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def election_turnout(self) -> Decimal | None:
        return percent(self.election_voted, self.election_electors)

    @property
    def assembly_turnout(self) -> Decimal | None:
        return percent(self.assembly_cast, self.assembly_electorate)

    @property
    def referendum_turnout(self) -> Decimal | None:
        return percent(self.referendum_voted, self.referendum_electors)

    @property
    def motions(self) -> int:
        return self.motions_from_units + self.motions_from_councils

    @property
    def from_units_share(self) -> Decimal | None:
        return percent(self.motions_from_units, self.motions)

    @property
    def compliance(self) -> Decimal | None:
        """Of the council votes cast under a binding or instructed mandate, the share that followed it."""
        return percent(self.followed, self.instructed_votes)


@dataclass(frozen=True)
class BodyRow:
    code: str
    name: str
    kind: str
    depth: int
    counts: Counts


@dataclass(frozen=True)
class MonthRow:
    month: date
    counts: Counts


@dataclass(frozen=True)
class Tenure:
    """How long terms of one kind (delegations or offices) have lasted, in days, current and ended."""

    kind: str
    current: int
    current_median_days: Decimal | None
    ended: int
    ended_median_days: Decimal | None


@dataclass(frozen=True)
class Holder:
    number: str
    name: str
    seats: int
    offices: int

    @property
    def holdings(self) -> int:
        return self.seats + self.offices


@dataclass(frozen=True)
class Health:
    """The democracy health of an organisation, or of one body and everything below it."""

    scope_code: str
    scope_name: str
    totals: Counts
    months: list[MonthRow]
    bodies: list[BodyRow]
    tenure: list[Tenure]
    #: How many people hold 1, 2, 3… seats and offices at once (only counts above zero appear).
    holdings: dict[int, int]
    flagged: list[Holder] = field(default_factory=list)
    holding_limit: int = MAX_HOLDINGS_BEFORE_WARNING
