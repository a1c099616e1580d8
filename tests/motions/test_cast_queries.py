"""Casting a vote through the API takes the same queries however many vote: a member's in a general
assembly of five or of twenty-five, secret or open, and a seat's in a council."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commune.accounts.models import ApiToken
from commune.accounts.services import api_token_create, api_token_revoke, user_create
from commune.ballots.models import YesNoRegisterEntry
from commune.federation.models import Member
from commune.motions import bars
from commune.motions.models import Vote
from tests.cast_queries import assembly_vote, cast_query_counts
from tests.clock import let_time_pass
from tests.motions.conftest import Api, Fed, cast, on_agenda, put, sitting

#: Per cast, on PostgreSQL: the first cast into a vote in a process, the token checked with the membership,
#: the vote and whether any bar on voting can apply to its motion (one query), then the cast itself in one
#: statement (a motion a bar can apply to, one on pay, adds the bar's own query); every later cast, one
#: statement holding both, once the vote's mode and box are known. SQLite takes the general path, in a
#: transaction (its savepoints counted): the vote under lock, the elector, the bars, the register row, the
#: paper, and the member's papers still live on the box's paper channel (cancelled by a vote online).
ASSEMBLY = {"postgresql": 2, "sqlite": 11}
#: The same, for the casts after the first into a vote.
ASSEMBLY_AFTER_THE_FIRST = {"postgresql": 1, "sqlite": 11}


def _queries_of_a_cast(slug: str, vote: Vote, members: list[Member]) -> list[int]:
    """The queries of three members' casts (``tests.cast_queries``)."""
    path = f"/orgs/{slug}/votes/{vote.pk}/ballots"
    return cast_query_counts(path, {"choice": "yes"}, [member.person for member in members[-3:]])


def test_a_secret_cast_takes_the_same_queries_for_five_members_or_twenty_five(db: None) -> None:
    small, small_members = assembly_vote(5, "cq5")
    large, large_members = assembly_vote(25, "cq25")
    assert large.electorate == 5 * small.electorate
    small_counts = _queries_of_a_cast("cq5", small, small_members)
    large_counts = _queries_of_a_cast("cq25", large, large_members)
    expected = [ASSEMBLY[connection.vendor]] + [ASSEMBLY_AFTER_THE_FIRST[connection.vendor]] * 2
    assert small_counts == large_counts == expected


def test_a_refused_cast_changes_nothing_and_says_why(db: None) -> None:
    """The one-statement path writes nothing when the cast is not allowed; the general path then says why:
    a second vote, a member of another unit, a closed vote."""
    vote, members = assembly_vote(5, "cqr")
    api = Api(members[0].person)
    path = f"/orgs/cqr/votes/{vote.pk}/ballots"
    assert api.post(path, {"choice": "yes"}).status_code == 201
    second = api.post(path, {"choice": "no"})
    assert second.status_code == 409, second.json()
    assert "already voted" in second.json()["detail"]
    stranger = Member.objects.filter(organisation_id=vote.organisation_id).exclude(current_unit=vote.body)
    outsider = api_of(stranger.first())
    refused = outsider.post(path, {"choice": "yes"})
    assert refused.status_code == 403, refused.json()
    let_time_pass(hours=2)
    late = Api(members[1].person).post(path, {"choice": "yes"})
    assert late.status_code == 409 and "closed" in late.json()["detail"], late.json()
    from commune.ballots.models import YesNoEncryptedPaper, YesNoRegisterEntry

    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count() == 1
    assert YesNoEncryptedPaper.objects.filter(box_id=vote.box_id).count() == 1


