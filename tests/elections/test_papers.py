"""Paper ballots in an election, through the API: each paper lists the candidates, the tellers enter the
number written against each; two readings must give the same ranking, else a third teller settles it; a
paper with no first preference, or the figure 1 against two candidates, is rejected with its reason (the
Scottish rules); papers counted go into the ranked box, so the bulletin and the count include them; one
vote per member across channels; a paper returned after voting closed is late, never counted."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from commune.ballots.models import BallotPaper, BulletinEntry, PaperStatus, TellerEntry
from commune.elections.models import Election
from tests.clock import Clock
from tests.conftest import SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.elections.test_api import Api

pytestmark = pytest.mark.django_db


class Desk:
    def __init__(self, fed: SmallFederation, election: Election) -> None:
        self.fed, self.base = fed, f"/orgs/ep/elections/{election.pk}"
        self.apis: dict[str, Api] = {}

    def api(self, key: str) -> Api:
        if key not in self.apis:
            self.apis[key] = Api(self.fed.members[key].person)
        return self.apis[key]

    def number(self, key: str) -> str:
        return self.fed.members[key].number

    def post(self, key: str, what: str, data: dict[str, Any]) -> Any:
        return self.api(key).post(f"{self.base}/papers{what}", data)

    def enter(self, key: str, code: str, preferences: list[int | None]) -> Any:
        return self.post(key, "/entries", {"code": code, "preferences": preferences})

    def cast(self, key: str, ranking: list[int]) -> Any:
        return self.api(key).post(f"{self.base}/ballots", {"ranking": ranking})


@pytest.fixture
def desk(clock: Clock) -> tuple[Desk, Election, list[int]]:
    fed = build_federation(units_per_district=1, members_per_unit=8, slug="ep")
    election = call(clock, fed.units[0], seats=1, title="Unit secretary")
    candidates = stand(election, *(fed.members[k] for k in ("m1", "m3", "m5")))
    return Desk(fed, to_voting(clock, election)), election, candidates


def test_an_election_takes_papers_counted_into_its_box_and_bulletin(
    desk: tuple[Desk, Election, list[int]], clock: Clock
) -> None:
    d, election, _ids = desk
    tellers = {"tellers": [d.number(k) for k in ("m2", "m4", "m6")]}
    assert d.post("m1", "", tellers).status_code == 403  # not an officer of the unit
    opened = d.post("m2", "", tellers)
    assert opened.status_code == 201, opened.content
    a, b, c = (candidate["id"] for candidate in opened.json()["candidates"])
    assert d.post("m2", "", tellers).status_code == 409
    assert d.cast("m7", [b, a]).status_code == 201
    issued = {p["member"]: p["code"] for p in d.post("m4", "/issue", {"members": None}).json()}
    code = {f"m{n}": issued[d.number(f"m{n}")] for n in (1, 2, 3, 4, 5, 6, 8)}
    assert len(issued) == 7 and d.post("m4", "/issue", {"members": [d.number("m7")]}).status_code == 409

    # One vote per member: voting online cancels a paper out; the paper, returned, is rejected.
    assert d.cast("m8", [c]).status_code == 201
    assert d.enter("m2", code["m8"], [1, None, None]).json()["status"] == "rejected"

    # Readings that differ only past where the preferences end (no 2) agree: the same ranking.
    assert d.enter("m2", code["m1"], [1, 3, 3]).json()["status"] == "entered"
    assert d.enter("m4", code["m1"], [1, None, None]).json()["status"] == "counted"
    assert d.enter("m6", code["m1"], [1, None, None]).status_code == 409  # a code counts once
    assert d.cast("m1", [a]).status_code == 409  # a paper counted bars voting online

    # Tellers who disagree: a third settles it, neither of them.
    d.enter("m2", code["m3"], [1, 2, 3])
    assert d.enter("m4", code["m3"], [1, 3, 2]).json()["status"] == "disputed"
    settle = {"code": code["m3"], "preferences": [1, 2, 3], "reason": "mark_clear"}
    assert d.post("m4", "/disputes", settle).status_code == 403
    assert d.post("m6", "/disputes", settle).json()["status"] == "counted"

    # Invalid papers are rejected with their reason, as a returning officer records them.
    d.enter("m2", code["m4"], [1, 1, 2])
    twice = d.enter("m4", code["m4"], [1, 1, None]).json()
    assert twice["status"] == "rejected" and "more than one candidate" in twice["reason"]
    d.enter("m2", code["m5"], [None, 2, 3])
    unmarked = d.enter("m6", code["m5"], [None, 2, None]).json()
    assert unmarked["status"] == "rejected" and "no first preference" in unmarked["reason"]

    # Bad readings are refused, changing nothing; the same teller cannot read a paper twice.
    assert d.enter("m2", code["m6"], [0, 1, 2]).status_code == 400
    assert d.enter("m2", code["m6"], [1, 2]).status_code == 400
    assert d.enter("m6", code["m6"], [3, 2, 1]).json()["status"] == "entered"
    assert d.enter("m6", code["m6"], [3, 2, 1]).status_code == 409
    assert d.enter("m2", code["m6"], [3, 2, 1]).json()["status"] == "counted"

    # After voting closes, a returned paper is late: recorded, never counted.
    clock.now = election.voting_close_at + timedelta(seconds=1)
    assert d.enter("m4", code["m2"], [1, 2, 3]).json()["status"] == "late"
    assert not TellerEntry.objects.exists()
    election = to_declared(clock, election)
    assert election.result is not None

    rankings = Counter(tuple(e.ranking) for e in BulletinEntry.objects.filter(box_id=election.box_id))
    assert rankings == Counter({(b, a): 1, (c,): 1, (a,): 1, (a, b, c): 1, (c, b, a): 1})
    state = d.api("m5").get(f"{d.base}/papers").json()
    figures = state["reconciliation"]
    assert figures["balanced"] is True and state["closed"] is True
    assert {k: figures[k] for k in ("issued", "counted", "rejected", "late", "out")} == {
        "issued": 7,
        "counted": 3,
        "rejected": 3,
        "late": 1,
        "out": 0,
    }
    assert BallotPaper.objects.get(code=code["m2"]).status == PaperStatus.LATE
    assert d.enter("m6", code["m2"], [1, 2, 3]).status_code == 409


def test_election_papers_print_for_the_tellers_only(desk: tuple[Desk, Election, list[int]]) -> None:
    """The tellers print the papers still out, listing the candidates; nobody else can."""
    d, _election, _ids = desk
    d.post("m2", "", {"tellers": [d.number(k) for k in ("m2", "m4", "m6")]})
    issued = d.post("m4", "/issue", {"members": [d.number("m5")]}).json()
    document = d.api("m6").get(f"{d.base}/papers.pdf")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert issued[0]["code"].encode() in document.content and b"Member 001" in document.content
    assert d.api("m5").get(f"{d.base}/papers.pdf").status_code == 404


def test_a_paper_rejected_whole_counts_as_the_member_having_voted(
    desk: tuple[Desk, Election, list[int]],
) -> None:
    """As a returning officer treats a rejected paper: a member whose paper was rejected as invalid, or
    rejected on a dispute, is on the register: they cannot vote online, nor be issued a new paper."""
    d, _election, _ids = desk
    opened = d.post("m2", "", {"tellers": [d.number(k) for k in ("m2", "m4", "m6")]}).json()
    a, b, _c = (candidate["id"] for candidate in opened["candidates"])
    issued = d.post("m4", "/issue", {"members": [d.number("m1"), d.number("m3")]}).json()
    code = {p["member"]: p["code"] for p in issued}
    invalid, disputed = code[d.number("m1")], code[d.number("m3")]
    d.enter("m2", invalid, [1, 1, None])
    assert d.enter("m4", invalid, [1, 1, 2]).json()["status"] == "rejected"
    d.enter("m2", disputed, [1, 2, None])
    assert d.enter("m4", disputed, [2, 1, None]).json()["status"] == "disputed"
    settle = {"code": disputed, "preferences": None, "reason": "unreadable"}
    assert d.post("m6", "/disputes", settle).json()["status"] == "rejected"
    for key in ("m1", "m3"):
        refused = d.cast(key, [a, b])
        assert refused.status_code == 409 and "already voted" in refused.json()["detail"]
        again = d.post("m4", "/issue", {"members": [d.number(key)]})
        assert again.status_code == 409 and "returned and rejected" in again.json()["detail"]
    everyone = d.post("m4", "/issue", {"members": None}).json()
    assert {d.number("m1"), d.number("m3")}.isdisjoint(p["member"] for p in everyone)
