"""The provenance of an executive's decision: the decision ← the power it used ← the executive's charter ←
the council vote that adopted it ← the seats that voted ← their elections ← the constituencies; with each
call-in and the council's vote on it. Through the API, on the page, and in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from commune.audit.models import LogEntry
from commune.governance.models import ExecutiveDecision
from commune.provenance.selectors import executive_decision_provenance
from tests.clock import Clock, let_vote_run, wait_for_session
from tests.provenance.federation import ElectedFederation, build_elected_federation

pytestmark = pytest.mark.django_db

KIND = "executive-decision"
DELEGATES = (4, 5, 7, 8)  # District 0's elected delegates
#: The decision with its executive (1), its call-ins (1), the council votes (1), their seats with their
#: elections (1), the apportionments' shares (1) and positions (1), and the log (1).
EXECUTIVE_DECISION_QUERIES = 7


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return dict(response.json())


@dataclass(frozen=True)
class Committee:
    fed: ElectedFederation
    session: int
    charter_vote: int
    reversed: int
    reversal_vote: int
    upheld: int
    pending: int
    standing: int


def _council_vote(fed: ElectedFederation, session: int, motion: int, choices: dict[int, str]) -> int:
    vote = _ok(
        fed.api(4).post(f"/orgs/{fed.slug}/motions/{motion}/votes", {"minutes": 60, "session": session}), 201
    )["id"]
    for n, choice in choices.items():
        _ok(fed.api(n).post(f"/orgs/{fed.slug}/votes/{vote}/ballots", {"choice": choice}), 201)
    let_vote_run(vote)
    _ok(fed.api(4).post(f"/orgs/{fed.slug}/votes/{vote}/close"))
    return int(vote)


def _decide(fed: ElectedFederation, title: str) -> int:
    return int(
        _ok(
            fed.api(1).post(
                f"/orgs/{fed.slug}/executives/STRIKE/decisions",
                {"power": "book-venues", "title": title, "text": f"{title}, as the committee decided."},
            ),
            201,
        )["id"]
    )


def _call_in(fed: ElectedFederation, decision: int) -> dict[str, Any]:
    """m4 calls the decision in and m5 signs: the threshold (two), so a motion to reverse it is listed."""
    opened = _ok(
        fed.api(4).post(f"/orgs/{fed.slug}/decisions/{decision}/call-in", {"reason": "Not ours."}), 201
    )
    return _ok(fed.api(5).post(f"/orgs/{fed.slug}/call-ins/{opened['id']}/signatures"), 201)


@pytest.fixture
def committee(clock: Clock) -> Committee:
    """District 0 establishes a strike committee (m1, m2) by its elected delegates' vote; the committee
    decides four times: one decision reversed on call-in, one called in and upheld, one called in and not
    yet voted on, one never called in."""
    fed = build_elected_federation(clock)
    charter = {
        "kind": "commission",
        "code": "STRIKE",
        "name": "Strike Committee",
        "remit": "Run the strike's logistics.",
        "powers": ["book-venues", "print-leaflets"],
        "members": [fed.m(1).number, fed.m(2).number],
    }
    proposed = _ok(fed.api(4).post(f"/orgs/{fed.slug}/bodies/D0/executives", charter), 201)
    _ok(fed.api(5).post(f"/orgs/{fed.slug}/motions/{proposed['motion']}/support"))
    session = _ok(fed.api(4).post(f"/orgs/{fed.slug}/bodies/D0/sessions", {"title": "District 0 sits"}), 201)[
        "id"
    ]
    wait_for_session(session)
    for n in DELEGATES:
        _ok(fed.api(n).post(f"/orgs/{fed.slug}/sessions/{session}/roll"), 201)
    charter_vote = _council_vote(fed, session, proposed["motion"], {4: "yes", 5: "yes", 7: "yes", 8: "no"})
    _ok(fed.api(7).post(f"/orgs/{fed.slug}/executives/STRIKE/settle"))

    reversed_, upheld, pending, standing = (
        _decide(fed, t)
        for t in ("Book the Grand Hotel", "Book the Miners' Hall", "Book the Ritz", "Book the Co-op")
    )
    reversal = _call_in(fed, reversed_)
    reversal_vote = _council_vote(
        fed, session, reversal["motion"], {4: "yes", 5: "yes", 7: "abstain", 8: "yes"}
    )
    _ok(fed.api(8).post(f"/orgs/{fed.slug}/call-ins/{reversal['id']}/settle"))
    kept = _call_in(fed, upheld)
    _council_vote(fed, session, kept["motion"], {4: "no", 5: "yes", 7: "no", 8: "no"})
    _ok(fed.api(8).post(f"/orgs/{fed.slug}/call-ins/{kept['id']}/settle"))
    _call_in(fed, pending)
    return Committee(fed, session, charter_vote, reversed_, reversal_vote, upheld, pending, standing)


def provenance(fed: ElectedFederation, decision: int, reader: int = 12) -> dict[str, Any]:
    return _ok(fed.api(reader).get(f"/orgs/{fed.slug}/decisions/{KIND}/{decision}/provenance"))


def only(node: dict[str, Any], kind: str) -> dict[str, Any]:
    [child] = [c for c in node["children"] if c["kind"] == kind]
    return child


def walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    found, stack = [], [node]
    while stack:
        found.append(stack.pop())
        stack.extend(found[-1]["children"])
    return found


def test_a_reversed_decision_leads_back_through_its_power_and_charter_to_the_elections(
    committee: Committee,
) -> None:
    """The decision names the power it used; the power, the charter that delegated it; the charter, the
    council vote that adopted it, each seat's recorded choice, the election that filled the seat and the
    constituency that elected it; and the call-in, the council vote that reversed the decision."""
    fed = committee.fed
    tree = provenance(fed, committee.reversed)
    assert tree["kind"] == KIND and tree["complete"] is True and tree["gaps"] == []
    root = tree["root"]
    assert (root["kind"], root["id"], root["facts"]["power"]) == (KIND, committee.reversed, "book-venues")
    assert root["facts"]["status"] == "reversed" and root["url"].endswith(f"#decision-{committee.reversed}")

    power = only(root, "power")
    assert power["facts"] == {
        "power": "book-venues",
        "delegated": True,
        "powers": ["book-venues", "print-leaflets"],
    }
    charter = only(power, "executive")
    assert charter["facts"]["code"] == "STRIKE" and charter["facts"]["council"] == "D0"
    adopted = only(charter, "vote")
    assert adopted["id"] == committee.charter_vote
    assert (adopted["facts"]["yes"], adopted["facts"]["no"], adopted["facts"]["carried"]) == (3, 1, True)
    assert only(adopted, "motion")["id"] == charter["facts"]["motion"]
    seats = {s["facts"]["member_number"]: s for s in only(adopted, "body")["children"]}
    assert sorted(seats) == sorted(fed.m(n).number for n in DELEGATES)
    for number, constituency in [(fed.m(4).number, "D0-U0"), (fed.m(8).number, "D0-U1")]:
        election = only(seats[number], "election")
        assert election["id"] == fed.elections[constituency].pk
        assert only(election, "constituency")["facts"]["code"] == constituency

    call_in = only(root, "call-in")
    assert (call_in["facts"]["status"], call_in["facts"]["signed"], call_in["facts"]["threshold"]) == (
        "reversed",
        2,
        2,
    )
    assert call_in["log"]["action"] == "executive_decision.reversed"
    reversal = only(call_in, "vote")
    assert reversal["id"] == committee.reversal_vote and reversal["facts"]["carried"] is True
    assert (
        ExecutiveDecision.objects.get(pk=committee.reversed).reversed_by_id == only(reversal, "motion")["id"]
    )
    assert len([n for n in walk(reversal) if n["kind"] == "seat"]) == 4


def test_every_logged_link_names_the_entry_that_recorded_it(committee: Committee) -> None:
    """The decision, the charter, the call-in, the votes and seats each carry the position and hash of a
    real entry of the organisation's chain that records that very act."""
    fed = committee.fed
    root = provenance(fed, committee.reversed)["root"]
    entries = {e.seq: e for e in LogEntry.objects.filter(organisation=fed.small.org)}
    logged = [n for n in walk(root) if n["log"]]
    assert {n["kind"] for n in logged} >= {KIND, "executive", "call-in", "vote", "seat", "election", "motion"}
    for node in logged:
        entry = entries[node["log"]["seq"]]
        assert (entry.entry_hash, entry.action) == (node["log"]["hash"], node["log"]["action"])
    assert root["log"]["action"] == "executive.decided"
    assert entries[root["log"]["seq"]].payload["decision"] == committee.reversed
    charter = only(only(root, "power"), "executive")
    assert entries[charter["log"]["seq"]].payload["motion"] == charter["facts"]["motion"]


