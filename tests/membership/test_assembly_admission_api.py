"""Admission by the unit's general assembly, through the API: under the constitution's assembly admission an
officer who keeps the unit's roll puts a confirmed application to the assembly as a motion to admit, and the
assembly's vote on it decides; under officer admission an applicant refused by an officer appeals to the
same assembly, whose decision is final and overrides the officer's. No officer decides an application
before the assembly, and nobody votes on their own admission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from commune.accounts.personal_data import personal_data_export
from commune.audit.models import LogEntry
from commune.federation.models import Member
from commune.membership.models import Application, ApplicationStatus
from commune.membership.services import member_resign
from commune.motions.models import Motion, MotionStatus
from commune.notifications.models import Notification
from tests.api.conftest import ApiClient
from tests.clock import let_time_pass, let_vote_run
from tests.conftest import SmallFederation
from tests.membership.joining import admission_by, apply, link_token

Commit = Callable[..., Any]
LUCY = "lucy@example.org"
OFFICER = 2  # m2 keeps D0-U0's roll; m1–m5 are D0-U0's general assembly


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Commit:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _as(federation: SmallFederation, n: int) -> ApiClient:
    return ApiClient(federation.members[f"m{n}"].person)


def _confirmed(commit: Commit, email: str = LUCY, **fields: Any) -> str:
    """Apply to D0-U0 and confirm; the applicant's token."""
    with commit():
        assert apply(email=email, **fields).status_code == 202
    token = link_token(email)
    with commit():
        assert Client().post("/api/orgs/tf/join/confirm", {"token": token}, content_type="application/json")
    return token


def _status(token: str) -> dict[str, Any]:
    return dict(Client().get("/api/orgs/tf/join/status", {"token": token}).json())


def _appeal(token: str, grounds: str = "I work on the night shift there") -> Any:
    return Client().post(
        "/api/orgs/tf/join/appeal", {"token": token, "grounds": grounds}, content_type="application/json"
    )


def _vote_through(federation: SmallFederation, path: str, choices: dict[int, str]) -> None:
    """Put the question at ``path`` to D0-U0's assembly; every member votes as given; the vote closes."""
    put = _as(federation, 1).post(path, {"minutes": 60})
    assert put.status_code == 201, put.json()
    vote = put.json()
    for n, choice in choices.items():
        cast = _as(federation, n).post(f"/api/orgs/tf/votes/{vote['id']}/ballots", {"choice": choice})
        assert cast.status_code == 201, cast.json()
    let_vote_run(vote)
    assert _as(federation, 1).post(f"/api/orgs/tf/votes/{vote['id']}/close", {}).status_code == 200


def _assembly_votes(
    federation: SmallFederation, motion_id: int, choices: dict[int, str], amended_to: str = ""
) -> None:
    """The motion gets a supporter (m1), is put to D0-U0's assembly (first amended, if ``amended_to``),
    every member votes, and the vote closes; then the scheduler's pass decides the application."""
    from commune.cli.elections import _pass

    assert _as(federation, 1).post(f"/api/orgs/tf/motions/{motion_id}/support", {}).status_code == 200
    if amended_to:
        amendment = _as(federation, 1).post(
            f"/api/orgs/tf/motions/{motion_id}/amendments", {"text": amended_to}
        )
        assert amendment.status_code == 201, amendment.json()
        path = f"/api/orgs/tf/motions/{motion_id}/amendments/{amendment.json()['id']}/votes"
        _vote_through(federation, path, dict.fromkeys(choices, "yes"))
    _vote_through(federation, f"/api/orgs/tf/motions/{motion_id}/votes", choices)
    _pass()


def _put(federation: SmallFederation, application_id: int) -> dict[str, Any]:
    put = _as(federation, OFFICER).post(f"/api/orgs/tf/applications/{application_id}/assembly", {})
    assert put.status_code == 200, put.json()
    return dict(put.json())


