"""Trackers: however a voter types theirs back, the page and the API find the same ballot."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.accounts.services import api_token_create
from commune.ballots.trackers import tracker_new, tracker_normalise
from commune.elections.models import Election, Elector

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "K7Q2M-XW9RT-4HCPE",
        "k7q2m-xw9rt-4hcpe",
        "K7Q2MXW9RT4HCPE",
        "k7q2mxw9rt4hcpe",
        "  k7q2m xw9rt 4hcpe \n",
        "K7Q2M–XW9RT—4HCPE",  # dashes a word processor or a phone put in
        "K7Q2M.XW9RT.4HCPE",
    ],
)
def test_a_tracker_typed_any_way_normalises_to_the_printed_form(typed: str) -> None:
    """Case, spaces, hyphens and other separators do not matter: only the fifteen characters do."""
    assert tracker_normalise(typed) == "K7Q2M-XW9RT-4HCPE"


def test_what_is_not_a_tracker_is_left_recognisable() -> None:
    """Text of another length keeps its characters (upper-cased) so the page can show what was sought."""
    assert tracker_normalise(" abc-12 ") == "ABC12"
    assert tracker_normalise("") == ""


def test_a_new_tracker_is_already_normal() -> None:
    tracker = tracker_new()
    assert tracker_normalise(tracker) == tracker


def _member_api(election: Election) -> tuple[Client, dict[str, str]]:
    person = Elector.objects.filter(election=election).select_related("member__person").first()
    assert person is not None
    token = api_token_create(user=person.member.person, name="t")[1]
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_finds_a_ballot_by_a_tracker_typed_in_lower_case_without_hyphens(
    declared: tuple[Election, dict[str, str]],
) -> None:
    election, trackers = declared
    client, headers = _member_api(election)
    base = f"/api/orgs/{election.organisation.slug}/elections/{election.pk}/bulletin"
    for typed in (
        trackers["m3"].lower(),
        trackers["m3"].replace("-", ""),
        trackers["m3"].lower().replace("-", " "),
    ):
        found = client.get(f"{base}/{typed}", **headers)
        assert found.status_code == 200, typed
        assert found.json()["tracker"] == trackers["m3"]
    assert client.get(f"{base}/AAAAA-AAAAA-AAAAA", **headers).status_code == 404
