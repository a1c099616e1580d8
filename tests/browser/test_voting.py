"""A member votes in the demo's open election in a real browser, keeps the tracker, and finds the ballot
on the bulletin after close — with JavaScript switched off, since ranking must not depend on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from commune.ballots.models import Ballot, BulletinEntry
from commune.elections.forms import RankingForm
from commune.elections.models import Candidacy, Election, ElectionStatus
from commune.elections.services import election_voting_close
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from tests.clock import Clock
from tests.conftest import PASSWORD, SmallFederation, build_federation, seed_demo
from tests.elections.conftest import call, stand, to_voting

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server: Any) -> tuple[str, Election]:
    """The demo federation served live, and the one election it leaves open for voting."""
    seed_demo()
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
    assert BulletinEntry.objects.filter(box_id=election.box_id, tracker=tracker).exists()

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


def _sign_in_and_open_the_ballot(page: Any, base: str, fed: SmallFederation, election: Election) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(fed.member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/o/{fed.org.slug}/elections/{election.pk}/ballot/")


def _cast_ranking(election: Election) -> list[str]:
    ranking = Ballot.objects.get(box_id=election.box_id).ranking
    labels = dict(Candidacy.objects.filter(election=election).values_list("pk", "ballot_label"))
    return [labels[c] for c in ranking]


def test_with_javascript_a_number_given_twice_is_shown_as_a_clash_and_nothing_is_dropped(
    page: Any, small_election: tuple[str, SmallFederation, Election]
) -> None:
    """Giving a second candidate a number already given keeps both choices as the voter made them, shows
    the clash in the server's own words beside both, and refuses to cast; once the voter renumbers, the
    message goes and the ballot cast is the order shown."""
    base, fed, election = small_election
    _sign_in_and_open_the_ballot(page, base, fed, election)
    first, second, third = (
        page.get_by_label("Preference for Member 002"),
        page.get_by_label("Preference for Member 004"),
        page.get_by_label("Preference for Member 005"),
    )
    clash = str(RankingForm.REPEAT) % {"number": 1, "names": "Member 002 and Member 004"}
    first.select_option("1")
    second.select_option("1")
    expect(first).to_have_value("1")
    expect(second).to_have_value("1")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(clash)
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(second).to_have_attribute("aria-invalid", "true")
    expect(third).not_to_have_attribute("aria-invalid", "true")

    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ballot: {election.title}")
    expect(alert).to_have_text(clash)
    expect(first).to_have_value("1")
    expect(second).to_have_value("1")
    assert not Ballot.objects.filter(box_id=election.box_id).exists()

    second.select_option("2")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(first).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    assert _cast_ranking(election) == ["Member 002", "Member 004"]


def test_with_javascript_a_renumbering_never_moves_another_candidate(
    page: Any, small_election: tuple[str, SmallFederation, Election]
) -> None:
    """Taking a number another candidate holds changes only the candidate the voter changed: the clash is
    shown until one of the two is renumbered, and the ballot cast is the order shown."""
    base, fed, election = small_election
    _sign_in_and_open_the_ballot(page, base, fed, election)
    first, second = (
        page.get_by_label("Preference for Member 002"),
        page.get_by_label("Preference for Member 004"),
    )
    first.select_option("1")
    second.select_option("2")
    second.select_option("1")
    expect(first).to_have_value("1")
    expect(second).to_have_value("1")
    expect(page.get_by_role("alert")).to_have_text(
        str(RankingForm.REPEAT) % {"number": 1, "names": "Member 002 and Member 004"}
    )
    first.select_option("2")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    assert _cast_ranking(election) == ["Member 004", "Member 002"]


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ({}, str(RankingForm.NONE)),
        ({"Member 002": "1", "Member 005": "3"}, str(RankingForm.GAP) % {"missing": 2}),
    ],
)
def test_with_javascript_a_gap_or_an_empty_ballot_is_refused_in_the_servers_words(
    page: Any, small_election: tuple[str, SmallFederation, Election], numbers: dict[str, str], message: str
) -> None:
    """Casting a ballot the server would refuse is stopped in the page with the server's message."""
    base, fed, election = small_election
    _sign_in_and_open_the_ballot(page, base, fed, election)
    for name, number in numbers.items():
        page.get_by_label(f"Preference for {name}").select_option(number)
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("alert")).to_have_text(message)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ballot: {election.title}")
    for name, number in numbers.items():
        expect(page.get_by_label(f"Preference for {name}")).to_have_value(number)
    assert not Ballot.objects.filter(box_id=election.box_id).exists()
