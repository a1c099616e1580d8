"""The employer's notice of industrial action (TULRCA s.234A) through the API: industrial action called on a
statutory ballot is called with the notice, which says whether it is continuous and its days, the
employees concerned by category and workplace, and the notice period; a call starting sooner than the
period allows is refused, and ten days' notice is taken only where the employer's agreement is recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commune.actions.models import ActionCall, ActionNotice
from commune.audit.models import LogEntry
from tests.clock import Clock
from tests.conftest import PASSWORD
from tests.motions.conftest import Fed, cast, close
from tests.motions.test_statutory_ballots import scrutineer, statutory  # noqa: F401

pytestmark = pytest.mark.django_db


def _carried(fed: Fed, clock: Clock) -> int:
    """Congress's statutory ballot, both questions carried by twelve of the twenty members; returns the
    motion's id."""
    referral = statutory(fed)
    for vote in referral["votes"]:
        for n in range(1, 13):
            assert cast(fed, n, vote["id"], "yes").status_code == 201
    clock.advance(days=8)
    for vote in referral["votes"]:
        assert close(fed, 1, vote["id"])["carried"] is True
    return int(referral["motion"])


def _call(fed: Fed, motion: int, starts_in: int, ends_in: int | None = None, **extra: Any) -> Any:
    today = timezone.localdate()
    return fed.api(3).post(
        f"/orgs/{fed.slug}/bodies/CONGRESS/action-calls",
        {
            "authority": motion,
            "kind": "strike",
            "title": "Strike against split shifts",
            "demands": "An end to split shifts.",
            "starts_on": (today + timedelta(days=starts_in)).isoformat(),
            "ends_on": (today + timedelta(days=ends_in or starts_in)).isoformat(),
            **extra,
        },
    )


def test_industrial_action_on_a_statutory_ballot_is_called_with_its_notice_and_not_sooner(
    fed: Fed,
    clock: Clock,
    scrutineer: Any,  # noqa: F811
) -> None:
    motion = _carried(fed, clock)
    today = timezone.localdate()
    # Thirteen days ahead is too soon: nothing is called, nothing noticed.
    soon = _call(fed, motion, 13)
    assert soon.status_code == 400
    detail = soon.json()["detail"]
    assert "at least 14 days" in detail and (today + timedelta(days=14)).isoformat() in detail
    assert "ten days where the employer agrees" in detail
    assert not ActionCall.objects.exists() and not ActionNotice.objects.exists()
    # Ten days ahead, with the employer's agreement recorded; discontinuous, on its first and third day.
    days = [(today + timedelta(days=d)).isoformat() for d in (10, 12)]
    agreed = _call(fed, motion, 10, 12, employer_agreed_shorter_notice=True, days=days)
    assert agreed.status_code == 201, agreed.json()
    call_id = agreed.json()["id"]
    notice = fed.api(20).get(f"/orgs/{fed.slug}/action-calls/{call_id}/employer-notice").json()
    assert (notice["continuous"], notice["days"], notice["notice_days"], notice["employer_agreed"]) == (
        False,
        days,
        10,
        True,
    )
    assert notice["employer"] == "Metro Transit Ltd" and notice["figures"]["total"] == 20
    assert [(w["code"], w["number"]) for w in notice["figures"]["workplaces"]] == [
        ("D0-U0", 5),
        ("D0-U1", 5),
        ("D1-U0", 5),
        ("D1-U1", 5),
    ]
    assert "discontinuous" in notice["text"] and "agreed to this shorter notice" in notice["text"]
    logged = LogEntry.objects.get(action="action.employer_notice_issued")
    assert logged.payload["notice_days"] == 10 and logged.payload["days"] == days
    pdf = fed.api(20).get(f"/orgs/{fed.slug}/action-calls/{call_id}/employer-notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Without the agreement, ten days is refused; fourteen, continuous, is called.
    assert _call(fed, motion, 10).status_code == 400
    continuous = _call(fed, motion, 14, 16)
    assert continuous.status_code == 201, continuous.json()
    text = fed.api(1).get(f"/orgs/{fed.slug}/action-calls/{continuous.json()['id']}/employer-notice").json()
    assert (text["continuous"], text["notice_days"]) == (True, 14)
    # A day outside the call, or a first day not the call's, is refused.
    outside = _call(fed, motion, 14, 15, days=[(today + timedelta(days=20)).isoformat()])
    assert outside.status_code == 400 and "lie within the call" in outside.json()["detail"]
    later = _call(fed, motion, 14, 15, days=[(today + timedelta(days=15)).isoformat()])
    assert later.status_code == 400
    # The notice is a page too, with its PDF.
    page = Client()
    assert page.login(email="m20@tf.example", password=PASSWORD)
    shown = page.get(f"/o/{fed.slug}/action/calls/{call_id}/notice/")
    assert shown.status_code == 200 and "Metro Transit Ltd" in shown.content.decode()
    assert page.get(f"/o/{fed.slug}/action/calls/{call_id}/notice.pdf").content.startswith(b"%PDF")


def test_a_call_not_on_a_statutory_ballot_takes_no_notice_terms(
    fed: Fed,
    clock: Clock,
    scrutineer: Any,  # noqa: F811
) -> None:
    """A demonstration on the same authority is not industrial action: no notice, and notice terms are
    refused rather than dropped."""
    motion = _carried(fed, clock)
    made = _call(fed, motion, 1, kind="demonstration")
    assert made.status_code == 201, made.json()
    assert (
        fed.api(3).get(f"/orgs/{fed.slug}/action-calls/{made.json()['id']}/employer-notice").status_code
        == 404
    )
    refused = _call(fed, motion, 1, kind="demonstration", employer_agreed_shorter_notice=True)
    assert refused.status_code == 400
