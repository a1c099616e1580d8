"""A council meets: its agenda from its business, check-in by each delegate or at a teller's desk, a chair
the meeting elects and may replace at any moment, and a list of speakers the chair calls in order."""

from __future__ import annotations

from typing import Any

import pytest

from commune.audit.models import LogEntry
from commune.federation.access import NotFound
from commune.live.access import topic_follow_check
from commune.live.bus import MemoryBus
from commune.live.services import live_bus_reset
from commune.meetings.services.live import meeting_topic
from tests.conftest import build_federation
from tests.governance.test_executives_api import decide, establish
from tests.meetings.conftest import Fed, call, meeting, number
from tests.motions.conftest import on_agenda

pytestmark = pytest.mark.django_db


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.json()
    return dict(response.json())


def test_the_agenda_is_built_from_the_councils_motions_executive_reports_and_other_business(fed: Fed) -> None:
    """Before the session starts every member sees the draft; the chair builds it: the minutes of the
    council's last session (which established the executive), the motions on the council's agenda, a report
    from each executive that decided since the last session, and any other business. Only the chair builds
    it."""
    establish(fed)
    assert decide(fed, 1, "book-venues").status_code == 201
    motion = on_agenda(fed, 3, "D0", supporter=6)
    session = call(fed, wait=False)
    draft = _ok(meeting(fed, 20, session))  # a member of another district sees it ahead
    assert draft["agenda_built"] is False
    titles = [i["title"] for i in draft["agenda"]]
    assert titles == [
        "Minutes of D0 meets",
        "Motion: Motion in D0",
        "Report of Strike Commission: 1 decision",
        "Any other business",
    ]
    assert meeting(fed, 6, session, "agenda").status_code == 403
    built = _ok(meeting(fed, 3, session, "agenda"))
    assert built["agenda_built"] is True
    first = built["agenda"][1]
    assert (first["position"], first["kind"], first["ref"]) == (2, "motion", motion)
    entry = LogEntry.objects.get(action="meeting.agenda_built")
    assert number(fed, 3) in entry.summary and "@" not in entry.summary


def test_a_teller_checks_in_a_seat_holder_at_the_desk_and_nobody_without_a_seat(fed: Fed) -> None:
    """The chair names a teller among those present; the teller checks in the other delegate, who came
    without a device. A member who holds no seat is refused at the desk as on their own phone, and nobody
    but a teller or an officer checks anyone in."""
    session = call(fed)
    _ok(meeting(fed, 3, session, "check-in"))
    assert meeting(fed, 1, session, "check-in").status_code == 403  # no seat of their own
    assert meeting(fed, 3, session, "desk", {"member": number(fed, 6)}).status_code == 403  # not a teller
    _ok(meeting(fed, 3, session, "tellers", {"member": number(fed, 3)}))
    refused = meeting(fed, 3, session, "desk", {"member": number(fed, 1)})
    assert refused.status_code == 403, refused.json()
    assert number(fed, 1) not in [r["person"]["number"] for r in _ok(meeting(fed, 3, session))["roll"]]
    state = _ok(meeting(fed, 3, session, "desk", {"member": number(fed, 6)}))
    assert {r["person"]["number"] for r in state["roll"]} == {number(fed, 3), number(fed, 6)}
    assert state["quorum"]["met"] is True
    desk = LogEntry.objects.get(action="meeting.desk_check_in")
    assert f"member {number(fed, 6)}" in desk.summary and f"member {number(fed, 3)}" in desk.summary


def _sitting(fed: Fed) -> int:
    session = call(fed)
    for n in (3, 6):
        _ok(meeting(fed, n, session, "check-in"))
    return session


def test_the_meeting_elects_its_chair_and_a_vote_of_no_confidence_replaces_them(fed: Fed) -> None:
    """The caller chairs until the meeting elects; whoever has more than half the weight on the roll takes
    the chair. Later a majority for another is a motion of no confidence, and the chair changes at once."""
    session = _sitting(fed)
    state = _ok(meeting(fed, 6, session))
    assert state["chair"]["person"]["number"] == number(fed, 3) and state["chair"]["elected"] is False
    assert meeting(fed, 1, session, "chair", {"member": number(fed, 3)}).status_code == 403  # not on the roll
    assert meeting(fed, 3, session, "chair", {"member": number(fed, 1)}).status_code == 400  # not present
    _ok(meeting(fed, 3, session, "chair", {"member": number(fed, 6)}))
    state = _ok(meeting(fed, 6, session, "chair", {"member": number(fed, 6)}))
    assert state["chair"]["person"]["number"] == number(fed, 6) and state["chair"]["elected"] is True
    # No confidence: half the weight is not enough; a majority replaces the chair at once.
    state = _ok(meeting(fed, 3, session, "chair", {"member": number(fed, 3)}))
    assert state["chair"]["person"]["number"] == number(fed, 6)
    state = _ok(meeting(fed, 6, session, "chair", {"member": number(fed, 3)}))
    assert state["chair"]["person"]["number"] == number(fed, 3)
    elected = list(LogEntry.objects.filter(action="meeting.chair_elected").order_by("seq"))
    assert len(elected) == 2 and f"in place of Member 006 (member {number(fed, 6)})" in elected[1].summary


