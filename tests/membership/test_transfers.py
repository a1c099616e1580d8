"""Moving and leaving: a member asks to move to another unit, the receiving unit admits (its roll officer,
or at once under automatic admission), seats held for the bodies left fall vacant, open processes keep the
electorates they opened with, and a member resigns. Every step is on the log."""

from __future__ import annotations

import pytest

from commune.audit.models import LogEntry
from commune.federation.models import Delegation, Membership, MembershipEnd
from commune.federation.services import END_TRANSFERRED, office_create, office_fill
from commune.membership.errors import NotYours, TransferClosed, TransferInvalid
from commune.membership.models import Transfer, TransferStatus
from commune.membership.services import (
    member_resign,
    transfer_admit,
    transfer_refuse,
    transfer_request,
    transfer_withdraw,
)
from commune.notifications.models import Notification
from tests.clock import current_term
from tests.conftest import SmallFederation, build_federation
from tests.membership.joining import admission_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed() -> SmallFederation:
    """m1–m5 in D0-U0 (m2 keeps its roll, m3 its delegate to District 0 and District 0's to Congress),
    m6–m10 in D0-U1, m11–m15 in D1-U0, m16–m20 in D1-U1."""
    return build_federation()


def test_the_receiving_units_roll_officer_admits_a_move_and_history_is_kept(fed: SmallFederation) -> None:
    """m6 asks to move from D0-U1 to D0-U0; m2, who keeps D0-U0's roll, is told and admits; m6's old
    period ends as a transfer and a new one starts; each step is on the log."""
    m6, m2 = fed.members["m6"], fed.members["m2"]
    transfer = transfer_request(member=m6, to_unit_code="d0-u0", statement="New job at the depot")
    assert transfer.status == TransferStatus.PENDING
    assert Notification.objects.filter(person=m2.person, kind="membership.transfer_requested").exists()
    transfer_admit(transfer=transfer, officer=m2)
    m6.refresh_from_db()
    assert m6.current_unit_id == fed.units[0].pk
    periods = list(Membership.objects.filter(member=m6).order_by("started_at", "id"))
    assert [(p.unit_id, p.end_reason) for p in periods] == [
        (fed.units[1].pk, MembershipEnd.TRANSFER),
        (fed.units[0].pk, ""),
    ]
    actions = list(
        LogEntry.objects.filter(payload__member=m6.number).order_by("id").values_list("action", flat=True)
    )
    assert actions[-3:] == ["transfer.requested", "transfer.admitted", "member.transferred"]
    fed.units[0].refresh_from_db()
    fed.units[1].refresh_from_db()
    assert (fed.units[0].member_count, fed.units[1].member_count) == (6, 4)


def test_neither_the_sending_unit_nor_the_member_admits_a_move(fed: SmallFederation) -> None:
    """m2 keeps D0-U0's roll: they cannot admit m1 out of D0-U0 into D0-U1, and cannot admit their own move;
    an ordinary member of the receiving unit cannot either."""
    m1, m2 = fed.members["m1"], fed.members["m2"]
    out = transfer_request(member=m1, to_unit_code="D0-U1")
    with pytest.raises(NotYours):
        transfer_admit(transfer=out, officer=m2)
    with pytest.raises(NotYours):
        transfer_admit(transfer=out, officer=fed.members["m7"])
    own = transfer_request(member=m2, to_unit_code="D1-U0")
    with pytest.raises(NotYours):
        transfer_admit(transfer=own, officer=m2)
    m1.refresh_from_db()
    assert m1.current_unit_id == fed.units[0].pk
    assert not LogEntry.objects.filter(action="transfer.admitted").exists()


def test_a_refusal_needs_a_reason_and_leaves_the_member_where_they_were(fed: SmallFederation) -> None:
    m6, m2 = fed.members["m6"], fed.members["m2"]
    transfer = transfer_request(member=m6, to_unit_code="D0-U0")
    with pytest.raises(TransferInvalid):
        transfer_refuse(transfer=transfer, officer=m2, reason="  ")
    refused = transfer_refuse(transfer=transfer, officer=m2, reason="Not employed at this depot")
    assert refused.status == TransferStatus.REFUSED
    with pytest.raises(TransferClosed):
        transfer_admit(transfer=transfer, officer=m2)
    m6.refresh_from_db()
    assert m6.current_unit_id == fed.units[1].pk
    entry = LogEntry.objects.get(action="transfer.refused")
    assert entry.payload["reason"] == "Not employed at this depot"
    assert Notification.objects.filter(person=m6.person, kind="membership.transfer_decided").exists()


