"""Joining through the pages: the public application form, the applicant's page behind their emailed link,
and the page where a unit's roll officer admits or refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from commune.federation.models import Member
from commune.membership.models import Application, ApplicationStatus
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.membership.joining import apply, link_token

Commit = Callable[..., Any]
FORM = {"unit": "D0-U0", "name": "Lucy Parsons", "email": "lucy@example.org", "statement": "Night shift."}


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Commit:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_stranger_applies_on_the_public_page_and_confirms_from_the_link(
    federation: SmallFederation, commit: Commit
) -> None:
    page = Client().get("/o/tf/join/")
    assert page.status_code == 200
    assert b"Unit 0.0" in page.content and b"Apply to join" in page.content
    with commit():
        sent = Client().post("/o/tf/join/", FORM)
    assert sent.status_code == 200 and b"Check your email" in sent.content
    assert mail.outbox[-1].to == ["lucy@example.org"]
    link = f"/o/tf/join/{link_token('lucy@example.org')}/"
    waiting = Client().get(link)
    assert b"Waiting for the applicant to confirm" in waiting.content
    assert (
        Application.objects.get().status == ApplicationStatus.UNCONFIRMED
    )  # following the link is not enough
    confirmed = Client().post(link)
    assert confirmed.status_code == 200 and b"Waiting for a decision" in confirmed.content
    assert Client().get("/o/tf/join/not-the-token-that-was-sent/").status_code == 404
    assert Client().get("/o/nowhere/join/").status_code == 404


def test_the_public_page_refuses_too_many_applications_from_one_address(
    federation: SmallFederation, clock: Clock
) -> None:
    for n in range(5):
        Client().post("/o/tf/join/", {**FORM, "email": f"w{n}@example.org"})
    refused = Client().post("/o/tf/join/", FORM)
    assert refused.status_code == 429 and b"Too many applications" in refused.content
    assert Application.objects.count() == 5


def test_the_roll_officer_admits_and_refuses_on_their_page(
    federation: SmallFederation, commit: Commit
) -> None:
    for email, name in (("lucy@example.org", "Lucy Parsons"), ("joe@example.org", "Joe Hill")):
        with commit():
            apply(email=email, name=name)
        Client().post(f"/o/tf/join/{link_token(email)}/")
    lucy, joe = Application.objects.order_by("id")
    officer = _signed_in(federation.officer)
    page = officer.get("/o/tf/applications/")
    assert page.status_code == 200 and b"Lucy Parsons" in page.content and b"Joe Hill" in page.content

    no_reason = officer.post(f"/o/tf/applications/{joe.pk}/decide/", {"decision": "refuse", "reason": ""})
    assert no_reason.status_code == 400 and b"reason" in no_reason.content
    nul = officer.post(f"/o/tf/applications/{joe.pk}/decide/", {"decision": "refuse", "reason": "a\x00b"})
    assert nul.status_code == 400 and b"NUL character" in nul.content
    with commit():
        refused = officer.post(
            f"/o/tf/applications/{joe.pk}/decide/", {"decision": "refuse", "reason": "Wrong union"}
        )
    assert refused.status_code == 200 and b"sent your reason" in refused.content
    with commit():
        admitted = officer.post(f"/o/tf/applications/{lucy.pk}/decide/", {"decision": "admit"})
    assert b"as member TF00021" in admitted.content
    assert Member.objects.get(number="TF00021").person.name == "Lucy Parsons"
    status = Client().get(f"/o/tf/join/{link_token('lucy@example.org')}/")
    assert b"TF00021" in status.content and b"Admitted" in status.content
    assert b"Wrong union" in Client().get(f"/o/tf/join/{link_token('joe@example.org')}/").content


def test_an_application_to_another_unit_is_not_the_officers_to_decide(
    federation: SmallFederation, commit: Commit
) -> None:
    with commit():
        apply(unit="D1-U0")
    Client().post(f"/o/tf/join/{link_token('lucy@example.org')}/")
    application = Application.objects.get()
    officer = _signed_in(federation.officer)
    assert b"No application awaits a decision" in officer.get("/o/tf/applications/").content
    response = officer.post(f"/o/tf/applications/{application.pk}/decide/", {"decision": "admit"})
    assert response.status_code == 404
    assert Client().get("/o/tf/applications/").status_code == 302  # sign in first
    assert Application.objects.get().status == ApplicationStatus.PENDING
