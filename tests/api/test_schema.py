"""The API describes itself: an OpenAPI schema and interactive docs, readable without signing in."""

from __future__ import annotations

from django.test import Client


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
        "/api/organisations",
        "/api/organisations/{slug}",
        "/api/organisations/{slug}/bodies",
        "/api/organisations/{slug}/bodies/{code}",
        "/api/organisations/{slug}/representatives",
        "/api/organisations/{slug}/constitution",
        "/api/organisations/{slug}/constitution/versions",
        "/api/organisations/{slug}/log",
        "/api/organisations/{slug}/log/verify",
    } <= set(paths)
    assert set(paths["/api/me/tokens"]) == {"get", "post"}
    assert "delete" in paths["/api/me/tokens/{token_id}"]
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    log_params = {p["name"] for p in paths["/api/organisations/{slug}/log"]["get"]["parameters"]}
    assert {"slug", "body", "action", "limit", "offset"} <= log_params


def test_the_interactive_docs_are_served(db: None) -> None:
    """/api/docs renders the browsable documentation page."""
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
