"""The tests' clock: a stand-in for ``django.utils.timezone.now`` that a test moves by hand, and terms of
office measured from the day the test runs, so that no fixture expires while the calendar moves on.

The suite must pass on any date. ``COMMUNE_TEST_DAYS_AHEAD`` (read in ``tests/conftest.py``) moves the
whole process's clock that many days ahead to prove it; nothing here names a calendar date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

#: How long before today a fixture's terms began, and how long after today they end. Far enough ahead that
#: no test letting days pass (the longest lets three elections a year apart go by) brings a term within the
#: succession lead (28 days) or past its end, which would make the scheduler call successor elections
#: inside the fixture or leave its offices vacant.
TERM_BEGAN_DAYS_AGO = 30
TERM_ENDS_IN_DAYS = 4 * 365


class Clock:
    """Stands in for ``django.utils.timezone.now`` so a test can let time pass."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def current_term() -> tuple[date, date]:
    """A term of office that is under way today (by the clock in force, the test's own if it set one)."""
    today = timezone.localdate()
    return today - timedelta(days=TERM_BEGAN_DAYS_AGO), today + timedelta(days=TERM_ENDS_IN_DAYS)
