"""The provenance of decisions, through the API and on the page: every link back to the constituencies,
each with the log entry that recorded it; a missing link is shown, never hidden."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from commune.audit.models import LogEntry
from commune.federation.services import delegation_seat
from tests.clock import Clock, current_term, let_vote_run, wait_for_session
from tests.provenance.federation import (
    CouncilDecision,
    ElectedFederation,
    build_elected_federation,
    decide_forwarded_motion,
    refer_forwarded_motion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(clock: Clock) -> tuple[ElectedFederation, CouncilDecision]:
    fed = build_elected_federation(clock)
    return fed, decide_forwarded_motion(fed)


def provenance(fed: ElectedFederation, kind: str, decision_id: int, reader: int = 12) -> dict[str, Any]:
    response = fed.api(reader).get(f"/orgs/{fed.slug}/decisions/{kind}/{decision_id}/provenance")
    assert response.status_code == 200, response.json()
    return dict(response.json())


def children(node: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [c for c in node["children"] if c["kind"] == kind]


def test_council_vote_leads_back_through_each_seat_to_its_election_and_constituency(decided: Any) -> None:
    """A council vote's provenance names every seat's choice, the election that filled the seat with its
    bulletin's Merkle root, the constituency that elected it and the apportionment of its seats."""
    fed, decision = decided
    tree = provenance(fed, "vote", decision.council_vote)
    assert tree["complete"] is True and tree["gaps"] == []
    root = tree["root"]
    assert (root["facts"]["yes"], root["facts"]["no"], root["facts"]["abstain"]) == (2, 1, 1)
    assert root["facts"]["carried"] is True and root["facts"]["mode"] == "council"

    [council] = children(root, "body")
    assert council["facts"]["code"] == "D0"
    seats = {s["facts"]["member_number"]: s for s in children(council, "seat")}
    assert {n: s["facts"]["choice"] for n, s in seats.items()} == {
        "PV00004": "yes",
        "PV00005": "no",
        "PV00007": "yes",
        "PV00008": "abstain",
    }
    for number, constituency in [("PV00004", "D0-U0"), ("PV00007", "D0-U1")]:
        [election] = children(seats[number], "election")
        held = fed.elections[constituency]
        assert election["id"] == held.pk and election["url"] == f"/o/pv/elections/{held.pk}/result/"
        assert f"Member 00{number[-1]}" in election["facts"]["elected"]
        [bulletin] = children(election, "bulletin")
        assert bulletin["facts"]["merkle_root"] == held.merkle_root != ""
        [electorate] = children(election, "constituency")
        assert electorate["facts"]["code"] == constituency and electorate["facts"]["electorate_size"] == 5
        [apportionment] = children(electorate, "apportionment")
        assert (apportionment["facts"]["seats"], apportionment["facts"]["total_seats"]) == (2, 4)


def test_every_node_names_the_log_entry_that_recorded_it(decided: Any) -> None:
    """Each logged link carries the position and hash of a real entry of the organisation's chain, and the
    entry is the one recording that act."""
    fed, decision = decided
    root = provenance(fed, "vote", decision.council_vote)["root"]
    entries = {e.seq: e for e in LogEntry.objects.filter(organisation=fed.small.org)}
    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node["children"])
    logged = [n for n in nodes if n["log"]]
    assert {n["kind"] for n in logged} >= {"vote", "motion", "seat", "election", "bulletin", "apportionment"}
    for node in logged:
        entry = entries[node["log"]["seq"]]
        assert entry.entry_hash == node["log"]["hash"] and entry.action == node["log"]["action"]
    seat = next(n for n in nodes if n["kind"] == "seat" and n["facts"]["member_number"] == "PV00005")
    assert entries[seat["log"]["seq"]].payload["choice"] == "no"
    apportionments = [n for n in nodes if n["kind"] == "apportionment"]
    for node in apportionments:
        payload = entries[node["log"]["seq"]].payload
        assert sum(payload["seats"].values()) == node["facts"]["total_seats"] == 4


def test_motion_line_shows_the_unit_vote_that_started_it_with_counts_not_voters(decided: Any) -> None:
    """The forwarded motion leads back to the unit where it was moved and the secret ballot that adopted it
    there: the counts are given, and nothing names who voted how."""
    fed, decision = decided
    root = provenance(fed, "vote", decision.council_vote)["root"]
    [motion] = children(root, "motion")
    [moved] = children(motion, "motion")
    assert moved["id"] == decision.unit_motion and moved["facts"]["body"] == "D0-U0"
    [unit_vote] = children(moved, "vote")
    assert (unit_vote["facts"]["yes"], unit_vote["facts"]["no"], unit_vote["facts"]["abstain"]) == (3, 1, 1)

    secret = provenance(fed, "vote", decision.unit_vote)
    assert secret["complete"] is True
    [unit] = children(secret["root"], "body")
    [electorate] = children(unit, "electorate")
    assert electorate["facts"] == {"electorate": 5, "secret": True, "voted": 5}
    text = str(secret)
    assert not any(f"Member 00{n}" in text for n in range(1, 6))


