"""A member votes in the demo's open election in a real browser, keeps the tracker, and finds the ballot
on the bulletin after close — with JavaScript switched off, since ranking must not depend on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from commune.ballots.models import Ballot, BulletinEntry
from commune.elections.models import Candidacy, Election, ElectionStatus
from commune.elections.services import election_voting_close
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN, demo_seed
from tests.clock import Clock
from tests.conftest import PASSWORD, SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_voting

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


@pytest.fixture
def small_election(live_server: Any, clock: Clock) -> tuple[str, SmallFederation, Election]:
    fed = build_federation()
    election = call(clock, fed.units[0], seats=1, title="Depot chair")
    stand(election, fed.members["m2"], fed.members["m4"], fed.members["m5"])
    return live_server.url, fed, to_voting(clock, election)


def test_with_javascript_giving_a_taken_number_swaps_the_two_candidates(
    page: Any, small_election: tuple[str, SmallFederation, Election]
) -> None:
    """The script only helps: numbering a second candidate 1 moves the first to the second's old number,
    so a repeat cannot be entered; the ballot cast is the order shown."""
    base, fed, election = small_election
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(fed.member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/o/{fed.org.slug}/elections/{election.pk}/ballot/")
    first, second = (
        page.get_by_label("Preference for Member 002"),
        page.get_by_label("Preference for Member 004"),
    )
    first.select_option("1")
    second.select_option("2")
    second.select_option("1")
    expect(first).to_have_value("2")
    expect(second).to_have_value("1")
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    ranking = Ballot.objects.get(election=election).ranking
    labels = dict(Candidacy.objects.filter(election=election).values_list("pk", "ballot_label"))
    assert [labels[c] for c in ranking] == ["Member 004", "Member 002"]
