"""Corrections of payments and refunds: recorded by an officer of the member's unit, always with a reason,
as new rows beside the payment (which stays as recorded), on the log and told to the member; arrears and
good standing follow at once; the member sees them on their dues page. Refused without a reason, beyond
what was paid, twice for one payment, or by anyone else, changing nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.dues.errors import DuesConflict, DuesInvalid, NotYourUnit
from commune.dues.models import DuesAdjustment, DuesPayment
from commune.dues.selectors import member_standing, members_out_of_standing
from commune.dues.services import dues_payment_correct, dues_payment_record, dues_refund_record
from commune.notifications.models import Notification
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db


def _paid(dues: Dues, key: str, amount: str, reference: str = "") -> DuesPayment:
    return dues_payment_record(
        officer=dues.m("d2"),
        member=dues.m(key),
        amount=amount,
        paid_on=timezone.localdate(),
        reference=reference,
    )


def test_a_payment_corrected_downward_leaves_the_payment_and_brings_arrears_back(dues: Dues) -> None:
    dues.months_pass(3)  # d1, band B1, owes 3 × 8.00
    payment = _paid(dues, "d1", "24.00", "BANK-1")
    assert member_standing(member=dues.m("d1")).months_in_arrears == 0
    corrected = dues_payment_correct(
        officer=dues.m("d2"), payment=payment, amount="8.00", reason="the bank paid 8.00, typed as 24.00"
    )
    assert corrected.change == Decimal("-16.00") and corrected.corrected_amount == Decimal("8.00")
    # The payment stays as it was recorded.
    payment.refresh_from_db()
    assert payment.amount == Decimal("24.00") and DuesPayment.objects.count() == 1
    standing = member_standing(member=dues.m("d1"))
    assert standing.paid == 8 and standing.arrears == 16 and standing.months_in_arrears == 2
    assert standing.good  # good standing allows two months
    entry = LogEntry.objects.get(action="dues.payment_corrected")
    assert entry.payload["recorded_as"] == "24.00" and entry.payload["corrected_to"] == "8.00"
    assert entry.payload["reason"] == "the bank paid 8.00, typed as 24.00"
    assert Notification.objects.filter(person=dues.person("d1"), kind="dues.adjustment").exists()


def test_a_payment_never_made_corrected_to_nothing_takes_good_standing(dues: Dues) -> None:
    dues.months_pass(3)
    payment = _paid(dues, "d1", "24.00")
    d1 = dues.m("d1")
    assert d1.pk not in members_out_of_standing(organisation_id=dues.org.pk, member_ids=[d1.pk])
    dues_payment_correct(
        officer=dues.m("d2"), payment=payment, amount="0", reason="recorded for the wrong member"
    )
    assert member_standing(member=d1).months_in_arrears == 3
    assert d1.pk in members_out_of_standing(organisation_id=dues.org.pk, member_ids=[d1.pk])


def test_a_payment_corrected_upward_pays_more(dues: Dues) -> None:
    dues.months_pass(3)
    payment = _paid(dues, "d1", "8.00")
    dues_payment_correct(officer=dues.m("d2"), payment=payment, amount="24.00", reason="payroll sent 24.00")
    assert member_standing(member=dues.m("d1")).months_in_arrears == 0


def test_a_refund_takes_from_what_was_paid(dues: Dues) -> None:
    dues.months_pass(2)  # 16.00 due
    _paid(dues, "d1", "40.00")
    assert member_standing(member=dues.m("d1")).credit == 24
    refund = dues_refund_record(
        officer=dues.m("d2"),
        member=dues.m("d1"),
        amount="32.00",
        refunded_on=timezone.localdate(),
        reason="paid twice by the payroll",
    )
    assert refund.change == Decimal("-32.00") and refund.payment is None
    standing = member_standing(member=dues.m("d1"))
    assert standing.paid == 8 and standing.months_in_arrears == 1 and standing.arrears == 8
    assert LogEntry.objects.get(action="dues.refund_recorded").payload["amount"] == "32.00"
    assert Notification.objects.filter(person=dues.person("d1"), kind="dues.adjustment").exists()


def _nothing_recorded() -> None:
    assert not DuesAdjustment.objects.exists()
    assert not LogEntry.objects.filter(action__in=["dues.payment_corrected", "dues.refund_recorded"]).exists()


@pytest.mark.parametrize(
    ("amount", "reason", "error"),
    [
        ("8.00", "", DuesInvalid),  # no reason
        ("24.00", "same", DuesInvalid),  # no change
        ("-1", "less than nothing", DuesInvalid),
        ("8.005", "three decimals", DuesInvalid),
    ],
)
def test_a_correction_is_refused_without_a_reason_or_a_change(
    dues: Dues, amount: str, reason: str, error: type[Exception]
) -> None:
    payment = _paid(dues, "d1", "24.00")
    with pytest.raises(error):
        dues_payment_correct(officer=dues.m("d2"), payment=payment, amount=amount, reason=reason)
    _nothing_recorded()


def test_a_payment_is_corrected_once_and_only_by_its_units_officer(dues: Dues) -> None:
    payment = _paid(dues, "d1", "24.00")
    for officer in ("d7", "d3"):  # another unit's officer; a member keeping no roll
        with pytest.raises(NotYourUnit):
            dues_payment_correct(officer=dues.m(officer), payment=payment, amount="8", reason="x")
    _nothing_recorded()
    dues_payment_correct(officer=dues.m("d2"), payment=payment, amount="8", reason="typed wrong")
    with pytest.raises(DuesConflict, match="already corrected"):
        dues_payment_correct(officer=dues.m("d2"), payment=payment, amount="16", reason="again")
    assert DuesAdjustment.objects.count() == 1


def test_a_refund_is_refused_beyond_what_was_paid_in_the_future_or_without_a_reason(dues: Dues) -> None:
    payment = _paid(dues, "d1", "24.00")
    today = timezone.localdate()
    cases = [
        ("24.01", today, "paid back"),
        ("10", today + timedelta(days=1), "paid back"),
        ("10", today, ""),
        ("0", today, "nothing"),
    ]
    for amount, day, reason in cases:
        with pytest.raises(DuesInvalid):
            dues_refund_record(
                officer=dues.m("d2"), member=dues.m("d1"), amount=amount, refunded_on=day, reason=reason
            )
    with pytest.raises(NotYourUnit):
        dues_refund_record(
            officer=dues.m("d7"), member=dues.m("d1"), amount="1", refunded_on=today, reason="x"
        )
    _nothing_recorded()
    # A correction downward then leaves less to refund.
    dues_payment_correct(officer=dues.m("d2"), payment=payment, amount="8", reason="typed wrong")
    with pytest.raises(DuesInvalid, match=r"\(8\.00\)"):
        dues_refund_record(
            officer=dues.m("d2"), member=dues.m("d1"), amount="9", refunded_on=today, reason="x"
        )


def test_the_api_corrects_and_refunds_and_refuses(dues: Dues) -> None:
    dues.months_pass(3)
    payment = _paid(dues, "d1", "24.00")
    api = dues.api("d2")
    base = "/orgs/dues/dues/units/U1"
    answer = api.post(
        f"{base}/corrections",
        {"member": "D0001", "payment": payment.pk, "amount": "16.00", "reason": "typed"},
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["kind"] == "correction" and answer.json()["change"] == "-8.00"
    answer = api.post(
        f"{base}/refunds",
        {"member": "D0001", "amount": "8.00", "refunded_on": str(timezone.localdate()), "reason": "overpaid"},
    )
    assert answer.status_code == 201 and answer.json()["kind"] == "refund"
    record = dues.api("d1").get("/orgs/dues/dues").json()
    assert [a["kind"] for a in record["adjustments"]] == ["refund", "correction"]
    assert record["standing"]["paid"] == "8.00" and record["standing"]["months_in_arrears"] == 2
    # Refusals: a payment of another member; no reason; another unit's officer.
    other = _paid(dues, "d3", "8.00")
    answer = api.post(
        f"{base}/corrections", {"member": "D0001", "payment": other.pk, "amount": "1", "reason": "x"}
    )
    assert answer.status_code == 404
    answer = api.post(
        f"{base}/corrections", {"member": "D0003", "payment": other.pk, "amount": "1", "reason": ""}
    )
    assert answer.status_code == 400 and "reason" in answer.json()["detail"]
    answer = dues.api("d7").post(
        f"{base}/refunds",
        {"member": "D0001", "amount": "1", "refunded_on": str(timezone.localdate()), "reason": "x"},
    )
    assert answer.status_code == 404
    assert DuesAdjustment.objects.count() == 2


def test_the_officers_page_corrects_and_refunds_and_the_member_sees_them(dues: Dues) -> None:
    dues.months_pass(3)
    payment = _paid(dues, "d1", "24.00", "BANK-7")
    officer = Client()
    officer.force_login(dues.person("d2"))
    url = reverse("dues:member", kwargs={"slug": "dues", "code": "U1", "number": "D0001"})
    page = officer.get(url).content.decode()
    assert "Correct a payment" in page and f'value="{payment.pk}"' in page
    page = officer.post(url, {"act": "correction", "payment": payment.pk, "amount": "16", "reason": ""})
    assert page.status_code == 400 and "reason" in page.content.decode()
    page = officer.post(
        url, {"act": "correction", "payment": payment.pk, "amount": "16", "reason": "bank statement says 16"}
    )
    assert page.status_code == 200 and "The payment is corrected" in page.content.decode()
    page = officer.post(
        url,
        {"act": "refund", "amount": "100", "refunded_on": str(timezone.localdate()), "reason": "too much"},
    )
    assert page.status_code == 400 and "at most what member D0001 has paid" in page.content.decode()
    page = officer.post(
        url,
        {"act": "refund", "amount": "8", "refunded_on": str(timezone.localdate()), "reason": "paid twice"},
    )
    assert "The refund is recorded" in page.content.decode()
    member = Client()
    member.force_login(dues.person("d1"))
    mine = member.get(reverse("dues:mine", kwargs={"slug": "dues"})).content.decode()
    assert "Corrections and refunds" in mine and "corrected to 16.00" in mine
    assert "bank statement says 16" in mine and "paid twice" in mine
    assert "3 months&#x27; dues unpaid" in mine or "months' dues unpaid" in mine
