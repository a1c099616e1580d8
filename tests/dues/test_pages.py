"""The dues pages: a member sees their standing and history; the officers who keep a unit's roll see its
members furthest behind first; the number of queries does not grow with the unit or the federation; and
the demo has members in arrears."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commune.accounts.services import user_create
from commune.dues.models import ArrearsBroughtForward, LapseNotice, NoticeStatus
from commune.dues.selectors import standings_of
from commune.dues.services import arrears_brought_forward_record, dues_exemption_record, dues_payment_record
from commune.federation.services import body_create, member_admit
from tests.conftest import seed_demo
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db


def _client(dues: Dues, key: str) -> Client:
    client = Client()
    client.force_login(dues.person(key))
    return client


def test_a_member_sees_their_standing_month_by_month_and_their_payments(dues: Dues) -> None:
    dues.months_pass(3)
    dues_payment_record(
        officer=dues.m("d2"),
        member=dues.m("d1"),
        amount="8.00",
        paid_on=timezone.localdate(),
        reference="BANK-9",
    )
    page = _client(dues, "d1").get(reverse("dues:mine", kwargs={"slug": "dues"})).content.decode()
    assert "In good standing" in page and "2 months" in page and "BANK-9" in page
    page = _client(dues, "d3").get(reverse("dues:mine", kwargs={"slug": "dues"})).content.decode()
    assert "Not in good standing" in page and "left out of any ballot" in page


def test_the_unit_page_lists_its_members_furthest_behind_first_for_its_officers_only(dues: Dues) -> None:
    arrears_brought_forward_record(officer=dues.m("d2"), member=dues.m("d5"), months=4, reason="ledger")
    url = reverse("dues:unit", kwargs={"slug": "dues", "code": "U1"})
    page = _client(dues, "d2").get(url).content.decode()
    assert page.index("D0005") < page.index("D0001") and "Not in good standing" in page
    assert "D0008" not in page
    assert _client(dues, "d1").get(url).status_code == 404
    assert (
        _client(dues, "d2").get(reverse("dues:unit", kwargs={"slug": "dues", "code": "U2"})).status_code
        == 404
    )
    member_url = reverse("dues:member", kwargs={"slug": "dues", "code": "U1", "number": "D0008"})
    assert _client(dues, "d2").get(member_url).status_code == 404


def _grow(dues: Dues, times: int) -> None:
    """Add ``times`` members to Unit One, each with a payment, an exemption and arrears brought forward,
    and a unit of as many elsewhere."""
    elsewhere = body_create(
        organisation=dues.org, kind="unit", code=f"X{times}", name="Elsewhere", parent=dues.congress
    )
    today = timezone.localdate()
    for n in range(times):
        for unit, prefix in ((dues.u1, "G"), (elsewhere, "E")):
            person = user_create(
                email=f"{prefix.lower()}{times}-{n}@dues.example", name=f"Grown {n}", password=None
            )
            member = member_admit(unit=unit, person=person, number=f"{prefix}{times}-{n:03d}", wage_band="B1")
            if unit == dues.u1:
                dues_payment_record(officer=dues.m("d2"), member=member, amount="5", paid_on=today)
                dues_exemption_record(
                    officer=dues.m("d2"),
                    member=member,
                    first_month=today,
                    last_month=today,
                    reason="hardship",
                )
                arrears_brought_forward_record(officer=dues.m("d2"), member=member, months=1, reason="ledger")


def _queries(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_the_pages_queries_do_not_grow_with_the_unit_or_the_federation(dues: Dues) -> None:
    officer, member = _client(dues, "d2"), _client(dues, "d1")
    pages = [
        lambda: officer.get(reverse("dues:unit", kwargs={"slug": "dues", "code": "U1"})),
        lambda: officer.get(reverse("dues:member", kwargs={"slug": "dues", "code": "U1", "number": "D0001"})),
        lambda: member.get(reverse("dues:mine", kwargs={"slug": "dues"})),
        lambda: dues.api("d2").get("/orgs/dues/dues/units/U1"),
    ]
    _grow(dues, 2)
    small = [_queries(page) for page in pages]
    _grow(dues, 20)
    assert [_queries(page) for page in pages] == small


def test_the_demo_has_members_in_arrears_some_given_notice_and_one_exempt() -> None:
    org = seed_demo()
    standings = standings_of(organisation_id=org.pk)
    behind = [s for s in standings.values() if s.months_in_arrears]
    assert len(behind) >= 50 and any(not s.good for s in behind) and any(s.good for s in behind)
    assert ArrearsBroughtForward.objects.filter(organisation=org).count() == len(behind)
    assert LapseNotice.objects.filter(organisation=org, status=NoticeStatus.PENDING).exists()