def test_a_call_in_the_council_voted_down_shows_that_vote_and_one_not_yet_voted_is_a_gap(
    committee: Committee,
) -> None:
    """Upheld, the call-in shows the council's vote not to reverse; still before the council, the missing
    vote is shown as a gap; a decision never called in stands on its charter alone."""
    fed = committee.fed
    upheld = provenance(fed, committee.upheld)
    assert upheld["complete"] is True and upheld["root"]["facts"]["status"] == "standing"
    kept = only(upheld["root"], "call-in")
    assert kept["facts"]["status"] == "upheld" and kept["log"]["action"] == "executive_decision.upheld"
    assert only(kept, "vote")["facts"]["carried"] is False

    pending = provenance(fed, committee.pending)
    assert pending["complete"] is False and pending["root"]["facts"]["status"] == "called_in"
    assert any("no vote of District 0 has decided this motion yet" in gap for gap in pending["gaps"])

    standing = provenance(fed, committee.standing)
    assert standing["complete"] is True
    assert [c["kind"] for c in standing["root"]["children"]] == ["power"]


def test_the_reader_costs_the_same_queries_whatever_lies_behind_the_decision(
    committee: Committee, django_assert_num_queries: Any
) -> None:
    """Two council votes of four seats each behind a reversed decision cost no more queries than the one
    vote behind a decision never called in."""
    for decision in (committee.reversed, committee.upheld, committee.pending, committee.standing):
        with django_assert_num_queries(EXECUTIVE_DECISION_QUERIES):
            executive_decision_provenance(decision=ExecutiveDecision(pk=decision))


