"""The elections and ballots REST API, end to end: every endpoint, its success and its denials."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import api_token_create, api_token_revoke, user_create
from commune.ballots.models import Ballot, RegisterEntry
from commune.elections.models import Candidacy, CandidacyStatus, Election, ElectionKind, Elector
from commune.elections.services import months_after
from commune.federation.services import office_create, office_fill
from tests.cast_queries import cast_query_counts
from tests.clock import Clock, current_term
from tests.conftest import SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting

pytestmark = pytest.mark.django_db


class Api:
    """A client speaking as one person, with their bearer token."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers = (
            {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"} if user else {}
        )

    def get(self, path: str) -> Any:
        return self.client.get(f"/api{path}", **self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"/api{path}", data or {}, content_type="application/json", **self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api{path}", **self.headers)

    def patch(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.patch(f"/api{path}", data, content_type="application/json", **self.headers)


def as_member(fed: SmallFederation, n: int) -> Api:
    return Api(fed.members[f"m{n}"].person)


@pytest.fixture
def district_officer(federation: SmallFederation) -> Api:
    """m7 (of unit D0-U1) holds the chair of District 0: a higher body than unit D0-U0."""
    office = office_create(body=federation.districts[0], title="Chair")
    office_fill(
        office=office,
        member=federation.members["m7"],
        term_start=current_term()[0],
        term_end=current_term()[1],
        source="test",
    )
    return as_member(federation, 7)


@pytest.fixture
def open_election(federation: SmallFederation, clock: Clock) -> Election:
    return call(clock, federation.units[0], seats=1, title="Chair of the depot")


def _timeline(clock: Clock) -> dict[str, str]:
    day = timedelta(days=1)
    return {
        "nominations_open_at": clock.now.isoformat(),
        "nominations_close_at": (clock.now + day).isoformat(),
        "voting_open_at": (clock.now + day).isoformat(),
        "voting_close_at": (clock.now + 2 * day).isoformat(),
    }


def test_listing_a_bodys_elections(federation: SmallFederation, open_election: Election) -> None:
    response = as_member(federation, 1).get("/orgs/tf/bodies/D0-U0/elections")
    assert response.status_code == 200
    assert [e["title"] for e in response.json()] == ["Chair of the depot"]


def test_outsiders_and_anonymous_callers_see_nothing(open_election: Election) -> None:
    stranger = build_federation(slug="other").members["m1"].person
    for path in ["/orgs/tf/bodies/D0-U0/elections", f"/orgs/tf/elections/{open_election.pk}"]:
        assert Api(stranger).get(path).status_code == 404
        assert Api(None).get(path).status_code == 401
    assert Api(stranger).get(f"/orgs/other/elections/{open_election.pk}").status_code == 404


def test_an_officer_of_the_body_calls_its_election(federation: SmallFederation, clock: Clock) -> None:
    response = as_member(federation, 2).post(
        "/orgs/tf/bodies/D0-U0/elections", {"kind": "delegates", **_timeline(clock)}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["council"], body["status"]) == ("delegates", "D0", "scheduled")
    assert body["called_by"].startswith("Member 002")


def _treasurer(fed: SmallFederation) -> Api:
    """m4 becomes the unit's Treasurer: another officer than its Secretary (m2)."""
    start, end = current_term()
    office_fill(
        office=office_create(body=fed.units[0], title="Treasurer"),
        member=fed.members["m4"],
        term_start=start,
        term_end=end,
        source="test",
    )
    return as_member(fed, 4)


def test_an_officer_election_is_called_by_office_title(federation: SmallFederation, clock: Clock) -> None:
    response = _treasurer(federation).post(
        "/orgs/tf/bodies/D0-U0/elections", {"kind": "officer", "office": "Secretary"}
    )
    assert response.status_code == 201 and response.json()["office"] == "Secretary"
    missing = as_member(federation, 2).post(
        "/orgs/tf/bodies/D0-U0/elections", {"kind": "officer", "office": "Pope"}
    )
    assert missing.status_code == 400 and "no office called 'Pope'" in missing.json()["detail"]


def test_nobody_calls_the_election_for_their_own_office_or_sets_its_term(
    federation: SmallFederation, clock: Clock
) -> None:
    """The attack: the Secretary calls the Secretary's election with a term ending in twenty years. The
    holder is refused; the term is not the caller's to give, so the API takes none; the term the election
    gets is the constitution's (twelve months from when voting closes)."""
    own = as_member(federation, 2).post(
        "/orgs/tf/bodies/D0-U0/elections", {"kind": "officer", "office": "Secretary"}
    )
    assert own.status_code == 400 and "never by its holder" in own.json()["detail"]
    treasurer = _treasurer(federation)
    long_term = treasurer.post(
        "/orgs/tf/bodies/D0-U0/elections",
        {"kind": "officer", "office": "Secretary", "term_start": "2040-01-01", "term_end": "2060-12-31"},
    )
    assert long_term.status_code == 422
    called = treasurer.post("/orgs/tf/bodies/D0-U0/elections", {"kind": "officer", "office": "Secretary"})
    assert called.status_code == 201, called.json()
    election = Election.objects.get(pk=called.json()["id"])
    assert election.term_start == election.voting_close_at.date()
    assert election.term_end == months_after(election.term_start, 12)


def test_no_one_but_the_bodys_officers_calls_its_election(
    federation: SmallFederation, clock: Clock, district_officer: Api
) -> None:
    """Neither a plain member nor an officer of the council above may call a unit's election."""
    for api in (as_member(federation, 1), district_officer):
        response = api.post("/orgs/tf/bodies/D0-U0/elections", {"kind": "delegates", **_timeline(clock)})
        assert response.status_code == 404
    assert not Election.objects.exists()


def test_a_bad_timeline_is_refused_with_a_reason(federation: SmallFederation, clock: Clock) -> None:
    timeline = _timeline(clock)
    timeline["voting_close_at"] = timeline["nominations_open_at"]
    response = as_member(federation, 2).post(
        "/orgs/tf/bodies/D0-U0/elections", {"kind": "other", "title": "X", "seats": 1, **timeline}
    )
    assert response.status_code == 400 and "timeline must run" in response.json()["detail"]
    partial = as_member(federation, 2).post(
        "/orgs/tf/bodies/D0-U0/elections",
        {"kind": "other", "title": "X", "seats": 1, "voting_open_at": timeline["voting_open_at"]},
    )
    assert partial.status_code == 400 and "all four times" in partial.json()["detail"]


def test_detail_shows_candidates_and_where_you_stand(
    federation: SmallFederation, open_election: Election
) -> None:
    stand(open_election, federation.members["m1"])
    detail = as_member(federation, 1).get(f"/orgs/tf/elections/{open_election.pk}").json()
    assert [c["name"] for c in detail["candidates"]] == ["Member 001"]
    assert detail["you"]["elector"] and not detail["you"]["voted"]
    assert detail["you"]["candidacy"] == detail["candidates"][0]["id"]
    outside = as_member(federation, 9).get(f"/orgs/tf/elections/{open_election.pk}").json()
    assert not outside["you"]["elector"]


def test_a_member_nominates_themselves(federation: SmallFederation, open_election: Election) -> None:
    response = as_member(federation, 1).post(
        f"/orgs/tf/elections/{open_election.pk}/nominations",
        {"statement": "Vote for me", "tendency": "Rank and File"},
    )
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["tendency"]) == ("Member 001", "Rank and File")
    again = as_member(federation, 1).post(f"/orgs/tf/elections/{open_election.pk}/nominations")
    assert again.status_code == 409 and "already standing" in again.json()["detail"]


def test_a_member_outside_the_constituency_cannot_stand(
    federation: SmallFederation, open_election: Election
) -> None:
    response = as_member(federation, 9).post(f"/orgs/tf/elections/{open_election.pk}/nominations")
    assert response.status_code == 403 and "only members of Unit 0.0" in response.json()["detail"]
    assert not Candidacy.objects.exists()


def test_a_higher_body_cannot_add_strike_or_reorder_candidates(
    federation: SmallFederation, open_election: Election, district_officer: Api
) -> None:
    """There is no way for a council's officer to impose a candidate, strike one or change their order."""
    (cid,) = stand(open_election, federation.members["m1"])
    base = f"/orgs/tf/elections/{open_election.pk}"
    imposed = district_officer.post(f"{base}/nominations", {"member": federation.members["m4"].number})
    assert imposed.status_code == 422
    assert district_officer.delete(f"{base}/nominations/{cid}").status_code in (404, 405)
    assert district_officer.delete(f"{base}/candidates/{cid}").status_code in (404, 405)
    assert district_officer.patch(f"{base}/candidates/{cid}", {"status": "withdrawn"}).status_code in (
        404,
        405,
    )
    assert list(Candidacy.objects.values_list("member__number", "status")) == [
        (federation.members["m1"].number, CandidacyStatus.STANDING)
    ]
    # Their own withdraw endpoint only ever touches their own (absent) nomination.
    assert district_officer.delete(f"{base}/nominations/mine").status_code == 404


def test_a_candidate_withdraws_their_own_nomination(
    federation: SmallFederation, open_election: Election
) -> None:
    stand(open_election, federation.members["m1"])
    response = as_member(federation, 1).delete(f"/orgs/tf/elections/{open_election.pk}/nominations/mine")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = as_member(federation, 1).delete(f"/orgs/tf/elections/{open_election.pk}/nominations/mine")
    assert again.status_code == 409


def test_seconding(federation: SmallFederation, open_election: Election) -> None:
    (cid,) = stand(open_election, federation.members["m1"])
    path = f"/orgs/tf/elections/{open_election.pk}/candidates/{cid}/seconds"
    assert as_member(federation, 4).post(path).status_code == 201
    assert as_member(federation, 4).post(path).status_code == 409
    assert as_member(federation, 1).post(path).status_code == 400
    assert as_member(federation, 9).post(path).status_code == 403
    assert (
        as_member(federation, 4)
        .post(f"/orgs/tf/elections/{open_election.pk}/candidates/999999/seconds")
        .status_code
        == 404
    )


def test_endorsement_by_an_officer_of_the_endorsing_body(
    federation: SmallFederation, open_election: Election, district_officer: Api
) -> None:
    (cid,) = stand(open_election, federation.members["m1"])
    path = f"/orgs/tf/elections/{open_election.pk}/candidates/{cid}/endorsements"
    response = district_officer.post(path, {"body": "D0", "statement": "A fighter"})
    assert response.status_code == 201 and response.json()["body"] == "D0"
    assert as_member(federation, 4).post(path, {"body": "D0"}).status_code == 404
    detail = as_member(federation, 4).get(f"/orgs/tf/elections/{open_election.pk}").json()
    assert detail["candidates"][0]["endorsements"][0]["statement"] == "A fighter"


@pytest.fixture
def voting(federation: SmallFederation, clock: Clock, open_election: Election) -> tuple[Election, list[int]]:
    ids = stand(open_election, federation.members["m1"], federation.members["m4"])
    return to_voting(clock, open_election), ids


def _unchanged(election: Election) -> bool:
    return not RegisterEntry.objects.filter(box_id=election.box_id).exists() and not Ballot.objects.exists()


def test_casting_returns_a_tracker(federation: SmallFederation, voting: tuple[Election, list[int]]) -> None:
    election, (a, b) = voting
    response = as_member(federation, 2).post(f"/orgs/tf/elections/{election.pk}/ballots", {"ranking": [b, a]})
    assert response.status_code == 201
    assert len(response.json()["tracker"]) == 17 and not response.json()["replaced_earlier_ballot"]
    assert as_member(federation, 2).get(f"/orgs/tf/elections/{election.pk}").json()["you"]["voted"]


@pytest.mark.parametrize(
    ("ranking", "status", "message"),
    [
        ([424242], 400, "candidate 424242 is not standing"),
        ("repeat", 400, "ranked more than once"),
        ([], 400, "ranks no candidate"),
        (["x"], 422, "invalid request"),
    ],
)
def test_a_bad_ballot_gets_a_clear_4xx_and_changes_nothing(
    federation: SmallFederation, voting: tuple[Election, list[int]], ranking: Any, status: int, message: str
) -> None:
    election, (a, _) = voting
    ranking = [a, a] if ranking == "repeat" else ranking
    response = as_member(federation, 2).post(
        f"/orgs/tf/elections/{election.pk}/ballots", {"ranking": ranking}
    )
    assert response.status_code == status and message in response.json()["detail"]
    assert _unchanged(election)


def test_a_non_elector_or_a_foreign_election_is_refused(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, (a, _) = voting
    response = as_member(federation, 9).post(f"/orgs/tf/elections/{election.pk}/ballots", {"ranking": [a]})
    assert response.status_code == 403 and "not on the electorate" in response.json()["detail"]
    other = build_federation(slug="far")
    stranger = Api(other.members["m1"].person)
    assert stranger.post(f"/orgs/far/elections/{election.pk}/ballots", {"ranking": [a]}).status_code == 404
    assert stranger.post(f"/orgs/tf/elections/{election.pk}/ballots", {"ranking": [a]}).status_code == 404
    assert _unchanged(election)


def test_a_ballot_with_a_token_that_no_longer_works_is_refused_at_once(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    """The cast checks the token in its own first query: revoked, unknown, or a deactivated person's, it
    is a 401 that writes nothing, even where the organisation or the election does not exist."""
    election, (a, _) = voting
    person = federation.members["m2"].person
    token, raw = api_token_create(user=person, name="script")
    client = Client()

    def cast(slug: str, election_id: int, bearer: str) -> Any:
        return client.post(
            f"/api/orgs/{slug}/elections/{election_id}/ballots",
            {"ranking": [a]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {bearer}",
        )

    api_token_revoke(token=token)
    for slug, election_id, bearer in [
        ("tf", election.pk, raw),
        ("nowhere", election.pk, raw),
        ("tf", 424242, raw),
        ("tf", election.pk, "cmn_not-a-real-token"),
    ]:
        refused = cast(slug, election_id, bearer)
        assert refused.status_code == 401, refused.json()
        assert "token is not valid" in refused.json()["detail"]
    _, raw = api_token_create(user=person, name="again")
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert cast("tf", election.pk, raw).status_code == 401
    assert _unchanged(election)
    person.is_active = True
    person.save(update_fields=["is_active"])
    assert cast("nowhere", election.pk, raw).status_code == 404
    assert cast("tf", 424242, raw).status_code == 404
    assert cast("tf", election.pk, raw).status_code == 201


#: Per ballot, on PostgreSQL: the token checked with the membership and the election (one query), and the
#: cast in one statement. SQLite takes the general path, in a transaction.
BALLOT = {"postgresql": 2, "sqlite": 11}


def test_a_ballot_takes_the_same_queries_for_an_electorate_of_five_or_twenty_five(clock: Clock) -> None:
    """The shape of the vote's test (``tests/motions/test_cast_queries.py``), for an election ballot."""
    counts = []
    for members_per_unit, slug in ((5, "bq5"), (25, "bq25")):
        fed = build_federation(units_per_district=1, members_per_unit=members_per_unit, slug=slug)
        members = list(fed.units[0].current_members.select_related("person").order_by("number"))
        election = call(clock, fed.units[0], seats=1, title="Chair of the depot")
        a, b = stand(election, members[0], members[1])
        election = to_voting(clock, election)
        assert Elector.objects.filter(election=election).count() == members_per_unit
        path = f"/orgs/{slug}/elections/{election.pk}/ballots"
        # A process learns an election's box with its first ballot there, cast on the general path.
        counts.append(cast_query_counts(path, {"ranking": [b, a]}, [m.person for m in members[-4:]])[1:])
    assert counts[0] == counts[1] == [BALLOT[connection.vendor]] * 3


def test_no_vote_after_close_and_then_the_bulletin(
    federation: SmallFederation, clock: Clock, voting: tuple[Election, list[int]]
) -> None:
    election, (a, b) = voting
    base = f"/orgs/tf/elections/{election.pk}"
    tracker = as_member(federation, 2).post(f"{base}/ballots", {"ranking": [a, b]}).json()["tracker"]
    as_member(federation, 3).post(f"{base}/ballots", {"ranking": [a]})
    as_member(federation, 5).post(f"{base}/ballots", {"ranking": [b]})
    assert as_member(federation, 2).get(f"{base}/bulletin").status_code == 409
    assert as_member(federation, 2).get(f"{base}/result").status_code == 409
    to_declared(clock, election)
    late = as_member(federation, 4).post(f"{base}/ballots", {"ranking": [a]})
    assert late.status_code == 409 and "closed" in late.json()["detail"]

    result = as_member(federation, 9).get(f"{base}/result").json()
    assert result["elected"] == ["Member 001"] and result["alternates"] == ["Member 004"]
    assert result["count"]["stages"][0]["totals"] == {"Member 001": "2", "Member 004": "1"}
    document = as_member(federation, 9).get(f"{base}/bulletin").json()
    assert len(document["ballots"]) == 3 and document["merkle_root"] == result["merkle_root"]
    blt = as_member(federation, 9).get(f"{base}/bulletin.blt")
    assert blt.status_code == 200 and blt.content.decode().startswith("2 1\n")
    found = as_member(federation, 2).get(f"{base}/bulletin/{tracker}")
    assert found.status_code == 200 and found.json()["ranking"] == [a, b]
    assert as_member(federation, 2).get(f"{base}/bulletin/AAAAA-AAAAA-AAAAA").status_code == 404
    stranger = Api(user_create(email="s@x.example", name="S", password="pw-long-enough-1"))
    assert stranger.get(f"{base}/bulletin").status_code == 404


def test_a_revote_through_the_api_replaces_the_ballot(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, (a, b) = voting
    as_member(federation, 2).post(f"/orgs/tf/elections/{election.pk}/ballots", {"ranking": [a]})
    again = as_member(federation, 2).post(f"/orgs/tf/elections/{election.pk}/ballots", {"ranking": [b]})
    assert again.status_code == 201 and again.json()["replaced_earlier_ballot"]
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == Ballot.objects.count() == 1


def test_a_delegate_election_kind_is_listed(federation: SmallFederation, clock: Clock) -> None:
    call(clock, federation.units[0], kind=ElectionKind.DELEGATES)
    listed = as_member(federation, 1).get("/orgs/tf/bodies/D0-U0/elections").json()
    assert listed[0]["kind"] == "delegates" and listed[0]["council"] == "D0"
