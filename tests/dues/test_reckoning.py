"""Reckoning dues: rates by the constitution in force each month, payments to the oldest month first,
exemptions, arrears brought forward, and the months in arrears that decide good standing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commune.dues.reckoning import RateSchedule, monthly_rate, owed_months, owing_reckon, standing_reckon
from commune.federation.constitution import DuesRules

FLAT = DuesRules(basis="flat", flat_monthly=Decimal(10), good_standing_months=2)


def _reckon(paid: str, **kwargs) -> object:  # type: ignore[no-untyped-def]
    defaults = {
        "schedule": RateSchedule(((date(2020, 1, 1), FLAT),)),
        "periods": [(date(2026, 1, 15), None)],
        "band": "",
        "band_weekly": None,
        "paid": Decimal(paid),
        "today": date(2026, 6, 10),
    }
    return standing_reckon(**{**defaults, **kwargs})


def test_a_month_is_owed_from_the_first_whole_month_of_membership_and_falls_due_when_it_ends() -> None:
    """Joined on 15 January: February to May are due on 10 June; June is this month, not yet due."""
    assert owed_months([(date(2026, 1, 15), None)], date(2026, 6, 10)) == [
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    ]
    assert owed_months([(date(2026, 1, 1), date(2026, 3, 20))], date(2026, 6, 10)) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]


def test_payments_go_to_the_oldest_month_first_and_good_standing_allows_the_constitutions_months() -> None:
    standing = _reckon("25")
    assert standing.owed == 40 and standing.arrears == 15 and standing.months_in_arrears == 2
    assert [m.covered for m in standing.months] == [10, 10, 5, 0]
    assert standing.good
    behind = _reckon("15")
    assert behind.months_in_arrears == 3 and not behind.good
    ahead = _reckon("55")
    assert ahead.credit == 15 and ahead.months_in_arrears == 0


def test_an_exempt_month_costs_nothing_and_months_brought_forward_come_first() -> None:
    standing = _reckon("10", exempt_months=[(date(2026, 3, 1), date(2026, 4, 1))], brought_forward=2)
    assert [m.month for m in standing.months] == [None, None, *[date(2026, m, 1) for m in (2, 3, 4, 5)]]
    assert standing.exempted == 20 and standing.owed == 40 and standing.months_in_arrears == 3
    assert standing.months[0].covered == 10 and standing.oldest_unpaid is standing.months[1]


def test_each_month_is_reckoned_at_the_rate_in_force_on_its_first_day() -> None:
    higher = DuesRules(basis="flat", flat_monthly=Decimal(12), good_standing_months=0)
    schedule = RateSchedule(((date(2020, 1, 1), FLAT), (date(2026, 4, 1), higher)))
    standing = _reckon("0", schedule=schedule)
    assert [m.amount for m in standing.months] == [10, 10, 12, 12]
    assert standing.allowed_months == 0 and standing.current_amount == 12


def test_rates_by_band_and_by_share_of_the_bands_wage() -> None:
    bands = DuesRules(basis="wage-band", flat_monthly=Decimal(9), band_monthly={"B1": Decimal("7.50")})
    assert monthly_rate(bands, "B1", None) == Decimal("7.50")
    assert monthly_rate(bands, "B9", None) == 9
    share = DuesRules(basis="percent", percent_of_wage=Decimal(1), flat_monthly=Decimal(5))
    assert monthly_rate(share, "B1", Decimal(600)) == Decimal("26.00")  # 600 × 52 / 12 × 1%
    assert monthly_rate(share, "B1", None) == 5
    assert monthly_rate(DuesRules(), "B1", Decimal(600)) == 0


@given(
    st.lists(st.decimals(min_value=0, max_value=50, places=2), min_size=0, max_size=30),
    st.decimals(min_value=0, max_value=2000, places=2),
)
def test_what_is_owed_is_what_was_paid_plus_the_arrears_less_any_credit(
    charges: list[Decimal], paid: Decimal
) -> None:
    """Whatever the rates and payments, owed = paid + arrears − credit, a month counts as in arrears
    exactly when something of it is unpaid, and the quick count for a large electorate agrees."""
    rates = {(date(2024 + i // 12, i % 12 + 1, 1), ""): c for i, c in enumerate(charges)}
    months = sorted(month for month, _ in rates)
    standing = standing_reckon(
        schedule=RateSchedule(((date(2000, 1, 1), FLAT),)),
        periods=[(months[0], None)] if months else [],
        band="",
        band_weekly=None,
        paid=paid,
        today=date(2024 + len(charges) // 12, len(charges) % 12 + 1, 1),
        rates=rates,
    )
    assert standing.owed == sum(charges, Decimal(0))
    assert standing.owed == standing.paid + standing.arrears - standing.credit
    assert standing.months_in_arrears == sum(1 for m in standing.months if m.unpaid > 0)
    owing = owing_reckon(
        schedule=RateSchedule(((date(2000, 1, 1), FLAT),)),
        periods=[(months[0], None)] if months else [],
        band="",
        band_weekly=None,
        today=date(2024 + len(charges) // 12, len(charges) % 12 + 1, 1),
        rates=dict(rates),
    )
    assert owing.months_in_arrears(paid) == standing.months_in_arrears
