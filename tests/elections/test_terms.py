"""Terms end when they end: nobody stays in office because the election to replace them failed, and the
election is called again until the seat or office is filled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commune.audit.models import LogEntry
from commune.elections.models import Election, ElectionKind, ElectionStatus
from commune.elections.services import elections_run_due
from commune.federation.models import ConstitutionVersion, Delegation, OfficeTerm
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.records import recorded_update

pytestmark = pytest.mark.django_db


def _secretary(fed: SmallFederation) -> OfficeTerm:
    return OfficeTerm.objects.get(
        office__body=fed.units[0], office__title="Secretary", member=fed.members["m2"]
    )


def _to(clock: Clock, day: object, hours: int = 12) -> None:
    clock.now = clock.now.replace(year=day.year, month=day.month, day=day.day, hour=hours)  # type: ignore[attr-defined]


def _secretary_elections(fed: SmallFederation) -> list[Election]:
    return list(
        Election.objects.filter(
            kind=ElectionKind.OFFICER, office__body=fed.units[0], office__title="Secretary"
        ).order_by("called_at", "pk")
    )


def test_an_officer_whose_successor_election_failed_leaves_office_when_the_term_ends(
    federation: SmallFederation, clock: Clock
) -> None:
    """The attack: nobody stands for Secretary, so the successor election fails and the Secretary stays on
    the register for months. Now the office falls vacant the day after the term, and its election is called
    again (and again, while each fails) until someone is elected."""
    term = _secretary(federation)
    _to(clock, term.term_end - timedelta(days=20))
    elections_run_due()
    (first,) = _secretary_elections(federation)
    clock.now = first.voting_close_at + timedelta(minutes=1)
    elections_run_due()
    first.refresh_from_db()
    assert first.status == ElectionStatus.FAILED
    _to(clock, term.term_end)  # the last day of the term: still in office
    elections_run_due()
    term.refresh_from_db()
    assert term.ended_at is None
    _to(clock, term.term_end + timedelta(days=1), hours=1)
    elections_run_due()
    term.refresh_from_db()
    assert term.ended_at is not None and term.end_reason == "term expired without a successor"
    assert not OfficeTerm.objects.filter(office=term.office, ended_at__isnull=True).exists()
    entry = LogEntry.objects.filter(action="officer.unseated").latest("seq")
    assert entry.payload["end_reason"] == "term expired without a successor"
    first_again, second = _secretary_elections(federation)
    assert first_again == first and second.status in (ElectionStatus.SCHEDULED, ElectionStatus.NOMINATIONS)
    clock.now = second.voting_close_at + timedelta(minutes=1)
    elections_run_due()  # fails again for lack of nominations: called once more, still vacant
    assert len(_secretary_elections(federation)) == 3
    assert not OfficeTerm.objects.filter(office=term.office, ended_at__isnull=True).exists()


def test_a_delegate_seat_falls_vacant_too_and_is_put_to_election(
    federation: SmallFederation, clock: Clock
) -> None:
    seat = Delegation.objects.get(council=federation.districts[0], constituency=federation.units[0])
    Election.objects.all().delete()
    _to(clock, seat.term_end + timedelta(days=1), hours=1)
    elections_run_due()
    seat.refresh_from_db()
    assert seat.ended_at is not None and seat.end_reason == "term expired without a successor"
    assert Election.objects.filter(
        kind=ElectionKind.DELEGATES, body=federation.units[0], council=federation.districts[0]
    ).exists()


def test_the_constitution_may_keep_a_caretaker_for_a_limited_time(
    federation: SmallFederation, clock: Clock
) -> None:
    version = ConstitutionVersion.objects.get(organisation=federation.org, number=1)
    rules = {**version.rules, "offices": {**version.rules["offices"], "caretaker_days": 14}}
    recorded_update(ConstitutionVersion.objects.filter(pk=version.pk), rules=rules)
    term = _secretary(federation)
    _to(clock, term.term_end + timedelta(days=14))
    elections_run_due()
    term.refresh_from_db()
    assert term.ended_at is None  # a caretaker, for the fourteen days the constitution allows
    _to(clock, term.term_end + timedelta(days=15), hours=1)
    elections_run_due()
    term.refresh_from_db()
    assert term.end_reason == "term expired without a successor"
