"""Votes in a meeting: the chair puts the motion on the floor to the council's vote and closes it; the
delegates vote from their own device through the council's voting service (on the record, weighted, the
mandate enforced); tellers' counts of hands are cast only when two agree, never for a seat that voted on a
device; the result, thresholds and roll-call are declared on every page. The chair's and tellers' power is
held to the provenance log."""

from __future__ import annotations

from typing import Any

import pytest

from commune.audit.models import LogEntry
from commune.meetings.models import HandCount, Meeting, Teller
from commune.motions.models import DelegateVote, Motion, Vote
from tests.clock import let_vote_run
from tests.mandates.test_pages import give_mandate
from tests.meetings.conftest import Fed, call, meeting, number
from tests.motions.conftest import on_agenda

pytestmark = pytest.mark.django_db


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.json()
    return dict(response.json())


def _floor(fed: Fed, motion: int | None = None) -> tuple[int, int]:
    """A motion on District 0's agenda, a sitting with m3 (chair) and m6 on the roll, the motion on the
    floor. Returns (session, motion)."""
    motion = motion or on_agenda(fed, 3, "D0", supporter=6)
    session = call(fed)
    for n in (3, 6):
        _ok(meeting(fed, n, session, "check-in"))
    state = _ok(meeting(fed, 3, session, "agenda"))
    position = next(i["position"] for i in state["agenda"] if i["ref"] == motion and i["kind"] == "motion")
    _ok(meeting(fed, 3, session, "floor", {"position": position}))
    return session, motion


def _opened(fed: Fed) -> tuple[int, int, int]:
    session, motion = _floor(fed)
    vote = _ok(meeting(fed, 3, session, "votes", {}))["vote"]
    return session, motion, int(vote["id"])


def test_the_chair_puts_the_motion_on_the_floor_to_the_vote_and_declares_the_result(fed: Fed) -> None:
    """Only the chair opens the vote; the delegates vote from their own device through the meeting; the
    chair closes it once every seat present has voted, and the result, its thresholds and the roll-call are
    in every reader's answer. The motion is decided as a council vote decides it."""
    session, motion = _floor(fed)
    assert meeting(fed, 6, session, "votes", {}).status_code == 403
    state = _ok(meeting(fed, 3, session, "votes", {"minutes": 20}))
    vote = state["vote"]
    assert vote["open"] is True and vote["mode"] == "council" and vote["turnout"] == 0
    assert any(s.startswith("Majority:") for s in vote["rule"])
    assert meeting(fed, 3, session, "votes", {}).status_code == 409  # one vote on the motion at a time
    _ok(meeting(fed, 3, session, f"votes/{vote['id']}/cast", {"choice": "yes"}))
    assert meeting(fed, 3, session, "votes/close").status_code == 409  # m6 has not voted
    state = _ok(meeting(fed, 6, session, f"votes/{vote['id']}/cast", {"choice": "no"}))
    assert state["vote"]["turnout"] == 2 and state["vote"]["roll_call"] == []  # declared at the close
    let_vote_run(vote["id"])
    assert meeting(fed, 6, session, "votes/close").status_code == 403
    closed = _ok(meeting(fed, 3, session, "votes/close"))["vote"]
    assert (closed["open"], closed["yes"], closed["no"]) == (False, 1, 1)
    assert closed["carried"] is False and closed["explanation"]
    assert {(c["person"]["number"], c["choice"], c["by_hand"]) for c in closed["roll_call"]} == {
        (number(fed, 3), "yes", False),
        (number(fed, 6), "no", False),
    }
    assert _ok(meeting(fed, 20, session))["vote"]["roll_call"] == closed["roll_call"]  # any member reads it
    assert Motion.objects.get(pk=motion).status == "rejected"
    actions = set(LogEntry.objects.filter(payload__vote=vote["id"]).values_list("action", flat=True))
    assert {"meeting.vote_opened", "council.vote_cast", "vote.closed", "meeting.vote_closed"} <= actions


def test_a_vote_after_the_close_is_refused_and_changes_nothing(fed: Fed) -> None:
    session, _motion, vote = _opened(fed)
    _tellers(fed, session)
    _ok(meeting(fed, 3, session, f"votes/{vote}/cast", {"choice": "yes"}))
    _ok(meeting(fed, 6, session, f"votes/{vote}/cast", {"choice": "yes"}))
    let_vote_run(vote)
    _ok(meeting(fed, 3, session, "votes/close"))
    before = (DelegateVote.objects.count(), LogEntry.objects.count())
    late = meeting(fed, 6, session, f"votes/{vote}/cast", {"choice": "no"})
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    refused = meeting(fed, 3, session, f"votes/{vote}/hands", {"no": [number(fed, 6)]})
    assert refused.status_code == 409 and "closed" in refused.json()["detail"]
    assert (DelegateVote.objects.count(), LogEntry.objects.count()) == before
    assert Vote.objects.get(pk=vote).yes == 2


