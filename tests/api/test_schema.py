"""The API describes itself: an OpenAPI schema and interactive docs, readable without signing in."""

from __future__ import annotations

from unittest import mock

from django.test import Client
from ninja import NinjaAPI

from commune.api.root import api


def test_the_openapi_schema_lists_every_endpoint(db: None) -> None:
    """/api/openapi.json names every endpoint and both ways to authenticate."""
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Commune API"
    paths = schema["paths"]
    assert {
        "/api/me",
        "/api/me/tokens",
        "/api/me/tokens/{token_id}",
        "/api/orgs",
        "/api/orgs/{slug}",
        "/api/orgs/{slug}/bodies",
        "/api/orgs/{slug}/bodies/{code}",
        "/api/orgs/{slug}/representatives",
        "/api/orgs/{slug}/constitution",
        "/api/orgs/{slug}/constitution/versions",
        "/api/orgs/{slug}/log",
        "/api/orgs/{slug}/log/verify",
    } <= set(paths)
    assert set(paths["/api/me/tokens"]) == {"get", "post"}
    assert "delete" in paths["/api/me/tokens/{token_id}"]
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    log_params = {p["name"] for p in paths["/api/orgs/{slug}/log"]["get"]["parameters"]}
    assert {"slug", "body", "action", "limit", "offset"} <= log_params


def test_the_interactive_docs_are_served(db: None) -> None:
    """/api/docs renders the browsable documentation page."""
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_everything_in_an_organisation_is_under_one_prefix(db: None) -> None:
    """Every endpoint that reads or acts in one organisation lives under /api/orgs/{slug}; the rest are the
    caller's own (/api/me, /api/notifications) or the list of their organisations."""
    paths = set(Client().get("/api/openapi.json").json()["paths"])
    in_an_organisation = {p for p in paths if "{slug}" in p}
    assert in_an_organisation
    assert {p for p in in_an_organisation if not p.startswith("/api/orgs/{slug}")} == set()
    assert {p for p in paths - in_an_organisation if not p.startswith(("/api/me", "/api/notifications"))} == {
        "/api/orgs"
    }


def test_the_schema_is_built_once_and_each_caller_gets_its_own_copy(db: None) -> None:
    """The schema is kept once built (building it costs about half a second of CPU, and anyone may ask for
    it): asked again, the API does not build it again; and a caller that changes what it was given does not
    change what the next caller gets."""
    first = api.get_openapi_schema()
    with mock.patch.object(NinjaAPI, "get_openapi_schema", side_effect=AssertionError("built again")):
        second = api.get_openapi_schema()
        served = Client().get("/api/openapi.json")
    assert second == first and second is not first
    assert served.status_code == 200 and served.json()["paths"].keys() == first["paths"].keys()
    first["paths"].clear()
    first["info"]["title"] = "changed by a caller"
    third = api.get_openapi_schema()
    assert third["info"]["title"] == "Commune API"
    assert third["paths"] == second["paths"]
