"""The governance pages, without script: the register of offices, tendencies, executives with their
decisions and call-ins, and the constitution's amendment history with proposing an amendment. Each for
what a member sees and does, and for what is refused."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat

from commune.accounts.services import user_create
from commune.federation.models import ConstitutionVersion
from commune.federation.services import office_create, office_fill
from commune.governance.models import (
    CallIn,
    ConstitutionProposal,
    DecisionStatus,
    ExecutiveDecision,
    Tendency,
)
from tests.clock import current_term
from tests.governance.conftest import Fed, adopt_in_council
from tests.governance.test_executives_api import decide, establish
from tests.referendum import constitution_amend

pytestmark = pytest.mark.django_db


def _as(fed: Fed, n: int) -> Client:
    client = Client()
    client.force_login(fed.members[f"m{n}"].person)
    return client


def _text(response: object) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&amp;", "&")


def _url(fed: Fed, name: str, **kwargs: object) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": fed.slug, **kwargs})


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _main_navigation(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html: str = response.content.decode()
    return html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]


def test_the_top_navigation_leads_to_offices_executives_and_tendencies(fed: Fed) -> None:
    """Executives and tendencies are one click from every page of the organisation, beside the register of
    offices, and each is marked as the current section on its own pages (and only there)."""
    establish(fed)
    tendency = _as(fed, 1).post(_url(fed, "tendencies"), {"name": "Rank and File", "platform": "Organise."})
    assert tendency.status_code == 302
    links = {
        "Offices": _url(fed, "register"),
        "Executives": _url(fed, "executives"),
        "Tendencies": _url(fed, "tendencies"),
    }
    member = _as(fed, 20)
    home = _main_navigation(member, reverse("federation:home", kwargs={"slug": fed.slug}))
    for name, url in links.items():
        assert f'<a href="{url}">{name}</a>' in home
    sections = {
        _url(fed, "register"): "Offices",
        _url(fed, "executives"): "Executives",
        _url(fed, "executive", code="STRIKE"): "Executives",
        _url(fed, "tendencies"): "Tendencies",
        _url(fed, "tendency", tendency=Tendency.objects.get().slug): "Tendencies",
    }
    for page, current in sections.items():
        nav = _main_navigation(member, page)
        assert f'<a href="{links[current]}" aria-current="page">{current}</a>' in nav, page
        assert nav.count('aria-current="page"') == 1, page


# Who may see the pages --------------------------------------------------------------------------------------


def test_the_pages_are_for_members_only(fed: Fed) -> None:
    """Anonymous visitors are sent to sign in; a person who is not a member gets the same 404 as for a
    missing organisation, and so do a missing executive and a missing tendency."""
    urls = [
        _url(fed, "register"),
        _url(fed, "tendencies"),
        _url(fed, "executives"),
        _url(fed, "amendments"),
        _url(fed, "amend"),
    ]
    for url in urls:
        assert Client().get(url).status_code == 302
    stranger = Client()
    stranger.force_login(user_create(email="s@example.org", name="Stranger", password="x" * 12))
    for url in urls:
        assert stranger.get(url).status_code == 404
    member = _as(fed, 1)
    assert member.get(_url(fed, "executive", code="NOPE")).status_code == 404
    assert member.get(_url(fed, "tendency", tendency="nope")).status_code == 404
    assert member.get(reverse("governance:register", kwargs={"slug": "nope"})).status_code == 404


# The register of offices ------------------------------------------------------------------------------------


def test_the_register_shows_every_office_holder_their_term_and_how_they_came_to_it(fed: Fed) -> None:
    """The Secretary of Unit 0.0 with their term and how elected, unpaid; and the members of an
    established executive, with the council's motion that named them."""
    term = current_term()  # the fixture's, before the council's sitting lets days pass
    establish(fed)
    response = _as(fed, 20).get(_url(fed, "register"))
    assert response.status_code == 200
    text = _text(response)
    assert "Secretary Unit 0.0 Member 002" in text
    start, end = (dateformat.format(day, "j M Y") for day in term)
    assert f"{start} to {end} unpaid test election" in text
    assert "Strike Commission (commission of District 0) Member 001" in text
    assert "named in District 0's adopted motion" in text
    assert (
        reverse("governance:executive", kwargs={"slug": fed.slug, "code": "STRIKE"})
        in response.content.decode()
    )


