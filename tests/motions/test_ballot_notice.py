"""The employer's notice of a statutory ballot (TULRCA s.226A) through the API: a council that sets a day
for its ballot to open gives the employer notice with the figures of the employees concerned from the roll;
the ballot refuses to open without the notice, and before its seventh day; the notice is on the log and
downloads as a PDF."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.federation.models import Member
from commune.motions.models import Referral, StatutoryBallot
from commune.motions.services import motions_run_due
from tests.clock import Clock
from tests.motions.conftest import Fed
from tests.motions.test_statutory_ballots import scrutineer, statutory  # noqa: F401

pytestmark = pytest.mark.django_db


def _waiting(fed: Fed, opens_in: int = 3) -> dict[str, Any]:
    opens_on = timezone.localdate() + timedelta(days=opens_in)
    return statutory(fed, opens_on=opens_on.isoformat())


def test_the_ballot_waits_for_the_employers_notice_and_its_seven_days(
    fed: Fed,
    clock: Clock,
    scrutineer: Any,  # noqa: F811
) -> None:
    """Carried with a day to open three days ahead, the ballot waits: no votes yet. Opening it before the
    notice is refused; the notice gives the roll's figures by wage band and workplace and moves the opening
    to the seventh day after it; opening before then is refused, and the scheduler does not close the
    waiting referral; on the seventh day a delegate opens it, and it runs as long as the referral gave."""
    for n in range(1, 4):
        member = Member.objects.get(pk=fed.members[f"m{n}"].pk)
        member.wage_band = "Band 3"
        member.save(update_fields=["wage_band"])
    referral = _waiting(fed)
    assert (referral["votes"], referral["statutory_ballot"]) == ([], None)
    base = f"/orgs/{fed.slug}/referrals/{referral['id']}"
    refused = fed.api(3).post(f"{base}/open-ballot")
    assert refused.status_code == 409
    assert "not been given notice of the ballot" in refused.json()["detail"]
    # Only the council's delegates give notice (m1 is an ordinary member of D0-U0).
    assert fed.api(1).post(f"{base}/ballot-notice", {}).status_code == 403
    given = fed.api(3).post(f"{base}/ballot-notice", {"explanation": "Agency staff are not counted."})
    assert given.status_code == 201, given.json()
    notice = given.json()
    assert notice["opens_on"] == (timezone.localdate() + timedelta(days=7)).isoformat()
    assert notice["employer"] == "Metro Transit Ltd"
    figures = notice["figures"]
    assert figures["total"] == 20
    assert figures["categories"] == [{"category": "", "number": 17}, {"category": "Band 3", "number": 3}]
    assert [(w["code"], w["number"]) for w in figures["workplaces"]] == [
        ("D0-U0", 5),
        ("D0-U1", 5),
        ("D1-U0", 5),
        ("D1-U1", 5),
    ]
    assert "Band 3: 3" in notice["text"] and "Agency staff are not counted." in notice["text"]
    assert fed.api(3).post(f"{base}/ballot-notice", {}).status_code == 409
    logged = LogEntry.objects.get(action="statutory_ballot.ballot_notice_issued")
    assert logged.payload["figures"]["total"] == 20 and logged.payload["opens_on"] == notice["opens_on"]
    pdf = fed.api(20).get(f"{base}/ballot-notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert fed.api(20).get(f"{base}/ballot-notice").json()["id"] == notice["id"]
    # Six days on: still too early, and the scheduler leaves the waiting referral alone.
    clock.advance(days=6)
    early = fed.api(3).post(f"{base}/open-ballot")
    assert early.status_code == 409 and notice["opens_on"] in early.json()["detail"]
    motions_run_due()
    assert Referral.objects.get(pk=referral["id"]).closed_at is None
    clock.advance(days=1)
    opened = fed.api(3).post(f"{base}/open-ballot")
    assert opened.status_code == 201, opened.json()
    assert len(opened.json()["votes"]) == 2
    ballot = StatutoryBallot.objects.get(pk=opened.json()["statutory_ballot"])
    assert ballot.strike_vote is not None and ballot.strike_vote.electorate == 20
    found = Referral.objects.get(pk=referral["id"])
    assert found.closes_at - timezone.now() > timedelta(days=6, hours=23)
    assert fed.api(3).post(f"{base}/open-ballot").status_code == 409


def test_a_ballot_without_a_day_to_open_opens_at_once_and_takes_no_notice(
    fed: Fed,
    scrutineer: Any,  # noqa: F811
) -> None:
    referral = statutory(fed)
    assert referral["statutory_ballot"] is not None and len(referral["votes"]) == 2
    assert (
        fed.api(3).post(f"/orgs/{fed.slug}/referrals/{referral['id']}/ballot-notice", {}).status_code == 409
    )


def test_the_day_to_open_is_a_day_to_come(fed: Fed, scrutineer: Any) -> None:  # noqa: F811
    from tests.motions.conftest import on_agenda, sitting

    motion_id = on_agenda(fed, 3, "CONGRESS", supporter=11, industrial_action=True)
    session = sitting(fed, "CONGRESS", 3, 11)
    terms = {
        "employer": "Metro Transit Ltd",
        "scrutineer_email": "scrutineer@example.org",
        "tellers": [fed.members[f"m{n}"].number for n in (12, 13, 14)],
        "opens_on": timezone.localdate().isoformat(),
    }
    refused = fed.api(3).post(
        f"/orgs/{fed.slug}/motions/{motion_id}/refer",
        {"session": session, "to": "referendum", "referral_days": 7, "statutory": terms},
    )
    assert refused.status_code == 400
    assert "notice of the ballot comes first" in refused.json()["detail"]


def test_the_delegates_give_the_notice_and_open_the_ballot_on_its_page(
    fed: Fed,
    clock: Clock,
    scrutineer: Any,  # noqa: F811
) -> None:
    from django.test import Client

    from tests.conftest import PASSWORD

    referral = _waiting(fed)
    page = Client()
    assert page.login(email="m3@tf.example", password=PASSWORD)
    shown = page.get(f"/o/{fed.slug}/referrals/{referral['id']}/").content.decode()
    assert f"/o/{fed.slug}/referrals/{referral['id']}/ballot-notice/" in shown
    url = f"/o/{fed.slug}/referrals/{referral['id']}/ballot-notice/"
    refused = page.post(url, {"action": "open"})
    assert refused.status_code == 409 and "not been given notice of the ballot" in refused.content.decode()
    given = page.post(url, {"action": "issue", "explanation": "Counted from the roll."})
    assert given.status_code == 302
    text = page.get(url).content.decode()
    assert "Employees concerned: 20 in total." in text and "Counted from the roll." in text
    assert page.get(f"/o/{fed.slug}/referrals/{referral['id']}/ballot-notice.pdf").content.startswith(b"%PDF")
    clock.advance(days=7)
    opened = page.post(url, {"action": "open"})
    assert opened.status_code == 302 and "/statutory/" in opened["Location"]
