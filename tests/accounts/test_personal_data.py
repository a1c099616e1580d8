"""A person downloads everything Commune holds about them, as JSON: from every app that registers a
section, with nothing of a secret ballot, in the same number of queries however much they have done."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commune.accounts.personal_data import personal_data_export
from commune.federation.models import ConstitutionVersion
from commune.membership.services import transfer_request
from commune.motions.models import VotePurpose
from commune.motions.services import assembly_vote_cast, motion_move, vote_open
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation, build_federation
from tests.records import recorded_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed() -> SmallFederation:
    return build_federation()


def _open_assembly_votes(fed: SmallFederation) -> None:
    version = ConstitutionVersion.objects.get(organisation=fed.org, number=1)
    rules = {**version.rules, "ballots": {**version.rules["ballots"], "member_votes_secret": False}}
    recorded_update(ConstitutionVersion.objects.filter(pk=version.pk), rules=rules)


def _vote(fed: SmallFederation, *, referendum: bool) -> int:
    body = fed.districts[0] if referendum else fed.units[0]
    motion = motion_move(body=body, member=fed.members["m3"], title="Strike fund", text="Raise it.")
    vote = vote_open(
        body=body,
        motion=motion,
        purpose=VotePurpose.ADOPT,
        question="Raise the strike fund?" + (" (secret)" if referendum else ""),
        member=None,
        closes_at=timezone.now() + timedelta(days=1),
        referendum=referendum,
    )
    assembly_vote_cast(vote=vote, member=fed.members["m1"], choice="yes")
    return vote.pk


def test_the_export_holds_the_persons_own_records_and_no_secret_ballot(fed: SmallFederation) -> None:
    """m1 votes in an open assembly vote and a secret referendum, and asks to move: the export shows the
    open vote and the move, their membership and history, and nothing naming the secret referendum."""
    _open_assembly_votes(fed)
    open_vote = _vote(fed, referendum=False)
    secret_vote = _vote(fed, referendum=True)
    transfer_request(member=fed.members["m1"], to_unit_code="D0-U1", statement="New job")
    data = personal_data_export(person=fed.member)
    sections = data["sections"]
    assert {"account", "membership", "motions", "notifications"} <= set(sections)
    assert sections["account"]["email"] == fed.member.email
    (membership,) = sections["membership"]["memberships"]
    assert membership["number"] == fed.members["m1"].number and membership["current_unit"] == "D0-U0"
    assert membership["transfers"][0]["statement"] == "New job"
    votes = sections["motions"]["open_votes"]
    assert [v["question"] for v in votes] == ["Raise the strike fund?"] and votes[0]["choice"] == "yes"
    # The notice of the secret vote went to every elector alike; how m1 voted in it is nowhere.
    assert "(secret)" not in json.dumps({k: v for k, v in sections.items() if k != "notifications"})
    assert secret_vote != open_vote


def test_the_export_costs_the_same_whatever_the_person_has_done(fed: SmallFederation) -> None:
    with CaptureQueriesContext(connection) as before:
        personal_data_export(person=fed.member)
    _open_assembly_votes(fed)
    _vote(fed, referendum=False)
    transfer_request(member=fed.members["m1"], to_unit_code="D0-U1")
    with CaptureQueriesContext(connection) as after:
        personal_data_export(person=fed.member)
    assert len(after) == len(before)


def test_downloaded_by_the_api_and_the_account_page_and_only_ones_own(fed: SmallFederation) -> None:
    answer = ApiClient(fed.member).get("/api/me/data")
    assert answer.status_code == 200 and answer.json()["sections"]["account"]["email"] == fed.member.email
    client = Client()
    client.force_login(fed.delegate)
    page = client.get("/accounts/data/")
    assert page.status_code == 200 and "attachment" in page["Content-Disposition"]
    assert json.loads(page.content)["sections"]["account"]["email"] == fed.delegate.email
    assert Client().get("/accounts/data/").status_code == 302
    assert Client().get("/api/me/data").status_code == 401
