"""The demo's joining and moving: the branch secretary who signs in finds two confirmed applications and a
member of a neighbouring depot asking to move in, on their pages."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.federation.demo import demo_sign_ins
from commune.federation.models import Member
from commune.membership.models import Application, ApplicationStatus, Transfer, TransferStatus
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_secretary_has_applications_and_a_move_to_decide() -> None:
    org = seed_demo()
    secretary = Member.objects.get(person__email=demo_sign_ins()[1].email)
    pending = Application.objects.filter(organisation=org, status=ApplicationStatus.PENDING)
    assert {a.unit_id for a in pending} == {secretary.current_unit_id} and pending.count() == 2
    transfer = Transfer.objects.select_related("member").get(organisation=org)
    assert transfer.status == TransferStatus.PENDING and transfer.to_unit_id == secretary.current_unit_id
    client = Client()
    client.force_login(secretary.person)
    assert b"Nadia Okafor" in client.get(f"/o/{org.slug}/applications/").content
    page = client.get(f"/o/{org.slug}/transfers/")
    assert page.status_code == 200 and transfer.member.number.encode() in page.content
