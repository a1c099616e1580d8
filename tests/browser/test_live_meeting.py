"""A council meeting followed live across server processes: the projector, served by one process, and a
delegate's phone page, served by the other, show each speaker who asks and the one the chair calls, with
their time counting down, without reloading. Without script the projector is right on load."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.live.conftest import redis_url
from tests.live.servers import Servers, two_servers

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with two_servers(tmp_path_factory.mktemp("live-meeting"), redis_url()) as running:
        yield running


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
    browser: Any, servers: Servers
) -> None:
    meeting = f"/sessions/{servers.seed['meeting']}/meeting"
    projector = _open(browser, servers, 1, "m7", "projector/", viewport={"width": 1280, "height": 800})
    phone = _open(browser, servers, 0, "m6", "", viewport={"width": 390, "height": 844})
    expect(projector.get_by_text("Nobody is speaking.")).to_be_visible()

    servers.api(0, "m6", f"{meeting}/speakers", {"kind": "against"})
    servers.api(0, "m3", f"{meeting}/speakers", {"kind": "order"})
    for page in (projector, phone):
        expect(page.locator("ol.queue li")).to_have_text(
            ["Member 003 — point of order", "Member 006 — against"]
        )

    servers.api(0, "m3", f"{meeting}/speakers/next", {})
    for page in (projector, phone):
        expect(page.locator("[data-speaker]")).to_have_text("Member 003")
        expect(page.locator("[data-ends-at]")).to_have_text(re.compile(r"^[0-3]:\d\d left$"))
        expect(page.locator("ol.queue li")).to_have_text(["Member 006 — against"])
        assert page.evaluate("window.loadedOnce === true")

    plain = _open(browser, servers, 1, "m7", "projector/", java_script_enabled=False)
    expect(plain.locator("[data-speaker]")).to_have_text("Member 003")
    for page in (projector, phone, plain):
        page.context.close()
