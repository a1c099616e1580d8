"""A member judges their delegate in a real browser: from "who represents you" on their home page to the
delegate's compliance record, where a departure from the depot's mandate stands out with its reason."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from commune.motions.models import DelegateVote
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def test_a_member_opens_who_represents_them_and_finds_their_delegates_departure_and_reason(
    page: Any, live_server: Any
) -> None:
    """Sign in as the demo's rank-and-file member; under "Who represents you", follow the depot's
    delegate who departed from its instructed mandate; their compliance record shows the departure,
    the mandate it departed from and the reason they gave."""
    seed_demo()
    departure = DelegateVote.objects.select_related("delegation__member__person", "vote__motion").get(
        departed=True
    )
    delegate = departure.delegation.member.person.name

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

    departures = page.get_by_role("region", name="Departures from a mandate")
    expect(departures).to_be_visible()
    expect(departures).to_contain_text(departure.vote.motion.title)
    expect(departures).to_contain_text("instructed no; the seat voted yes")
    expect(departures).to_contain_text(departure.departure_reason)
    row = page.locator("tr.departed")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("departed")
    # The member was told at once: the badge in the navigation counts the notice.
    expect(page.get_by_role("link", name="Notifications")).to_contain_text("unread")
