"""Recording payments: an officer of the member's own unit who keeps its roll, and nobody else; every
payment on the log and told to the member; bad amounts and dates refused, changing nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.dues.errors import DuesConflict, DuesInvalid, NotYourUnit
from commune.dues.models import DuesPayment
from commune.dues.selectors import member_standing
from commune.dues.services import dues_payment_record
from commune.notifications.models import Notification
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db


def test_a_payment_recorded_by_the_units_officer_counts_is_logged_and_told_to_the_member(dues: Dues) -> None:
    dues.months_pass(3)
    d1 = dues.m("d1")  # band B1: 8.00 a month
    assert member_standing(member=d1).arrears == 24
    dues_payment_record(
        officer=dues.m("d2"), member=d1, amount="16.00", paid_on=timezone.localdate(), reference="BANK-1"
    )
    standing = member_standing(member=d1)
    assert standing.arrears == 8 and standing.months_in_arrears == 1 and standing.good
    entry = LogEntry.objects.filter(action="dues.payment_recorded").get()
    assert entry.payload["member"] == "D0001" and entry.payload["amount"] == "16.00"
    assert "Payer 2" in entry.actor_label
    assert Notification.objects.filter(person=d1.person, kind="dues.payment").exists()


def test_an_officer_cannot_record_a_payment_in_another_unit(dues: Dues) -> None:
    """d7 keeps U2's roll, not U1's; d3 keeps no roll at all."""
    for officer in ("d7", "d3"):
        with pytest.raises(NotYourUnit):
            dues_payment_record(
                officer=dues.m(officer), member=dues.m("d1"), amount="8", paid_on=timezone.localdate()
            )
    assert not DuesPayment.objects.exists()
    assert not LogEntry.objects.filter(action__startswith="dues.").exists()


@pytest.mark.parametrize(
    ("amount", "days_ahead"),
    [("0", 0), ("-5", 0), ("8.005", 0), ("eight", 0), ("100001", 0), ("8", 1)],
)
def test_a_bad_amount_or_a_date_in_the_future_is_refused(dues: Dues, amount: str, days_ahead: int) -> None:
    with pytest.raises(DuesInvalid):
        dues_payment_record(
            officer=dues.m("d2"),
            member=dues.m("d1"),
            amount=amount,
            paid_on=timezone.localdate() + timedelta(days=days_ahead),
        )
    assert not DuesPayment.objects.exists()


def test_a_reference_names_one_payment_of_a_member(dues: Dues) -> None:
    today = timezone.localdate()
    dues_payment_record(officer=dues.m("d2"), member=dues.m("d1"), amount="8", paid_on=today, reference="R1")
    with pytest.raises(DuesConflict):
        dues_payment_record(
            officer=dues.m("d2"), member=dues.m("d1"), amount="8", paid_on=today, reference="R1"
        )
    dues_payment_record(officer=dues.m("d2"), member=dues.m("d3"), amount="8", paid_on=today, reference="R1")
    assert DuesPayment.objects.count() == 2


def test_through_the_api_an_officer_records_a_payment_and_another_units_code_is_not_found(dues: Dues) -> None:
    today = timezone.localdate().isoformat()
    answer = dues.api("d2").post(
        "/orgs/dues/dues/units/U1/payments", {"member": "D0003", "amount": "12.00", "paid_on": today}
    )
    assert answer.status_code == 201, answer.json()
    assert Decimal(answer.json()["amount"]) == 12
    assert (
        dues.api("d7")
        .post("/orgs/dues/dues/units/U1/payments", {"member": "D0003", "amount": "1", "paid_on": today})
        .status_code
        == 404
    )
    # A member of U2 named at U1's address is not found there either.
    assert (
        dues.api("d2")
        .post("/orgs/dues/dues/units/U1/payments", {"member": "D0008", "amount": "1", "paid_on": today})
        .status_code
        == 404
    )
    mine = dues.api("d3").get("/orgs/dues/dues").json()
    assert Decimal(mine["payments"][0]["amount"]) == 12 and mine["standing"]["good_standing"]
    assert dues.api("d3").get("/orgs/dues/dues/units/U1").status_code == 404
    assert DuesPayment.objects.count() == 1
