"""What a pledge count may say: never enough to single out a member of a small unit.

A unit's count is shown exactly only when at least ``threshold`` members have pledged *and* at least
``threshold`` have not; otherwise it reads as a range ("fewer than 5", "more than 195"), and in a unit of
fewer than twice ``threshold`` members as no figure at all (there, either reading would say of nearly
everyone what they did). A sum of units (a council, the whole campaign) is the sum of the ranges, so it can
never be differenced against the units' figures to recover a hidden one. Pure: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

__all__ = ["Figure", "figure_disclose", "figure_hidden", "figures_sum", "share_percent"]


@dataclass(frozen=True)
class Figure:
    """A count as a reader may know it: between ``low`` and ``high`` (equal when shown exactly) of
    ``members``, with the words to show."""

    low: int
    high: int
    members: int
    #: The words in the source language, as the log and the API keep them.
    text: str
    #: Which words these are (exact, small-unit, fewer, more, hidden, between) and the number in them, so a
    #: page can say them in its reader's language (``commune.pledges.templatetags.pledge_words``).
    wording: str = "exact"
    limit: int = 0

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def value(self) -> int | None:
        return self.low if self.exact else None

    @property
    def share(self) -> Decimal | None:
        """The share of members who pledged, in per cent to one decimal place, when it is known."""
        return share_percent(self.low, self.members) if self.exact else None

    @property
    def share_low(self) -> Decimal:
        """The share that is certain: what a chart may draw without saying more than the figure."""
        return share_percent(self.low, self.members) or Decimal(0)

    @property
    def share_text(self) -> str:
        if self.members == 0:
            return "—"
        if self.exact:
            return f"{self.share} %"
        return f"{share_percent(self.low, self.members)}–{share_percent(self.high, self.members)} %"


def share_percent(count: int, members: int) -> Decimal | None:
    if members <= 0:
        return None
    exact = Fraction(100 * count, members)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_EVEN
    )


def figure_disclose(count: int, members: int, threshold: int) -> Figure:
    """``count`` of ``members`` as it may be shown under ``threshold`` (the constitution's
    ``pledges.disclosure_threshold``). ``members`` is the unit's membership when the campaign opened; a unit
    that has grown since counts as its pledges where they are more."""
    members = max(members, count)
    if members < 2 * threshold:
        return Figure(
            0,
            members,
            members,
            f"not shown (fewer than {2 * threshold} members)",
            "small-unit",
            2 * threshold,
        )
    if count < threshold:
        return Figure(0, threshold - 1, members, f"fewer than {threshold}", "fewer", threshold)
    if members - count < threshold:
        return Figure(
            members - threshold + 1,
            members,
            members,
            f"more than {members - threshold}",
            "more",
            members - threshold,
        )
    return Figure(count, count, members, str(count))


def figure_hidden(members: int) -> Figure:
    """A unit whose count this reader may not see (the constitution's ``pledges.counts_visible_to``)."""
    return Figure(0, members, members, "not shown to you", "hidden")


def figures_sum(figures: Iterable[Figure]) -> Figure:
    """The sum of several units' figures: exact only if every one of them is."""
    items = list(figures)
    low, high = sum(f.low for f in items), sum(f.high for f in items)
    members = sum(f.members for f in items)
    if low == high:
        return Figure(low, high, members, str(low))
    return Figure(low, high, members, f"between {low} and {high}", "between")
