"""``commune demo`` opens with Congress in session: an elected chair, a speaker at the lectern and others
waiting, and a vote the demo's Congress delegate can cast from their phone's page while the projector
counts the turnout."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.accounts.models import User
from commune.federation.demo import demo_sign_ins
from commune.meetings.demo import demo_meeting_path
from commune.meetings.models import Meeting
from commune.motions.models import DelegateVote, Vote
from tests.conftest import seed_demo
from tests.motions.test_pages import text_of

pytestmark = pytest.mark.django_db


def test_the_demo_opens_on_congress_in_session_with_a_vote_the_delegate_casts_from_a_phone() -> None:
    seed_demo()
    path = demo_meeting_path()
    meeting = Meeting.objects.select_related("session", "chair").get(session_id=int(path.split("/")[4]))
    assert meeting.chair_elected and meeting.floor is not None and meeting.floor.kind == "motion"
    assert meeting.speeches.filter(started_at__isnull=False, ended_at__isnull=True).count() == 1
    assert meeting.speeches.filter(started_at__isnull=True).count() >= 1
    vote = Vote.objects.get(session=meeting.session, closed_at__isnull=True)
    delegate = User.objects.get(email=next(s.email for s in demo_sign_ins() if s.role == "congress delegate"))
    client = Client()
    client.force_login(delegate)
    phone = client.get(path, HTTP_USER_AGENT="phone")
    assert phone.status_code == 200
    text = text_of(phone.content)
    assert "You are on the roll" in text and "Speaking:" in text and "Close the vote" not in text
    assert b'form method="post" class="cast"' in phone.content
    before = DelegateVote.objects.filter(vote=vote).count()
    done = client.post(
        f"{path}act/cast/", {"vote": vote.pk, "choice": "yes"}, follow=True, HTTP_USER_AGENT="phone"
    )
    assert "Your seat has voted." in text_of(done.content)
    assert DelegateVote.objects.filter(vote=vote).count() == before + 1
    projector = text_of(client.get(f"{path}projector/").content)
    assert f"{before + 1} of" in projector and "Minutes of" in projector
