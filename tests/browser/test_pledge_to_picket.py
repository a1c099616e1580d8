"""From a pledge to the picket line in a real browser: the demo's rank-and-file member pledges in the
campaign over their depot, and theirs is the pledge that meets the depot's condition; they read the notice
everyone in the depot is sent, go on to the strike's call to action, from it to the picket at their depot,
and sign up for its early shift."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from commune.actions.models import ActionCall, Event, SignUp
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from commune.federation.models import Member
from commune.pledges.errors import PledgeConflict
from commune.pledges.models import PledgeCampaign, PledgeUnit
from commune.pledges.services import pledge_make
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def _one_pledge_short(campaign: PledgeCampaign, member: Member) -> PledgeUnit:
    """Pledge others of ``member``'s depot until one more pledge meets its condition. Who has pledged
    cannot be read, so each is asked in turn; one who already has is refused and passed over."""
    unit = PledgeUnit.objects.get(campaign=campaign, unit_id=member.current_unit_id)
    others = Member.objects.filter(current_unit_id=member.current_unit_id).exclude(pk=member.pk)
    for other in others.order_by("number"):
        unit.refresh_from_db()
        if unit.pledges >= unit.required - 1:
            break
        try:
            pledge_make(campaign=campaign, member=other)
        except PledgeConflict:
            continue
    unit.refresh_from_db()
    assert unit.pledges == unit.required - 1 and unit.met_at is None
    return unit


def test_a_member_pledges_meets_the_condition_reads_the_notice_and_signs_up_for_the_picket(
    page: Any, live_server: Any
) -> None:
    seed_demo()
    member = Member.objects.select_related("current_unit").get(person__email=f"member@{EMAIL_DOMAIN}")
    campaign = PledgeCampaign.objects.get()
    unit = _one_pledge_short(campaign, member)
    call = ActionCall.objects.get(kind="strike")
    picket = Event.objects.get(kind="picket", call=call)
    early = picket.shifts.order_by("starts_at").first()
    assert early is not None

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(f"member@{EMAIL_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The pledge: theirs meets the depot's condition.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Pledges").click()
    page.get_by_role("link", name=campaign.action).first.click()
    page.get_by_role("button", name=f"I pledge to {campaign.action}").click()
    expect(page.get_by_role("status")).to_contain_text("You pledged.")
    expect(page.locator(".you-pledged")).to_contain_text("The condition is met where you pledged")
    unit.refresh_from_db()
    assert unit.met_at is not None

    # The notice everyone in the depot is sent.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications").click()
    notice = page.locator(".notification").filter(
        has_text=f"Enough of {member.current_unit.name} have pledged"
    )
    expect(notice).to_contain_text("your pledge now stands")

    # Back from the notice to the campaign, on to the call to action, from it to the picket, and onto the
    # early shift.
    notice.get_by_role("link", name="Read more").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(campaign.action)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Action").click()
    page.get_by_role("link", name=f"Strike: {call.title}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Strike: {call.title}")
    page.get_by_role("region", name="Events").get_by_role("link", name=f"Picket: {picket.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Picket: {picket.title}")
    row = page.get_by_role("row", name=early.label)
    row.get_by_role("button", name=f"Sign up for {early.label}").click()
    expect(page.get_by_role("status")).to_contain_text(f"You are signed up for “{early.label}”")
    assert SignUp.objects.filter(shift=early, member=member).exists()
