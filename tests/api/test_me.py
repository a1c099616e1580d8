"""The caller's own record: memberships, offices and seats held, and API tokens."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from commune.accounts.models import ApiToken
from tests.api.conftest import ApiClient
from tests.clock import current_term
from tests.conftest import SmallFederation


def test_me_lists_each_membership_with_unit(member_api: ApiClient) -> None:
    """A member sees their name, their organisation, number and unit."""
    body = member_api.get("/api/me").json()
    assert body["name"] == "Member 001"
    assert body["memberships"] == [
        {
            "organisation": "tf",
            "organisation_name": "Test Federation tf",
            "number": "TF00001",
            "unit_code": "D0-U0",
            "unit_name": "Unit 0.0",
            "offices_held": [],
            "seats_held": [],
        }
    ]


def test_me_shows_offices_and_seats_held(
    federation: SmallFederation, api_as: Callable[..., ApiClient]
) -> None:
    """An officer sees their office; a delegate sees every council seat they hold, the nearest council first."""
    officer = api_as(federation.officer).get("/api/me").json()["memberships"][0]
    assert [(o["office"], o["body_code"]) for o in officer["offices_held"]] == [("Secretary", "D0-U0")]
    delegate = api_as(federation.delegate).get("/api/me").json()["memberships"][0]
    assert [(s["council_code"], s["constituency_code"]) for s in delegate["seats_held"]] == [
        ("D0", "D0-U0"),
        ("CONGRESS", "D0"),
    ]
    assert delegate["seats_held"][0]["term_end"] == current_term()[1].isoformat()


def test_me_lists_memberships_in_several_organisations(
    federation: SmallFederation, other_federation: SmallFederation, api_as: Callable[..., ApiClient]
) -> None:
    """A person in two organisations sees both, and both in the organisation list."""
    from commune.federation.services import member_admit

    member_admit(unit=other_federation.units[0], person=federation.member, number="X1")
    client = api_as(federation.member)
    assert [m["organisation"] for m in client.get("/api/me").json()["memberships"]] == ["other", "tf"]
    assert {o["slug"] for o in client.get("/api/orgs").json()} == {"tf", "other"}


def test_me_for_a_person_with_no_membership(db: None, api_as: Callable[..., ApiClient]) -> None:
    """Someone signed in but not (or no longer) a member gets an empty list, not an error."""
    from commune.accounts.services import user_create

    loner = user_create(email="loner@example.org", name="Loner", password="x" * 12)
    assert api_as(loner).get("/api/me").json()["memberships"] == []
    assert api_as(loner).get("/api/orgs").json() == []


def test_a_created_token_is_shown_once_and_works(federation: SmallFederation) -> None:
    """Creating a token returns it once; it then authenticates, and listings show only its prefix."""
    client = Client()
    client.force_login(federation.member)
    created = client.post("/api/me/tokens", {"name": "branch site"}, content_type="application/json")
    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith(created.json()["prefix"])
    listed = client.get("/api/me/tokens").json()
    assert [t["name"] for t in listed] == ["branch site"]
    assert raw not in created.content.decode().replace(raw, "", 1)  # shown exactly once in the reply
    assert raw not in client.get("/api/me/tokens").content.decode()
    assert "token" not in listed[0]
    assert ApiToken.objects.get(pk=listed[0]["id"]).digest != raw  # only the digest is stored
    me = Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.json()["email"] == federation.member.email


def test_a_token_cannot_create_tokens(member_api: ApiClient) -> None:
    """A leaked token must not mint successors: creating tokens needs a password sign-in."""
    response = member_api.post("/api/me/tokens", {"name": "successor"})
    assert response.status_code == 403
    assert "sign in with your password" in response.json()["detail"]
    assert ApiToken.objects.filter(user=member_api.user).count() == 1


def test_a_token_name_is_required(federation: SmallFederation) -> None:
    """A blank or overlong name is a 422 naming the field."""
    client = Client()
    client.force_login(federation.member)
    blank = client.post("/api/me/tokens", {"name": "   "}, content_type="application/json")
    assert blank.status_code == 422
    assert blank.json()["detail"].startswith("invalid request: name:")
    long = client.post("/api/me/tokens", {"name": "x" * 101}, content_type="application/json")
    assert long.status_code == 422
    missing = client.post("/api/me/tokens", {}, content_type="application/json")
    assert missing.status_code == 422


def test_revoking_a_token_stops_it_and_hides_it(member_api: ApiClient) -> None:
    """After DELETE the token is gone from the list and no longer authenticates."""
    token_id = member_api.token_row.pk
    assert member_api.delete(f"/api/me/tokens/{token_id}").status_code == 204
    assert member_api.get("/api/me").status_code == 401
    client = Client()
    client.force_login(member_api.user)
    assert client.get("/api/me/tokens").json() == []
    assert client.delete(f"/api/me/tokens/{token_id}").status_code == 404  # already revoked


def test_nobody_can_revoke_someone_elses_token(
    federation: SmallFederation, member_api: ApiClient, api_as: Callable[..., ApiClient]
) -> None:
    """Another person's token answers 404, exactly as a missing one, and keeps working."""
    other = api_as(federation.delegate)
    response = other.delete(f"/api/me/tokens/{member_api.token_row.pk}")
    assert response.status_code == 404
    assert response.json() == other.delete("/api/me/tokens/999999").json() == {"detail": "no such token"}
    assert member_api.get("/api/me").status_code == 200
    assert [t["id"] for t in other.get("/api/me/tokens").json()] == [other.token_row.pk]


def test_a_malformed_body_is_a_422_not_a_crash(federation: SmallFederation) -> None:
    """A request body that is not JSON is refused with a message, not a server error."""
    client = Client()
    client.force_login(federation.member)
    response = client.post("/api/me/tokens", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not ApiToken.objects.filter(user=federation.member).exists()