def test_motion_and_election_are_decisions_with_their_own_provenance(decided: Any) -> None:
    """A motion's provenance is that of the vote that decided it; an election's leads to its bulletin, its
    electorate and the apportionment of its seats."""
    fed, decision = decided
    motion = provenance(fed, "motion", decision.council_motion)
    assert motion["kind"] == "motion" and motion["root"]["id"] == decision.council_vote
    election = fed.elections["D0-U0"]
    tree = provenance(fed, "election", election.pk)
    assert tree["complete"] is True
    assert tree["root"]["facts"]["elected"] == ["Member 004", "Member 005"]
    assert [c["kind"] for c in tree["root"]["children"]] == ["bulletin", "constituency"]


def logged_nodes(root: dict[str, Any]) -> list[dict[str, Any]]:
    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node["children"])
    return nodes


def test_a_referral_and_the_motion_it_referred_name_the_entries_that_recorded_them(clock: Clock) -> None:
    """A question a council referred to its units' assemblies reads back, complete, through each assembly's
    vote to the council's vote that referred it and the motion's line; the referred motion is decided by that
    referral, and every logged step names the entry recording that very act."""
    fed = build_elected_federation(clock)
    referred = refer_forwarded_motion(fed)
    entries = {e.seq: e for e in LogEntry.objects.filter(organisation=fed.small.org)}
    for kind, decision_id in [("referral", referred.referral), ("motion", referred.council_motion)]:
        tree = provenance(fed, kind, decision_id)
        assert tree["kind"] == kind
        assert tree["complete"] is True and tree["gaps"] == [], tree["gaps"]
        root = tree["root"]
        assert (root["kind"], root["id"]) == ("referral", referred.referral)
        assert (root["facts"]["yes"], root["facts"]["no"], root["facts"]["abstain"]) == (5, 4, 1)
        nodes = logged_nodes(root)
        subjects = {
            "referral.decided": "referral",
            "vote.closed": "vote",
            "motion.moved": "motion",
            "motion.forwarded": "motion",
        }
        for node in nodes:
            if node["kind"] not in {"referral", "vote", "motion"}:
                continue
            assert node["log"] is not None, node["title"]
            entry = entries[node["log"]["seq"]]
            assert entry.entry_hash == node["log"]["hash"] and entry.action == node["log"]["action"]
            assert entry.payload[subjects[entry.action]] == node["id"], (node["title"], entry.action)
        votes = {n["id"] for n in nodes if n["kind"] == "vote"}
        assert votes >= {referred.refer_vote, *referred.unit_votes}
        motions = {n["id"] for n in nodes if n["kind"] == "motion"}
        assert motions == {referred.unit_motion, referred.council_motion}


def test_a_forwarded_motion_not_yet_decided_names_the_entries_of_the_line_behind_it(clock: Clock) -> None:
    """A motion forwarded to a council that has not voted on it yet shows that as its only gap: the unit
    that moved and adopted it, and the vote that adopted it there, each name their log entry."""
    fed = build_elected_federation(clock)
    api, slug = fed.api, fed.slug
    moved = (
        api(1).post(f"/orgs/{slug}/bodies/D0-U0/motions", {"title": "Levy", "text": "A levy."}).json()["id"]
    )
    assert api(2).post(f"/orgs/{slug}/motions/{moved}/support").status_code == 200
    vote = api(1).post(f"/orgs/{slug}/motions/{moved}/votes", {"minutes": 60}).json()["id"]
    for n in range(1, 6):
        assert api(n).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "yes"}).status_code == 201
    let_vote_run(vote)
    assert api(2).post(f"/orgs/{slug}/votes/{vote}/close").status_code == 200
    forwarded = api(1).post(f"/orgs/{slug}/motions/{moved}/forward").json()["id"]

    tree = provenance(fed, "motion", forwarded)
    assert tree["gaps"] == ["motion Levy: no vote has decided this motion yet"]
    [unit_motion] = children(tree["root"], "motion")
    [unit_vote] = children(unit_motion, "vote")
    assert unit_vote["id"] == vote and unit_vote["log"]["action"] == "vote.closed"
    assert (
        LogEntry.objects.get(seq=unit_vote["log"]["seq"], organisation=fed.small.org).payload["vote"] == vote
    )


