"""The demo's main pages run under the Content-Security-Policy without a single violation: no inline script,
no inline style, nothing from another host — in a real browser, which reports each refusal."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest

from commune.elections.models import Election, ElectionStatus
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def test_the_demos_main_pages_raise_no_content_security_policy_violation(live_server: Any, page: Any) -> None:
    """Every page of the main navigation, the ballot paper, the account page, the sign-in page and the API's
    interactive docs load with no violation reported, and each is served with the policy."""
    organisation = seed_demo()
    election = Election.objects.get(status=ElectionStatus.VOTING)
    base = live_server.url
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    policies: list[str] = []
    page.on(
        "response",
        lambda response: (
            policies.append(response.headers.get("content-security-policy", ""))
            if response.request.resource_type == "document"
            else None
        ),
    )

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(f"member@{EMAIL_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    nav = [
        urljoin(base, href)
        for href in page.locator("header.site nav a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    ]
    assert len(nav) >= 10
    extra = [
        f"{base}/o/{organisation.slug}/elections/{election.pk}/",
        f"{base}/o/{organisation.slug}/elections/{election.pk}/ballot/",
        f"{base}/accounts/two-factor/",
        f"{base}/api/docs",
    ]
    for url in [*nav, *extra]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert violations == []
    assert policies and all("script-src 'self'" in p for p in policies)
