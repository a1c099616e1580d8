"""Minutes written from the record, as a page and a PDF, adopted by the council's next meeting as the first
item of its agenda and fixed from then on; and the meeting's vote on a delegate's phone page without
script."""

from __future__ import annotations

from typing import Any

import pytest

from commune.audit.models import LogEntry
from commune.meetings.minutes import minutes_digest
from commune.meetings.models import Minutes
from commune.motions.models import DelegateVote, Motion
from tests.clock import let_vote_run
from tests.meetings.conftest import Fed, call, meeting, number
from tests.motions.conftest import on_agenda
from tests.motions.test_pages import as_member, text_of, url

pytestmark = pytest.mark.django_db


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.json()
    return dict(response.json())


def _act(fed: Fed, n: int, session: int, act: str, **data: object) -> str:
    response = as_member(fed, n).post(
        url(fed, "meetings:act", session_id=session, act=act), data, follow=True
    )
    assert response.status_code == 200
    return text_of(response.content)


def _sat(fed: Fed) -> tuple[int, int]:
    """A sitting of District 0 through its pages: m3 chairs, m6 speaks and both vote on the motion by
    phone; the chair closes the vote and the session closes. Returns (session, motion)."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    session = call(fed)
    for n in (3, 6):
        _act(fed, n, session, "check-in")
    _act(fed, 3, session, "agenda")
    position = 2 if "Minutes of" in _act(fed, 3, session, "floor", position=1) else 1
    _act(fed, 3, session, "floor", position=position)
    _act(fed, 6, session, "speak", kind="against")
    _act(fed, 3, session, "next")
    page = _act(fed, 3, session, "vote-open")
    assert "The motion is put to the vote." in page
    vote = int(_ok(meeting(fed, 3, session))["vote"]["id"])
    phone = _act(fed, 6, session, "cast", vote=vote, choice="yes")
    assert "Your seat's vote is recorded." in phone and "Your seat has voted." in phone
    _act(fed, 3, session, "cast", vote=vote, choice="yes")
    let_vote_run(vote)
    closed = _act(fed, 3, session, "vote-close")
    assert "Carried : 2 yes, 0 no, 0 abstain" in closed and "Roll-call" in closed
    late = _act(fed, 6, session, "cast", vote=vote, choice="no")
    assert "Not done: This vote has closed" in late
    assert DelegateVote.objects.filter(vote_id=vote).count() == 2
    assert fed.api(3).post(f"/orgs/{fed.slug}/sessions/{session}/close").status_code == 200
    return session, motion


def test_minutes_are_written_from_the_record_as_a_page_and_a_pdf(fed: Fed) -> None:
    session, motion = _sat(fed)
    page = as_member(fed, 20).get(url(fed, "meetings:minutes", session_id=session))
    text = text_of(page.content)
    for expected in (
        "Minutes: D0 meets",
        f"Member 003 (member {number(fed, 3)}), who called the session",
        f"Moved by Member 003 (member {number(fed, 3)})",
        f"Speakers: Member 006 (member {number(fed, 6)}), against",
        "Carried : 2 yes, 0 no, 0 abstain",
        f"Member 006 (member {number(fed, 6)}) — Yes",
        "Decision: Adopted",
        "Not yet adopted",
    ):
        assert expected in text, expected
    pdf = as_member(fed, 20).get(url(fed, "meetings:minutes_pdf", session_id=session))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert _ok(fed.api(20).get(f"/orgs/{fed.slug}/sessions/{session}/meeting/minutes"))["adopted"] is False
    assert Motion.objects.get(pk=motion).status == "adopted"


@pytest.mark.tampered  # the motion is renamed behind the log's back, to show the minutes do not follow
def test_the_next_meeting_adopts_the_minutes_and_they_are_fixed(fed: Fed) -> None:
    """The minutes of the last session are the first item of the next one's agenda; only the chair puts
    them, with them on the floor; once adopted they no longer follow the record, and cannot be adopted
    again."""
    first, motion = _sat(fed)
    second = call(fed)
    for n in (3, 6):
        _ok(meeting(fed, n, second, "check-in"))
    state = _ok(meeting(fed, 3, second, "agenda"))
    assert (state["agenda"][0]["kind"], state["agenda"][0]["ref"]) == ("minutes", first)
    assert meeting(fed, 3, second, "minutes").status_code == 409  # not on the floor
    _ok(meeting(fed, 3, second, "floor", {"position": 1}))
    assert meeting(fed, 6, second, "minutes").status_code == 403
    _ok(meeting(fed, 3, second, "minutes"))
    adopted = Minutes.objects.get(session_id=first)
    assert adopted.adopted_in_id == second and adopted.digest == minutes_digest(adopted.record)
    entry = LogEntry.objects.get(action="meeting.minutes_adopted")
    assert entry.payload["digest"] == adopted.digest
    again = meeting(fed, 3, second, "minutes")
    assert again.status_code == 409 and "already adopted" in again.json()["detail"]
    Motion.objects.filter(pk=motion).update(title="Renamed afterwards")
    read = _ok(fed.api(20).get(f"/orgs/{fed.slug}/sessions/{first}/meeting/minutes"))
    assert read["adopted"] is True and read["digest"] == adopted.digest
    assert "Motion: Motion in D0" in [i["title"] for i in read["items"]]
    text = text_of(as_member(fed, 20).get(url(fed, "meetings:minutes", session_id=first)).content)
    assert "These minutes are fixed." in text and "Adopted by D0 meets" in text
    third = _ok(meeting(fed, 3, call_after(fed, second)))["agenda"]
    assert [i["ref"] for i in third if i["kind"] == "minutes"] == [second]  # the first's are done


def call_after(fed: Fed, session: int) -> int:
    assert fed.api(3).post(f"/orgs/{fed.slug}/sessions/{session}/close").status_code == 200
    return call(fed, wait=False)