def test_a_seat_no_election_conferred_is_shown_as_a_gap(decided: Any) -> None:
    """A delegate seated without an election result (appointed, as it were) breaks the chain, and the
    provenance says so instead of hiding the seat."""
    fed, _ = decided
    congress = fed.small.congress
    delegation_seat(
        council=congress,
        constituency=fed.small.districts[1],
        member=fed.m(11),
        term_start=current_term()[0],
        term_end=current_term()[1],
        source="named by the secretariat",
    )
    api = fed.api
    motion = api(3).post(f"/orgs/{fed.slug}/bodies/CONGRESS/motions", {"title": "Levy", "text": "A levy."})
    assert motion.status_code == 201, motion.json()
    motion_id = motion.json()["id"]
    assert api(11).post(f"/orgs/{fed.slug}/motions/{motion_id}/support").status_code == 200
    session = api(3).post(f"/orgs/{fed.slug}/bodies/CONGRESS/sessions", {"title": "Congress"}).json()["id"]
    wait_for_session(session)
    for n in (3, 11):
        assert api(n).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code == 201
    vote = api(3).post(f"/orgs/{fed.slug}/motions/{motion_id}/votes", {"minutes": 60, "session": session})
    vote_id = vote.json()["id"]
    for n in (3, 11):
        assert api(n).post(f"/orgs/{fed.slug}/votes/{vote_id}/ballots", {"choice": "yes"}).status_code == 201
    let_vote_run(vote_id)
    assert api(3).post(f"/orgs/{fed.slug}/votes/{vote_id}/close").status_code == 200

    tree = provenance(fed, "vote", vote_id)
    assert tree["complete"] is False
    assert any("named by the secretariat" in gap for gap in tree["gaps"])
    assert any("test election" in gap for gap in tree["gaps"])  # the fixture's own seat for District 0


def test_provenance_is_refused_alike_for_missing_foreign_and_unknown_decisions(decided: Any) -> None:
    """Another organisation's decision, a missing one and an unknown kind all get the same 404; nobody
    signed in gets 401."""
    fed, decision = decided
    other = build_elected_federation(fed.clock, slug="ot")
    outsider = other.api(1)
    assert (
        outsider.get(f"/orgs/{fed.slug}/decisions/vote/{decision.council_vote}/provenance").status_code == 404
    )
    foreign = outsider.get(f"/orgs/ot/decisions/vote/{decision.council_vote}/provenance")
    missing = fed.api(1).get(f"/orgs/{fed.slug}/decisions/vote/999999/provenance")
    unknown = fed.api(1).get(f"/orgs/{fed.slug}/decisions/decree/{decision.council_vote}/provenance")
    assert foreign.status_code == missing.status_code == unknown.status_code == 404
    assert missing.json() == {"detail": "no such vote"}
    anonymous = Client().get(f"/api/orgs/{fed.slug}/decisions/vote/{decision.council_vote}/provenance")
    assert anonymous.status_code == 401


def test_the_page_links_each_step_to_its_own_page(decided: Any) -> None:
    """The provenance page lists the chain as nested links, with each log entry's position and hash, and
    works without any script; a non-member gets a 404."""
    fed, decision = decided
    client = Client()
    client.force_login(fed.m(12).person)
    page = client.get(f"/o/{fed.slug}/decisions/vote/{decision.council_vote}/provenance/")
    assert page.status_code == 200
    html = page.content.decode()
    held = fed.elections["D0-U0"]
    assert f'href="/o/pv/elections/{held.pk}/result/"' in html
    assert f'href="/o/pv/elections/{held.pk}/bulletin/"' in html
    assert 'href="/o/pv/bodies/D0-U0/"' in html
    assert held.merkle_root in html
    assert "Every link is present" in html
    assert "<script" not in html.split("<main", 1)[1]
    vote_page = client.get(f"/o/{fed.slug}/votes/{decision.council_vote}/").content.decode()
    assert f'href="/o/pv/decisions/vote/{decision.council_vote}/provenance/"' in vote_page
    result_page = client.get(f"/o/{fed.slug}/elections/{held.pk}/result/").content.decode()
    assert f'href="/o/pv/decisions/election/{held.pk}/provenance/"' in result_page
    stranger = Client()
    stranger.force_login(build_elected_federation(fed.clock, slug="ou").m(1).person)
    assert (
        stranger.get(f"/o/{fed.slug}/decisions/vote/{decision.council_vote}/provenance/").status_code == 404
    )


def test_the_page_names_each_link_and_its_log_entry_in_words(decided: Any) -> None:
    """Each link is headed by what it is and names the act its log entry recorded in words ("vote
    closed", "council vote cast"), as a member reads them; the codes stay in the API."""
    fed, decision = decided
    client = Client()
    client.force_login(fed.m(12).person)
    page = client.get(f"/o/{fed.slug}/decisions/vote/{decision.council_vote}/provenance/").content.decode()
    assert '<span class="tag">Seat</span>' in page and '<span class="tag">Apportionment</span>' not in page
    assert '<span class="tag">Seats</span>' in page
    assert re.search(r"Log entry #\d+ \(council vote cast\)", page)
    assert re.search(r"Log entry #\d+ \(election bulletin published\)", page)
    assert "council.vote_cast" not in page and "(vote.closed)" not in page
    api = provenance(fed, "vote", decision.council_vote)["root"]
    assert api["log"]["action"] == "vote.closed"
