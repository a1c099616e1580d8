"""Who may call the API: bearer tokens, browser sessions with CSRF, and the same 404 for what is not yours."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commune.accounts.services import api_token_create, api_token_revoke
from commune.federation.models import Member, Membership
from commune.federation.services import body_create, member_counts_refresh
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD, SmallFederation
from tests.records import recorded_update

MEMBER_ENDPOINTS = [
    "/api/me",
    "/api/me/tokens",
    "/api/orgs",
    "/api/orgs/tf",
    "/api/orgs/tf/bodies",
    "/api/orgs/tf/bodies/D0",
    "/api/orgs/tf/representatives",
    "/api/orgs/tf/constitution",
    "/api/orgs/tf/constitution/versions",
    "/api/orgs/tf/log",
    "/api/orgs/tf/log/verify",
]
ORGANISATION_ENDPOINTS = [url for url in MEMBER_ENDPOINTS if url.startswith("/api/orgs/tf")]


def _lapse(member: Member) -> None:
    """The state ``member_lapse`` leaves behind: the current period ended, no current unit, one member fewer
    in the counts of the unit and the councils above it."""
    recorded_update(
        Membership.objects.filter(member=member, ended_at__isnull=True),
        ended_at=timezone.now(),
        end_reason="lapse",
    )
    recorded_update(Member.objects.filter(pk=member.pk), current_unit=None)
    member_counts_refresh(organisation=member.organisation)


@pytest.mark.parametrize("url", MEMBER_ENDPOINTS)
def test_every_endpoint_refuses_an_anonymous_caller(federation: SmallFederation, url: str) -> None:
    """Without a token or a session every endpoint answers 401 with a JSON explanation."""
    response = Client().get(url)
    assert response.status_code == 401
    assert "authentication required" in response.json()["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("url", MEMBER_ENDPOINTS)
def test_every_endpoint_answers_a_member_with_a_token(member_api: ApiClient, url: str) -> None:
    """The same endpoints answer 200 to a member who sends a valid token."""
    assert member_api.get(url).status_code == 200


def test_an_unknown_token_is_refused(federation: SmallFederation) -> None:
    """A made-up token is a 401 naming the token as the problem."""
    response = Client().get("/api/me", headers={"Authorization": "Bearer cmn_not-a-real-token"})
    assert response.status_code == 401
    assert "token is not valid" in response.json()["detail"]


def test_a_revoked_token_is_refused(federation: SmallFederation) -> None:
    """Once revoked, a token stops working at once."""
    token, raw = api_token_create(user=federation.member, name="script")
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/me", headers=headers).status_code == 200
    api_token_revoke(token=token)
    response = Client().get("/api/me", headers=headers)
    assert response.status_code == 401
    assert "token is not valid" in response.json()["detail"]


def test_a_deactivated_persons_token_is_refused(federation: SmallFederation) -> None:
    """A person whose account was deactivated cannot use the tokens they made before."""
    _, raw = api_token_create(user=federation.member, name="script")
    federation.member.is_active = False
    federation.member.save(update_fields=["is_active"])
    assert Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_a_bad_token_is_refused_even_beside_a_valid_session(federation: SmallFederation) -> None:
    """A client that sends a token means to use it: a bad one is not rescued by a session cookie."""
    client = Client()
    client.force_login(federation.member)
    response = client.get("/api/me", headers={"Authorization": "Bearer cmn_wrong"})
    assert response.status_code == 401


def test_a_token_identifies_its_owner_not_the_session(federation: SmallFederation) -> None:
    """With both a session and a token, the token says who is calling."""
    _, raw = api_token_create(user=federation.delegate, name="script")
    client = Client()
    client.force_login(federation.member)
    response = client.get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.json()["email"] == federation.delegate.email


def test_a_token_call_never_reads_the_browser_session(federation: SmallFederation) -> None:
    """A bearer-token call is the token's alone: a session cookie beside it is not even loaded, and the
    answer sets no session or CSRF cookie."""
    _, raw = api_token_create(user=federation.delegate, name="script")
    client = Client()
    client.force_login(federation.member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert not {"sessionid", "csrftoken"} & set(response.cookies)
    assert "Cookie" not in response.get("Vary", "")


def test_an_endpoint_open_to_anyone_answers_a_token_call(federation: SmallFederation) -> None:
    """An endpoint that needs nobody signed in answers a call carrying a token as it answers anyone."""
    response = Client().get("/api/orgs/tf/join", headers={"Authorization": "Bearer cmn_anything"})
    assert response.status_code == 200
    assert response.json()["slug"] == "tf"


def test_a_signed_in_browser_session_reads_the_api(federation: SmallFederation) -> None:
    """A member signed in with their password can read the API from the browser."""
    client = Client()
    assert client.login(username=federation.member.email, password=PASSWORD)
    response = client.get("/api/orgs/tf/representatives")
    assert response.status_code == 200
    assert response.json()["body"]["code"] == "D0-U0"


def test_a_session_write_without_csrf_is_refused(federation: SmallFederation) -> None:
    """A cross-site page cannot make a signed-in browser write: unsafe methods need the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(federation.member)
    response = client.post("/api/me/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not federation.member.api_tokens.exists()


def test_a_session_write_with_csrf_succeeds(federation: SmallFederation) -> None:
    """With the CSRF cookie echoed in the X-CSRFToken header, the same write goes through."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(federation.member)
    csrf = "k" * 32  # what the csrftoken cookie holds; the page's JavaScript copies it into the header
    client.cookies["csrftoken"] = csrf
    response = client.post(
        "/api/me/tokens", {"name": "laptop"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201
    assert response.json()["token"].startswith("cmn_")


def test_a_token_write_needs_no_csrf(federation: SmallFederation, member_api: ApiClient) -> None:
    """Bearer-token clients are not browsers; CSRF does not apply to them."""
    member_api.client = Client(enforce_csrf_checks=True)
    response = member_api.delete(f"/api/me/tokens/{member_api.token_row.pk}")
    assert response.status_code == 204


@pytest.mark.parametrize("url", ORGANISATION_ENDPOINTS)
def test_a_stranger_gets_the_same_404_as_for_a_missing_organisation(
    federation: SmallFederation,
    other_federation: SmallFederation,
    api_as: Callable[..., ApiClient],
    url: str,
) -> None:
    """A member of another organisation learns nothing: its endpoints answer exactly as a missing one's."""
    stranger = api_as(other_federation.member)
    forbidden = stranger.get(url)
    missing = stranger.get(url.replace("/tf", "/no-such-org", 1))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {"detail": "no such organisation"}


@pytest.mark.parametrize("url", ORGANISATION_ENDPOINTS)
def test_a_lapsed_member_loses_access(
    federation: SmallFederation, api_as: Callable[..., ApiClient], url: str
) -> None:
    """Only current members see an organisation: after lapsing, it answers 404."""
    client = api_as(federation.member)
    _lapse(federation.members["m1"])
    assert client.get(url).status_code == 404


def test_a_body_of_another_organisation_is_not_found(
    federation: SmallFederation, other_federation: SmallFederation, member_api: ApiClient
) -> None:
    """A body code that exists only in another organisation is as missing as one that exists nowhere."""
    body_create(
        organisation=other_federation.org,
        kind="unit",
        code="ELSEWHERE",
        name="Elsewhere depot",
        parent=other_federation.districts[0],
    )
    elsewhere = member_api.get("/api/orgs/tf/bodies/ELSEWHERE")
    nowhere = member_api.get("/api/orgs/tf/bodies/NOWHERE")
    assert elsewhere.status_code == nowhere.status_code == 404
    assert elsewhere.json() == nowhere.json() == {"detail": "no such body"}
    assert member_api.get("/api/orgs/tf/log", body="ELSEWHERE").status_code == 404
    assert member_api.get("/api/orgs/tf/representatives", body="ELSEWHERE").status_code == 404
