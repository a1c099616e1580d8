"""A member whose wage band changes by a roll import or a council's motion is told, once, in their own
language: the old band and the new, what it does to their monthly dues, and the import or decision that
did it. An import tells its members in batches: its queries do not grow with the members it moves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.audit.services import SYSTEM
from commune.federation.currency import money
from commune.federation.models import Member
from commune.federation.roll import roll_import
from commune.federation.services import member_admit
from commune.notifications.models import Notification
from tests.dues.conftest import Dues
from tests.wages import wage_bands_adopt

pytestmark = pytest.mark.django_db

KIND = "dues.wage_band"


def _unbanded(dues: Dues, first: int, count: int) -> list[Member]:
    """``count`` new members of Unit One with no band yet (numbers from ``first``)."""
    made = []
    for n in range(first, first + count):
        person = user_create(email=f"n{n}@dues.example", name=f"New {n}", password=None)
        made.append(member_admit(unit=dues.u1, person=person, number=f"D{n:04d}"))
    return made


def _roll(dues: Dues, bands: dict[str, str]) -> str:
    """Unit One's roll as it stands, with the bands in ``bands`` (by member number) changed."""
    lines = ["number,name,email,wage_band"]
    for m in Member.objects.filter(current_unit=dues.u1).select_related("person").order_by("number"):
        lines.append(f"{m.number},{m.person.name},{m.person.email},{bands.get(m.number, m.wage_band)}")
    return "\n".join(lines) + "\n"


def _import(dues: Dues, bands: dict[str, str]) -> None:
    report = roll_import(
        unit=dues.u1, csv_text=_roll(dues, bands), dry_run=False, actor=SYSTEM, officer=dues.m("d2")
    )
    assert report.ok, report.errors


def test_a_roll_import_tells_each_member_moved_once_in_their_language(
    dues: Dues, django_capture_on_commit_callbacks: object
) -> None:
    """Two members get a band from the roll: each is told the old band (none), the new one, their dues
    going from the flat 10.00 to the band's, and the import; one reads it in French. Importing the same
    roll again changes nothing and tells nobody."""
    a, b = _unbanded(dues, 20, 2)
    User.objects.filter(pk=b.person_id).update(language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _import(dues, {a.number: "B2", b.number: "B1"})
    (told_a,) = Notification.objects.filter(person=a.person, kind=KIND)
    assert "B2" in told_a.subject
    currency = dues.org.currency
    assert "from none to B2" in told_a.body
    assert money(Decimal("10.00"), currency) in told_a.body
    assert money(Decimal("12.00"), currency) in told_a.body
    assert "the roll of Unit One imported" in told_a.body and "Payer 2" in told_a.body
    (told_b,) = Notification.objects.filter(person=b.person, kind=KIND)
    assert "B1" in told_b.body and "Unit One" in told_b.body
    assert told_b.subject.startswith("Votre") and "aucune" in told_b.body
    assert {m.to[0] for m in mail.outbox if "B2" in m.subject or "B1" in m.subject} >= {a.person.email}
    before = Notification.objects.filter(kind=KIND).count()
    _import(dues, {})
    assert Notification.objects.filter(kind=KIND).count() == before


def test_the_notices_of_an_import_cost_the_same_queries_however_many_members_it_moves(dues: Dues) -> None:
    """An import moving 3 members and one moving 30, each between the same bands: the same number of
    queries, the notices included."""
    few = _unbanded(dues, 100, 3)
    many = _unbanded(dues, 200, 30)

    def counted(members: list[Member]) -> int:
        with CaptureQueriesContext(connection) as captured:
            _import(dues, {m.number: ("B1" if i % 2 else "B2") for i, m in enumerate(members)})
        return len(captured)

    small = counted(few)
    large = counted(many)
    assert Notification.objects.filter(kind=KIND, person__in=[m.person for m in many]).count() == 30
    assert large == small


def test_a_councils_motion_tells_each_member_it_moves_with_the_decision(dues: Dues) -> None:
    """Congress's motion setting the wage bands puts d1 from B1 on B2: d1 is told once, with the motion,
    its body and the rise in dues from 8.00 to 12.00, linked to the motion's page."""
    wage_bands_adopt(dues.org, {"B1": "400.00", "B2": "600.00"}, {"D0001": "B2"})
    d1 = dues.m("d1")
    (told,) = Notification.objects.filter(person=d1.person, kind=KIND)
    assert "from B1 to B2" in told.body and "Congress" in told.body and "motion" in told.body
    assert money(Decimal("8.00"), dues.org.currency) in told.body
    assert money(Decimal("12.00"), dues.org.currency) in told.body
    assert "/motions/" in told.link
    others = Notification.objects.filter(kind=KIND).exclude(person=d1.person)
    assert not others.exists()
