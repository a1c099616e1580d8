"""What a member does in a real browser: sign in, see who represents them, find their way round."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, SmallFederation, build_federation

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server: Any) -> tuple[str, SmallFederation]:
    return live_server.url, build_federation()


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_a_newcomer_signs_in_and_sees_who_represents_them_all_the_way_up(
    page: Any, site: tuple[str, SmallFederation]
) -> None:
    """From the landing page to the council page: every level of representation is named."""
    base, fed = site
    page.goto(base)
    assert page.get_by_role("heading", level=1).inner_text() == "Commune"
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill(fed.member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(fed.org.name)
    assert page.get_by_role("heading", name="Who represents you, all the way up").is_visible()
    levels = page.locator("ol.chain > li")
    assert levels.count() == 2
    district, congress = levels.nth(0), levels.nth(1)
    assert district.get_by_role("heading").inner_text() == "District 0"
    assert district.locator(".delegate").all_inner_texts() == ["Member 003"]
    assert "Unit 0.0 (your unit) holds 2 seats" in district.inner_text()
    assert congress.get_by_role("heading").inner_text() == "Congress"
    assert congress.locator(".delegate").all_inner_texts() == ["Member 003"]
    assert "District 0 (which your unit is part of)" in congress.inner_text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Federation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The federation")
    # My own line is open; another district's units are folded away until opened, without any script.
    assert page.get_by_role("link", name="Unit 0.0").is_visible()
    other_unit = page.get_by_role("link", name="Unit 1.0")
    assert not other_unit.is_visible()
    page.locator("summary", has_text="District 1").click(position={"x": 2, "y": 2})
    expect(other_unit).to_be_visible()

    page.get_by_role("link", name="District 0", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("District 0")
    row = page.locator('tr[data-constituency="D0-U0"]')
    assert "Member 003" in row.inner_text()
    assert row.locator("td.num").all_inner_texts() == ["5", "2"]


def test_the_log_filter_updates_in_place_and_keeps_the_address(
    page: Any, site: tuple[str, SmallFederation]
) -> None:
    """Choosing a body filters the log without a full page load, and the address can be shared."""
    base, fed = site
    _sign_in(page, base, fed.member.email)
    page.goto(f"{base}/o/{fed.org.slug}/log/")
    page.evaluate("window.__same_document = true")
    page.get_by_label("Body").select_option("D0-U1")
    expect(page.locator("#log-results")).to_contain_text("Entries about Unit 0.1")
    expect(page.locator("li.entry")).to_have_count(6)
    page.wait_for_url("**/log/?body=D0-U1")
    assert page.evaluate("window.__same_document === true")  # swapped in place by htmx, no page load


def test_verifying_the_chain_in_the_browser(page: Any, site: tuple[str, SmallFederation]) -> None:
    base, fed = site
    _sign_in(page, base, fed.member.email)
    page.goto(f"{base}/o/{fed.org.slug}/log/verify/")
    page.get_by_role("button", name="Verify the chain now").click()
    expect(page.locator("#verify-result")).to_contain_text("The chain is intact.")


def test_the_skip_link_is_the_first_stop_and_shows_when_focused(
    page: Any, site: tuple[str, SmallFederation]
) -> None:
    base, fed = site
    _sign_in(page, base, fed.member.email)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize(
    "path", ["/", "/o/{slug}/bodies/", "/o/{slug}/bodies/D0/", "/o/{slug}/log/", "/o/{slug}/constitution/"]
)
def test_pages_fit_a_phone_screen_without_sideways_scrolling(phone: Any, live_server: Any, path: str) -> None:
    fed = build_federation()
    _sign_in(phone, live_server.url, fed.member.email)
    phone.goto(live_server.url + path.format(slug=fed.org.slug))
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    if path == "/":
        assert phone.locator("ol.chain > li").count() == 2
