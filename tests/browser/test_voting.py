"""A member votes in the demo's open election in a real browser, keeps the tracker, and finds the ballot
on the bulletin after close — with JavaScript switched off, since ranking must not depend on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from commune.ballots.models import BulletinEntry
from commune.elections.models import Election, ElectionStatus
from commune.elections.services import election_voting_close
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN, demo_seed

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server: Any) -> tuple[str, Election]:
    """The demo federation served live, and the one election it leaves open for voting."""
    demo_seed()
    return live_server.url, Election.objects.get(status=ElectionStatus.VOTING)


@pytest.fixture
def page_without_script(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_member_votes_keeps_the_tracker_and_finds_the_ballot_on_the_bulletin_after_close(
    page_without_script: Any, demo: tuple[str, Election]
) -> None:
    """Sign in, follow "Elections you can vote in" to the open election, number three candidates, cast;
    the receipt shows the tracker; once voting is closed, the look-up finds that ballot as it was ranked."""
    base, election = demo
    page = page_without_script
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(f"member@{EMAIL_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    section = page.locator("section", has=page.get_by_role("heading", name="Elections you can vote in"))
    section.get_by_role("link", name=election.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(election.title)
    page.get_by_role("link", name="Vote", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ballot: {election.title}")

    rows = page.locator("li.rank-row")
    labels = [rows.nth(i).locator("label").text_content() for i in range(rows.count())]
    # Each label reads "Preference for NAME (tendency)"; the first words are for screen readers only.
    names = [re.sub(r"^\s*Preference for\s+|\s*\(.*\)\s*$", "", label) for label in labels]
    chosen = [names[2], names[0], names[4]]
    for number, name in enumerate(chosen, start=1):
        page.get_by_label(f"Preference for {name}").select_option(str(number))
    page.get_by_role("button", name="Cast my ballot").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    expect(page.get_by_text("Keep this tracker")).to_be_visible()
    tracker = page.locator("#tracker").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}", tracker)

    closed = election_voting_close(election_id=election.pk)
    assert closed is not None and closed.status == ElectionStatus.DECLARED
    assert BulletinEntry.objects.filter(election=election, tracker=tracker).exists()

    page.goto(f"{base}/o/{election.organisation.slug}/elections/{election.pk}/")
    page.get_by_role("link", name="The bulletin of every ballot").click()
    page.get_by_label("Your tracker").fill(tracker)
    page.get_by_role("button", name="Find").click()
    found = page.locator("#found")
    expect(found).to_contain_text(f"The ballot published under {tracker} was counted as")
    assert found.locator("ol.found-ranking li").all_inner_texts() == chosen
    expect(page.locator("tr.mine")).to_contain_text(tracker)
