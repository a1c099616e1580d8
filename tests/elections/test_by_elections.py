"""A seat vacated in mid-term is filled by a by-election for that one seat, for the rest of its term: the
constituency's other delegates keep their seats, the election is called in the same act as the vacancy,
counted as a single-seat election, and never doubled while an election of the constituency is under way.
A term that ran out still calls the election of all the constituency's seats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.audit.services import Actor
from commune.elections.models import ElectedSeat, Election, ElectionKind, ElectionStatus
from commune.elections.services import candidacy_nominate, elections_call_for_vacancies, elections_run_due
from commune.elections.services.casting import ballot_cast
from commune.federation.models import Delegation, Member
from commune.federation.services import END_EXPIRED, END_LAPSED, delegation_seat, member_lapse
from commune.membership.services import member_resign
from tests.clock import Clock
from tests.conftest import SmallFederation, build_federation
from tests.records import recorded_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed() -> SmallFederation:
    """m1–m5 in D0-U0, whose delegate to District 0 is m3; m4 is seated as its second delegate here."""
    federation = build_federation()
    original = Delegation.objects.get(member=federation.members["m3"], constituency=federation.units[0])
    delegation_seat(
        council=federation.districts[0],
        constituency=federation.units[0],
        member=federation.members["m4"],
        term_start=original.term_start,
        term_end=original.term_end,
        source="test election",
    )
    return federation


def _seated(fed: SmallFederation) -> set[str]:
    return set(
        Delegation.objects.filter(
            council=fed.districts[0], constituency=fed.units[0], ended_at__isnull=True
        ).values_list("member__number", flat=True)
    )


def test_a_resignation_calls_a_one_seat_by_election_for_the_rest_of_the_term(fed: SmallFederation) -> None:
    """m3 resigns: m4 keeps their seat, and in the same act a by-election of D0-U0 is called for one seat,
    whose term ends with m3's, counted by the constitution's single-seat method."""
    vacated = Delegation.objects.get(member=fed.members["m3"], constituency=fed.units[0])
    member_resign(member=fed.members["m3"])
    vacated.refresh_from_db()
    assert vacated.ended_at is not None
    assert _seated(fed) == {fed.members["m4"].number}
    election = Election.objects.get(body=fed.units[0], kind=ElectionKind.DELEGATES)
    assert (election.seats, election.fills_id, election.council_id) == (1, vacated.pk, fed.districts[0].pk)
    assert election.term_end == vacated.term_end and election.method == "irv"
    assert election.title.startswith("By-election")
    called = LogEntry.objects.get(action="election.called", payload__election=election.pk)
    assert called.payload["seats"] == 1 and called.payload["fills"]["member"] == fed.members["m3"].number
    assert not LogEntry.objects.filter(
        action="seats.apportioned", summary__contains="delegate election"
    ).exists()


def test_no_second_election_while_one_is_under_way(fed: SmallFederation) -> None:
    """A second vacancy in the constituency while its by-election runs calls nothing more (the database
    allows one election of the same seats at a time); the scheduler's passes call nothing twice; a failed
    by-election is called again for its seat, and once it is over, the second seat gets its own."""
    member_resign(member=fed.members["m3"])
    member_lapse(member=fed.members["m4"], reason="arrears")
    elections_run_due()
    elections_run_due()
    assert Election.objects.filter(body=fed.units[0], kind=ElectionKind.DELEGATES).count() == 1
    first = Election.objects.get(body=fed.units[0], kind=ElectionKind.DELEGATES)
    recorded_update(Election.objects.filter(pk=first.pk), status=ElectionStatus.FAILED, failure_reason="test")
    called, problems = elections_call_for_vacancies(now=first.called_at + timedelta(days=15))
    assert problems == []
    fills = {e.fills.member.number for e in called if e.fills is not None}
    # The failed one is called again for m3's seat, first vacated; m4's waits for it.
    assert fills == {fed.members["m3"].number}
    (second,) = called
    later = second.called_at + timedelta(days=15)
    recorded_update(Election.objects.filter(pk=second.pk), status=ElectionStatus.DECLARED, installed_at=later)
    called, problems = elections_call_for_vacancies(now=later + timedelta(hours=1))
    assert problems == [] and [e.fills.member.number for e in called if e.fills] == [fed.members["m4"].number]
    assert not elections_call_for_vacancies(now=later + timedelta(hours=2))[0]


def test_a_full_election_under_way_is_not_doubled_by_a_by_election(fed: SmallFederation) -> None:
    """m4 lapses, which the scheduler has not yet swept; a term that ran out for m3 calls the election of
    all D0-U0's seats, and m4's vacancy then calls no by-election beside it."""
    seat = Delegation.objects.get(member=fed.members["m3"], constituency=fed.units[0])
    recorded_update(
        Delegation.objects.filter(pk=seat.pk),
        ended_at=timezone.now() - timedelta(days=1),
        end_reason=END_EXPIRED,
    )
    elections_run_due()
    full = Election.objects.get(body=fed.units[0], kind=ElectionKind.DELEGATES)
    assert full.fills_id is None and full.seats >= 1
    member_lapse(member=fed.members["m4"], reason=END_LAPSED)
    elections_run_due()
    assert Election.objects.filter(body=fed.units[0], kind=ElectionKind.DELEGATES).count() == 1


def test_the_by_elections_winner_takes_the_one_seat_and_nobody_else_loses_theirs(
    fed: SmallFederation, clock: Clock
) -> None:
    """The by-election runs its course; its winner sits for D0-U0 until the vacated term's end, beside m4."""
    vacated = Delegation.objects.get(member=fed.members["m3"], constituency=fed.units[0])
    member_resign(member=fed.members["m3"])
    election = Election.objects.get(body=fed.units[0], kind=ElectionKind.DELEGATES)
    elections_run_due()
    m1, m5 = fed.members["m1"], fed.members["m5"]
    a, b = (
        candidacy_nominate(election=election, member=m, statement="", actor=Actor.of(m.person)).pk
        for m in (m1, m5)
    )
    clock.now = election.voting_open_at + timedelta(seconds=1)
    elections_run_due()
    for n, ranking in ((1, [a]), (2, [b, a]), (4, [b]), (5, [b])):
        ballot_cast(
            election_id=election.pk, member=Member.objects.get(pk=fed.members[f"m{n}"].pk), ranking=ranking
        )
    clock.now = election.voting_close_at + timedelta(seconds=1)
    elections_run_due()
    election.refresh_from_db()
    assert election.installed_at is not None
    assert _seated(fed) == {fed.members["m4"].number, m5.number}
    won = ElectedSeat.objects.get(election=election)
    assert won.member == m5 and won.delegation is not None
    assert won.delegation.term_end == vacated.term_end
    assert not LogEntry.objects.filter(action="term.ended", payload__election=election.pk).exists()


def test_an_office_left_in_mid_term_is_filled_for_the_rest_of_its_term(fed: SmallFederation) -> None:
    """m2 keeps D0-U0's roll and resigns: the office's by-election ends when m2's term would have."""
    from commune.federation.models import OfficeTerm

    term = OfficeTerm.objects.get(member=fed.members["m2"], ended_at__isnull=True)
    member_resign(member=fed.members["m2"])
    election = Election.objects.get(office=term.office)
    assert (election.seats, election.term_end) == (1, term.term_end)
    assert election.title.startswith("By-election")
