"""Reckoning a member's dues: what each month costs, what their payments cover, and whether they are in
good standing. Pure: no database and no clock; the selectors gather the inputs and pass today in.

* A month's dues are reckoned at the rate of the constitution in force on the month's first day, from the
  member's wage band in that month (``dues.basis``; a change of band recorded from a month on applies
  from that month, the band before it to the months before), and fall due on its last day.
* A member owes a month whose first day falls within one of their memberships (so a member who joins on
  the 2nd first owes the next month), and months an officer brought forward from the books kept before,
  which come first.
* A month exempted in hardship costs nothing.
* Payments go to the oldest month still unpaid first. The months in arrears are those that have fallen
  due and are not wholly paid; a member is in good standing while they are no more than the
  constitution's ``dues.good_standing_months``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from commune.federation.constitution import DuesRules

CENT = Decimal("0.01")
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_from(first: date, last: date) -> list[date]:
    """The first days of every month from ``first``'s to ``last``'s, both included."""
    months, month, end = [], month_start(first), month_start(last)
    while month <= end:
        months.append(month)
        month = month_next(month)
    return months


def monthly_rate(rules: DuesRules, band: str, band_weekly: Decimal | None) -> Decimal:
    """One month's dues for a member on ``band`` (whose weekly wage is ``band_weekly``, if known)."""
    if rules.basis == "flat":
        return rules.flat_monthly
    if rules.basis == "wage-band":
        return rules.band_monthly.get(band, rules.flat_monthly)
    if rules.basis == "percent":
        if band_weekly is None:
            return rules.flat_monthly
        return (band_weekly * WEEKS_PER_MONTH * rules.percent_of_wage / 100).quantize(CENT, ROUND_HALF_UP)
    return Decimal(0)


def band_in(month: date, band: str, changes: Sequence[tuple[date, str]]) -> str:
    """The member's band in ``month``: ``band`` (theirs now) unless a change of band recorded from a later
    month says which band they were on before it. ``changes`` are (first month, band before), in order."""
    for since, before in changes:
        if since > month:
            return before
    return band


@dataclass(frozen=True)
class RateSchedule:
    """The dues rules of each version of the constitution, by the day it came into force, oldest first."""

    versions: tuple[tuple[date, DuesRules], ...]

    def rules_on(self, day: date) -> DuesRules:
        chosen = self.versions[0][1]
        for since, rules in self.versions:
            if since > day:
                break
            chosen = rules
        return chosen


@dataclass(frozen=True)
class MonthDues:
    """One month owed: ``month`` is its first day, or ``None`` for a month brought forward."""

    month: date | None
    amount: Decimal
    exempt: bool
    covered: Decimal
    #: The wage band the month was reckoned for.
    band: str = ""

    @property
    def unpaid(self) -> Decimal:
        return Decimal(0) if self.exempt else self.amount - self.covered


@dataclass(frozen=True)
class Standing:
    months: tuple[MonthDues, ...]
    owed: Decimal
    paid: Decimal
    exempted: Decimal
    arrears: Decimal
    credit: Decimal
    months_in_arrears: int
    allowed_months: int
    current_month: date
    current_amount: Decimal

    @property
    def good(self) -> bool:
        return self.months_in_arrears <= self.allowed_months

    @property
    def oldest_unpaid(self) -> MonthDues | None:
        return next((m for m in self.months if m.unpaid > 0), None)


def owed_months(periods: Iterable[tuple[date, date | None]], today: date) -> list[date]:
    """The months whose first day falls within a membership (``started``, ``ended``: ended on that day, so
    not a member on it) and which have ended by ``today``."""
    months: set[date] = set()
    current = month_start(today)
    for started, ended in periods:
        first = started if started.day == 1 else month_next(month_start(started))
        month = first
        while month < current and (ended is None or month < ended):
            months.add(month)
            month = month_next(month)
    return sorted(months)


