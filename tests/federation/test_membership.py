"""Lapse and transfer: a member who leaves a body holds no seat for it and no office in it."""

from __future__ import annotations

import pytest

from commune.audit.models import LogEntry
from commune.audit.services import Actor
from commune.audit.verification import chain_verify
from commune.federation.models import Delegation, Member, OfficeTerm
from commune.federation.roll import roll_import
from commune.federation.selectors import representation_chain
from commune.federation.services import (
    END_LAPSED,
    END_TRANSFERRED,
    member_admit,
    member_lapse,
    member_transfer,
    office_create,
    office_fill,
)
from tests.clock import current_term
from tests.conftest import SmallFederation
from tests.roll import let_one_officer_lapse_any_share, roll_import_confirmed

pytestmark = pytest.mark.django_db

TERM = current_term()


def _live_seats(member: Member) -> set[tuple[str, str]]:
    """(council code, constituency code) of every seat the member holds now."""
    return set(
        Delegation.objects.filter(member=member, ended_at__isnull=True).values_list(
            "council__code", "constituency__code"
        )
    )


def _live_offices(member: Member) -> set[tuple[str, str]]:
    return set(
        OfficeTerm.objects.filter(member=member, ended_at__isnull=True).values_list(
            "office__body__code", "office__title"
        )
    )