def test_the_executive_page_links_each_decision_to_its_provenance_page(committee: Committee) -> None:
    """A member opens the executive, follows a decision's provenance link, and walks back from the
    decision to the charter's vote and the elections; another organisation's member is refused."""
    fed = committee.fed
    client = Client()
    client.force_login(fed.m(12).person)
    executive = client.get(f"/o/{fed.slug}/executives/STRIKE/").content.decode()
    link = f"/o/{fed.slug}/decisions/{KIND}/{committee.reversed}/provenance/"
    assert f'href="{link}"' in executive
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Every link is present" in html
    assert f'href="/o/{fed.slug}/votes/{committee.charter_vote}/"' in html
    assert f'href="/o/{fed.slug}/votes/{committee.reversal_vote}/"' in html
    assert f'href="/o/{fed.slug}/elections/{fed.elections["D0-U0"].pk}/result/"' in html
    assert 'data-kind="call-in"' in html and 'data-kind="power"' in html

    stranger = Client()
    stranger.force_login(build_elected_federation(fed.clock, slug="ou").m(1).person)
    assert stranger.get(link).status_code == 404
    assert fed.api(1).get(f"/orgs/{fed.slug}/decisions/{KIND}/999999/provenance").status_code == 404


def test_a_decisions_power_is_said_in_the_readers_language_and_kept_as_its_code(committee: Committee) -> None:
    """The power a decision used and the charter's powers read in Spanish and Arabic on the provenance page,
    the executive's page and through the API; the API's facts keep the codes."""
    fed = committee.fed
    client = Client()
    client.force_login(fed.m(12).person)
    link = f"/o/{fed.slug}/decisions/{KIND}/{committee.standing}/provenance/"
    try:
        spanish = " ".join(client.get(link, HTTP_ACCEPT_LANGUAGE="es").content.decode().split())
        assert "reservar locales" in spanish and "imprimir octavillas" in spanish
        assert "book venues" not in spanish and "book-venues" not in spanish
        arabic = " ".join(client.get(link, HTTP_ACCEPT_LANGUAGE="ar").content.decode().split())
        assert "حجز القاعات" in arabic and "book venues" not in arabic
        executive = " ".join(
            client.get(f"/o/{fed.slug}/executives/STRIKE/", HTTP_ACCEPT_LANGUAGE="es")
            .content.decode()
            .split()
        )
        assert "reservar locales" in executive and "book venues" not in executive
        api = fed.api(12)
        path = f"/api/orgs/{fed.slug}/decisions/{KIND}/{committee.standing}/provenance"
        root = api.client.get(path, HTTP_ACCEPT_LANGUAGE="es", **api.headers).json()["root"]
        power = only(root, "power")
        assert "reservar locales" in power["title"] and "reservar locales" in root["summary"]
        assert "reservar locales" in only(power, "executive")["summary"]
        assert power["facts"]["power"] == "book-venues"
    finally:
        translation.activate("en")
