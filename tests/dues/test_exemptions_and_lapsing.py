"""Hardship exemptions and arrears brought forward are recorded by the unit with a reason, shown to the
member and logged, never silently; a member lapses for arrears only after notice has run its course, and
each step is on the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.dues.errors import DuesConflict, DuesInvalid, NotYourUnit
from commune.dues.models import DuesExemption, LapseNotice, NoticeStatus
from commune.dues.selectors import member_standing
from commune.dues.services import (
    arrears_brought_forward_record,
    dues_exemption_record,
    dues_lapse,
    dues_payment_record,
    dues_run_due,
)
from commune.federation.models import MembershipEnd
from commune.notifications.models import Notification
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db


def test_an_exemption_without_a_reason_is_refused(dues: Dues) -> None:
    today = timezone.localdate()
    for reason in ("", "   "):
        with pytest.raises(DuesInvalid):
            dues_exemption_record(
                officer=dues.m("d2"), member=dues.m("d1"), first_month=today, last_month=today, reason=reason
            )
    with pytest.raises(NotYourUnit):
        dues_exemption_record(
            officer=dues.m("d7"), member=dues.m("d1"), first_month=today, last_month=today, reason="sick"
        )
    assert not DuesExemption.objects.exists()


def test_an_exemption_is_logged_told_to_the_member_and_shown_on_their_page(dues: Dues) -> None:
    dues.months_pass(3)
    standing = member_standing(member=dues.m("d1"))
    first, last = standing.months[0].month, standing.months[1].month
    assert first is not None and last is not None
    dues_exemption_record(
        officer=dues.m("d2"),
        member=dues.m("d1"),
        first_month=first,
        last_month=last,
        reason="Laid off in autumn",
    )
    standing = member_standing(member=dues.m("d1"))
    assert standing.exempted == 16 and standing.arrears == 8 and standing.months_in_arrears == 1
    entry = LogEntry.objects.get(action="dues.exemption_recorded")
    assert "Laid off in autumn" in entry.summary and entry.payload["member"] == "D0001"
    assert Notification.objects.filter(person=dues.person("d1"), kind="dues.exemption").exists()
    client = Client()
    client.force_login(dues.person("d1"))
    page = client.get(reverse("dues:mine", kwargs={"slug": "dues"})).content.decode()
    assert "Laid off in autumn" in page and "Exempted (hardship)" in page
    with pytest.raises(DuesConflict):
        dues_exemption_record(
            officer=dues.m("d2"), member=dues.m("d1"), first_month=last, last_month=last, reason="again"
        )


def test_the_officers_page_refuses_an_exemption_without_a_reason(dues: Dues) -> None:
    client = Client()
    client.force_login(dues.person("d2"))
    url = reverse("dues:member", kwargs={"slug": "dues", "code": "U1", "number": "D0001"})
    month = f"{timezone.localdate():%Y-%m}"
    page = client.post(url, {"act": "exemption", "first_month": month, "last_month": month, "reason": ""})
    assert page.status_code == 400 and "Give the reason for an exemption" in page.content.decode()
    assert not DuesExemption.objects.exists()
    page = client.post(
        url, {"act": "exemption", "first_month": month, "last_month": month, "reason": "Strike"}
    )
    assert page.status_code == 200 and DuesExemption.objects.count() == 1


def test_arrears_brought_forward_need_a_reason_and_come_before_every_month(dues: Dues) -> None:
    with pytest.raises(DuesInvalid):
        arrears_brought_forward_record(officer=dues.m("d2"), member=dues.m("d3"), months=3, reason="")
    arrears_brought_forward_record(
        officer=dues.m("d2"), member=dues.m("d3"), months=3, reason="The old ledger"
    )
    standing = member_standing(member=dues.m("d3"))
    assert standing.months_in_arrears == 3 and not standing.good and standing.arrears == 24
    assert LogEntry.objects.filter(action="dues.arrears_brought_forward").count() == 1


def test_a_member_far_in_arrears_is_given_notice_first_and_lapses_only_when_it_runs_out(dues: Dues) -> None:
    dues.months_pass(4)
    d1 = dues.m("d1")
    report = dues_run_due(sweep=True)
    notice = LapseNotice.objects.get(member=d1)
    assert notice.status == NoticeStatus.PENDING and dues.m("d1").current_unit_id == dues.u1.pk
    assert any("D0001" in line and "notice" in line for line in report.done)
    assert LogEntry.objects.filter(action="dues.lapse_notice_given", payload__member="D0001").exists()
    assert Notification.objects.filter(person=d1.person, kind="dues.lapse_notice").exists()
    # Nobody lapses before the notice runs out: not by the scheduler, not by asking.
    dues_run_due(sweep=True)
    with pytest.raises(DuesConflict):
        dues_lapse(notice=notice)
    assert dues.m("d1").current_unit_id == dues.u1.pk
    assert LapseNotice.objects.filter(member=d1).count() == 1
    dues.clock.advance(days=28, minutes=1)
    dues_run_due()
    lapsed = dues.m("d1")
    assert lapsed.current_unit_id is None
    assert lapsed.periods.get().end_reason == MembershipEnd.LAPSE
    assert LapseNotice.objects.get(pk=notice.pk).status == NoticeStatus.LAPSED
    actions = list(LogEntry.objects.filter(payload__member="D0001").values_list("action", flat=True))
    assert actions[-3:] == ["dues.lapse_notice_given", "dues.lapsed", "member.lapsed"]


def test_paying_during_the_notice_withdraws_it_and_nobody_lapses(dues: Dues) -> None:
    dues.months_pass(4)
    dues_run_due(sweep=True)
    notice = LapseNotice.objects.get(member=dues.members["d3"])
    dues_payment_record(
        officer=dues.m("d2"), member=dues.m("d3"), amount="8.00", paid_on=timezone.localdate()
    )
    assert LapseNotice.objects.get(pk=notice.pk).status == NoticeStatus.WITHDRAWN
    assert LogEntry.objects.filter(action="dues.lapse_notice_withdrawn", payload__member="D0003").exists()
    dues.clock.advance(days=29)
    dues_run_due()
    assert dues.m("d3").current_unit_id == dues.u1.pk


def test_a_member_with_no_notice_never_lapses_for_arrears(dues: Dues) -> None:
    """Even six months behind, the first pass only gives notice; the lapse waits for the notice."""
    dues.months_pass(6)
    dues_run_due(sweep=True)
    assert all(m.current_unit_id is not None for m in (dues.m(f"d{n}") for n in range(1, 10)))
    assert not LogEntry.objects.filter(action="dues.lapsed").exists()
    assert LapseNotice.objects.filter(status=NoticeStatus.PENDING).count() == 9
    assert all(n.lapse_due_at - n.sent_at == timedelta(days=28) for n in LapseNotice.objects.all())


def test_the_command_line_and_the_schedulers_pass_give_notice(
    dues: Dues, capsys: pytest.CaptureFixture[str]
) -> None:
    """`commune dues run-due` gives notice at once; the scheduler's pass (`commune election run-due`)
    lapses those whose notice has run out."""
    from commune.cli.main import main as commune

    dues.months_pass(4)
    assert commune(["dues", "run-due"]) == 0
    assert "member D0001 of dues given notice of lapsing" in capsys.readouterr().out
    dues.clock.advance(days=28, minutes=1)
    assert commune(["election", "run-due"]) == 0
    assert "member D0001 of dues lapsed for arrears" in capsys.readouterr().out
    assert dues.m("d1").current_unit_id is None
