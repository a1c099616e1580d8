"""A member whose browser speaks Arabic ranks the candidates of an election with the keyboard alone: the
ballot, the script's warnings and the receipt are in Arabic, and the vote is recorded as ranked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from commune.ballots.models import Ballot
from commune.elections.forms import RankingForm
from commune.elections.models import Candidacy, Election
from tests.clock import Clock
from tests.conftest import SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_voting

pytestmark = pytest.mark.browser

#: More presses than the ballot has controls before the one sought.
MOST_TABS = 60


@pytest.fixture
def arabic_page(browser: Any) -> Iterator[Any]:
    """A browser set to Arabic: it sends ``Accept-Language: ar``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def ranked(live_server: Any, clock: Clock) -> tuple[str, SmallFederation, Election]:
    fed = build_federation()
    election = call(clock, fed.units[0], seats=1, title="Depot chair")
    stand(election, fed.members["m2"], fed.members["m4"], fed.members["m5"])
    return live_server.url, fed, to_voting(clock, election)


def _signed_in(page: Any, base: str, fed: SmallFederation) -> None:
    """The member's session, set as the browser's cookie (signing in is another page's concern)."""
    client = Client()
    client.force_login(fed.member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


def _focused(page: Any) -> str:
    return str(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el.labels && el.labels.length ? el.labels[0].textContent : el.textContent;
                return (label || "").replace(/\\s+/g, " ").trim();
            }"""
        )
    )


def _tab_to(page: Any, name: str) -> None:
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if _focused(page).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def _arabic(text: object) -> str:
    with translation.override("ar"):
        return str(text)


def test_a_member_ranks_an_arabic_ballot_with_the_keyboard_and_the_vote_is_recorded(
    arabic_page: Any, ranked: tuple[str, SmallFederation, Election]
) -> None:
    """The ballot reads in Arabic; a clash is announced in Arabic by the script; arrow keys number two
    candidates, Enter casts, and the Arabic receipt follows with the ballot recorded as ranked."""
    base, fed, election = ranked
    page = arabic_page
    _signed_in(page, base, fed)
    page.goto(f"{base}/o/{fed.org.slug}/elections/{election.pk}/ballot/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"ورقة الاقتراع: {election.title}")
    expect(page.get_by_role("group", name="تفضيلاتك")).to_be_visible()
    cast = page.get_by_role("button", name="أدلِ بصوتي")
    expect(cast).to_be_visible()
    for name in ("Member 002", "Member 004", "Member 005"):
        expect(page.get_by_role("combobox", name=f"الأفضلية لـ {name}", exact=True)).to_have_count(1)

    _tab_to(page, "أدلِ بصوتي")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(_arabic(RankingForm.NONE))
    expect(alert).to_be_focused()

    # Number 1 twice: the script's warning and the note beside each clashing number are Arabic.
    _tab_to(page, "الأفضلية لـ Member 004")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "الأفضلية لـ Member 002")
    page.keyboard.press("ArrowDown")
    names = _arabic(RankingForm.AND) % {"first": "Member 002", "second": "Member 004"}
    expect(page.locator("#ballot-check")).to_have_text(
        _arabic(RankingForm.REPEAT) % {"number": 1, "names": names}
    )
    expect(page.locator(".clash-note").first).to_have_text(_arabic(RankingForm.CLASH) % {"number": 1})
    page.keyboard.press("ArrowDown")
    expect(page.locator("#ballot-check")).to_have_count(0)
    expect(page.get_by_label("الأفضلية لـ Member 004")).to_have_value("1")
    expect(page.get_by_label("الأفضلية لـ Member 002")).to_have_value("2")

    _tab_to(page, "أدلِ بصوتي")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("أُدليَ بصوتك")
    expect(page.get_by_role("heading", name="رمز التتبع الخاص بك")).to_be_visible()
    ranking = Ballot.objects.get(box_id=election.box_id).ranking
    labels = dict(Candidacy.objects.filter(election=election).values_list("pk", "ballot_label"))
    assert [labels[c] for c in ranking] == ["Member 004", "Member 002"]
