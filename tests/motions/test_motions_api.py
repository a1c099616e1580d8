"""Motions through the API: moving, supporting, amending, voting in assemblies, forwarding up and voting
in a council session — each with its denials."""

from __future__ import annotations

import pytest

from commune.audit.models import LogEntry
from commune.ballots.models import YesNoPaper, YesNoRegisterEntry
from commune.federation.services import delegation_seat
from commune.motions.models import OpenChoice
from tests.clock import current_term, let_time_pass
from tests.conftest import build_federation
from tests.motions.conftest import Api, Fed, all_vote, cast, close, move, on_agenda, put, sitting

pytestmark = pytest.mark.django_db


def test_motion_moved_in_a_unit_is_forwarded_and_decided_by_the_council_above(fed: Fed) -> None:
    """A unit adopts a motion by secret ballot, forwards it, and District 0 adopts it in session on the
    record; the council's copy shows where it came from and which vote adopted it there."""
    motion = on_agenda(fed, 1, "D0-U0", supporter=4)
    vote = put(fed, 1, motion)
    all_vote(fed, vote, {1: "yes", 2: "yes", 3: "yes", 4: "no", 5: "abstain"})
    closed = close(fed, 2, vote)
    assert (closed["yes"], closed["no"], closed["abstain"], closed["carried"]) == (3, 1, 1, True)
    assert closed["mode"] == "secret" and closed["members"] == []

    forwarded = fed.api(1).post(f"/orgs/{fed.slug}/motions/{motion}/forward")
    assert forwarded.status_code == 201, forwarded.json()
    upper = forwarded.json()
    assert upper["body"]["code"] == "D0" and upper["status"] == "on_agenda"
    assert upper["forwarded_from_body"] == "D0-U0"
    assert [step["body"]["code"] for step in upper["provenance"]] == ["D0-U0", "D0"]
    assert upper["provenance"][0]["adopted_by_vote"] == vote
    assert upper["provenance"][0]["result"] == "3 yes, 1 no, 1 abstain"
    assert upper["provenance"][1]["forwarded_by"].startswith("Member 001")

    session = sitting(fed, "D0", 3, 6)
    council_vote = put(fed, 3, upper["id"], session=session)
    assert cast(fed, 3, council_vote, "yes").status_code == 201
    assert cast(fed, 6, council_vote, "no").status_code == 201
    decided = close(fed, 6, council_vote)
    assert decided["carried"] is False
    assert {(s["constituency"], s["choice"]) for s in decided["seats"]} == {("D0-U0", "yes"), ("D0-U1", "no")}

    detail = fed.api(12).get(f"/orgs/{fed.slug}/sessions/{session}").json()
    assert [r["constituency"] for r in detail["roll"]] == ["D0-U0", "D0-U1"]
    assert detail["votes"][0]["seats"][0]["delegate"] == "Member 003"
    assert fed.api(12).get(f"/orgs/{fed.slug}/motions/{upper['id']}").json()["status"] == "rejected"
    assert LogEntry.objects.filter(action="motion.forwarded").count() == 1


def test_a_motion_needs_the_supporters_the_constitution_asks_for(fed: Fed) -> None:
    """With two supporters required, one leaves the motion off the agenda and it cannot be voted on."""
    fed.rules(decisions__motion_supporters=2)
    motion = move(fed, 1, "D0-U0")["id"]
    assert fed.api(2).post(f"/orgs/{fed.slug}/motions/{motion}/support").json()["status"] == "proposed"
    refused = fed.api(1).post(f"/orgs/{fed.slug}/motions/{motion}/votes", {"minutes": 10})
    assert refused.status_code == 409
    assert fed.api(2).post(f"/orgs/{fed.slug}/motions/{motion}/support").status_code == 409
    assert fed.api(1).post(f"/orgs/{fed.slug}/motions/{motion}/support").status_code == 409
    assert fed.api(4).post(f"/orgs/{fed.slug}/motions/{motion}/support").json()["status"] == "on_agenda"


def test_moving_and_supporting_are_for_members_of_the_body(fed: Fed) -> None:
    """A member of another unit cannot move or support there; a stranger cannot even see the body."""
    refused = fed.api(6).post(
        f"/orgs/{fed.slug}/bodies/D0-U0/motions", {"title": "Not mine", "text": "Something."}
    )
    assert refused.status_code == 403
    assert "only members of Unit 0.0" in refused.json()["detail"]
    motion = move(fed, 1, "D0-U0")["id"]
    assert fed.api(6).post(f"/orgs/{fed.slug}/motions/{motion}/support").status_code == 403
    stranger = Api(build_federation(units_per_district=1, members_per_unit=2, slug="other").member)
    assert (
        stranger.post(f"/orgs/{fed.slug}/bodies/D0-U0/motions", {"title": "x", "text": "y"}).status_code
        == 404
    )
    assert stranger.get(f"/orgs/{fed.slug}/motions/{motion}").status_code == 404
    # Only delegates move motions in a council.
    assert (
        fed.api(1).post(f"/orgs/{fed.slug}/bodies/D0/motions", {"title": "x", "text": "y"}).status_code == 403
    )
    assert (
        fed.api(3).post(f"/orgs/{fed.slug}/bodies/D0/motions", {"title": "x", "text": "y"}).status_code == 201
    )