def test_under_assembly_admission_the_assemblys_adopted_motion_admits(
    federation: SmallFederation, commit: Commit
) -> None:
    """The officer cannot admit; they put the application to the assembly, which adopts the motion to
    admit; the applicant joins with the next number, told by email, and the log names the motion and
    the vote."""
    admission_by(federation.org, "assembly")
    assert Client().get("/api/orgs/tf/join").json()["admission"] == "assembly"
    token = _confirmed(commit, statement="My whole shift is joining.")
    officer = _as(federation, OFFICER)
    (listed,) = officer.get("/api/orgs/tf/applications").json()
    assert (listed["status"], listed["to_assembly"]) == ("pending", True)
    refused = officer.post(f"/api/orgs/tf/applications/{listed['id']}/admit", {})
    assert refused.status_code == 409 and "general assembly decides" in refused.json()["detail"]
    assert (
        officer.post(f"/api/orgs/tf/applications/{listed['id']}/refuse", {"reason": "no"}).status_code == 409
    )

    with commit():
        put = _put(federation, listed["id"])
    assert (put["status"], put["member_number"]) == ("assembly", None)
    motion = Motion.objects.get(pk=put["motion"])
    assert (motion.body, motion.moved_by) == (federation.units[0], federation.members["m2"])
    assert "Lucy Parsons" in motion.text and "My whole shift is joining." in motion.text
    assert mail.outbox[-1].to == [LUCY] and "general assembly" in mail.outbox[-1].body
    again = officer.post(f"/api/orgs/tf/applications/{listed['id']}/admit", {})
    assert again.status_code == 409  # before the assembly: no officer decides it
    assert officer.post(f"/api/orgs/tf/applications/{listed['id']}/assembly", {}).status_code == 409

    with commit():
        _assembly_votes(federation, motion.pk, {1: "yes", 2: "yes", 3: "yes", 4: "no", 5: "abstain"})
    status = _status(token)
    assert (status["status"], status["member_number"], status["decided_by"]) == (
        "admitted",
        "TF00021",
        "assembly",
    )
    member = Member.objects.get(number="TF00021")
    assert (member.person.email, member.current_unit) == (LUCY, federation.units[0])
    assert mail.outbox[-1].to == [LUCY] and "TF00021" in mail.outbox[-1].body
    admitted = LogEntry.objects.get(action="application.admitted")
    assert admitted.actor_label.startswith("the general assembly of")
    assert f"motion {motion.pk}" in admitted.summary and "3 yes, 1 no, 1 abstain" in admitted.summary
    assert admitted.payload["motion"] == motion.pk and admitted.payload["decided_by"] is None
    put_entry = LogEntry.objects.get(action="application.put_to_assembly")
    assert put_entry.payload["put_by"] == "TF00002" and put_entry.actor_label.startswith(
        federation.members["m2"].person.name
    )


def test_the_assemblys_rejection_refuses_with_its_vote_as_the_reason_and_is_final(
    federation: SmallFederation, commit: Commit
) -> None:
    admission_by(federation.org, "assembly")
    token = _confirmed(commit)
    application = Application.objects.get()
    with commit():
        motion_id = _put(federation, application.pk)["motion"]
        _assembly_votes(federation, motion_id, {1: "no", 2: "no", 3: "no", 4: "yes", 5: "yes"})
    status = _status(token)
    assert (status["status"], status["decided_by"], status["appealable"]) == ("refused", "assembly", False)
    assert "did not carry the motion to admit (2 yes, 3 no, 0 abstain)" in status["reason"]
    assert mail.outbox[-1].to == [LUCY] and "2 yes, 3 no, 0 abstain" in mail.outbox[-1].body
    appeal = _appeal(token)
    assert appeal.status_code == 409 and "final" in appeal.json()["detail"]
    assert Motion.objects.get(pk=motion_id).status == MotionStatus.REJECTED
    assert not Member.objects.filter(person__email=LUCY).exists()
    entry = LogEntry.objects.get(action="application.refused")
    assert entry.payload["motion"] == motion_id and entry.payload["decided_by"] is None


