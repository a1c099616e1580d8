"""The election pages: lists, an election with its candidates, standing and withdrawing, and the result."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.audit.services import Actor
from commune.elections.models import Candidacy, CandidacyStatus, Election
from commune.elections.services import candidacy_nominate, endorsement_publish
from commune.elections.services.casting import ballot_cast
from tests.clock import Clock
from tests.conftest import PASSWORD, SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: bytes) -> str:
    """The page's text with tags dropped and whitespace squeezed, for assertions about what it says."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _url(name: str, fed: SmallFederation, election: Election) -> str:
    return reverse(name, kwargs={"slug": fed.org.slug, "election_id": election.pk})


@pytest.fixture
def nominating(clock: Clock, federation: SmallFederation) -> Election:
    """Two seats elected by the five members of Unit 0.0; nominations open."""
    return call(clock, federation.units[0], seats=2, title="Depot committee")


@pytest.fixture
def declared(clock: Clock, federation: SmallFederation, nominating: Election) -> Election:
    """Three candidates for two seats; every member of the unit votes; the result is declared."""
    m = federation.members
    a, b, c = stand(nominating, m["m1"], m["m2"], m["m4"])
    election = to_voting(clock, nominating)
    for voter, ranking in (
        ("m1", [a, b]),
        ("m2", [b, a]),
        ("m3", [a, c]),
        ("m4", [c, b]),
        ("m5", [c]),
    ):
        ballot_cast(election_id=election.pk, member=m[voter], ranking=ranking)
    return to_declared(clock, election)


def test_the_elections_list_shows_those_i_can_vote_in_and_every_one(
    federation: SmallFederation, nominating: Election
) -> None:
    """A member of the unit sees the election under their own heading and in the full list."""
    response = _client(federation.member).get(reverse("elections:list", kwargs={"slug": federation.org.slug}))
    text = _text(response.content)
    assert response.status_code == 200
    mine, everything = text.split("Every election of")[0], text.split("Every election of")[1]
    assert "Depot committee" in mine and "Nominations open" in mine
    assert "Depot committee" in everything


def test_a_member_elsewhere_is_not_offered_it_as_their_own(
    federation: SmallFederation, nominating: Election
) -> None:
    """Someone in another unit sees the election in the full list only."""
    other = federation.members["m6"].person
    text = _text(_client(other).get(reverse("elections:list", kwargs={"slug": federation.org.slug})).content)
    assert "No election in which you may vote is under way" in text
    assert "Depot committee" in text


def test_a_body_lists_its_elections_with_status_and_timeline(
    federation: SmallFederation, nominating: Election
) -> None:
    """The body's elections page names each election, its status, its two windows and its seats."""
    url = reverse("elections:of_body", kwargs={"slug": federation.org.slug, "code": "D0-U0"})
    response = _client(federation.member).get(url)
    assert response.status_code == 200
    row = _text(response.content).split("Depot committee")[1]
    assert "Nominations open" in row
    assert f"{nominating.voting_close_at:%-d %b %Y %H:%M}" in row
    body_page = _client(federation.member).get(
        reverse("federation:body", kwargs={"slug": federation.org.slug, "code": "D0-U0"})
    )
    assert url.encode() in body_page.content


def test_the_election_page_shows_its_terms_and_its_candidates_as_they_stand(
    federation: SmallFederation, nominating: Election
) -> None:
    """Timeline, seats, method, electorate size, and each candidate's statement and tendency; a body's
    endorsement is shown as that body's endorsement."""
    m = federation.members
    candidacy = candidacy_nominate(
        election=nominating,
        member=m["m4"],
        statement=f"I am {m['m4'].number}",
        tendency="Rank and File",
        actor=Actor.of(m["m4"].person),
    )
    endorsement_publish(
        candidacy=candidacy,
        body=federation.districts[0],
        statement="A tireless organiser",
        actor=Actor(None, "t"),
    )
    response = _client(federation.member).get(_url("elections:detail", federation, nominating))
    text = _text(response.content)
    assert response.status_code == 200
    assert "Seats 2" in text
    assert "Counting method the single transferable vote (Scottish rules)" in text
    assert "Electorate 5 electors" in text
    assert f"{nominating.nominations_open_at:%-d %B %Y, %H:%M}" in text
    assert f"{nominating.voting_close_at:%-d %B %Y, %H:%M}" in text
    assert "I am " + m["m4"].number in text
    assert "Tendency: Rank and File" in text
    assert "Endorsement District 0 endorses this candidate: “A tireless organiser”" in text
    assert "Stand for election" in text