def test_the_register_costs_the_same_queries_however_many_offices_are_held(fed: Fed) -> None:
    """Filling more offices and seating an executive adds rows, not queries."""
    client = _as(fed, 1)
    establish(fed)
    before = _queries(client, _url(fed, "register"))
    for n, unit in ((7, fed.small.units[1]), (12, fed.small.units[2]), (17, fed.small.units[3])):
        office = office_create(body=unit, title="Treasurer")
        office_fill(
            office=office,
            member=fed.members[f"m{n}"],
            term_start=current_term()[0],
            term_end=current_term()[1],
            source="test election",
        )
    establish(fed, code="PRESS", name="Press Commission")
    assert _queries(client, _url(fed, "register")) == before
    assert before <= 10


# Tendencies -------------------------------------------------------------------------------------------------


def test_a_member_founds_a_tendency_others_join_and_leave(fed: Fed) -> None:
    """Founded from the page with its platform, listed for everyone; another member joins and leaves."""
    founded = _as(fed, 1).post(_url(fed, "tendencies"), {"name": "Rank and File", "platform": "Power below."})
    assert founded.status_code == 302
    detail = _url(fed, "tendency", tendency="rank-and-file")
    assert founded["Location"] == detail
    listing = _text(_as(fed, 20).get(_url(fed, "tendencies")))
    assert "Rank and File — 1 member, founded by Member 001" in listing
    assert (
        _as(fed, 2).post(_url(fed, "tendency_act", tendency="rank-and-file", action="join")).status_code
        == 302
    )
    assert "Applied to join (1)" in _text(_as(fed, 1).get(detail))
    admit = _url(fed, "tendency_admit", tendency="rank-and-file", number=fed.members["m2"].number)
    assert _as(fed, 1).post(admit).status_code == 302
    page = _text(_as(fed, 2).get(detail))
    assert "Power below." in page and "Members (2)" in page and "Leave Rank and File" in page
    assert (
        _as(fed, 2).post(_url(fed, "tendency_act", tendency="rank-and-file", action="leave")).status_code
        == 302
    )
    assert "Members (1)" in _text(_as(fed, 20).get(detail))


def test_founding_a_tendency_without_a_platform_or_twice_is_refused(fed: Fed) -> None:
    """A missing platform is a form error; a second tendency of the same name is refused with the reason."""
    empty = _as(fed, 1).post(_url(fed, "tendencies"), {"name": "Rank and File", "platform": ""})
    assert empty.status_code == 400 and "This field is required" in _text(empty)
    _as(fed, 1).post(_url(fed, "tendencies"), {"name": "Rank and File", "platform": "p"})
    again = _as(fed, 2).post(_url(fed, "tendencies"), {"name": "Rank and File", "platform": "q"})
    assert again.status_code == 409 and "already exists" in _text(again)
    assert Tendency.objects.count() == 1