def test_an_officers_refusal_appealed_to_the_assembly_is_overridden_by_its_vote(
    federation: SmallFederation, commit: Commit
) -> None:
    """The applicant appeals by their link, which puts it before the assembly with its vote open; the roll
    officers are told; no officer admits, refuses or puts it then; the assembly admits."""
    token = _confirmed(commit)
    officer = _as(federation, OFFICER)
    application = Application.objects.get()
    assert officer.post(f"/api/orgs/tf/applications/{application.pk}/assembly", {}).status_code == 409
    with commit():
        officer.post(f"/api/orgs/tf/applications/{application.pk}/refuse", {"reason": "Not our trade"})
    assert _status(token)["appealable"] is True
    with commit():
        appealed = _appeal(token)
    assert appealed.status_code == 200, appealed.json()
    assert (appealed.json()["status"], appealed.json()["appealed"]) == ("assembly", True)
    motion_id = appealed.json()["motion"]
    assert Notification.objects.filter(
        person=federation.members["m2"].person, kind="membership.application_appealed"
    ).exists()
    (told,) = [m for m in mail.outbox if m.to == [LUCY] and "appeal" in m.subject.lower()]
    assert "general assembly" in told.body and "vote" in told.body
    (listed,) = officer.get("/api/orgs/tf/applications").json()
    assert (listed["status"], listed["to_assembly"], listed["reason"]) == ("assembly", True, "Not our trade")
    for decision, data in (("admit", {}), ("refuse", {"reason": "Still no"})):
        late = officer.post(f"/api/orgs/tf/applications/{application.pk}/{decision}", data)
        assert late.status_code == 409 and "general assembly decides" in late.json()["detail"]
    assert officer.post(f"/api/orgs/tf/applications/{application.pk}/assembly", {}).status_code == 409
    motion = Motion.objects.get(pk=motion_id)
    assert motion.title.startswith("Appeal") and "Not our trade" in motion.text
    assert "night shift" in motion.text and motion.moved_by is None
    (vote,) = motion.votes.all()
    with commit():
        for n, choice in {1: "yes", 2: "no", 3: "yes", 4: "yes", 5: "yes"}.items():
            cast = _as(federation, n).post(f"/api/orgs/tf/votes/{vote.pk}/ballots", {"choice": choice})
            assert cast.status_code == 201, cast.json()
        let_vote_run(vote.pk)
        assert _as(federation, 1).post(f"/api/orgs/tf/votes/{vote.pk}/close", {}).status_code == 200
        from commune.cli.elections import _pass

        _pass()
    status = _status(token)
    assert (status["status"], status["decided_by"], status["member_number"]) == (
        "admitted",
        "assembly",
        "TF00021",
    )
    actions = list(
        LogEntry.objects.filter(payload__application=application.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "application.refused",
        "application.appealed",
        "application.put_to_assembly",
        "application.admitted",
    ]
    assert "on appeal" in LogEntry.objects.get(action="application.admitted").summary
    (kept,) = personal_data_export(person=Member.objects.get(number="TF00021").person)["sections"][
        "membership"
    ]["applications"]
    assert (kept["appeal"], kept["motion"]) == ("I work on the night shift there", motion_id)


def test_appeals_are_refused_when_not_open_to_one(federation: SmallFederation, commit: Commit) -> None:
    """No grounds, a pending application, a wrong link, a second appeal, or one after the time allowed."""
    token = _confirmed(commit)
    assert _appeal(token).status_code == 409  # nothing refused yet
    application = Application.objects.get()
    _as(federation, OFFICER).post(f"/api/orgs/tf/applications/{application.pk}/refuse", {"reason": "No"})
    assert _appeal(token, grounds="  ").status_code == 400
    assert _appeal("x" * 43).status_code == 404
    assert _appeal(token).status_code == 200
    assert _appeal(token).status_code == 409
    with commit():
        late = _confirmed(commit, email="joe@example.org", name="Joe Hill")
    joe = Application.objects.get(email="joe@example.org")
    _as(federation, OFFICER).post(f"/api/orgs/tf/applications/{joe.pk}/refuse", {"reason": "No"})
    let_time_pass(days=29)
    assert _status(late)["appealable"] is False
    expired = _appeal(late)
    assert expired.status_code == 409 and "28 days" in expired.json()["detail"]
    assert Application.objects.get(pk=joe.pk).status == ApplicationStatus.REFUSED


def test_only_the_units_roll_officer_puts_it_and_nobody_votes_on_their_own_admission(
    federation: SmallFederation, commit: Commit
) -> None:
    """m5 resigns and applies again: put before the assembly, they are no elector in it and cannot put or
    decide it themself; another unit's officer or a plain member gets the same 404 as a missing one."""
    admission_by(federation.org, "assembly")
    m5 = federation.members["m5"]
    member_resign(member=m5)
    token = _confirmed(commit, email=m5.person.email, name=m5.person.name)
    application = Application.objects.get()
    for n in (5, 1, 7):
        api = _as(federation, n)
        assert api.post(f"/api/orgs/tf/applications/{application.pk}/assembly", {}).status_code == 404
        assert api.post(f"/api/orgs/tf/applications/{application.pk}/admit", {}).status_code == 404
    motion_id = _put(federation, application.pk)["motion"]
    assert _as(federation, 1).post(f"/api/orgs/tf/motions/{motion_id}/support", {}).status_code == 200
    vote = _as(federation, 1).post(f"/api/orgs/tf/motions/{motion_id}/votes", {"minutes": 60}).json()
    own = _as(federation, 5).post(f"/api/orgs/tf/votes/{vote['id']}/ballots", {"choice": "yes"})
    assert own.status_code in (403, 404)
    assert _status(token)["status"] == "assembly"
    assert Member.objects.get(pk=m5.pk).current_unit_id is None


def test_the_pages_put_an_application_to_the_assembly_and_take_an_appeal(
    federation: SmallFederation, commit: Commit
) -> None:
    """The applicant's page offers the appeal after an officer's refusal and shows it; the appeal is before
    the assembly at once, and the officer's page names the motion with no button to press; under assembly
    admission the officer's page puts an application to the assembly; the joining page says who decides."""
    token = _confirmed(commit)
    application = Application.objects.get()
    _as(federation, OFFICER).post(f"/api/orgs/tf/applications/{application.pk}/refuse", {"reason": "No"})
    link = f"/o/tf/join/{token}/"
    assert b"Appeal to the assembly" in Client().get(link).content
    blank = Client().post(link, {"grounds": " "})
    assert blank.status_code == 400
    with commit():
        appealed = Client().post(link, {"grounds": "I work there"})
    assert appealed.status_code == 200 and b"Before the unit" in appealed.content
    assert b"I work there" in appealed.content and b"Appeal to the assembly" not in appealed.content
    officer = Client()
    officer.force_login(federation.officer)
    listing = officer.get("/o/tf/applications/")
    assert b"Put to the assembly" not in listing.content and b'value="admit"' not in listing.content
    motion = Application.objects.get().motion
    assert motion is not None and f"/o/tf/motions/{motion.pk}/".encode() in listing.content
    assert b"I work there" in listing.content
    admission_by(federation.org, "assembly")
    with commit():
        _confirmed(commit, email="joe@example.org", name="Joe Hill")
    joe = Application.objects.get(email="joe@example.org")
    assert b"Put to the assembly" in officer.get("/o/tf/applications/").content
    with commit():
        put = officer.post(f"/o/tf/applications/{joe.pk}/assembly/")
    assert put.status_code == 200 and b"as a motion to admit" in put.content
    joes = Application.objects.get(pk=joe.pk).motion
    assert joes is not None and f"/o/tf/motions/{joes.pk}/".encode() in put.content
    assert b"general assembly" in Client().get("/o/tf/join/").content


def test_a_motion_adopted_as_amended_neither_admits_nor_refuses(
    federation: SmallFederation, commit: Commit
) -> None:
    """The assembly amends the motion to admit into another decision and adopts that: the application is
    not decided by it, and waits to be put to the assembly again."""
    admission_by(federation.org, "assembly")
    token = _confirmed(commit)
    application = Application.objects.get()
    motion_id = _put(federation, application.pk)["motion"]
    _assembly_votes(
        federation, motion_id, dict.fromkeys(range(1, 6), "yes"), amended_to="Unit 0.0 does not admit her."
    )
    assert Motion.objects.get(pk=motion_id).status == MotionStatus.ADOPTED
    status = _status(token)
    assert (status["status"], status["motion"], status["member_number"]) == ("pending", None, None)
    assert not Member.objects.filter(person__email=LUCY).exists()
    assert LogEntry.objects.get(action="application.not_decided").payload["motion"] == motion_id
    again = _put(federation, application.pk)
    assert again["status"] == "assembly" and again["motion"] != motion_id