def test_a_member_stands_with_a_statement_and_tendency_and_can_withdraw(
    federation: SmallFederation, nominating: Election
) -> None:
    """Standing takes the member's own statement and tendency; withdrawing takes them off the ballot."""
    client = _client(federation.member)
    form = client.get(_url("elections:stand", federation, nominating))
    assert form.status_code == 200 and b'name="statement"' in form.content
    response = client.post(
        _url("elections:stand", federation, nominating),
        {"statement": "Safe rosters for all", "tendency": "Broad Left"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _url("elections:detail", federation, nominating)
    assert "You are standing in Depot committee" in _text(response.content)
    candidacy = Candidacy.objects.get(election=nominating, member=federation.members["m1"])
    assert (candidacy.statement, candidacy.tendency, candidacy.status) == (
        "Safe rosters for all",
        "Broad Left",
        CandidacyStatus.STANDING,
    )
    assert "Withdraw my nomination" in _text(response.content)

    response = client.post(_url("elections:withdraw", federation, nominating), follow=True)
    assert "You have withdrawn from Depot committee" in _text(response.content)
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.WITHDRAWN


def test_only_members_of_the_constituency_may_stand(
    federation: SmallFederation, nominating: Election
) -> None:
    """A member of another unit is told why, and no candidacy is made."""
    response = _client(federation.members["m6"].person).post(
        _url("elections:stand", federation, nominating), {"statement": "", "tendency": ""}
    )
    assert response.status_code == 400
    assert "only members of Unit 0.0 may stand in this election" in _text(response.content)
    assert not Candidacy.objects.filter(election=nominating).exists()


def test_standing_after_nominations_close_is_refused(
    clock: Clock, federation: SmallFederation, nominating: Election
) -> None:
    """Once nominations close the form says so and nothing changes."""
    stand(nominating, federation.members["m2"], federation.members["m4"], federation.members["m5"])
    to_voting(clock, nominating)
    response = _client(federation.member).post(
        _url("elections:stand", federation, nominating), {"statement": "late"}
    )
    assert response.status_code == 400
    assert "nominations for Depot committee are not open" in _text(response.content)
    assert not Candidacy.objects.filter(election=nominating, member=federation.members["m1"]).exists()


def test_withdrawing_without_standing_is_404_and_withdrawing_is_post_only(
    federation: SmallFederation, nominating: Election
) -> None:
    client = _client(federation.member)
    assert client.post(_url("elections:withdraw", federation, nominating)).status_code == 404
    assert client.get(_url("elections:withdraw", federation, nominating)).status_code == 405


def test_the_result_shows_every_stage_exactly_the_winners_in_order_and_the_alternates(
    federation: SmallFederation, declared: Election
) -> None:
    """The stage table has every stage and every candidate's total as counted; the elected in order of
    election, the alternate, the non-transferable row and a chart of the count."""
    response = _client(federation.member).get(_url("elections:result", federation, declared))
    assert response.status_code == 200
    text = _text(response.content)
    result = declared.result
    assert result is not None
    for stage in result["stages"]:
        assert f"Stage {stage['stage']} {stage['description']}" in text
        for total in stage["totals"].values():
            assert total in text  # exact decimal strings, e.g. 1.00000
    elected = re.search(r"Elected, in order of election(.*?)Alternates", text)
    assert elected is not None
    assert elected.group(1).split() == " ".join(result["elected"]).split()
    alternates = Candidacy.objects.get(election=declared, outcome="alternate")
    assert f"Alternates, in the order they would stand in {alternates.ballot_label}" in text
    assert "Non-transferable" in text
    assert f"Quota {result['quota']}" in text
    html = response.content.decode()
    assert html.count("<rect ") == len(result["stages"]) * 3  # one bar per candidate per stage
    assert 'role="img"' in html


def test_a_tie_settled_in_the_count_is_told_in_words(clock: Clock, federation: SmallFederation) -> None:
    """A single seat counted by the instant-runoff vote, two candidates tied for exclusion: the result
    page names the method and says whom the tie was settled for and how, in words."""
    m = federation.members
    election = call(clock, federation.units[0], seats=1, title="Depot secretary")
    a, b, c = stand(election, m["m1"], m["m2"], m["m4"])
    election = to_voting(clock, election)
    for voter, ranking in (("m1", [a]), ("m2", [a]), ("m3", [b]), ("m4", [c])):
        ballot_cast(election_id=election.pk, member=m[voter], ranking=ranking)
    declared = to_declared(clock, election)
    assert declared.method == "irv" and declared.result is not None
    [tie] = declared.result["tie_breaks"]
    assert (tie["purpose"], tie["rule"]) == ("exclusion", "lot")
    text = _text(_client(federation.member).get(_url("elections:result", federation, declared)).content)
    assert "counted by the instant-runoff vote" in text
    assert f"whom to exclude: {', '.join(tie['tied'])} were tied; {tie['chosen']} was chosen by lot" in text
    assert "irv" not in text.split() and "exclusion" not in text


def test_the_result_page_before_the_count_says_when_it_comes(
    clock: Clock, federation: SmallFederation, nominating: Election
) -> None:
    stand(nominating, federation.members["m2"], federation.members["m4"], federation.members["m5"])
    to_voting(clock, nominating)
    response = _client(federation.member).get(_url("elections:result", federation, nominating))
    assert response.status_code == 200
    assert "The result is declared when voting closes and the ballots are counted" in _text(response.content)


def _pages(fed: SmallFederation, election: Election) -> list[str]:
    return [
        reverse("elections:list", kwargs={"slug": fed.org.slug}),
        reverse("elections:of_body", kwargs={"slug": fed.org.slug, "code": election.body.code}),
        _url("elections:detail", fed, election),
        _url("elections:stand", fed, election),
        _url("elections:result", fed, election),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(federation: SmallFederation, nominating: Election) -> None:
    for url in _pages(federation, nominating):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_people_who_are_not_members_get_404(federation: SmallFederation, nominating: Election) -> None:
    """A signed-in stranger, and a member of another organisation, learn nothing of the election."""
    stranger = user_create(email="stranger@example.org", name="Stranger", password=PASSWORD)
    other = build_federation(slug="other").member
    for person in (stranger, other):
        client = _client(person)
        for url in _pages(federation, nominating):
            assert client.get(url).status_code == 404, url
        assert client.post(_url("elections:withdraw", federation, nominating)).status_code == 404


def test_an_election_of_another_organisation_is_404_under_mine(
    clock: Clock, federation: SmallFederation, nominating: Election
) -> None:
    """An election id from another organisation is not found under this organisation's address."""
    other = build_federation(slug="other2")
    theirs = call(clock, other.units[0], seats=1, title="Theirs")
    client = _client(federation.member)
    for name in ("elections:detail", "elections:result", "elections:stand"):
        assert client.get(_url(name, federation, theirs)).status_code == 404
    assert client.get(_url("elections:detail", federation, nominating)).status_code == 200


def _declared_in(clock: Clock, fed: SmallFederation) -> Election:
    """Two seats, three candidates, every elector in Unit 0.0 votes."""
    electors = [m for m in fed.members.values() if m.current_unit_id == fed.units[0].pk]
    election = call(clock, fed.units[0], seats=2, title="Committee")
    ids = stand(election, *electors[:3])
    election = to_voting(clock, election)
    for i, member in enumerate(electors):
        ballot_cast(election_id=election.pk, member=member, ranking=[ids[i % 3], ids[(i + 1) % 3]])
    return to_declared(clock, election)


def _queries(fed: SmallFederation, url: str) -> int:
    client = _client(fed.member)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_election_and_result_pages_are_constant_in_queries_for_an_electorate_ten_times_larger(
    clock: Clock,
) -> None:
    """An electorate (and ballot count) ten times larger costs not one query more on either page."""
    small = build_federation(members_per_unit=4, slug="small")
    large = build_federation(members_per_unit=40, slug="large")
    counts = {}
    for fed in (small, large):
        election = _declared_in(clock, fed)
        assert election.electorate_size == (4 if fed is small else 40)
        counts[fed.org.slug] = (
            _queries(fed, _url("elections:detail", fed, election)),
            _queries(fed, _url("elections:result", fed, election)),
        )
    assert counts["small"] == counts["large"]
    assert max(counts["small"]) <= 12, counts
