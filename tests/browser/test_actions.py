"""A member signs up for a picket shift in a real browser: from their own page to the federation's calendar,
on to the picket their depot's secretary organised for the strike, and onto its early shift, whose places
left go down by one."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from commune.actions.models import Event, SignUp
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def test_a_member_goes_from_their_page_to_the_picket_and_signs_up_for_a_shift(
    page: Any, live_server: Any
) -> None:
    """Sign in as the demo's rank-and-file member; their page leads to "Action", the calendar lists the
    picket, and its page signs them up for the early shift: they are told so, and one place fewer is left."""
    seed_demo()
    picket = Event.objects.get(kind="picket")
    early = picket.shifts.order_by("starts_at").first()
    assert early is not None
    left = early.capacity - early.signups.count()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(f"member@{EMAIL_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action: the federation's calendar")
    page.get_by_role("link", name=f"Picket: {picket.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Picket: {picket.title}")
    row = page.get_by_role("row", name=early.label)
    expect(row).to_contain_text(f"{left} of {early.capacity}")

    row.get_by_role("button", name=f"Sign up for {early.label}").click()
    expect(page.get_by_role("status")).to_contain_text(f"You are signed up for “{early.label}”")
    row = page.get_by_role("row", name=early.label)
    expect(row).to_contain_text("You are signed up.")
    expect(row).to_contain_text(f"{left - 1} of {early.capacity}")
    assert SignUp.objects.filter(shift=early, member__person__email=f"member@{EMAIL_DOMAIN}").exists()
