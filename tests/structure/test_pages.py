"""The pages of structural changes: moving one with the structured form, the change's page with its
decision and what it did, applying it; and their reads stay constant as the record grows."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commune.federation.models import Body
from tests.structure.conftest import DELEGATES, Fed, adopt_in_council, apply, decided, fed

__all__ = ["fed"]


def _client(fed: Fed, n: int) -> Client:
    client = Client()
    client.force_login(fed.members[f"m{n}"].person)
    return client


def test_a_delegate_moves_a_change_with_the_form_and_it_is_applied_from_its_page(fed: Fed) -> None:
    client = _client(fed, 3)
    url = reverse("structure:propose", kwargs={"slug": fed.slug, "code": "D0"})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "add",
            "council": "D0",
            "code": "d0-depot",
            "name": "Riverside Depot",
            "unit_type": "depot",
            "offices": "Secretary\nTreasurer",
            "roll_office": "Secretary",
            "reason": "Newly organised.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change_url = response["Location"]
    page = client.get(change_url).content.decode()
    assert "Riverside Depot" in page and "Apply the decision" in page
    refused = client.post(change_url + "apply/")
    assert refused.status_code == 409
    assert "has not yet decided" in refused.content.decode()
    change_id = int(change_url.rstrip("/").split("/")[-1])
    from commune.structure.models import StructuralChange

    adopt_in_council(fed, "D0", StructuralChange.objects.get(pk=change_id).motion_id, DELEGATES["D0"])
    assert client.post(change_url + "apply/").status_code == 302
    page = client.get(change_url).content.decode()
    assert "Riverside Depot" in page and "apportioned again" in page
    depot = Body.objects.get(organisation=fed.org, code="D0-DEPOT")
    assert list(depot.offices.order_by("title").values_list("title", "manages_roll")) == [
        ("Secretary", True),
        ("Treasurer", False),
    ]


def test_the_form_refuses_a_change_beyond_the_councils_reach_keeping_what_was_typed(fed: Fed) -> None:
    response = _client(fed, 3).post(
        reverse("structure:propose", kwargs={"slug": fed.slug, "code": "D0"}),
        {"kind": "move", "unit": "D0-U1", "council": "D1"},
    )
    assert response.status_code == 403
    assert "D0-U1" in response.content.decode()


def test_the_pages_read_the_same_number_of_times_however_many_changes_and_members_moved(fed: Fed) -> None:
    small = decided(
        fed,
        "D0",
        {"kind": "add", "parent": "D0", "code": "A1", "name": "A1", "members": [fed.members["m7"].number]},
    )
    apply(fed, small)
    client = _client(fed, 1)

    def reads(url: str, by: Any = client) -> int:
        by.get(url)  # once before, so that a token's use recorded now and then is not counted
        with CaptureQueriesContext(connection) as queries:
            assert by.get(url).status_code == 200
        return len(queries)

    listing = reverse("structure:changes", kwargs={"slug": fed.slug})
    endpoint = f"/orgs/{fed.slug}/structure/changes"
    one, one_api = reads(listing), reads(endpoint, fed.api(1))
    small_page = reads(reverse("structure:change", kwargs={"slug": fed.slug, "change_id": small["id"]}))
    big = decided(fed, "D1", {"kind": "merge", "into": "D1-U0", "units": ["D1-U1"]})
    apply(fed, big)
    decided(fed, "D0", {"kind": "add", "parent": "D0", "code": "A2", "name": "A2"})
    assert reads(listing) == one
    assert reads(reverse("structure:change", kwargs={"slug": fed.slug, "change_id": big["id"]})) == small_page
    assert reads(endpoint, fed.api(1)) == one_api


def test_the_changes_provenance_shows_the_chain_down_to_the_council_vote(fed: Fed) -> None:
    change = decided(fed, "D0", {"kind": "add", "parent": "D0", "code": "A1", "name": "Riverside"})
    apply(fed, change)
    tree = fed.api(1).get(f"/orgs/{fed.slug}/decisions/structural-change/{change['id']}/provenance").json()
    assert tree["root"]["kind"] == "structural-change"
    assert "unit A1 created" in tree["root"]["summary"]
    assert tree["root"]["children"][0]["kind"] == "vote"
    page = _client(fed, 1).get(
        reverse(
            "provenance:decision",
            kwargs={"slug": fed.slug, "kind": "structural-change", "decision_id": change["id"]},
        )
    )
    assert page.status_code == 200 and "Structural change" in page.content.decode()
