"""A meeting's pages work without script: the delegate checks in and asks to speak from their phone's page,
the chair calls the speaker, and the projector shows who speaks, their time and the list."""

from __future__ import annotations

import pytest

from commune.meetings.models import Ruling
from commune.motions.models import RollEntry
from tests.meetings.conftest import Fed, call
from tests.motions.test_pages import as_member, text_of, url

pytestmark = pytest.mark.django_db


def _act(fed: Fed, n: int, session: int, act: str, **data: object) -> str:
    response = as_member(fed, n).post(
        url(fed, "meetings:act", session_id=session, act=act), data, follow=True
    )
    assert response.status_code == 200
    return text_of(response.content)


def test_the_projector_shows_the_item_the_speaker_their_time_and_the_list(fed: Fed) -> None:
    session = call(fed)
    assert "You are on the roll" in _act(fed, 3, session, "check-in")
    assert "Not done: Only the delegates seated on District 0" in _act(fed, 1, session, "check-in")
    _act(fed, 6, session, "check-in")
    assert RollEntry.objects.filter(session_id=session).count() == 2
    _act(fed, 3, session, "floor", position=1)
    _act(fed, 3, session, "speak", kind="for")
    _act(fed, 6, session, "speak", kind="against")
    assert "Not done: Only the chair" in _act(fed, 6, session, "next")
    _act(fed, 3, session, "next")
    _act(fed, 3, session, "rule", text="Speeches keep to the motion.")
    assert "The ruling is challenged" in _act(fed, 6, session, "challenge", ruling=Ruling.objects.get().pk)
    page = as_member(fed, 20).get(url(fed, "meetings:projector", session_id=session))
    assert page.status_code == 200
    text = text_of(page.content)
    assert "Any other business — on the floor" in text
    assert "Speaking: Member 003 (for)" in text
    assert "Member 006 — against" in text
    assert "Speeches keep to the motion. (Member 003) : challenged by Member 006" in text
    assert b'data-live-src="/live/meeting/' in page.content and b"data-ends-at=" in page.content
    assert b"<script>" not in page.content  # the page's script is a file the CSP allows, never inline
