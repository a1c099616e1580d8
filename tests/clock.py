"""The tests' clock: a stand-in for ``django.utils.timezone.now`` that a test moves by hand, and terms of
office measured from the day the test runs, so that no fixture expires while the calendar moves on.

The suite must pass on any date. ``COMMUNE_TEST_DAYS_AHEAD`` (read in ``tests/conftest.py``) moves the
whole process's clock that many days ahead to prove it; nothing here names a calendar date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

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


class RunningClock:
    """The time every test runs on unless it takes the ``clock`` fixture: the real time (or the suite's,
    moved ahead) plus whatever time the test let pass, so that waiting out a session's notice or a vote's
    minimum time needs no sleeping."""

    def __init__(self, real: Callable[[], datetime]) -> None:
        self.real = real
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self.real() + self.offset

    def advance(self, **delta: float) -> datetime:
        self.offset += timedelta(**delta)
        return self()


#: The clock in force for the running test (set by ``tests/conftest.py``'s fixtures).
IN_FORCE: list[Clock | RunningClock] = []


def let_time_pass(**delta: float) -> datetime:
    """Move the running test's time on (``hours=48``): its ``clock`` fixture's, or the running clock."""
    return IN_FORCE[-1].advance(**delta)


def let_time_pass_until(moment: datetime | str) -> datetime:
    """Move the running test's time on to ``moment`` (an aware datetime or its ISO form), if not past it."""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    now = timezone.now()
    return let_time_pass(seconds=(when - now).total_seconds()) if when > now else now


def wait_for_session(session: Any) -> datetime:
    """Let a called session's notice pass (``session`` a ``CouncilSession``, its API answer or its id)."""
    if isinstance(session, int):
        from commune.motions.models import CouncilSession

        session = CouncilSession.objects.get(pk=session)
    return let_time_pass_until(session["starts_at"] if isinstance(session, dict) else session.starts_at)


def let_vote_run(vote: Any, minutes: float = 10) -> datetime:
    """Let a vote (a ``Vote``, its API answer or its id) stay open its minimum time — the constitution's
    ``sessions.minimum_vote_minutes``, 10 by default — so that it may close early."""
    if isinstance(vote, int):
        from commune.motions.models import Vote

        vote = Vote.objects.get(pk=vote)
    opened = vote["opened_at"] if isinstance(vote, dict) else vote.opened_at
    opened = datetime.fromisoformat(opened) if isinstance(opened, str) else opened
    return let_time_pass_until(opened + timedelta(minutes=minutes))


def current_term() -> tuple[date, date]:
    """A term of office that is under way today (by the clock in force, the test's own if it set one)."""
    today = timezone.localdate()
    return today - timedelta(days=TERM_BEGAN_DAYS_AGO), today + timedelta(days=TERM_ENDS_IN_DAYS)