def _actions_since(fed: SmallFederation, seq: int) -> list[str]:
    return list(
        LogEntry.objects.filter(organisation=fed.org, seq__gt=seq)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _last_seq(fed: SmallFederation) -> int:
    return LogEntry.objects.filter(organisation=fed.org).order_by("-seq").values_list("seq", flat=True)[0]


def _fill_district_office(fed: SmallFederation, member: Member) -> OfficeTerm:
    office = office_create(body=fed.districts[0], title="District Secretary")
    return office_fill(office=office, member=member, term_start=TERM[0], term_end=TERM[1], source="test")


def test_a_lapsed_delegate_loses_every_seat_with_the_reason_recorded(federation: SmallFederation) -> None:
    """Lapsing ends the member's seats at every level, each with the lapse as its reason and its own log
    entry, and the delegate no longer appears among those who represent the unit."""
    delegate = federation.members["m3"]
    assert _live_seats(delegate) == {("D0", "D0-U0"), ("CONGRESS", "D0")}
    before = _last_seq(federation)

    member_lapse(member=delegate, reason="resigned", actor=Actor(None, "test"))

    assert _live_seats(delegate) == set()
    ended = list(Delegation.objects.filter(member=delegate))
    assert len(ended) == 2
    assert all(d.end_reason == END_LAPSED and d.ended_at is not None for d in ended)
    assert _actions_since(federation, before) == ["member.lapsed", "delegate.unseated", "delegate.unseated"]
    unseated = LogEntry.objects.filter(organisation=federation.org, action="delegate.unseated").order_by(
        "seq"
    )
    assert [(e.payload["council"], e.payload["constituency"]) for e in unseated] == [
        ("CONGRESS", "D0"),
        ("D0", "D0-U0"),
    ]
    assert all(e.payload["member"] == delegate.number for e in unseated)
    assert all(e.payload["end_reason"] == END_LAPSED and e.actor_label == "test" for e in unseated)
    assert "membership lapsed" in unseated[0].summary
    assert all(level.delegates == [] for level in representation_chain(unit=federation.units[0]))
    assert chain_verify(organisation_id=federation.org.pk).ok


def test_a_lapsed_officer_leaves_office(federation: SmallFederation) -> None:
    """Lapsing ends the member's offices, logged with the office and the reason."""
    officer = federation.members["m2"]
    assert _live_offices(officer) == {("D0-U0", "Secretary")}

    member_lapse(member=officer)

    assert _live_offices(officer) == set()
    term = OfficeTerm.objects.get(member=officer)
    assert term.end_reason == END_LAPSED and term.ended_at is not None
    entry = LogEntry.objects.get(organisation=federation.org, action="officer.unseated")
    assert entry.body_id == federation.units[0].pk
    assert {k: v for k, v in entry.payload.items() if k != "state"} == {
        "office": "Secretary",
        "body": "D0-U0",
        "member": officer.number,
        "source": "test election",
        "end_reason": END_LAPSED,
    }


def test_a_lapse_without_seats_or_offices_records_only_the_lapse(federation: SmallFederation) -> None:
    """Nothing is ended, and nothing logged, for a member who held no power; others keep theirs."""
    before = _last_seq(federation)
    member_lapse(member=federation.members["m1"])
    assert _actions_since(federation, before) == ["member.lapsed"]
    assert len(_live_seats(federation.members["m3"])) == 2
    assert len(_live_offices(federation.members["m2"])) == 1


def test_a_readmitted_member_does_not_get_their_seats_back(federation: SmallFederation) -> None:
    """Seats need a new election: re-admission restores the membership, not the power."""
    delegate = federation.members["m3"]
    member_lapse(member=delegate)
    member_admit(unit=federation.units[0], person=delegate.person, number=delegate.number)
    assert _live_seats(delegate) == set()


def test_a_transfer_within_the_district_ends_only_the_unit_seat(federation: SmallFederation) -> None:
    """The delegate leaves their unit's constituency but stays in the district's, so the district seat on
    Congress and an office of the district are kept."""
    delegate = federation.members["m3"]
    _fill_district_office(federation, delegate)

    member_transfer(member=delegate, to_unit=federation.units[1])

    assert _live_seats(delegate) == {("CONGRESS", "D0")}
    assert _live_offices(delegate) == {("D0", "District Secretary")}
    ended = Delegation.objects.get(member=delegate, ended_at__isnull=False)
    assert (ended.constituency.code, ended.end_reason) == ("D0-U0", END_TRANSFERRED)
    entry = LogEntry.objects.filter(organisation=federation.org).order_by("-seq").first()
    assert entry is not None and entry.action == "delegate.unseated"
    assert entry.payload["constituency"] == "D0-U0" and entry.payload["end_reason"] == END_TRANSFERRED


def test_a_transfer_to_another_district_ends_every_seat_and_office_left_behind(
    federation: SmallFederation,
) -> None:
    """Moving to a unit in another district leaves both the unit and the district: both seats and both
    offices end, and the transfer is logged before them."""
    delegate = federation.members["m3"]
    _fill_district_office(federation, delegate)
    unit_office = office_create(body=federation.units[0], title="Treasurer")
    office_fill(office=unit_office, member=delegate, term_start=TERM[0], term_end=TERM[1], source="test")
    before = _last_seq(federation)

    member_transfer(member=delegate, to_unit=federation.units[2])

    assert _live_seats(delegate) == set()
    assert _live_offices(delegate) == set()
    assert set(Delegation.objects.filter(member=delegate).values_list("end_reason", flat=True)) | set(
        OfficeTerm.objects.filter(member=delegate).values_list("end_reason", flat=True)
    ) == {END_TRANSFERRED}
    assert _actions_since(federation, before) == [
        "member.transferred",
        "delegate.unseated",
        "delegate.unseated",
        "officer.unseated",
        "officer.unseated",
    ]
    assert chain_verify(organisation_id=federation.org.pk).ok


def test_a_transfer_keeps_the_seats_of_other_members(federation: SmallFederation) -> None:
    """Only the transferred member's seats end."""
    member_transfer(member=federation.members["m1"], to_unit=federation.units[2])
    assert len(_live_seats(federation.members["m3"])) == 2
    assert len(_live_offices(federation.members["m2"])) == 1


def test_members_lapsed_by_a_roll_import_lose_their_seats_and_offices(federation: SmallFederation) -> None:
    """A roll that leaves out the delegate and the officer lapses them, and their power ends with it,
    recorded after the import."""
    kept = [federation.members[f"m{i}"] for i in (1, 4, 5)]
    roll = "number,name,email\n" + "".join(f"{m.number},{m.person.name},{m.person.email}\n" for m in kept)
    let_one_officer_lapse_any_share(federation.org)
    before = _last_seq(federation)
    report = roll_import_confirmed(federation.units[0], roll, actor=Actor(None, "officer"))

    assert report.ok and report.lapsed == 2
    assert _live_seats(federation.members["m3"]) == set()
    assert _live_offices(federation.members["m2"]) == set()
    assert _actions_since(federation, before) == [
        "roll.imported",
        "delegate.unseated",
        "delegate.unseated",
        "officer.unseated",
    ]
    assert set(
        LogEntry.objects.filter(organisation=federation.org, seq__gt=before + 1).values_list(
            "actor_label", flat=True
        )
    ) == {"officer"}
    assert chain_verify(organisation_id=federation.org.pk).ok


def test_a_dry_run_of_a_roll_import_ends_nothing(federation: SmallFederation) -> None:
    """Checking a roll that would lapse the delegate leaves their seats alone."""
    roll = "number,name,email\nNEW1,New Person,new@example.org\n"
    report = roll_import(unit=federation.units[0], csv_text=roll, dry_run=True, actor=Actor(None, "officer"))
    assert report.ok and report.lapsed == 5
    assert len(_live_seats(federation.members["m3"])) == 2
