"""Every way a member's wage band changes keeps it in the band history from the month it is made, and on
the log: a roll import, a motion setting the wage bands, a re-admission with a band. None reprices the
months before it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.audit.services import SYSTEM
from commune.dues.models import WageBandChange
from commune.dues.reckoning import month_start
from commune.dues.selectors import member_standing
from commune.federation.bands import member_bands_move
from commune.federation.models import Member
from commune.federation.roll import roll_import
from commune.federation.services import member_admit
from tests.dues.conftest import Dues
from tests.wages import wage_bands_adopt

pytestmark = pytest.mark.django_db


def _roll(dues: Dues, bands: dict[str, str]) -> str:
    """Unit One's roll as it stands, with the bands in ``bands`` (by member number) changed."""
    lines = ["number,name,email,wage_band"]
    for m in Member.objects.filter(current_unit=dues.u1).select_related("person").order_by("number"):
        lines.append(f"{m.number},{m.person.name},{m.person.email},{bands.get(m.number, m.wage_band)}")
    return "\n".join(lines) + "\n"


def test_a_band_given_by_a_roll_import_reprices_only_the_months_from_it(dues: Dues) -> None:
    """A roll gives a band to a member who had none (a band once recorded changes only by a motion): the
    months already due stay at the flat amount (10.00), the months from the import are at the band's."""
    person = user_create(email="d10@dues.example", name="Payer 10", password="x" * 12)
    d10 = member_admit(unit=dues.u1, person=person, number="D0010")
    dues.months_pass(3)
    report = roll_import(
        unit=dues.u1, csv_text=_roll(dues, {"D0010": "B2"}), dry_run=False, actor=SYSTEM, officer=dues.m("d2")
    )
    assert report.ok and report.updated == 1
    d10.refresh_from_db()
    assert d10.wage_band == "B2"
    standing = member_standing(member=d10)
    # Not 3 × 12.00 as if B2 had always held.
    assert [(m.band, m.amount) for m in standing.months] == [("", 10), ("", 10), ("", 10)]
    assert standing.owed == 30 and standing.current_amount == 12
    change = WageBandChange.objects.get(member=d10)
    assert (change.band_before, change.band, change.recorded_by_id) == ("", "B2", dues.members["d2"].pk)
    assert "Unit One" in change.reason
    entry = LogEntry.objects.get(action="dues.wage_bands_changed")
    assert entry.payload["members"] == [{"member": "D0010", "band_before": "", "band": "B2"}]
    # A roll that leaves the bands as they are records no change.
    roll_import(unit=dues.u1, csv_text=_roll(dues, {}), dry_run=False, actor=SYSTEM)
    assert WageBandChange.objects.filter(member=d10).count() == 1


def test_the_shared_move_records_each_change_once_and_skips_the_unchanged(dues: Dues) -> None:
    dues.months_pass(2)
    moved = member_bands_move(
        organisation=dues.org,
        moves=[(dues.m("d1"), "B2"), (dues.m("d2"), "B2")],
        reason="wage bands set by Congress's motion 1",
    )
    assert [m.member.number for m in moved] == ["D0001"]
    assert list(WageBandChange.objects.values_list("member__number", "band_before", "band")) == [
        ("D0001", "B1", "B2")
    ]
    assert [(m.band, m.amount) for m in member_standing(member=dues.m("d1")).months] == [("B1", 8), ("B1", 8)]


def test_a_band_set_by_a_motion_reprices_only_the_months_from_it(dues: Dues) -> None:
    dues.months_pass(2)
    wage_bands_adopt(dues.org, {"B1": "400.00", "B2": "600.00"}, {"D0001": "B2"})
    d1 = dues.m("d1")
    assert d1.wage_band == "B2"
    this_month = month_start(timezone.localdate())
    change = WageBandChange.objects.get(member=d1)
    assert (change.band_before, change.band, change.from_month) == ("B1", "B2", this_month)
    assert "Congress" in change.reason and change.recorded_by is None
    standing = member_standing(member=d1)
    # The months due before the motion stay at B1 (8.00); before this change all were repriced at 12.00.
    before = [(m.band, m.amount) for m in standing.months if m.month is not None and m.month < this_month]
    assert len(before) >= 2 and set(before) == {("B1", 8)}
    assert standing.current_amount == 12
    assert LogEntry.objects.get(action="dues.wage_bands_changed").payload["members"] == [
        {"member": "D0001", "band_before": "B1", "band": "B2"}
    ]