def test_only_a_motion_is_put_to_the_vote_and_only_in_a_sitting_with_an_item_on_the_floor(fed: Fed) -> None:
    session = call(fed)
    for n in (3, 6):
        _ok(meeting(fed, n, session, "check-in"))
    refused = meeting(fed, 3, session, "votes", {})
    assert refused.status_code == 409 and "no item is on the floor" in refused.json()["detail"]
    _ok(meeting(fed, 3, session, "floor", {"position": 1}))  # any other business (or the last minutes)
    refused = meeting(fed, 3, session, "votes", {})
    assert refused.status_code == 400 and "is not a motion" in refused.json()["detail"]
    assert not Vote.objects.filter(session_id=session).exists()


def test_a_binding_mandate_holds_in_the_meeting_as_on_the_vote_page(fed: Fed) -> None:
    """The meeting casts through the council's voting service: D0-U0's binding mandate to vote no refuses
    its delegate's yes, and nothing is recorded."""
    motion = on_agenda(fed, 6, "D0", supporter=3)
    give_mandate(fed, motion, "binding", "no")
    session, _ = _floor(fed, motion)
    vote = _ok(meeting(fed, 3, session, "votes", {}))["vote"]["id"]
    refused = meeting(fed, 3, session, f"votes/{vote}/cast", {"choice": "yes"})
    assert refused.status_code in (403, 409) and "binding mandate" in refused.json()["detail"]
    assert not DelegateVote.objects.filter(vote_id=vote).exists()
    _ok(meeting(fed, 3, session, f"votes/{vote}/cast", {"choice": "no"}))


def _tellers(fed: Fed, session: int) -> None:
    for n in (3, 6):
        _ok(meeting(fed, 3, session, "tellers", {"member": number(fed, n)}))


def test_two_tellers_counts_must_agree_before_any_hand_is_cast(fed: Fed) -> None:
    """m3 votes on their device; m6 raises a hand. The first teller's count waits; a second count that
    disagrees is refused with both counts in the message and changes nothing; one that agrees casts m6's
    seat's vote on the record, marked as counted by hand."""
    session, _motion, vote = _opened(fed)
    _tellers(fed, session)
    _ok(meeting(fed, 3, session, f"votes/{vote}/cast", {"choice": "yes"}))
    first = _ok(meeting(fed, 3, session, f"votes/{vote}/hands", {"no": [number(fed, 6)]}))
    assert first["vote"]["count_waiting_by"]["number"] == number(fed, 3)
    assert first["vote"]["turnout"] == 1  # a count that waits casts nothing
    again = meeting(fed, 3, session, f"votes/{vote}/hands", {"no": [number(fed, 6)]})
    assert again.status_code == 409 and "second teller" in again.json()["detail"]
    before = (DelegateVote.objects.count(), HandCount.objects.count(), LogEntry.objects.count())
    disagree = meeting(fed, 6, session, f"votes/{vote}/hands", {"yes": [number(fed, 6)]})
    assert disagree.status_code == 409
    message = disagree.json()["detail"]
    assert "the two counts disagree" in message and "0 yes, 1 no" in message and "1 yes, 0 no" in message
    assert (DelegateVote.objects.count(), HandCount.objects.count(), LogEntry.objects.count()) == before
    state = _ok(meeting(fed, 6, session, f"votes/{vote}/hands", {"no": [number(fed, 6)]}))
    assert state["vote"]["turnout"] == 2 and state["vote"]["count_waiting_by"] is None
    cast = DelegateVote.objects.get(vote_id=vote, cast_by=fed.members["m6"])
    assert cast.choice == "no"
    entry = LogEntry.objects.get(action="council.vote_cast", payload__member=number(fed, 6))
    assert "counted by the tellers" in entry.actor_label
    let_vote_run(vote)
    closed = _ok(meeting(fed, 3, session, "votes/close"))["vote"]
    assert {c["person"]["number"]: c["by_hand"] for c in closed["roll_call"]} == {
        number(fed, 3): False,
        number(fed, 6): True,
    }


