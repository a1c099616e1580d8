"""A council meeting followed live across server processes: the projector, served by one process, and a
delegate's phone page, served by the other, show each speaker who asks and the one the chair calls, with
their time counting down, without reloading. Without script the projector is right on load. Then a vote:
two delegates vote from their phones on different processes, the projector counts them as they do, and the
chair's close puts the result and the roll-call on every page at once. A voter's own page says the vote is cast without reloading; without
script the button posts and the page reloads to say it."""

from __future__ import annotations

import json
import re
import urllib.error
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.live.servers import Servers

pytestmark = pytest.mark.browser


def _open(browser: Any, servers: Servers, server: int, member: str, path: str, **options: Any) -> Any:
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    context.add_cookies(
        [{"name": "sessionid", "value": servers.seed["sessions"][member], "url": servers.urls[server]}]
    )
    page = context.new_page()
    page.goto(
        f"{servers.urls[server]}/o/{servers.seed['slug']}/sessions/{servers.seed['meeting']}/meeting/{path}"
    )
    page.evaluate("window.loadedOnce = true")
    return page


def test_the_projector_and_a_phone_follow_the_speakers_without_reloading(
    browser: Any, live_servers: Servers
) -> None:
    meeting = f"/sessions/{live_servers.seed['meeting']}/meeting"
    projector = _open(browser, live_servers, 1, "m7", "projector/", viewport={"width": 1280, "height": 800})
    phone = _open(browser, live_servers, 0, "m6", "", viewport={"width": 390, "height": 844})
    expect(projector.get_by_text("Nobody is speaking.")).to_be_visible()

    live_servers.api(0, "m6", f"{meeting}/speakers", {"kind": "against"})
    live_servers.api(0, "m3", f"{meeting}/speakers", {"kind": "order"})
    for page in (projector, phone):
        expect(page.locator("ol.queue li")).to_have_text(
            ["Member 003 — point of order", "Member 006 — against"]
        )

    live_servers.api(0, "m3", f"{meeting}/speakers/next", {})
    for page in (projector, phone):
        expect(page.locator("[data-speaker]")).to_have_text("Member 003")
        expect(page.locator("[data-ends-at]")).to_have_text(re.compile(r"^[0-3]:\d\d left$"))
        expect(page.locator("ol.queue li")).to_have_text(["Member 006 — against"])
        assert page.evaluate("window.loadedOnce === true")

    plain = _open(browser, live_servers, 1, "m7", "projector/", java_script_enabled=False)
    expect(plain.locator("[data-speaker]")).to_have_text("Member 003")
    for page in (projector, phone, plain):
        page.context.close()


def _refused(servers: Servers, server: int, member: str, path: str, data: dict[str, Any]) -> tuple[int, str]:
    try:
        servers.api(server, member, path, data)
    except urllib.error.HTTPError as exc:
        return exc.code, str(json.loads(exc.read())["detail"])
    raise AssertionError(f"{path} was not refused")


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREEN = {"viewport": {"width": 1280, "height": 800}}


def test_delegates_vote_from_their_phones_and_the_close_reaches_every_screen(
    browser: Any, live_servers: Servers
) -> None:
    """The chair (m3) opened the vote on the motion on the floor. Refused first, changing nothing: a teller's
    count that disagrees with the first, a check-in by someone who holds no seat, one by a desk that is no
    teller's. m6 votes on a phone served by one process and m3 on one served by the other; the projector's
    turnout follows each vote without reloading; the chair closes it and every page shows the result and
    the roll-call at once. A vote after the close is refused."""
    servers = live_servers
    meeting = f"/sessions/{servers.seed['meeting']}/meeting"
    vote = servers.seed["meeting_vote"]
    numbers = servers.seed["numbers"]
    projector = _open(browser, servers, 1, "m7", "projector/", **SCREEN)
    chair = _open(browser, servers, 0, "m3", "", **SCREEN)
    phone3 = _open(browser, servers, 0, "m3", "", **PHONE)
    phone6 = _open(browser, servers, 1, "m6", "", **PHONE)
    expect(projector.locator("[data-vote-turnout]")).to_have_text("0")

    for teller in ("m3", "m6"):
        servers.api(0, "m3", f"{meeting}/tellers", {"member": numbers[teller]})
    servers.api(0, "m3", f"{meeting}/votes/{vote}/hands", {"yes": [numbers["m6"]]})
    code, message = _refused(servers, 1, "m6", f"{meeting}/votes/{vote}/hands", {"no": [numbers["m6"]]})
    assert code == 409 and "the two counts disagree" in message and "nothing is cast" in message
    assert servers.api(1, "m6", meeting)["vote"]["turnout"] == 0
    servers.api(0, "m3", f"{meeting}/votes/{vote}/hands/withdraw", {})
    code, message = _refused(servers, 0, "m1", f"{meeting}/check-in", {})
    assert code == 403 and "only the delegates seated on District 0" in message
    code, message = _refused(servers, 1, "m7", f"{meeting}/desk", {"member": numbers["m1"]})
    assert code == 403 and "only a teller" in message
    assert len(servers.api(0, "m7", meeting)["roll"]) == 2

    # With script the voter's own page says the vote is cast without reloading.
    phone6.locator("form.cast button[value=no]").click()
    expect(phone6.get_by_text("Your seat has voted.")).to_be_visible()
    expect(phone6.locator("ul.messages")).to_contain_text("Your seat's vote is recorded.")
    expect(projector.locator("[data-vote-turnout]")).to_have_text("1")
    phone3.locator("form.cast button[value=yes]").click()
    expect(phone3.get_by_text("Your seat has voted.")).to_be_visible()
    for page in (projector, chair):
        expect(page.locator("[data-vote-turnout]")).to_have_text("2")
    for page in (phone3, phone6):
        assert page.evaluate("window.loadedOnce === true")

    chair.get_by_role("button", name="Close the vote and declare the result").click()
    for page in (projector, phone3, phone6, chair):
        expect(page.locator("[data-vote-result]")).to_contain_text("Not carried: 1 yes, 1 no, 0 abstain")
        expect(page.locator(".roll-call li")).to_have_count(2)
    expect(projector.locator(".roll-call")).to_contain_text("Member 006 — No")
    for page in (projector, phone3, phone6):
        assert page.evaluate("window.loadedOnce === true")

    code, message = _refused(servers, 1, "m6", f"{meeting}/votes/{vote}/cast", {"choice": "yes"})
    assert code == 409 and "this vote has closed" in message
    assert servers.api(1, "m7", meeting)["vote"]["yes"] == 1
    for page in (projector, chair, phone3, phone6):
        page.context.close()