def test_only_a_tendencys_own_members_can_dissolve_it(fed: Fed) -> None:
    """A delegate of Congress outside it is refused with the reason and sees no dissolve button; when
    both its members vote to dissolve it, it is dissolved."""
    _as(fed, 1).post(_url(fed, "tendencies"), {"name": "Rank and File", "platform": "p"})
    _as(fed, 2).post(_url(fed, "tendency_act", tendency="rank-and-file", action="join"))
    _as(fed, 1).post(_url(fed, "tendency_admit", tendency="rank-and-file", number=fed.members["m2"].number))
    dissolve = _url(fed, "tendency_act", tendency="rank-and-file", action="dissolve")
    outsider = _as(fed, 3)
    assert "Vote to dissolve" not in _text(outsider.get(_url(fed, "tendency", tendency="rank-and-file")))
    refused = outsider.post(dissolve)
    assert refused.status_code == 403
    assert "Only the members of Rank and File can dissolve it" in _text(refused)
    assert _as(fed, 1).post(dissolve).status_code == 302
    assert "1 of its 2 members has voted" in _text(
        _as(fed, 1).get(_url(fed, "tendency", tendency="rank-and-file"))
    )
    _as(fed, 2).post(dissolve, follow=True)
    page = _text(_as(fed, 20).get(_url(fed, "tendency", tendency="rank-and-file")))
    assert "dissolved by its members" in page and "Join Rank and File" not in page
    assert Tendency.objects.get().dissolved_at is not None


def test_a_tendency_action_that_does_not_exist_is_not_found(fed: Fed) -> None:
    _as(fed, 1).post(_url(fed, "tendencies"), {"name": "Rank and File", "platform": "p"})
    assert (
        _as(fed, 1).post(_url(fed, "tendency_act", tendency="rank-and-file", action="ban")).status_code == 404
    )
    assert (
        _as(fed, 1).get(_url(fed, "tendency_act", tendency="rank-and-file", action="join")).status_code == 405
    )


# Executives -------------------------------------------------------------------------------------------------


def test_executives_are_listed_under_their_council_with_powers_and_record(fed: Fed) -> None:
    """The list shows the council, powers, members and decisions; the page shows the charter's motion,
    the powers and each decision with the power it used."""
    establish(fed)
    decide(fed, 1, "book-venues")
    listing = _text(_as(fed, 20).get(_url(fed, "executives")))
    assert "Of District 0" in listing
    assert "Strike Commission STRIKE To book venues and to print leaflets Established 2 1 0" in listing
    page = _as(fed, 20).get(_url(fed, "executive", code="strike"))
    text = _text(page)
    assert "Commission of District 0 , answerable to it" in text
    assert "Powers the council delegated To book venues To print leaflets" in text
    assert "Use book-venues Under its power to book venues, by Member 001" in text
    assert "Call it in" not in text  # m20 is no delegate of District 0


def test_delegates_call_a_decision_in_sign_and_the_council_reverses_it(fed: Fed) -> None:
    """m3 calls in from the page (1 of 2 signatures), m6 signs and it becomes the council's motion; once
    District 0 adopts it, applying the vote shows the decision reversed by that motion."""
    establish(fed)
    decision = decide(fed, 1, "book-venues").json()["id"]
    page = _url(fed, "executive", code="STRIKE")
    assert "Call it in" in _text(_as(fed, 3).get(page))
    opened = _as(fed, 3).post(_url(fed, "call_in", decision_id=decision), {"reason": "Too costly."})
    assert opened.status_code == 302
    assert "Gathering delegates' signatures — 1 of the 2 delegates' signatures needed" in _text(
        _as(fed, 6).get(page)
    )
    call_in = CallIn.objects.get()
    assert _as(fed, 6).post(_url(fed, "call_in_sign", call_in_id=call_in.pk)).status_code == 302
    call_in.refresh_from_db()
    assert call_in.motion is not None
    assert "Before the council — 2 of the 2" in _text(_as(fed, 20).get(page))
    adopt_in_council(fed, "D0", call_in.motion.pk, (3, 6))
    assert _as(fed, 20).post(_url(fed, "call_in_settle", call_in_id=call_in.pk)).status_code == 302
    text = _text(_as(fed, 20).get(page))
    assert f"Reversed by the council by motion “{call_in.motion.title}”" in text
    assert ExecutiveDecision.objects.get().status == DecisionStatus.REVERSED


