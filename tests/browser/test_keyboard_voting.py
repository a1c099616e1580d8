"""A member who cannot use a mouse votes with the keyboard alone: Tab to move, arrow keys to choose, Space
and Enter to act. The ranked ballot's controls carry each candidate's name, and a refused ballot is
announced and takes the focus."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from commune.ballots.models import Ballot, YesNoRegisterEntry
from commune.elections.forms import RankingForm
from commune.elections.models import Candidacy, Election
from commune.motions.forms import ChoiceForm
from commune.motions.models import Vote
from tests.clock import Clock
from tests.conftest import PASSWORD, SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_voting
from tests.motions.conftest import Fed, on_agenda, put

pytestmark = pytest.mark.browser

#: More presses than any page here has controls before the one sought: a bound, so a control that cannot
#: be reached fails the test instead of looping.
MOST_TABS = 60


@pytest.fixture
def ballots(live_server: Any, clock: Clock) -> tuple[str, SmallFederation, Election, int]:
    """The small federation served live, a ranked election open in the first member's unit and a motion of
    that unit put to its members' vote."""
    fed = build_federation()
    election = call(clock, fed.units[0], seats=1, title="Depot chair")
    stand(election, fed.members["m2"], fed.members["m4"], fed.members["m5"])
    election = to_voting(clock, election)
    motions = Fed(fed)
    vote = put(motions, 1, on_agenda(motions, 1, fed.units[0].code, supporter=2))
    return live_server.url, fed, election, vote


def _focused(page: Any) -> str:
    """The focused element's accessible name as a screen reader's form controls list gives it: its label,
    or its own text for a button."""
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
    """Press Tab until the control named ``name`` has the focus."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if _focused(page).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def _sign_in(page: Any, base: str, fed: SmallFederation) -> None:
    page.goto(f"{base}/accounts/login/")
    _tab_to(page, "Email")
    page.keyboard.type(fed.member.email)
    _tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def test_a_ranked_ballot_is_numbered_and_cast_with_the_keyboard_alone(
    page: Any, ballots: tuple[str, SmallFederation, Election, int]
) -> None:
    """Each candidate's number is a select named after the candidate; casting an empty ballot is refused
    in an alert that takes the focus; arrow keys number two candidates and Enter casts the ballot."""
    base, fed, election, _ = ballots
    _sign_in(page, base, fed)
    page.goto(f"{base}/o/{fed.org.slug}/elections/{election.pk}/ballot/")
    for name in ("Member 002", "Member 004", "Member 005"):
        expect(page.get_by_role("combobox", name=f"Preference for {name}", exact=True)).to_have_count(1)

    _tab_to(page, "Cast my ballot")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(str(RankingForm.NONE))
    expect(alert).to_be_focused()

    _tab_to(page, "Preference for Member 004")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "Preference for Member 002")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Preference for Member 004")).to_have_value("1")
    expect(page.get_by_label("Preference for Member 002")).to_have_value("2")
    _tab_to(page, "Cast my ballot")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot is cast")
    ranking = Ballot.objects.get(box_id=election.box_id).ranking
    labels = dict(Candidacy.objects.filter(election=election).values_list("pk", "ballot_label"))
    assert [labels[c] for c in ranking] == ["Member 004", "Member 002"]


def test_a_yes_or_no_vote_is_cast_with_the_keyboard_alone(
    page: Any, ballots: tuple[str, SmallFederation, Election, int]
) -> None:
    """Tab reaches the choices, the arrow keys move between them and select one, Space keeps it, Enter on
    the button casts it; casting with no choice is refused in words tied to the choices."""
    base, fed, _, vote_id = ballots
    _sign_in(page, base, fed)
    page.goto(f"{base}/o/{fed.org.slug}/votes/{vote_id}/")

    vote = Vote.objects.get(pk=vote_id)
    register = YesNoRegisterEntry.objects.filter(box_id=vote.box_id)

    _tab_to(page, "Cast my vote")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(str(ChoiceForm.NONE))
    # The reason is the choices' own description, read out when the voter comes back to them.
    expect(page.get_by_role("group", name=vote.question)).to_have_accessible_description(str(ChoiceForm.NONE))
    assert not register.exists()

    _tab_to(page, "Yes")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="No")).to_be_checked()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    _tab_to(page, "Cast my vote")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have voted")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    assert register.count() == 1
