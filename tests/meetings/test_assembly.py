"""A unit's general assembly in session: any member calls it with the constitution's notice, the members
of the unit present check in (nobody else), the quorum is the constitution's share of its members, the
chair is chosen as a council's is, and the chair puts the motion on the floor to a secret vote of the
members present, cast in the ballot box (the register apart from the paper). Its events carry only the
turnout; the result is declared on every page at the close."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from commune.ballots.models import YesNoRegisterEntry
from commune.live.bus import MemoryBus
from commune.live.services import live_bus_reset
from commune.meetings.services.live import meeting_topic
from commune.motions.models import Motion, Vote
from commune.motions.services.live import vote_topic
from tests.clock import let_vote_run
from tests.meetings.conftest import Fed, call, meeting, number
from tests.motions.conftest import on_agenda
from tests.motions.test_pages import as_member, text_of, url

pytestmark = pytest.mark.django_db

UNIT = "D0-U0"  # members m1-m5; m6 belongs to D0-U1


@pytest.fixture
def bus() -> Iterator[MemoryBus]:
    memory = MemoryBus()
    live_bus_reset(memory)
    yield memory
    live_bus_reset(None)


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.json()
    return dict(response.json())


def _assembly(fed: Fed, present: tuple[int, ...] = (1, 2, 3)) -> tuple[int, int]:
    """A motion on the unit's agenda; its general assembly called by m1, the members ``present`` checked
    in, the motion on the floor. Returns (session, motion)."""
    motion = on_agenda(fed, 1, UNIT, supporter=2)
    session = call(fed, caller=1, code=UNIT)
    for n in present:
        _ok(meeting(fed, n, session, "check-in"))
    state = _ok(meeting(fed, 1, session, "agenda"))
    position = next(i["position"] for i in state["agenda"] if i["ref"] == motion and i["kind"] == "motion")
    _ok(meeting(fed, 1, session, "floor", {"position": position}))
    return session, motion


def test_a_units_assembly_meets_with_the_quorum_of_its_members_and_elects_its_chair(fed: Fed) -> None:
    session = call(fed, caller=1, code=UNIT)
    assert meeting(fed, 6, session, "check-in").status_code == 403  # not a member of the unit
    _ok(meeting(fed, 1, session, "check-in"))
    state = _ok(meeting(fed, 2, session, "check-in"))
    assert state["quorum"] == {"present": 2, "seats": 5, "percent": "50", "met": False}
    assert meeting(fed, 2, session, "check-in").status_code == 409  # once
    state = _ok(meeting(fed, 3, session, "check-in"))
    assert state["quorum"]["met"] is True and state["chair"]["person"]["number"] == number(fed, 1)
    assert {r["constituency"] for r in state["roll"]} == {UNIT}
    for n in (2, 3):
        state = _ok(meeting(fed, n, session, "chair", {"member": number(fed, 2)}))
    assert state["chair"]["elected"] is True and state["chair"]["person"]["number"] == number(fed, 2)


def test_a_member_present_casts_a_secret_vote_in_the_meeting_and_the_result_is_declared(fed: Fed) -> None:
    session, motion = _assembly(fed)
    vote = _ok(meeting(fed, 1, session, "votes", {}))["vote"]
    assert vote["mode"] == "secret" and vote["electorate"] == 3 and vote["turnout"] == 0
    state = _ok(meeting(fed, 2, session, f"votes/{vote['id']}/cast", {"choice": "no"}))
    assert state["vote"]["turnout"] == 1
    box = Vote.objects.get(pk=vote["id"]).box_id
    assert YesNoRegisterEntry.objects.filter(box_id=box, member=fed.members["m2"]).exists()
    assert meeting(fed, 2, session, f"votes/{vote['id']}/cast", {"choice": "yes"}).status_code == 409
    assert meeting(fed, 6, session, f"votes/{vote['id']}/cast", {"choice": "yes"}).status_code == 403
    # m4 is a member of the unit, but was not present when the vote opened.
    assert meeting(fed, 4, session, f"votes/{vote['id']}/cast", {"choice": "yes"}).status_code == 403
    _ok(meeting(fed, 1, session, "tellers", {"member": number(fed, 3)}))
    hands = {"yes": [number(fed, 1)], "no": [], "abstain": []}  # a count of hands would name choices
    assert meeting(fed, 3, session, f"votes/{vote['id']}/hands", hands).status_code == 400
    for n in (1, 3):
        _ok(meeting(fed, n, session, f"votes/{vote['id']}/cast", {"choice": "yes"}))
    let_vote_run(vote["id"])
    closed = _ok(meeting(fed, 1, session, "votes/close"))["vote"]
    assert (closed["open"], closed["yes"], closed["no"], closed["abstain"]) == (False, 2, 1, 0)
    assert closed["carried"] is True and closed["roll_call"] == []  # a secret vote has no roll-call
    assert _ok(meeting(fed, 20, session))["vote"]["yes"] == 2  # on every reader's screen
    assert Motion.objects.get(pk=motion).status == "adopted"


def test_a_secret_vote_in_the_meeting_publishes_only_its_turnout(
    fed: Fed, bus: MemoryBus, django_capture_on_commit_callbacks: Any
) -> None:
    session, _motion = _assembly(fed)
    vote = _ok(meeting(fed, 1, session, "votes", {}))["vote"]["id"]
    for n, choice in ((1, "yes"), (2, "no"), (3, "abstain")):
        with django_capture_on_commit_callbacks(execute=True):
            _ok(meeting(fed, n, session, f"votes/{vote}/cast", {"choice": choice}))
    events = list(bus._topics.get(vote_topic(vote), ())) + list(bus._topics.get(meeting_topic(session), ()))
    assert [e.data for e in events if e.kind == "turnout"] == [
        {"vote": vote, "turnout": n, "electorate": 3} for n in (1, 2, 3)
    ]
    assert {(e.kind, tuple(sorted(e.data))) for e in events} <= {
        ("turnout", ("electorate", "turnout", "vote")),
        ("changed", ("session", "what")),
    }
    let_vote_run(vote)
    with django_capture_on_commit_callbacks(execute=True):
        _ok(meeting(fed, 1, session, "votes/close"))
    closed = list(bus._topics[vote_topic(vote)])[-1]
    assert closed.kind == "closed" and (closed.data["yes"], closed.data["no"]) == (1, 1)


def test_without_script_a_member_votes_from_the_meeting_page_and_it_reloads_to_say_so(fed: Fed) -> None:
    session, _motion = _assembly(fed)
    vote = _ok(meeting(fed, 1, session, "votes", {}))["vote"]["id"]
    client = as_member(fed, 2)
    page = text_of(client.get(url(fed, "meetings:meeting", session_id=session)).content)
    assert "Secret ballot: the register shows that you voted" in page
    assert "0 of the 3 members present when it opened have voted" in page
    response = client.post(
        url(fed, "meetings:act", session_id=session, act="cast"), {"vote": vote, "choice": "no"}, follow=True
    )
    text = text_of(response.content)
    assert "Your vote is cast. It is secret" in text and "You have voted." in text
    assert "1 of the 3 members present when it opened have voted" in text
    assert b'name="choice"' not in response.content and b"Enter the count" not in response.content
    again = client.post(
        url(fed, "meetings:act", session_id=session, act="cast"), {"vote": vote, "choice": "yes"}, follow=True
    )
    assert "Not done: You have already voted on this question" in text_of(again.content)


def test_any_member_calls_the_assembly_from_the_units_sessions_page(fed: Fed) -> None:
    path = f"/o/{fed.slug}/bodies/{UNIT}/sessions/"
    assert "Any member of" in text_of(as_member(fed, 4).get(path).content)
    response = as_member(fed, 4).post(path, {"title": "Spring assembly"}, follow=True)
    assert "is called, and every member of the unit told" in text_of(response.content)
    assert as_member(fed, 6).post(path, {"title": "Not theirs"}).status_code == 403