def test_tellers_count_only_the_seats_present_that_have_not_voted_on_a_device(fed: Fed) -> None:
    """Nobody is counted twice: a seat that voted on its device, a member not on the roll, a member named
    twice, and a count by someone who is no teller are each refused, and nothing is stored."""
    session, _motion, vote = _opened(fed)
    _ok(meeting(fed, 3, session, f"votes/{vote}/cast", {"choice": "yes"}))
    assert meeting(fed, 3, session, f"votes/{vote}/hands", {"no": [number(fed, 6)]}).status_code == 403
    _tellers(fed, session)
    cases = [
        ({"yes": [number(fed, 3)]}, "already voted on a device"),
        ({"yes": [number(fed, 1)]}, "not on the roll"),
        ({"yes": [number(fed, 6)], "no": [number(fed, 6)]}, "counted twice"),
        ({"yes": ["nobody"]}, "no member is numbered nobody"),
        ({}, "names nobody"),
    ]
    for choices, message in cases:
        refused = meeting(fed, 6, session, f"votes/{vote}/hands", choices)
        assert refused.status_code in (400, 409) and message in refused.json()["detail"], refused.json()
    assert not HandCount.objects.exists()
    # The count that waits can be withdrawn, and the hall counted again.
    _ok(meeting(fed, 6, session, f"votes/{vote}/hands", {"yes": [number(fed, 6)]}))
    state = _ok(meeting(fed, 3, session, f"votes/{vote}/hands/withdraw"))
    assert state["vote"]["count_waiting_by"] is None and not HandCount.objects.exists()


@pytest.mark.tampered
def test_a_chair_or_teller_written_behind_the_logs_back_acts_for_nobody(fed: Fed) -> None:
    """A chair set in the database without an act on the log, or a teller's naming added that way, is
    refused as an officer's forged seat would be: the rows that give the power must be as the log says."""
    session, _motion = _floor(fed)
    Meeting.objects.filter(session_id=session).update(chair=fed.members["m6"])
    forged = meeting(fed, 6, session, "votes", {})
    assert forged.status_code == 409 and "not as the provenance log records it" in forged.json()["detail"]
    assert not Vote.objects.filter(session_id=session).exists()
    Meeting.objects.filter(session_id=session).update(chair=fed.members["m3"])
    vote = _ok(meeting(fed, 3, session, "votes", {}))["vote"]["id"]
    # Written as a raw insert would be: no signal, so no note for the log.
    Teller.objects.bulk_create(
        [
            Teller(
                meeting=Meeting.objects.get(session_id=session),
                member=fed.members["m6"],
                named_at=Vote.objects.get(pk=vote).opened_at,
            )
        ]
    )
    refused = meeting(fed, 6, session, f"votes/{vote}/hands", {"yes": [number(fed, 6)]})
    assert refused.status_code == 409 and "naming as teller" in refused.json()["detail"]
    assert not HandCount.objects.exists()


def _reads(fed: Fed, session: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _ok(meeting(fed, 20, session))
    return len(queries)


def test_reading_a_meeting_with_its_vote_takes_the_same_queries_as_seats_vote(fed: Fed) -> None:
    """The vote's part of the meeting's read (turnout, thresholds, the waiting count) costs as many queries
    with one seat voted as with two, one of them counted by hand; once closed, the roll-call is read in one
    query whatever its length."""
    session, _motion, vote = _opened(fed)
    _tellers(fed, session)
    _reads(fed, session)
    _ok(meeting(fed, 3, session, f"votes/{vote}/cast", {"choice": "yes"}))
    one = _reads(fed, session)
    _ok(meeting(fed, 3, session, f"votes/{vote}/hands", {"no": [number(fed, 6)]}))
    _ok(meeting(fed, 6, session, f"votes/{vote}/hands", {"no": [number(fed, 6)]}))
    assert _reads(fed, session) == one
    let_vote_run(vote)
    _ok(meeting(fed, 3, session, "votes/close"))
    _reads(fed, session)
    closed = _reads(fed, session)
    assert closed <= one + 2  # the roll-call's one query, less the turnout's


def test_a_meeting_from_before_the_upgrade_acts_once_its_baseline_is_recorded(fed: Fed) -> None:
    """A meeting whose row no entry records (made before meetings were held to the log) is refused its
    chair's acts until the upgrade's migration writes the baseline of the meetings' rows as they stand."""
    from importlib import import_module

    from django.apps import apps

    from commune.audit.baseline import baseline_record

    session = call(fed)
    Meeting.objects.bulk_create([Meeting(session_id=session, chair=fed.members["m3"])])
    refused = meeting(fed, 3, session, "agenda")
    assert refused.status_code == 409 and "no log entry records this row" in refused.json()["detail"]
    upgrade = import_module("commune.meetings.migrations.0004_meetings_held_to_the_log")
    baseline_record(apps, "default", labels=upgrade.MODELS)
    assert LogEntry.objects.filter(action="state.baseline", summary__contains="meetings").exists()
    _ok(meeting(fed, 3, session, "agenda"))
