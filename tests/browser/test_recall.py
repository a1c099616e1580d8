"""A member signs a recall petition against their delegate in a real browser: from "who represents you"
to the delegate's compliance record, on to the petition against them, and the count goes up with
"You signed" shown to them."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from commune.recall.models import RecallPetition, RecallStatus
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def test_a_member_goes_from_their_delegates_record_to_the_recall_petition_and_signs_it(
    page: Any, live_server: Any
) -> None:
    """Sign in as the demo's rank-and-file member; follow the depot's delegate under "Who represents
    you" to their compliance record, then to the petition to recall them (half-way to its threshold);
    sign it: the count goes up by one and the page says "You signed"."""
    seed_demo()
    petition = RecallPetition.objects.select_related("holder__person").get(status=RecallStatus.GATHERING)
    delegate = petition.holder.person.name
    before = petition.signatures

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(f"member@{EMAIL_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    represents = page.locator(
        "section", has=page.get_by_role("heading", name="Who represents you, all the way up")
    )
    represents.get_by_role("link", name=delegate, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(delegate)
    expect(page.get_by_role("heading", name="Compliance record")).to_be_visible()

    page.get_by_role("link", name=f"Petitions to recall {delegate}, or open one").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Recall of {delegate}")
    page.get_by_role("link", name="sign it or see its count").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Petition to recall {delegate}")
    count = page.locator(f"#count-{petition.pk}")
    expect(count).to_contain_text(f"{before} of {petition.signatures_required} signatures needed")
    expect(page.locator(".you-signed")).to_have_count(0)

    page.get_by_role("button", name="Sign the petition").click()
    expect(page.locator(f"#count-{petition.pk}")).to_contain_text(
        f"{before + 1} of {petition.signatures_required} signatures needed"
    )
    expect(page.locator(".you-signed")).to_contain_text("You signed this petition. Only you can see this.")
    expect(page.locator(f"#progress-{petition.pk}")).to_have_attribute("value", str(before + 1))
    assert RecallPetition.objects.get(pk=petition.pk).signatures == before + 1
