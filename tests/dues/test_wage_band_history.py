"""Dues for past months use the wage band in force then: a change of band recorded from a month on
reprices that month and those after it, never the months before; the history is on the log, told to the
member and shown on their page. Refused without a reason, for a month to come, out of order, or by anyone
but an officer of the member's unit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.dues.errors import DuesConflict, DuesInvalid, NotYourUnit
from commune.dues.models import WageBandChange
from commune.dues.reckoning import month_next
from commune.dues.selectors import member_standing, months_in_arrears_of
from commune.dues.services import dues_payment_record, wage_band_change_record
from commune.notifications.models import Notification
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db


def _three_months(dues: Dues) -> list:  # type: ignore[type-arg]
    """Three months fall due for d1 (band B1, 8.00 a month; B2 is 12.00): their first days."""
    dues.months_pass(3)
    months = [m.month for m in member_standing(member=dues.m("d1")).months]
    assert len(months) == 3 and all(m is not None for m in months)
    return months


def test_a_change_of_band_reprices_only_the_months_from_it(dues: Dues) -> None:
    months = _three_months(dues)
    wage_band_change_record(
        officer=dues.m("d2"), member=dues.m("d1"), band="B2", from_month=months[2], reason="promoted"
    )
    d1 = dues.m("d1")
    assert d1.wage_band == "B2"
    standing = member_standing(member=d1)
    # 8 + 8 at B1, then 12 at B2: not 3 × 12 as if the new band had always held.
    assert [(m.band, m.amount) for m in standing.months] == [("B1", 8), ("B1", 8), ("B2", 12)]
    assert standing.owed == 28 and standing.current_amount == 12
    dues_payment_record(officer=dues.m("d2"), member=d1, amount="16.00", paid_on=timezone.localdate())
    assert member_standing(member=d1).months_in_arrears == 1
    months_behind, _ = months_in_arrears_of(organisation_id=dues.org.pk, member_ids=[d1.pk])
    assert months_behind[d1.pk] == 1
    entry = LogEntry.objects.get(action="dues.wage_band_changed")
    assert entry.payload["band_before"] == "B1" and entry.payload["band"] == "B2"
    assert entry.payload["from_month"] == months[2].isoformat()
    assert Notification.objects.filter(person=d1.person, kind="dues.wage_band").exists()


def test_two_changes_each_hold_for_their_months(dues: Dues) -> None:
    months = _three_months(dues)
    officer = dues.m("d2")
    wage_band_change_record(
        officer=officer, member=dues.m("d1"), band="B2", from_month=months[1], reason="up"
    )
    wage_band_change_record(
        officer=officer, member=dues.m("d1"), band="B1", from_month=months[2], reason="down"
    )
    standing = member_standing(member=dues.m("d1"))
    assert [(m.band, m.amount) for m in standing.months] == [("B1", 8), ("B2", 12), ("B1", 8)]


def test_refusals_change_nothing(dues: Dues) -> None:
    months = _three_months(dues)
    officer, d1 = dues.m("d2"), dues.m("d1")
    coming = month_next(timezone.localdate().replace(day=1))
    cases = [
        ({"band": "B2", "from_month": months[1], "reason": ""}, DuesInvalid),
        ({"band": "B1", "from_month": months[1], "reason": "same band"}, DuesInvalid),
        ({"band": " ", "from_month": months[1], "reason": "no band"}, DuesInvalid),
        ({"band": "B2", "from_month": coming, "reason": "next month"}, DuesInvalid),
    ]
    for given, error in cases:
        with pytest.raises(error):
            wage_band_change_record(officer=officer, member=d1, **given)
    for other in ("d7", "d3"):
        with pytest.raises(NotYourUnit):
            wage_band_change_record(
                officer=dues.m(other), member=d1, band="B2", from_month=months[1], reason="x"
            )
    assert not WageBandChange.objects.exists() and dues.m("d1").wage_band == "B1"
    wage_band_change_record(officer=officer, member=d1, band="B2", from_month=months[1], reason="up")
    with pytest.raises(DuesConflict, match="already changed"):
        wage_band_change_record(
            officer=officer, member=dues.m("d1"), band="B1", from_month=months[0], reason="before it"
        )
    assert WageBandChange.objects.count() == 1


def test_the_api_and_the_pages(dues: Dues) -> None:
    months = _three_months(dues)
    base = "/orgs/dues/dues/units/U1"
    answer = dues.api("d2").post(
        f"{base}/wage-bands",
        {
            "member": "D0001",
            "band": "B2",
            "from_month": str(months[2] + timedelta(days=3)),
            "reason": "promoted",
        },
    )
    assert answer.status_code == 201 and answer.json()["from_month"] == months[2].isoformat()
    record = dues.api("d1").get("/orgs/dues/dues").json()
    assert [m["band"] for m in record["standing"]["months"]] == ["B1", "B1", "B2"]
    assert record["band_changes"][0]["band_before"] == "B1"
    answer = dues.api("d2").post(
        f"{base}/wage-bands", {"member": "D0001", "band": "B1", "from_month": str(months[2]), "reason": "x"}
    )
    assert answer.status_code == 409
    answer = dues.api("d7").post(
        f"{base}/wage-bands", {"member": "D0003", "band": "B2", "from_month": str(months[2]), "reason": "x"}
    )
    assert answer.status_code == 404
    officer = Client()
    officer.force_login(dues.person("d2"))
    url = reverse("dues:member", kwargs={"slug": "dues", "code": "U1", "number": "D0003"})
    page = officer.post(url, {"act": "wage-band", "band": "B2", "from_month": "not a month", "reason": "x"})
    assert page.status_code == 400
    page = officer.post(
        url, {"act": "wage-band", "band": "B2", "from_month": f"{months[1]:%Y-%m}", "reason": "new grade"}
    )
    assert page.status_code == 200 and "The wage band is changed" in page.content.decode()
    member = Client()
    member.force_login(dues.person("d3"))
    mine = member.get(reverse("dues:mine", kwargs={"slug": "dues"})).content.decode()
    assert "Changes of wage band" in mine and "new grade" in mine
