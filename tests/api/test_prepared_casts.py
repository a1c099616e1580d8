"""On PostgreSQL a cast's statements are prepared on the connection once it has run them often enough
(``commune.statements``), and a cast answered by the prepared statements checks all that a first one
does: a second vote is refused and a second ballot replaces the first, and someone not on the electorate,
a candidate not standing and a token that is not valid are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import api_token_create, api_token_revoke
from commune.ballots.models import Ballot, RegisterEntry, YesNoRegisterEntry
from commune.elections.models import Election
from commune.federation.models import Member
from tests.cast_queries import assembly_vote
from tests.clock import Clock
from tests.conftest import build_federation
from tests.elections.conftest import call, stand, to_voting

pytestmark = pytest.mark.django_db


def _cast(person: User, path: str, body: Any) -> Any:
    _token, raw = api_token_create(user=person, name="cast")
    return Client().post(
        f"/api{path}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def _prepared() -> list[str]:
    """The statements prepared on this connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _threshold() -> int:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite prepares nothing across statements")
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    assert isinstance(threshold, int), "COMMUNE_PREPARE_THRESHOLD is set in the settings on PostgreSQL"
    return threshold


def test_a_votes_statements_are_prepared_and_still_check_everything() -> None:
    threshold = _threshold()
    vote, members = assembly_vote(threshold + 4, "prepv")
    path = f"/orgs/prepv/votes/{vote.pk}/ballots"
    assert not _prepared()
    for member in members[: threshold + 2]:
        assert _cast(member.person, path, {"choice": "yes"}).status_code == 201
    statements = _prepared()
    assert any(f"FROM {Member._meta.db_table} m" in s for s in statements), statements  # the caller's access
    assert any(f"INSERT INTO {YesNoRegisterEntry._meta.db_table}" in s for s in statements), statements
    assert _cast(members[0].person, path, {"choice": "no"}).status_code == 409
    outsider = Member.objects.filter(organisation_id=vote.organisation_id).exclude(current_unit=vote.body)
    assert _cast(outsider.select_related("person").first().person, path, {"choice": "no"}).status_code == 403
    token, raw = api_token_create(user=members[-1].person, name="revoked")
    api_token_revoke(token=token)
    revoked = Client().post(
        f"/api{path}", {"choice": "no"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert revoked.status_code == 401
    assert _cast(members[-2].person, path, {"choice": "abstain"}).status_code == 201
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count() == threshold + 3


def test_a_ballots_statements_are_prepared_and_still_check_everything(clock: Clock) -> None:
    threshold = _threshold()
    fed = build_federation(units_per_district=1, members_per_unit=threshold + 5, slug="prepb")
    members = list(fed.units[0].current_members.select_related("person").order_by("number"))
    election = call(clock, fed.units[0], seats=1, title="Chair of the depot")
    a, b = stand(election, members[0], members[1])
    election = to_voting(clock, election)
    path = f"/orgs/prepb/elections/{election.pk}/ballots"
    for member in members[: threshold + 3]:  # the first, on the general path, learns the election's box
        assert _cast(member.person, path, {"ranking": [b, a]}).status_code == 201
    statements = _prepared()
    assert any(f"FROM {Member._meta.db_table} m" in s for s in statements), statements
    assert any(f"INSERT INTO {RegisterEntry._meta.db_table}" in s for s in statements), statements
    again = _cast(members[2].person, path, {"ranking": [a]})  # this election lets a voter change their ballot
    assert again.status_code == 201 and again.json()["replaced_earlier_ballot"] is True
    assert _cast(members[-1].person, path, {"ranking": [a, 424242]}).status_code == 400
    outsider = Member.objects.filter(organisation_id=election.organisation_id).exclude(
        current_unit=fed.units[0]
    )
    assert _cast(outsider.select_related("person").first().person, path, {"ranking": [a]}).status_code == 403
    assert _cast(members[-2].person, path, {"ranking": [a]}).status_code == 201
    box = Election.objects.get(pk=election.pk).box_id
    assert RegisterEntry.objects.filter(box_id=box).count() == Ballot.objects.filter(box_id=box).count()
    assert RegisterEntry.objects.filter(box_id=box).count() == threshold + 4