def test_a_member_who_is_no_delegate_cannot_call_a_decision_in(fed: Fed) -> None:
    """Refused with the reason, and no call-in is opened; an empty reason is a form error."""
    establish(fed)
    decision = decide(fed, 1, "book-venues").json()["id"]
    refused = _as(fed, 1).post(_url(fed, "call_in", decision_id=decision), {"reason": "mine"})
    assert refused.status_code == 403
    assert "Only delegates seated on District 0 may call in its executives' decisions." in _text(refused)
    empty = _as(fed, 3).post(_url(fed, "call_in", decision_id=decision), {"reason": ""})
    assert empty.status_code == 400 and "This field is required" in _text(empty)
    assert not CallIn.objects.exists()
    assert _as(fed, 3).post(_url(fed, "call_in", decision_id=999999), {"reason": "x"}).status_code == 404


def test_settling_before_the_council_votes_changes_nothing(fed: Fed) -> None:
    """Applying a vote not yet taken is refused in a message; the decision stays called in."""
    establish(fed)
    decision = decide(fed, 1, "book-venues").json()["id"]
    _as(fed, 3).post(_url(fed, "call_in", decision_id=decision), {"reason": "r"})
    call_in = CallIn.objects.get()
    _as(fed, 6).post(_url(fed, "call_in_sign", call_in_id=call_in.pk))
    settled = _as(fed, 3).post(_url(fed, "call_in_settle", call_in_id=call_in.pk), follow=True)
    assert "Nothing changed:" in _text(settled)
    assert ExecutiveDecision.objects.get().status == DecisionStatus.CALLED_IN


def test_a_dissolved_executive_shows_its_status(fed: Fed) -> None:
    establish(fed)
    moved = fed.api(3).post(f"/orgs/{fed.slug}/executives/STRIKE/dissolution").json()
    adopt_in_council(fed, "D0", moved["dissolution_motion"], (3, 6))
    fed.api(3).post(f"/orgs/{fed.slug}/executives/STRIKE/settle")
    text = _text(_as(fed, 20).get(_url(fed, "executive", code="STRIKE")))
    assert "Dissolved by its council" in text and "Nobody sits on it now." in text


def test_the_executive_pages_cost_the_same_queries_however_long_the_record(fed: Fed) -> None:
    """More executives, decisions and call-ins add rows, not queries, to the list and the page."""
    client = _as(fed, 3)
    establish(fed)
    decide(fed, 1, "book-venues")
    page, listing = _url(fed, "executive", code="STRIKE"), _url(fed, "executives")
    before = (_queries(client, page), _queries(client, listing))
    for n in range(3):
        decision = decide(fed, 7, "print-leaflets").json()["id"]
        fed.api(3).post(f"/orgs/{fed.slug}/decisions/{decision}/call-in", {"reason": f"r{n}"})
    establish(fed, code="PRESS", name="Press Commission")
    assert (_queries(client, page), _queries(client, listing)) == before
    assert max(before) <= 14


# The constitution's amendments ------------------------------------------------------------------------------


def test_the_amendment_history_shows_each_version_its_changes_and_the_referendum(fed: Fed) -> None:
    """After a referendum carries a new term limit, version 2 is shown in force with the rule's before
    and after, the referendum's figures and a link to it; version 1 is the founding text."""
    assert "The founding text." in _text(_as(fed, 1).get(_url(fed, "amendments")))
    rules = dict(ConstitutionVersion.objects.get(organisation=fed.org, number=1).rules)
    rules["offices"] = {**rules["offices"], "max_consecutive_terms": 2}
    version = constitution_amend(fed.org, rules)
    response = _as(fed, 20).get(_url(fed, "amendments"))
    text = _text(response)
    assert "Version 2 in force" in text
    assert "Most consecutive terms 3 2" in text
    assert "20 yes, 0 no, 0 abstaining, of 20 members entitled to vote" in text
    assert version.referendum_id is not None
    referral = reverse("motions:referral", kwargs={"slug": fed.slug, "referral_id": version.referendum_id})
    assert referral in response.content.decode()
    assert "enacted as version 2" in text
    constitution = _as(fed, 20).get(reverse("federation:constitution", kwargs={"slug": fed.slug}))
    assert _url(fed, "amendments") in constitution.content.decode()


