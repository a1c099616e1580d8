"""Election fixtures: a controllable clock and an election walked through its timeline."""

from __future__ import annotations

from datetime import datetime, timedelta

from commune.audit.services import Actor
from commune.elections.models import Election, ElectionKind
from commune.elections.services import Timeline, candidacy_nominate, election_call, elections_run_due
from commune.federation.models import Body, Member, Office
from tests.clock import Clock


def day_timeline(now: datetime) -> Timeline:
    """Nominations today, voting tomorrow, closing the day after."""
    day = timedelta(days=1)
    return Timeline(now, now + day, now + day, now + 2 * day)


def call(
    clock: Clock,
    body: Body,
    *,
    kind: str = ElectionKind.OTHER,
    seats: int | None = 1,
    title: str = "Test election",
    office: Office | None = None,
    term_days: int = 3,
) -> Election:
    """Call an election whose nominations open now; run the scheduler so they are open. Its term starts
    ``term_days`` from now, or when voting closes if that is later (no term starts before)."""
    timeline = day_timeline(clock.now)
    start = max((clock.now + timedelta(days=term_days)).date(), timeline.voting_close_at.date())
    election = election_call(
        body=body,
        kind=kind,
        office=office,
        seats=seats if kind == ElectionKind.OTHER else None,
        title=title if kind == ElectionKind.OTHER else "",
        timeline=timeline,
        term_start=start,
        actor=Actor(None, "test"),
    )
    elections_run_due()
    election.refresh_from_db()
    return election


def stand(election: Election, *members: Member) -> list[int]:
    """Nominate each member; returns their candidacy ids in the same order."""
    return [
        candidacy_nominate(
            election=election, member=m, statement=f"I am {m.number}", actor=Actor.of(m.person)
        ).pk
        for m in members
    ]


def to_voting(clock: Clock, election: Election) -> Election:
    clock.now = election.voting_open_at + timedelta(seconds=1)
    elections_run_due()
    election.refresh_from_db()
    return election


def to_declared(clock: Clock, election: Election) -> Election:
    clock.now = election.voting_close_at + timedelta(seconds=1)
    elections_run_due()
    election.refresh_from_db()
    return election
