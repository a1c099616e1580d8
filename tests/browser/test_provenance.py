"""A member opens a council's decision and walks its provenance back to the elections behind it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.clock import Clock
from tests.conftest import PASSWORD
from tests.provenance.federation import build_elected_federation, decide_forwarded_motion

pytestmark = pytest.mark.browser


def test_a_member_walks_a_council_decision_back_to_the_elections(
    live_server: Any, page: Any, clock: Clock
) -> None:
    """From the council's vote on a motion forwarded by a unit, the member follows the provenance link, sees
    every seat that voted with its election, and clicks through to that election's declared result and its
    bulletin's Merkle root — all without any script."""
    fed = build_elected_federation(clock)
    decision = decide_forwarded_motion(fed)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("m12@pv.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{base}/o/{fed.slug}/votes/{decision.council_vote}/")
    page.get_by_role("link", name="Provenance of this decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Provenance")
    expect(page.get_by_role("status")).to_contain_text("Every link is present")
    chain = page.get_by_role("list", name="Provenance chain")
    expect(chain.locator("[data-kind=seat]")).to_have_count(4)
    expect(chain.locator("[data-kind=motion]").first).to_contain_text("Open a strike fund")

    election = fed.elections["D0-U0"]
    seat = chain.locator("[data-kind=seat]").filter(has=page.locator(".pv-head", has_text="Member 004 for"))
    expect(seat.locator("[data-kind=bulletin]")).to_contain_text(election.merkle_root)
    seat.get_by_role("link", name="Delegates of Unit 0.0 to District 0").first.click()
    expect(page).to_have_url(f"{base}/o/{fed.slug}/elections/{election.pk}/result/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Result: Delegates of Unit 0.0 to District 0")
    expect(page.locator("ol.elected")).to_contain_text("Member 004")

    page.get_by_role("link", name="Provenance of this result").click()
    expect(page.locator("[data-kind=constituency]")).to_contain_text("Unit 0.0")
    expect(page.locator("[data-kind=apportionment]")).to_contain_text("2 of 4 seats")
