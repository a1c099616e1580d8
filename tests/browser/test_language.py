"""Every member's language in a real browser: the switcher changes the page's language and the choice
sticks through signing in and reloading; an Arabic page reads right to left with its header mirrored, has
no serious or critical axe-core violation on the main pages, and never scrolls sideways on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from commune.accounts.models import User
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from tests.browser.test_accessibility import DESKTOP, Walk, _audit, _report, axe_on_every_document
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser

MEMBER = f"member@{EMAIL_DOMAIN}"


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(MEMBER)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _language(page: Any) -> tuple[str, str]:
    lang, direction = page.evaluate(
        "[document.documentElement.lang, getComputedStyle(document.documentElement).direction]"
    )
    return lang, direction


def test_the_switcher_changes_the_language_and_the_choice_sticks(live_server: Any, page: Any) -> None:
    """A visitor picks Español with the keyboard; the page reloads in Spanish, and stays Spanish after signing
    in and reloading. Signed in, the member picks العربية, which is saved on their account: a new browser
    that asks for French shows them Arabic once they sign in."""
    seed_demo()
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    assert _language(page) == ("en", "ltr")
    spanish = page.locator("form.languages button[lang=es]")
    assert spanish.inner_text() == "Español"
    spanish.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _language(page) == ("es", "ltr")
    assert page.locator("h1").inner_text() == "Iniciar sesión"

    _sign_in(page, base)
    assert _language(page) == ("es", "ltr")
    page.reload()
    assert _language(page) == ("es", "ltr")

    with page.expect_navigation():
        page.locator("form.languages button[lang=ar]").click()
    assert _language(page) == ("ar", "rtl")
    assert User.objects.get(email=MEMBER).language == "ar"

    elsewhere = page.context.browser.new_context(locale="fr-FR", viewport=DESKTOP)
    other = elsewhere.new_page()
    other.goto(f"{base}/accounts/login/")
    assert _language(other) == ("fr", "ltr")
    _sign_in(other, base)
    assert _language(other) == ("ar", "rtl")
    elsewhere.close()


def test_an_arabic_page_is_mirrored(live_server: Any, browser: Any) -> None:
    """In Arabic the header is laid out from the right: the site's name on the right, and the navigation
    runs from right to left (its first link to the right of its second); in English the other way round."""
    organisation = seed_demo()
    base = live_server.url
    positions = {}
    for locale in ("en-GB", "ar"):
        context = browser.new_context(locale=locale, viewport=DESKTOP)
        page = context.new_page()
        _sign_in(page, base)
        page.goto(f"{base}/o/{organisation.slug}/")
        links = page.locator("header.site nav a")
        first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
        assert abs(first["y"] - second["y"]) < first["height"] / 2  # on one line
        brand = page.locator("a.brand").bounding_box()
        positions[locale] = (brand["x"], first["x"], second["x"], page.evaluate("window.innerWidth"))
        context.close()
    brand_x, first_x, second_x, width = positions["en-GB"]
    assert brand_x < width / 2 and first_x < second_x
    brand_x, first_x, second_x, width = positions["ar"]
    assert brand_x > width / 2 and first_x > second_x


def test_the_main_pages_in_arabic_pass_axe_and_fit_a_phone(live_server: Any, browser: Any) -> None:
    """Signed out and signed in, the main pages in Arabic have no serious or critical axe-core violation
    and none is wider than a 390-pixel screen."""
    organisation = seed_demo()
    base = live_server.url
    slug = organisation.slug
    context = browser.new_context(locale="ar", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    axe_on_every_document(page)
    signed_out = Walk()
    for path in ("/", "/accounts/login/", "/accounts/password-reset/", f"/o/{slug}/join/"):
        _audit(page, f"{base}{path}", signed_out)
    _sign_in(page, base)
    signed_in = Walk()
    for path in (
        f"/o/{slug}/",
        f"/o/{slug}/bodies/",
        f"/o/{slug}/elections/",
        f"/o/{slug}/recalls/",
        f"/o/{slug}/constitution/",
        f"/o/{slug}/health/",
        f"/o/{slug}/log/",
        "/notifications/",
        "/accounts/",
        "/accounts/two-factor/",
    ):
        _audit(page, f"{base}{path}", signed_in)
    page.set_viewport_size(DESKTOP)
    assert _language(page) == ("ar", "rtl")
    context.close()
    assert len(signed_in.visited) >= 8, signed_in.visited
    failures = [w for w in (signed_out, signed_in) if w.findings or w.too_wide]
    assert not failures, "\n\n".join(_report(w) for w in failures)
