"""An applicant's appeal against an officer's refusal reaches the unit's general assembly by itself: lodging it
moves the motion to admit there, by the appeal and in no officer's name, and opens the assembly's vote on it.
The officer who refused can neither hold it up nor close, withdraw or decide it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commune.audit.models import LogEntry
from commune.membership.models import Application, ApplicationStatus
from commune.membership.services import applications_run_due
from commune.motions.models import Motion, MotionStatus, Vote, VotePurpose
from commune.notifications.models import Notification
from tests.api.conftest import ApiClient
from tests.clock import let_vote_run
from tests.conftest import SmallFederation
from tests.membership.joining import apply, link_token

Commit = Callable[..., Any]
LUCY = "lucy@example.org"


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Commit:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _as(federation: SmallFederation, n: int) -> ApiClient:
    return ApiClient(federation.members[f"m{n}"].person)


def _refused_and_appealed(federation: SmallFederation, commit: Commit) -> tuple[str, Application]:
    with commit():
        assert apply().status_code == 202
    token = link_token(LUCY)
    with commit():
        Client().post("/api/orgs/tf/join/confirm", {"token": token}, content_type="application/json")
    application = Application.objects.get()
    refusing = _as(federation, 2)  # m2 keeps D0-U0's roll
    with commit():
        refused = refusing.post(
            f"/api/orgs/tf/applications/{application.pk}/refuse", {"reason": "Not our trade"}
        )
    assert refused.status_code == 200, refused.json()
    with commit():
        appealed = Client().post(
            "/api/orgs/tf/join/appeal",
            {"token": token, "grounds": "I work on the night shift there"},
            content_type="application/json",
        )
    assert appealed.status_code == 200, appealed.json()
    return token, Application.objects.get(pk=application.pk)


def test_lodging_the_appeal_opens_the_assemblys_vote_with_no_officer_act(
    federation: SmallFederation, commit: Commit
) -> None:
    """Nothing is left for an officer to press: the appeal itself moves the motion to admit (no member is
    its mover; the log names the appeal as its source) and the assembly's members are asked to vote."""
    token, application = _refused_and_appealed(federation, commit)
    assert application.status == ApplicationStatus.ASSEMBLY and application.motion_id is not None
    motion = Motion.objects.get(pk=application.motion_id)
    assert motion.moved_by is None and motion.forwarded_from is None
    assert "appeal" in motion.moved_on and "Lucy Parsons" in motion.moved_on
    assert motion.status == MotionStatus.ON_AGENDA
    assert (
        motion.title.startswith("Appeal") and "Not our trade" in motion.text and "night shift" in motion.text
    )
    vote = Vote.objects.get(motion=motion, purpose=VotePurpose.ADOPT, closed_at__isnull=True)
    assert vote.electorate == 5 and "appeal" in vote.opened_by
    assert Notification.objects.filter(kind="vote.opened", link__contains=f"/votes/{vote.pk}").count() == 5
    moved = LogEntry.objects.get(action="motion.moved", payload__motion=motion.pk)
    assert moved.payload["mover"] is None and moved.payload["moved_on"] == motion.moved_on
    assert "Lucy Parsons" in moved.actor_label and "roll officer" not in moved.actor_label
    put = LogEntry.objects.get(action="application.put_to_assembly")
    assert put.payload["put_by"] is None and put.payload["appeal"] is True
    assert put.payload["motion"] == motion.pk and put.payload["vote"] == vote.pk
    assert "by the appeal" in put.summary and "Lucy Parsons" in put.actor_label
    status = Client().get("/api/orgs/tf/join/status", {"token": token}).json()
    assert (status["status"], status["motion"]) == ("assembly", motion.pk)
    # The API names what moved it, as the pages do.
    member = ApiClient(federation.members["m1"].person)
    shown = member.get(f"/api/orgs/tf/motions/{motion.pk}").json()
    assert shown["moved_by"] is None and shown["moved_on"] == motion.moved_on
    listed = member.get("/api/orgs/tf/bodies/D0-U0/motions").json()["items"]
    assert [m["moved_on"] for m in listed if m["id"] == motion.pk] == [motion.moved_on]


