"""Joining an organisation through the API: anyone applies, the email address is confirmed by a link, and
the applicant is admitted as the constitution says (by an officer who keeps the unit's roll, or on
confirmation), with the organisation's next membership number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.federation.constitution import ConstitutionError, rules_validate
from commune.federation.constitution_words import rule_label, rule_value_words
from commune.federation.models import Member
from commune.federation.services import member_admit, organisation_found
from commune.membership.models import Application, ApplicationStatus
from commune.membership.selectors import member_number_next
from commune.membership.services import RECEIVED
from tests.api.conftest import ApiClient
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.membership.joining import admission_by, apply, link_token

Commit = Callable[..., Any]
LUCY = "lucy@example.org"


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Commit:
    """Run what a block leaves for after its commit (the emails), as the server does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _confirmed(commit: Commit, **fields: Any) -> dict[str, Any]:
    with commit():
        assert apply(**fields).status_code == 202
    with commit():
        response = Client().post(
            "/api/orgs/tf/join/confirm",
            {"token": link_token(fields.get("email", LUCY))},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    return dict(response.json())


def _pending_id(officer: ApiClient) -> int:
    response = officer.get("/api/orgs/tf/applications")
    assert response.status_code == 200
    (pending,) = response.json()
    return int(pending["id"])


def test_an_officer_admits_a_confirmed_applicant_who_joins_the_roll_and_sets_a_password(
    federation: SmallFederation, commit: Commit
) -> None:
    """The applicant confirms their address, the unit's roll officer admits them with the next number in
    the organisation's format, and they choose a password through the ordinary reset and sign in."""
    public = Client().get("/api/orgs/tf/join")
    assert public.status_code == 200
    assert public.json()["admission"] == "officer"
    assert "D0-U0" in {u["code"] for u in public.json()["units"]}

    status = _confirmed(commit, wage_band="B2", statement="My whole shift is joining.")
    assert (status["status"], status["member_number"]) == ("pending", None)
    officer = ApiClient(federation.officer)
    with commit():
        admitted = officer.post(f"/api/orgs/tf/applications/{_pending_id(officer)}/admit", {})
    assert admitted.status_code == 200, admitted.content
    assert admitted.json()["member_number"] == "TF00021"  # the fixture's members are TF00001…TF00020

    member = Member.objects.select_related("person", "current_unit").get(number="TF00021")
    assert (member.person.email, member.current_unit, member.wage_band) == (LUCY, federation.units[0], "B2")
    assert not member.person.has_usable_password()
    assert officer.get("/api/orgs/tf/applications").json() == []
    welcome = mail.outbox[-1]
    assert welcome.to == [LUCY] and "TF00021" in welcome.body and "/accounts/password-reset/" in welcome.body

    Client().post("/accounts/password-reset/", {"email": LUCY})
    reset = mail.outbox[-1]
    assert reset.to == [LUCY]
    link = reset.body[reset.body.index("/accounts/reset/") :].split()[0]
    browser = Client()
    form = browser.get(link, follow=True)
    new = "a long new password of my own"
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert authenticate(username=LUCY, password=new) == member.person


def test_every_decision_is_on_the_log_by_name_and_number_never_email(
    federation: SmallFederation, commit: Commit
) -> None:
    """The admission and the refusal are each signed on the log, naming the applicant and the officer by
    name and membership number; no entry holds an applicant's email address."""
    _confirmed(commit)
    officer = ApiClient(federation.officer)
    officer.post(f"/api/orgs/tf/applications/{_pending_id(officer)}/admit", {})
    _confirmed(commit, email="joe@example.org", name="Joe Hill")
    refused = officer.post(
        f"/api/orgs/tf/applications/{_pending_id(officer)}/refuse", {"reason": "Not our trade"}
    )
    assert refused.status_code == 200
    admitted = LogEntry.objects.get(action="application.admitted")
    assert "Lucy Parsons (TF00021)" in admitted.summary and "Member 002 (TF00002)" in admitted.summary
    refusal = LogEntry.objects.get(action="application.refused")
    assert "Joe Hill" in refusal.summary and "Not our trade" in refusal.summary
    assert LogEntry.objects.filter(action="member.admitted", summary__contains="TF00021").exists()
    for entry in LogEntry.objects.all():
        assert "example.org" not in f"{entry.summary} {entry.payload}"


def test_a_refusal_needs_a_reason_and_the_applicant_is_sent_it(
    federation: SmallFederation, commit: Commit
) -> None:
    _confirmed(commit)
    officer = ApiClient(federation.officer)
    pending_id = _pending_id(officer)
    blank = officer.post(f"/api/orgs/tf/applications/{pending_id}/refuse", {"reason": "  "})
    assert blank.status_code == 400
    assert Application.objects.get(pk=pending_id).status == ApplicationStatus.PENDING
    with commit():
        refused = officer.post(
            f"/api/orgs/tf/applications/{pending_id}/refuse", {"reason": "You work elsewhere"}
        )
    assert (refused.json()["status"], refused.json()["reason"]) == ("refused", "You work elsewhere")
    assert mail.outbox[-1].to == [LUCY] and "You work elsewhere" in mail.outbox[-1].body
    again = officer.post(f"/api/orgs/tf/applications/{pending_id}/admit", {})
    assert again.status_code == 409  # decided once, for good
    assert "already refused" in again.json()["detail"]
    assert not Member.objects.filter(person__email=LUCY).exists()


def test_only_an_officer_who_keeps_that_units_roll_decides(
    federation: SmallFederation, commit: Commit
) -> None:
    """An application to another unit, or any application to someone who keeps no roll, is not theirs to
    see or decide: the same 404 as a missing one."""
    _confirmed(commit, unit="D1-U0")
    pending_id = Application.objects.get().pk
    for person in (federation.officer, federation.member, federation.delegate):
        api = ApiClient(person)
        assert api.get("/api/orgs/tf/applications").json() == []
        assert api.post(f"/api/orgs/tf/applications/{pending_id}/admit", {}).status_code == 404
        assert api.post(f"/api/orgs/tf/applications/{pending_id}/refuse", {"reason": "no"}).status_code == 404
    assert Application.objects.get().status == ApplicationStatus.PENDING


def test_nobody_decides_their_own_application(federation: SmallFederation) -> None:
    officer = federation.members["m2"]
    own = Application.objects.create(
        organisation=federation.org,
        unit=federation.units[0],
        name=officer.person.name,
        email=officer.person.email,
        token_digest="0" * 64,
        status=ApplicationStatus.PENDING,
        created_at=federation.org.founded_at,
    )
    response = ApiClient(federation.officer).post(f"/api/orgs/tf/applications/{own.pk}/admit", {})
    assert response.status_code == 403
    assert "own application" in response.json()["detail"]


def test_an_application_counts_only_once_its_link_is_followed(
    federation: SmallFederation, commit: Commit
) -> None:
    """Before confirmation no officer sees it; a wrong token confirms nothing."""
    with commit():
        apply()
    officer = ApiClient(federation.officer)
    assert officer.get("/api/orgs/tf/applications").json() == []
    wrong = Client().post("/api/orgs/tf/join/confirm", {"token": "x" * 43}, content_type="application/json")
    assert wrong.status_code == 404
    assert Application.objects.get().status == ApplicationStatus.UNCONFIRMED
    assert Application.objects.get().token_digest != link_token(LUCY)  # only its digest is kept
    status = Client().get("/api/orgs/tf/join/status", {"token": link_token(LUCY)})
    assert status.json()["status"] == "unconfirmed"


def test_automatic_admission_admits_on_confirmation(federation: SmallFederation, commit: Commit) -> None:
    admission_by(federation.org, "automatic")
    assert Client().get("/api/orgs/tf/join").json()["admission"] == "automatic"
    status = _confirmed(commit, unit="D1-U1")
    assert (status["status"], status["member_number"]) == ("admitted", "TF00021")
    assert Member.objects.get(number="TF00021").current_unit == federation.units[3]
    entry = LogEntry.objects.get(action="application.admitted")
    assert entry.actor_label.startswith("the constitution")


def test_one_open_application_per_address_and_the_same_answer_for_everyone(
    federation: SmallFederation, commit: Commit
) -> None:
    """A second application with an address that has one open, or with a member's address, is answered
    exactly as a new one is; nothing is made, and only the message to that address says why."""
    with commit():
        first = apply()
    with commit():
        second = apply(unit="D0-U1", address="192.0.2.11")
    member_email = federation.member.email
    with commit():
        member = apply(email=member_email, address="192.0.2.12")
    assert first.json() == second.json() == member.json() == {"detail": RECEIVED}
    assert first.status_code == second.status_code == member.status_code == 202
    assert Application.objects.filter(email=LUCY).count() == 1
    assert not Application.objects.filter(email=member_email).exists()
    assert "already has an application open" in mail.outbox[-2].body
    assert mail.outbox[-1].to == [member_email] and "already belongs to a member" in mail.outbox[-1].body
    assert User.objects.filter(email=LUCY).count() == 0


def test_too_many_applications_from_one_address_are_refused(
    federation: SmallFederation, clock: Clock
) -> None:
    """Every try counts against the address it came from (a keyed digest, never the address itself) and the
    email address applied with; past the limit the answer is 429 and nothing is made."""
    for n in range(5):
        assert apply(email=f"worker{n}@example.org").status_code == 202
    refused = apply(email="worker9@example.org")
    assert refused.status_code == 429
    assert not Application.objects.filter(email="worker9@example.org").exists()
    assert apply(email="worker9@example.org", address="192.0.2.99").status_code == 202
    for _ in range(2):
        apply(address="198.51.100.1")
        clock.advance(hours=1)
    apply(address="198.51.100.2")
    assert apply(address="198.51.100.3").status_code == 429  # the same email address, from anywhere


def test_the_admission_rule_is_part_of_the_constitution() -> None:
    assert rules_validate({}).membership.admission == "officer"
    assert rules_validate({"membership": {"admission": "automatic"}}).membership.admission == "automatic"
    with pytest.raises(ConstitutionError, match=r"membership\.admission"):
        rules_validate({"membership": {"admission": "by-the-chair"}})
    assert rule_label("membership.admission") == "Who admits a new member"
    assert rule_value_words("membership.admission", "officer") == "an officer of the unit who keeps its roll"


def test_the_next_number_follows_the_organisations_own_format(federation: SmallFederation) -> None:
    """The highest number counted on by one, as wide as it was; an organisation with no numbered members
    starts at 00001."""
    assert member_number_next(organisation=federation.org) == "TF00021"
    member_admit(
        unit=federation.units[1], person=user_create(email="a@x.example", name="A"), number="TF00099"
    )
    assert member_number_next(organisation=federation.org) == "TF00100"
    member_admit(
        unit=federation.units[1], person=user_create(email="b@x.example", name="B"), number="TF00100"
    )
    assert member_number_next(organisation=federation.org) == "TF00101"
    empty = organisation_found(name="New", slug="new")
    assert member_number_next(organisation=empty) == "00001"


def test_a_link_not_followed_within_a_week_lapses_and_the_address_may_apply_again(
    federation: SmallFederation, clock: Clock, commit: Commit
) -> None:
    with commit():
        apply()
    stale = link_token(LUCY)
    clock.advance(days=8)
    late = Client().post("/api/orgs/tf/join/confirm", {"token": stale}, content_type="application/json")
    assert late.status_code == 409
    with commit():
        assert apply().status_code == 202
    assert link_token(LUCY) != stale
    assert sorted(Application.objects.values_list("status", flat=True)) == ["expired", "unconfirmed"]
