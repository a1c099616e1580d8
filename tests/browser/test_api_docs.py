"""The interactive API documentation works on a machine with no way out to the internet."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: The test server is reached under a name of its own rather than 127.0.0.1, because Swagger UI leaves out
#: some requests to other hosts (its online validator badge) for pages served from localhost.
SITE = "http://commune.test"


def test_the_api_docs_render_every_operation_with_every_other_host_blocked(
    page: Any, live_server: Any
) -> None:
    """/api/docs loads only from the Commune server itself, and Swagger UI lists every operation of the
    OpenAPI schema."""
    schema = Client().get("/api/openapi.json").json()
    methods = {"get", "put", "post", "delete", "patch"}
    operations = {
        (method, path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in methods
    }
    elsewhere: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(f"{SITE}/"):
            route.fulfill(response=route.fetch(url=live_server.url + url.removeprefix(SITE)))
        else:
            elsewhere.append(url)
            route.abort()

    page.route("**/*", route)
    page.goto(f"{SITE}/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Commune API")
    # Swagger UI shows an operation once under each of its tags.
    blocks = sum(len(operation.get("tags") or ["default"]) for operation in operations.values())
    expect(page.locator(".opblock")).to_have_count(blocks)
    shown = page.eval_on_selector_all(
        ".opblock",
        """blocks => blocks.map(block => [
            block.querySelector(".opblock-summary-method").textContent.toLowerCase(),
            block.querySelector(".opblock-summary-path").dataset.path,
        ])""",
    )
    assert {(method, path) for method, path in shown} == set(operations)
    page.wait_for_load_state("networkidle")
    assert elsewhere == []
