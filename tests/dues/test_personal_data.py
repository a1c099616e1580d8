"""A member's data export carries their dues: every payment, exemption, arrears brought forward and notice
of lapsing, and their standing today; never another member's; in the same number of queries however many
payments they have made."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commune.accounts.personal_data import personal_data_export
from commune.dues.services import (
    arrears_brought_forward_record,
    dues_exemption_record,
    dues_payment_record,
    dues_run_due,
)
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db


def _pay(dues: Dues, key: str, reference: str, amount: str = "8.00") -> None:
    officer = dues.m("d7") if key in {"d7", "d8", "d9"} else dues.m("d2")
    dues_payment_record(
        officer=officer, member=dues.m(key), amount=amount, paid_on=timezone.localdate(), reference=reference
    )


def _section(dues: Dues, key: str) -> list[dict]:  # type: ignore[type-arg]
    return list(personal_data_export(person=dues.person(key))["sections"]["dues"])


def test_the_export_holds_the_members_payments_exemptions_notices_and_standing(dues: Dues) -> None:
    dues.months_pass(4)
    dues_run_due(sweep=True)  # d1, four months behind, is given notice
    _pay(dues, "d1", "BANK-1", "16.00")
    this_month = timezone.localdate().replace(day=1)
    dues_exemption_record(
        officer=dues.m("d2"),
        member=dues.m("d1"),
        first_month=this_month,
        last_month=this_month,
        reason="Laid off",
    )
    arrears_brought_forward_record(officer=dues.m("d2"), member=dues.m("d1"), months=2, reason="Old ledger")
    (own,) = _section(dues, "d1")
    assert own["organisation"] == "dues" and own["number"] == "D0001"
    assert [(p["amount"], p["reference"], p["source"]) for p in own["payments"]] == [
        ("16.00", "BANK-1", "officer")
    ]
    assert [e["reason"] for e in own["exemptions"]] == ["Laid off"]
    assert own["exemptions"][0]["first_month"] == this_month.isoformat()
    assert own["arrears_brought_forward"]["months"] == 2
    (notice,) = own["lapse_notices"]
    assert notice["months_in_arrears"] == 4 and notice["status"] in {"pending", "withdrawn"}
    standing = own["standing"]
    assert standing["paid"] == "16.00" and standing["good"] is (standing["months_in_arrears"] <= 2)
    assert standing["months_allowed"] == 2
    json.dumps(own)  # plain JSON throughout


def test_another_members_dues_never_appear(dues: Dues) -> None:
    dues.months_pass(1)
    _pay(dues, "d1", "MINE-1")
    _pay(dues, "d3", "THEIRS-1")
    arrears_brought_forward_record(officer=dues.m("d2"), member=dues.m("d3"), months=3, reason="Their ledger")
    exported = json.dumps(_section(dues, "d1"))
    assert "MINE-1" in exported
    assert "THEIRS-1" not in exported and "Their ledger" not in exported and "D0003" not in exported
    # A member with no dues records still has their standing.
    (own,) = _section(dues, "d5")
    assert own["payments"] == [] and own["standing"]["paid"] == "0.00"


def test_the_dues_section_costs_the_same_for_one_payment_as_for_five(dues: Dues) -> None:
    dues.months_pass(1)
    _pay(dues, "d1", "P-1")
    with CaptureQueriesContext(connection) as one:
        assert len(_section(dues, "d1")[0]["payments"]) == 1
    for n in range(2, 6):
        dues.clock.now += timedelta(minutes=n)
        _pay(dues, "d1", f"P-{n}")
    dues_exemption_record(
        officer=dues.m("d2"),
        member=dues.m("d1"),
        first_month=timezone.localdate(),
        last_month=timezone.localdate(),
        reason="Hardship",
    )
    with CaptureQueriesContext(connection) as five:
        assert len(_section(dues, "d1")[0]["payments"]) == 5
    assert len(five) == len(one)


def test_the_export_holds_corrections_refunds_and_changes_of_band(dues: Dues) -> None:
    from commune.dues.models import DuesPayment
    from commune.dues.services import dues_payment_correct, dues_refund_record, wage_band_change_record

    _pay(dues, "d1", "BANK-9", "24.00")
    officer, today = dues.m("d2"), timezone.localdate()
    dues_payment_correct(
        officer=officer, payment=DuesPayment.objects.get(reference="BANK-9"), amount="16", reason="typed"
    )
    dues_refund_record(officer=officer, member=dues.m("d1"), amount="8", refunded_on=today, reason="twice")
    wage_band_change_record(
        officer=officer, member=dues.m("d1"), band="B2", from_month=today, reason="graded"
    )
    (own,) = _section(dues, "d1")
    assert [(a["kind"], a["change"], a["reason"]) for a in own["corrections_and_refunds"]] == [
        ("correction", "-8.00", "typed"),
        ("refund", "-8.00", "twice"),
    ]
    assert [(c["band_before"], c["band"], c["reason"]) for c in own["wage_band_changes"]] == [
        ("B1", "B2", "graded")
    ]
    assert _section(dues, "d3")[0]["corrections_and_refunds"] == []