def test_bad_requests_change_nothing(fed: SmallFederation) -> None:
    """No such unit, a council, the member's own unit, a second open request: each refused, nothing made."""
    m6 = fed.members["m6"]
    for code in ("NOPE", "D0", "D0-U1"):
        with pytest.raises(TransferInvalid):
            transfer_request(member=m6, to_unit_code=code)
    first = transfer_request(member=m6, to_unit_code="D0-U0")
    with pytest.raises(TransferClosed):
        transfer_request(member=m6, to_unit_code="D1-U0")
    with pytest.raises(NotYours):
        transfer_withdraw(transfer=first, member=fed.members["m7"])
    transfer_withdraw(transfer=first, member=m6)
    assert transfer_request(member=m6, to_unit_code="D1-U0").status == TransferStatus.PENDING
    assert Transfer.objects.filter(member=m6).count() == 2
    assert LogEntry.objects.filter(action="transfer.withdrawn").count() == 1


def test_under_automatic_admission_the_move_is_made_on_asking(fed: SmallFederation) -> None:
    admission_by(fed.org, "automatic")
    m6 = fed.members["m6"]
    transfer = transfer_request(member=m6, to_unit_code="D1-U0")
    assert transfer.status == TransferStatus.ADMITTED and transfer.decided_by is None
    m6.refresh_from_db()
    assert m6.current_unit_id == fed.units[2].pk


def test_seats_held_for_the_bodies_left_fall_vacant_and_those_above_both_stay(fed: SmallFederation) -> None:
    """m3 sits on District 0 for D0-U0 and on Congress for District 0. Moving to D0-U1 ends the first (they
    no longer belong to D0-U0) and keeps the second (D0-U1 is in District 0 too); a later move to D1-U0
    ends the Congress seat as well. Each ending is on the log."""
    admission_by(fed.org, "automatic")
    m3 = fed.members["m3"]
    transfer_request(member=m3, to_unit_code="D0-U1")
    live = Delegation.objects.filter(member=m3, ended_at__isnull=True)
    assert [d.constituency_id for d in live] == [fed.districts[0].pk]
    ended = Delegation.objects.get(member=m3, constituency=fed.units[0])
    assert ended.end_reason == END_TRANSFERRED
    transfer_request(member=m3, to_unit_code="D1-U0")
    assert not Delegation.objects.filter(member=m3, ended_at__isnull=True).exists()
    assert LogEntry.objects.filter(action="delegate.unseated", payload__member=m3.number).count() == 2


def test_a_request_is_closed_if_the_member_left_the_unit_meanwhile(fed: SmallFederation) -> None:
    m6, m2 = fed.members["m6"], fed.members["m2"]
    transfer = transfer_request(member=m6, to_unit_code="D0-U0")
    member_resign(member=m6, statement="Retiring")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.WITHDRAWN
    with pytest.raises(TransferClosed):
        transfer_admit(transfer=transfer, officer=m2)


def test_a_member_resigns_and_loses_seats_and_offices_but_keeps_history(fed: SmallFederation) -> None:
    """m2 resigns: their membership ends, their roll office ends, the log says they resigned, by their own
    hand; a second resignation is refused."""
    m2 = fed.members["m2"]
    member_resign(member=m2, statement="Moving abroad")
    m2.refresh_from_db()
    assert m2.current_unit_id is None
    assert Membership.objects.filter(member=m2).count() == 1
    resigned = LogEntry.objects.get(action="member.resigned")
    assert resigned.payload == {"member": m2.number, "unit": "D0-U0", "statement": "Moving abroad"}
    assert resigned.actor_id == m2.person_id
    assert LogEntry.objects.filter(action="officer.unseated", payload__member=m2.number).exists()
    with pytest.raises(TransferClosed):
        member_resign(member=m2)


def test_an_officer_of_another_receiving_unit_decides_its_own_moves_only(fed: SmallFederation) -> None:
    """m11 keeps D1-U0's roll: they admit a move there, which m2 (D0-U0's roll officer) cannot."""
    office = office_create(body=fed.units[2], title="Branch secretary", manages_roll=True)
    start, end = current_term()
    office_fill(office=office, member=fed.members["m11"], term_start=start, term_end=end, source="test")
    transfer = transfer_request(member=fed.members["m1"], to_unit_code="D1-U0")
    with pytest.raises(NotYours):
        transfer_admit(transfer=transfer, officer=fed.members["m2"])
    assert transfer_admit(transfer=transfer, officer=fed.members["m11"]).status == TransferStatus.ADMITTED