def test_a_point_of_order_jumps_the_list_and_only_the_chair_calls_the_next_speaker(fed: Fed) -> None:
    """Speakers for and against wait in the order they asked; a point of order goes ahead of them. Only the
    chair calls the next speaker, whose time is the constitution's ``sessions.speech_minutes``."""
    session = _sitting(fed)
    assert meeting(fed, 3, session, "speakers", {"kind": "for"}).status_code == 409  # nothing on the floor
    assert meeting(fed, 6, session, "floor", {"position": 1}).status_code == 403
    _ok(meeting(fed, 3, session, "floor", {"position": 1}))
    _ok(meeting(fed, 3, session, "speakers", {"kind": "for"}))
    state = _ok(meeting(fed, 6, session, "speakers", {"kind": "order"}))
    assert [(s["person"]["number"], s["kind"]) for s in state["queue"]] == [
        (number(fed, 6), "order"),
        (number(fed, 3), "for"),
    ]
    assert meeting(fed, 6, session, "speakers/next").status_code == 403
    assert _ok(meeting(fed, 6, session))["speaking"] is None
    state = _ok(meeting(fed, 3, session, "speakers/next"))
    assert state["speaking"]["person"]["number"] == number(fed, 6)
    assert state["speaking"]["kind"] == "order"
    spoken = state["speaking"]
    assert spoken["ends_at"] > spoken["started_at"]
    state = _ok(meeting(fed, 3, session, "speakers/next"))
    assert state["speaking"]["person"]["number"] == number(fed, 3) and state["queue"] == []


def test_every_act_is_announced_on_the_meetings_topic_once_committed(
    fed: Fed, django_capture_on_commit_callbacks: Any
) -> None:
    """The meeting's pages follow one topic: each act, once committed, tells them what changed."""
    bus = MemoryBus()
    live_bus_reset(bus)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            session = _sitting(fed)
        with django_capture_on_commit_callbacks(execute=True):
            _ok(meeting(fed, 3, session, "floor", {"position": 1}))
        with django_capture_on_commit_callbacks(execute=True):
            assert meeting(fed, 6, session, "speakers/next").status_code == 403  # refused: nothing told
        kinds = [(e.kind, e.data["what"]) for e in bus._topics.get(meeting_topic(session), ())]
        assert kinds == [("changed", "check_in"), ("changed", "check_in"), ("changed", "floor")]
    finally:
        live_bus_reset(None)


def test_only_members_of_the_organisation_may_follow_a_meeting(fed: Fed) -> None:
    """A meeting's events reach exactly those who may open its pages: any member of its organisation."""
    session = call(fed, wait=False)
    outsider = build_federation(slug="other")
    reader = fed.members["m20"].person
    assert topic_follow_check(reader, "meeting", session) == f"meeting:{session}"
    with pytest.raises(NotFound):
        topic_follow_check(outsider.member, "meeting", session)
    with pytest.raises(NotFound):
        topic_follow_check(reader, "meeting", session + 1000)


def test_a_ruling_of_the_chair_challenged_is_overruled_by_the_meetings_vote(fed: Fed) -> None:
    """Only the chair rules; anyone on the roll challenges; the seats on the roll vote, and more than half
    of their weight overrules the chair. An unchallenged ruling stands and cannot be voted on; a seat votes
    once."""
    session = _sitting(fed)
    assert meeting(fed, 6, session, "rulings", {"text": "The amendment is out of order."}).status_code == 403
    state = _ok(meeting(fed, 3, session, "rulings", {"text": "The amendment is out of order."}))
    ruling = state["rulings"][0]["id"]
    assert meeting(fed, 6, session, f"rulings/{ruling}/votes", {"overrule": True}).status_code == 409
    assert meeting(fed, 1, session, f"rulings/{ruling}/challenge").status_code == 403  # not on the roll
    _ok(meeting(fed, 6, session, f"rulings/{ruling}/challenge"))
    state = _ok(meeting(fed, 6, session, f"rulings/{ruling}/votes", {"overrule": True}))
    assert state["rulings"][0]["outcome"] == ""  # half the weight is not more than half
    assert meeting(fed, 6, session, f"rulings/{ruling}/votes", {"overrule": False}).status_code == 409
    state = _ok(meeting(fed, 3, session, f"rulings/{ruling}/votes", {"overrule": True}))
    assert state["rulings"][0]["outcome"] == "overruled"
    settled = LogEntry.objects.get(action="meeting.ruling_settled")
    assert "overruled by the meeting" in settled.summary


def _reads(fed: Fed, session: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _ok(meeting(fed, 20, session))
    return len(queries)


def test_reading_a_meeting_takes_the_same_queries_however_much_has_happened(fed: Fed) -> None:
    """The meeting's read issues as many queries with two speakers, rulings and chair votes as with one."""
    session = _sitting(fed)
    _ok(meeting(fed, 3, session, "floor", {"position": 1}))
    _ok(meeting(fed, 3, session, "speakers", {"kind": "for"}))
    _ok(meeting(fed, 3, session, "rulings", {"text": "In order."}))
    _ok(meeting(fed, 3, session, "chair", {"member": number(fed, 3)}))
    _ok(meeting(fed, 3, session, "speakers/next"))
    _reads(fed, session)  # the first read of the test warms what every read shares
    before = _reads(fed, session)
    _ok(meeting(fed, 6, session, "speakers", {"kind": "against"}))
    _ok(meeting(fed, 3, session, "rulings", {"text": "Still in order."}))
    _ok(meeting(fed, 6, session, "chair", {"member": number(fed, 6)}))
    assert _reads(fed, session) == before