def test_proposing_an_amendment_only_moves_a_motion(fed: Fed) -> None:
    """m1 proposes a lower term limit in their unit: a constitutional motion is moved, the constitution
    in force is unchanged, and the history lists the proposal as not in force."""
    form = _text(_as(fed, 1).get(_url(fed, "amend")))
    assert "Unit 0.0" in form and "District 0" not in form  # m1 sits only in their unit
    response = _as(fed, 1).post(
        _url(fed, "amend"),
        {"body": "D0-U0", "rule": "offices.max_consecutive_terms", "value": "2", "reason": "Rotate."},
    )
    proposal = ConstitutionProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "motions:detail", kwargs={"slug": fed.slug, "motion_id": proposal.motion_id}
    )
    assert proposal.motion.constitutional and proposal.rules["offices"]["max_consecutive_terms"] == 2
    assert ConstitutionVersion.objects.filter(organisation=fed.org).count() == 1
    text = _text(_as(fed, 20).get(_url(fed, "amendments")))
    assert "Most consecutive terms: 3 → 2" in text and "not in force" in text


def test_an_amendment_reads_in_words_on_its_motion_and_in_the_history(fed: Fed) -> None:
    """A proposal to change the counting method is offered, moved and listed by the rule's name with its
    values in words: the motion's title and text, and the history, never show the key or the method's
    code; the rule for calling in executives' decisions can be proposed too."""
    form = _as(fed, 1).get(_url(fed, "amend")).content.decode()
    assert '<option value="executives.call_in_percent">' in form
    response = _as(fed, 1).post(
        _url(fed, "amend"), {"body": "D0-U0", "rule": "elections.delegate_method", "value": "meek-stv"}
    )
    assert response.status_code == 302
    motion = ConstitutionProposal.objects.get().motion
    assert motion.title == "Amend the constitution (version 1): Method for electing delegates"
    assert (
        "- Method for electing delegates: the single transferable vote (Scottish rules) → the single "
        "transferable vote (Meek's method)" in motion.text
    )
    history = _text(_as(fed, 20).get(_url(fed, "amendments")))
    assert (
        "Method for electing delegates: the single transferable vote (Scottish rules) → the single "
        "transferable vote (Meek's method)" in history
    )
    assert "meek-stv" not in history and "delegate_method" not in history


def test_an_amendment_in_a_body_one_does_not_sit_in_or_to_an_invalid_value_is_refused(fed: Fed) -> None:
    """A council m1 holds no seat on is not offered; a value the rule cannot take is refused naming it."""
    elsewhere = _as(fed, 1).post(
        _url(fed, "amend"), {"body": "D0", "rule": "offices.max_consecutive_terms", "value": "2"}
    )
    assert elsewhere.status_code == 400 and "Select a valid choice" in _text(elsewhere)
    invalid = _as(fed, 1).post(
        _url(fed, "amend"), {"body": "D0-U0", "rule": "offices.max_consecutive_terms", "value": "0"}
    )
    assert invalid.status_code == 400 and "max_consecutive_terms" in _text(invalid)
    assert not ConstitutionProposal.objects.exists()


def test_a_delegate_may_propose_in_their_council(fed: Fed) -> None:
    """m3 sits on District 0 and Congress, so both are offered, and a yes/no rule takes 'no'."""
    form = _text(_as(fed, 3).get(_url(fed, "amend")))
    assert "Congress" in form and "District 0" in form
    response = _as(fed, 3).post(
        _url(fed, "amend"), {"body": "D0", "rule": "elections.allow_revote", "value": "no"}
    )
    assert response.status_code == 302
    assert ConstitutionProposal.objects.get().rules["elections"]["allow_revote"] is False