def test_a_non_member_cannot_vote_and_nobody_votes_twice(fed: Fed) -> None:
    """Only the unit's members vote in its assembly, once each; the box keeps no link to the voter."""
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    assert cast(fed, 6, vote, "yes").status_code == 403
    assert cast(fed, 1, vote, "yes").status_code == 201
    again = cast(fed, 1, vote, "no")
    assert again.status_code == 409 and "already voted" in again.json()["detail"]
    assert YesNoRegisterEntry.objects.filter(box__vote=vote).count() == 1
    assert {f.name for f in YesNoPaper._meta.get_fields()} == {"id", "box", "choice"}
    # Not everyone has voted and time is not up: the vote cannot be cut short.
    assert fed.api(1).post(f"/orgs/{fed.slug}/votes/{vote}/close").status_code == 409


def test_open_assembly_votes_record_every_members_choice(fed: Fed) -> None:
    """Where the constitution makes members' votes open, each member's choice is on the record."""
    fed.rules(ballots__member_votes_secret=False)
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    all_vote(fed, vote, {1: "yes", 2: "no", 3: "yes", 4: "yes", 5: "yes"})
    closed = close(fed, 1, vote)
    assert closed["mode"] == "open" and closed["carried"] is True
    assert {(m["member"], m["choice"]) for m in closed["members"]} >= {("Member 002", "no")}
    assert OpenChoice.objects.filter(vote_id=vote).count() == 5
    assert YesNoPaper.objects.filter(box__vote=vote).count() == 0


def test_amendment_shows_a_readable_diff_and_changes_the_text_when_carried(fed: Fed) -> None:
    """An amendment carries its diff against the text it amends; carried, it becomes the motion's text."""
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    response = fed.api(4).post(
        f"/orgs/{fed.slug}/motions/{motion}/amendments",
        {"text": "The union shall open a hardship fund.\nIt shall be audited.", "reason": "Broader"},
    )
    assert response.status_code == 201, response.json()
    amendment = response.json()
    assert {"op": "-", "text": "The union shall open a strike fund."} in amendment["diff"]
    assert {"op": "+", "text": "The union shall open a hardship fund."} in amendment["diff"]
    assert "[-strike-] {+hardship+}" in amendment["word_diff"]
    assert fed.api(6).post(f"/orgs/{fed.slug}/motions/{motion}/amendments", {"text": "x"}).status_code == 403
    vote = fed.api(4).post(
        f"/orgs/{fed.slug}/motions/{motion}/amendments/{amendment['id']}/votes", {"minutes": 10}
    )
    assert vote.status_code == 201
    all_vote(fed, vote.json()["id"], {n: "yes" for n in range(1, 6)})
    close(fed, 1, vote.json()["id"])
    detail = fed.api(1).get(f"/orgs/{fed.slug}/motions/{motion}").json()
    assert detail["text"].startswith("The union shall open a hardship fund.")
    assert detail["original_text"].startswith("The union shall open a strike fund.")
    assert detail["amendments"][0]["status"] == "accepted"


def test_only_delegates_present_vote_in_a_council(fed: Fed) -> None:
    """A member who is not a delegate cannot open a session, sign the roll or vote; a delegate who has
    not signed the roll cannot vote; nobody votes twice for a seat; a closed session takes no votes."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    assert fed.api(1).post(f"/orgs/{fed.slug}/bodies/D0/sessions", {}).status_code == 403
    session = sitting(fed, "D0", 3)
    assert fed.api(1).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code == 403
    assert fed.api(3).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code == 409
    assert fed.api(3).post(f"/orgs/{fed.slug}/motions/{motion}/votes", {"minutes": 10}).status_code == 409
    vote = put(fed, 3, motion, session=session)
    assert cast(fed, 1, vote, "yes").status_code == 403
    not_present = cast(fed, 6, vote, "yes")
    assert not_present.status_code == 403 and "present" in not_present.json()["detail"]
    assert cast(fed, 3, vote, "yes").status_code == 201
    assert cast(fed, 3, vote, "no").status_code == 409
    assert fed.api(3).post(f"/orgs/{fed.slug}/sessions/{session}/close").status_code == 409
    assert close(fed, 3, vote)["carried"] is True
    assert fed.api(1).post(f"/orgs/{fed.slug}/sessions/{session}/close").status_code == 403
    assert fed.api(3).post(f"/orgs/{fed.slug}/sessions/{session}/close").json()["closed_at"] is not None
    assert fed.api(6).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code == 409


def test_a_council_vote_that_loses_its_quorum_before_it_closes_is_not_carried(fed: Fed) -> None:
    """The quorum of seats on the roll is checked again when the vote closes: District 0 votes with one of its
    two seats present (half, the quorum); two more delegates take their seats before it closes, so one of four
    is present, and the unanimous yes is not carried, with the reason."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    session = sitting(fed, "D0", 3)
    vote = put(fed, 3, motion, session=session)
    assert cast(fed, 3, vote, "yes").status_code == 201
    start, end = current_term()
    for n, unit in ((4, 0), (7, 1)):
        delegation_seat(
            council=fed.small.districts[0],
            constituency=fed.small.units[unit],
            member=fed.members[f"m{n}"],
            term_start=start,
            term_end=end,
            source="test election",
        )
    let_time_pass(minutes=61)
    closed = close(fed, 3, vote)
    assert (closed["yes"], closed["carried"]) == (1, False)
    assert "not quorate when the vote closed" in closed["explanation"]
