"""A vote's page updates without reloading, across server processes: two members watch the same secret
vote in Chromium, each page served by a different ``commune serve`` process (one database, one Redis).
Each sees the turnout rise as votes are cast through either process, and the result once it is counted,
while the page stays the one it loaded. Without script the page is the same, and right on reload."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.live.servers import Servers

pytestmark = pytest.mark.browser


def _open(browser: Any, servers: Servers, server: int, member: str, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(20_000)
    context.add_cookies(
        [{"name": "sessionid", "value": servers.seed["sessions"][member], "url": servers.urls[server]}]
    )
    page = context.new_page()
    page.goto(servers.urls[server] + servers.vote_path("u1"))
    return page


def _stays(page: Any) -> None:
    """Mark the loaded page: the mark is gone if the page is ever reloaded."""
    page.evaluate("window.loadedOnce = true")


def _stayed(page: Any) -> bool:
    return bool(page.evaluate("window.loadedOnce === true"))


def _cast_on_the_page(page: Any, choice: str) -> None:
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_text("Your vote is cast.")).to_be_visible()


def test_two_pages_on_two_processes_follow_a_votes_turnout_and_result_without_reloading(
    browser: Any, live_servers: Servers
) -> None:
    vote = live_servers.seed["votes"]["u1"]
    first = _open(browser, live_servers, 0, "m6")
    second = _open(browser, live_servers, 1, "m7")
    for page in (first, second):
        expect(page.locator("[data-live-turnout]")).to_have_text("0")
    _stays(second)

    _cast_on_the_page(first, "Yes")  # through the first process; the second's page hears of it
    expect(second.locator("[data-live-turnout]")).to_have_text("1")
    assert _stayed(second)

    _stays(first)
    _cast_on_the_page(second, "No")  # and the other way round
    expect(first.locator("[data-live-turnout]")).to_have_text("2")
    _stays(second)

    for member in ("m8", "m9", "m10"):
        live_servers.api(0, member, f"/votes/{vote}/ballots", {"choice": "yes"})
    for page in (first, second):
        expect(page.locator("[data-live-turnout]")).to_have_text("5")

    live_servers.api(0, "m8", f"/votes/{vote}/close", {})
    for page in (first, second):
        expect(page.get_by_role("heading", name="Result")).to_be_visible()
        expect(page.locator("p.result")).to_have_text(
            "Carried: 4 yes, 1 no, 0 abstain, of 5 entitled to vote."
        )
        expect(page.get_by_role("heading", name="Voting is open")).to_have_count(0)
        assert _stayed(page)

    # Without script nothing follows the vote, and the page shows the result as loaded.
    plain = _open(browser, live_servers, 1, "m7", java_script_enabled=False)
    expect(plain.locator("p.result")).to_contain_text("Carried")
    plain.context.close()
    first.context.close()
    second.context.close()
