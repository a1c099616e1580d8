"""Browser tests drive Debian's Chromium through Playwright against a live, threaded Django server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls (building the data)
# are still synchronous and safe, so Django's guard against ORM calls from async code is lifted here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("COMMUNE_CHROMIUM", "/usr/bin/chromium")
#: How long a page action or an expectation may wait (milliseconds): it bounds a hang, never a speed. On two
#: cores also running the other test process and its servers, a page of 180 operations can take over ten
#: seconds to draw.
WAIT_MS = 30_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


#: What a page of Commune still fetches or draws once its load event has fired: the notification badge
#: (htmx, ``hx-trigger="load"``, replaced by the answer; ``htmx-request`` marks any htmx request under way)
#: and Swagger UI's operations on the API docs page.
PAGE_SETTLED = """() => !document.querySelector('[hx-trigger~="load"], .htmx-request')
    && (!document.getElementById('swagger-ui') || document.querySelector('#swagger-ui .opblock') !== null)"""


def page_settled(page: Any) -> None:
    """Wait until the page shows all it will show without being acted on. Playwright's ``networkidle``
    would wait for that too, but by half a second with no request at all, on every page, however quick:
    a minute of idling across the walk over every page of the demo. A page whose late request fails
    never settles, and the wait ends in a timeout naming it."""
    page.wait_for_load_state("load")
    page.wait_for_function(PAGE_SETTLED)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
            "or set COMMUNE_CHROMIUM to run the browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A small phone's screen (iPhone SE), with touch and a device pixel ratio of 2."""
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()