def test_a_vote_with_a_token_that_no_longer_works_is_refused_at_once(db: None) -> None:
    """The cast checks the token in its own first query: revoked, unknown, or a deactivated person's, it
    is a 401 that writes nothing, even where the organisation or the vote does not exist; a valid one of
    someone who is no member gets the same 404 as a missing organisation."""
    vote, members = assembly_vote(5, "cqt")
    person = members[1].person
    token, raw = api_token_create(user=person, name="script")
    client = Client()

    def cast(slug: str, vote_id: int, bearer: str) -> Any:
        return client.post(
            f"/api/orgs/{slug}/votes/{vote_id}/ballots",
            {"choice": "yes"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {bearer}",
        )

    api_token_revoke(token=token)
    for slug, vote_id, bearer in [
        ("cqt", vote.pk, raw),
        ("nowhere", vote.pk, raw),
        ("cqt", 424242, raw),
        ("cqt", vote.pk, "cmn_not-a-real-token"),
    ]:
        refused = cast(slug, vote_id, bearer)
        assert refused.status_code == 401, refused.json()
        assert "token is not valid" in refused.json()["detail"]
    _, raw = api_token_create(user=person, name="again")
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert cast("cqt", vote.pk, raw).status_code == 401
    assert not YesNoRegisterEntry.objects.filter(box_id=vote.box_id).exists()
    person.is_active = True
    person.save(update_fields=["is_active"])
    _, stranger = api_token_create(user=user_create(email="stranger@example.org", name="S"), name="s")
    assert cast("cqt", vote.pk, stranger).status_code == 404
    assert cast("cqt", 424242, raw).status_code == 404
    assert cast("cqt", vote.pk, raw).status_code == 201
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count() == 1


def api_of(member: Member | None) -> Api:
    assert member is not None
    return Api(member.person)


#: A seat's vote also reads the roll, the mandate and writes the signed log entry on the record.
COUNCIL = {"postgresql": 18, "sqlite": 18}


def test_a_council_cast_takes_the_same_queries_for_each_seat(fed: Fed) -> None:
    """Each seat's vote on the record costs the same, the first and the last."""
    session = sitting(fed, "D1", 11, 16)
    vote = put(fed, 11, on_agenda(fed, 11, "D1", supporter=16), session=session)
    counts = []
    for n in (11, 16):
        fed.api(n).get("/me")
        with CaptureQueriesContext(connection) as queries:
            response = cast(fed, n, vote, "yes")
        assert response.status_code == 201, response.json()
        counts.append(len(queries))
    assert counts == [COUNCIL[connection.vendor]] * 2


def test_a_bar_that_can_apply_is_asked_and_refuses_one_that_cannot_costs_no_query(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cast's first query asks whether any installed bar can apply to the vote's motion: where its
    condition holds, the bar itself is asked for every cast and keeps its member out (403, nothing
    written); where it does not, the bar is not asked on PostgreSQL's one-statement path, and the cast
    takes no more queries than with no bar at all."""
    vote, members = assembly_vote(5, "cqb")
    barred = members[1]
    asked: list[int] = []

    def bar(of: Vote) -> dict[int, str]:
        asked.append(of.pk)
        return {barred.pk: "has an interest"}

    monkeypatch.setattr(bars, "_vote_bars", [])
    monkeypatch.setattr(bars, "_applies", {})
    bars.vote_bar_register(bar, applies_sql=lambda motion: f"{motion} = {int(vote.motion_id or 0)}")
    path = f"/orgs/cqb/votes/{vote.pk}/ballots"
    refused = Api(barred.person).post(path, {"choice": "yes"})
    assert refused.status_code == 403 and "has an interest" in refused.json()["detail"], refused.json()
    assert asked and not YesNoRegisterEntry.objects.filter(box_id=vote.box_id).exists()
    asked.clear()
    assert Api(members[2].person).post(path, {"choice": "yes"}).status_code == 201
    assert asked == [vote.pk]

    other, others = assembly_vote(5, "cqb2")
    asked.clear()
    api = Api(others[1].person)
    ApiToken.objects.filter(user=others[1].person).update(last_used_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/orgs/cqb2/votes/{other.pk}/ballots", {"choice": "no"})
    assert response.status_code == 201, response.json()
    # SQLite's general path asks the installed bars, here one that makes no query in place of the pay bar's.
    assert len(queries) == ASSEMBLY[connection.vendor] - (connection.vendor == "sqlite")
    # On PostgreSQL the bar is not asked at all; SQLite's general path asks it, and it answers for others.
    assert asked == ([] if connection.vendor == "postgresql" else [other.pk])