def test_the_refusing_officer_cannot_stop_delay_close_or_decide_the_appeal(
    federation: SmallFederation, commit: Commit
) -> None:
    """The officer who refused has no hold on the appeal: it is already before the assembly, their button
    has nothing to do, they cannot close its vote early, nor admit, refuse or put it again; the members'
    vote alone decides, and its adoption admits over the refusal."""
    token, application = _refused_and_appealed(federation, commit)
    vote = Vote.objects.get(motion_id=application.motion_id, closed_at__isnull=True)
    officer = _as(federation, 2)
    assert officer.post(f"/api/orgs/tf/applications/{application.pk}/assembly", {}).status_code == 409
    for decision, data in (("admit", {}), ("refuse", {"reason": "Still no"})):
        assert officer.post(f"/api/orgs/tf/applications/{application.pk}/{decision}", data).status_code == 409
    early = officer.post(f"/api/orgs/tf/votes/{vote.pk}/close", {})
    assert early.status_code == 409
    second = officer.post(f"/api/orgs/tf/motions/{application.motion_id}/votes", {"minutes": 60})
    assert second.status_code == 409
    assert Vote.objects.get(pk=vote.pk).closed_at is None
    for n in range(1, 6):
        cast = _as(federation, n).post(
            f"/api/orgs/tf/votes/{vote.pk}/ballots", {"choice": "no" if n == 2 else "yes"}
        )
        assert cast.status_code == 201, cast.json()
    let_vote_run(vote.pk)
    with commit():
        assert officer.post(f"/api/orgs/tf/votes/{vote.pk}/close", {}).status_code == 200
        applications_run_due()
    status = Client().get("/api/orgs/tf/join/status", {"token": token}).json()
    assert (status["status"], status["decided_by"]) == ("admitted", "assembly")


def test_the_motions_page_names_the_appeal_that_moved_it(federation: SmallFederation, commit: Commit) -> None:
    """A member reading the motion sees it was moved by right, by the applicant's appeal, not by a member."""
    _token, application = _refused_and_appealed(federation, commit)
    reader = Client()
    reader.force_login(federation.members["m3"].person)
    page = reader.get(f"/o/tf/motions/{application.motion_id}/")
    assert page.status_code == 200
    assert b"moved by right by the appeal of Lucy Parsons" in page.content
    listing = reader.get("/o/tf/bodies/D0-U0/motions/")
    assert listing.status_code == 200 and b"moved by right by the appeal of Lucy Parsons" in listing.content


def test_an_amendment_that_turns_the_motion_cannot_bury_the_appeal(
    federation: SmallFederation, commit: Commit
) -> None:
    """The refusing officer amends the motion into something else and the assembly adopts that: it is not
    the motion to admit, so it decides nothing, and the appeal at once puts a fresh motion to admit before
    the assembly, its vote open."""
    from commune.cli.elections import _pass

    _token, application = _refused_and_appealed(federation, commit)
    first = Vote.objects.get(motion_id=application.motion_id, closed_at__isnull=True)
    officer = _as(federation, 2)
    amendment = officer.post(
        f"/api/orgs/tf/motions/{application.motion_id}/amendments", {"text": "Unit 0.0 does not admit her."}
    )
    assert amendment.status_code == 201, amendment.json()
    put = officer.post(
        f"/api/orgs/tf/motions/{application.motion_id}/amendments/{amendment.json()['id']}/votes",
        {"minutes": 60},
    )
    assert put.status_code == 201, put.json()
    for vote_id in (put.json()["id"], first.pk):
        for n in range(1, 6):
            assert (
                _as(federation, n)
                .post(f"/api/orgs/tf/votes/{vote_id}/ballots", {"choice": "yes"})
                .status_code
                == 201
            )
        let_vote_run(vote_id)
        assert officer.post(f"/api/orgs/tf/votes/{vote_id}/close", {}).status_code == 200
    with commit():
        _pass()
    again = Application.objects.get(pk=application.pk)
    assert again.status == ApplicationStatus.ASSEMBLY and again.motion_id not in (None, application.motion_id)
    fresh = Motion.objects.get(pk=again.motion_id)
    assert fresh.moved_by is None and "appeal" in fresh.moved_on
    assert Vote.objects.filter(motion=fresh, closed_at__isnull=True, purpose=VotePurpose.ADOPT).exists()
    assert LogEntry.objects.filter(
        action="application.not_decided", payload__application=application.pk
    ).exists()