def standing_reckon(
    *,
    schedule: RateSchedule,
    periods: Sequence[tuple[date, date | None]],
    band: str,
    band_weekly: Decimal | None,
    paid: Decimal,
    exempt_months: Iterable[tuple[date, date]] = (),
    brought_forward: int = 0,
    today: date,
    rates: Mapping[tuple[date, str], Decimal] | None = None,
    band_changes: Sequence[tuple[date, str]] = (),
    wages: Mapping[str, Decimal] | None = None,
) -> Standing:
    """Reckon one member's standing on ``today``. ``exempt_months`` are (first, last) month ranges;
    ``rates`` may carry monthly rates already reckoned for (month, band), which many members share.
    ``band_changes`` (first month, band before), in order, give the band of past months (``band_in``);
    ``wages`` the weekly wage of each band, for the bands the member was on before."""
    due = owed_months(periods, today)
    exempt = {m for first, last in exempt_months for m in months_from(first, last)}

    def rate(month: date) -> Decimal:
        held = band_in(month, band, band_changes)
        if rates is not None and (month, held) in rates:
            return rates[(month, held)]
        weekly = band_weekly if held == band else (wages or {}).get(held)
        return monthly_rate(schedule.rules_on(month), held, weekly)

    current = month_start(today)
    first = due[0] if due else current
    first_rate = rate(first)
    owing: list[tuple[date | None, Decimal, bool, str]] = [
        (None, first_rate, False, band_in(first, band, band_changes))
    ] * brought_forward
    owing += [(m, rate(m), m in exempt, band_in(m, band, band_changes)) for m in due]
    credit = paid
    months: list[MonthDues] = []
    for month, amount, is_exempt, held in owing:
        covered = Decimal(0)
        if not is_exempt and amount > 0 and credit > 0:
            covered = min(credit, amount)
            credit -= covered
        months.append(MonthDues(month, amount, is_exempt, covered, held))
    owed = sum((m.amount for m in months if not m.exempt), Decimal(0))
    return Standing(
        months=tuple(months),
        owed=owed,
        paid=paid,
        exempted=sum((m.amount for m in months if m.exempt), Decimal(0)),
        arrears=max(owed - paid, Decimal(0)),
        credit=max(paid - owed, Decimal(0)),
        months_in_arrears=sum(1 for m in months if m.unpaid > 0),
        allowed_months=schedule.rules_on(today).good_standing_months,
        current_month=current,
        current_amount=rate(current),
    )


@dataclass(frozen=True)
class Owing:
    """What a member owes month by month, without their payments: many members share one (the same
    band, the same months of membership, no exemption), so reckoning a large electorate reckons each
    once. ``cumulative`` is the running total of the months that cost something, oldest first."""

    cumulative: tuple[Decimal, ...]

    def months_in_arrears(self, paid: Decimal) -> int:
        """Payments go to the oldest month first: the months not wholly covered by ``paid``."""
        return len(self.cumulative) - bisect_right(self.cumulative, paid)


def owing_reckon(
    *,
    schedule: RateSchedule,
    periods: Sequence[tuple[date, date | None]],
    band: str,
    band_weekly: Decimal | None,
    exempt_months: Iterable[tuple[date, date]] = (),
    brought_forward: int = 0,
    today: date,
    rates: dict[tuple[date, str], Decimal],
    band_changes: Sequence[tuple[date, str]] = (),
    wages: Mapping[str, Decimal] | None = None,
) -> Owing:
    """The months owed as ``standing_reckon`` reckons them, reduced to what arrears need."""
    due = owed_months(periods, today)
    exempt = {m for first, last in exempt_months for m in months_from(first, last)}

    def rate(month: date) -> Decimal:
        held = band_in(month, band, band_changes)
        if (month, held) not in rates:
            weekly = band_weekly if held == band else (wages or {}).get(held)
            rates[(month, held)] = monthly_rate(schedule.rules_on(month), held, weekly)
        return rates[(month, held)]

    first_rate = rate(due[0] if due else month_start(today))
    amounts = [first_rate] * brought_forward + [rate(m) for m in due if m not in exempt]
    total, cumulative = Decimal(0), []
    for amount in amounts:
        if amount > 0:
            total += amount
            cumulative.append(total)
    return Owing(tuple(cumulative))
