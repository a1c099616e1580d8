"""On PostgreSQL, once a vote's mode and box are known, a member's vote is one statement holding the
caller's access and the cast (``vote_cast_by_caller``). Whatever that statement does not record takes the
access and the service apart, so every answer is the one the two-step path gives: the same status,
headers and body for a vote, a second vote, an invalid body, a token that is not valid, someone not on
the electorate, a vote of another organisation and a member a bar keeps out; SQLite always takes the
general path."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from commune.ballots.models import YesNoEncryptedPaper, YesNoRegisterEntry
from commune.federation.models import Member
from commune.motions import bars
from commune.motions.models import Vote
from commune.motions.services import casting
from tests.cast_queries import assembly_vote

pytestmark = pytest.mark.django_db

Answer = tuple[int, dict[str, str], bytes]


def _cast(person: User | None, path: str, body: Any, *, token: str | None = None) -> tuple[Answer, int]:
    """The answer to a cast with a new token of ``person``'s (or ``token``), and its queries."""
    raw = token if token is not None else api_token_create(user=person, name="cast")[1]
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(
            f"/api{path}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
    return (response.status_code, dict(response.headers), response.content), len(queries)


def _forgotten(vote: Vote) -> None:
    """As a process that has not yet seen a cast into ``vote``: the next takes the two steps."""
    casting._SHAPE_OF.pop(vote.pk, None)


def _both_ways(person: User | None, path: str, body: Any, vote: Vote, *, token: str | None = None) -> Answer:
    """The answer to the same cast by the one statement and by the two steps (rolled back in between, so
    both see the same database), checking they are the same."""

    class Undo(Exception):
        pass

    casting._SHAPE_OF[vote.pk] = (vote.mode, vote.box_id)
    one_way: Answer | None = None
    try:
        with transaction.atomic():
            one_way, _queries = _cast(person, path, body, token=token)
            raise Undo
    except Undo:
        pass
    _forgotten(vote)
    other_way, _queries = _cast(person, path, body, token=token)
    assert one_way == other_way
    return other_way


def test_a_vote_after_the_first_is_one_statement_recorded_as_before() -> None:
    vote, members = assembly_vote(6, "one")
    path = f"/orgs/one/votes/{vote.pk}/ballots"
    first, first_queries = _cast(members[1].person, path, {"choice": "yes"})
    later, later_queries = _cast(members[2].person, path, {"choice": "no"})
    assert first[0] == later[0] == 201
    assert first[2] == b'{"vote": %d, "choice": "yes", "secret": true, "departed": false}' % vote.pk
    assert later[2] == b'{"vote": %d, "choice": "no", "secret": true, "departed": false}' % vote.pk
    if connection.vendor == "postgresql":
        # Each with a new token, whose first use is noted: the first cast's two steps, the later one's one.
        assert (first_queries, later_queries) == (3, 2)
    else:
        assert first_queries == later_queries
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count() == 2
    assert YesNoEncryptedPaper.objects.filter(box_id=vote.box_id).count() == 2
    answer = _both_ways(members[3].person, path, {"choice": "abstain"}, vote)
    assert answer[0] == 201
    assert answer[1]["Content-Language"] == "en" and answer[1]["X-Frame-Options"] == "DENY"


def test_every_refusal_is_the_two_step_paths_answer() -> None:
    vote, members = assembly_vote(6, "onr")
    other, _others = assembly_vote(5, "onr2")
    path = f"/orgs/onr/votes/{vote.pk}/ballots"
    assert _cast(members[1].person, path, {"choice": "yes"})[0][0] == 201  # the vote's shape is known
    token = api_token_create(user=members[1].person, name="again")[1]
    assert _both_ways(None, path, {"choice": "no"}, vote, token=token)[0] == 409
    assert _both_ways(members[2].person, path, {"choice": "maybe"}, vote)[0] == 422
    assert _both_ways(None, path, {"choice": "no"}, vote, token="not-a-token")[0] == 401
    outsider = (
        Member.objects.filter(organisation_id=vote.organisation_id)
        .exclude(current_unit=vote.body)
        .select_related("person")
        .first()
    )
    assert outsider is not None
    assert _both_ways(outsider.person, path, {"choice": "no"}, vote)[0] == 403
    elsewhere = f"/orgs/onr/votes/{other.pk}/ballots"
    assert _both_ways(members[2].person, elsewhere, {"choice": "no"}, other)[0] == 404
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count() == 1
    assert not YesNoRegisterEntry.objects.filter(box_id=other.box_id).exists()


def test_a_bar_that_can_apply_keeps_its_member_out(monkeypatch: pytest.MonkeyPatch) -> None:
    vote, members = assembly_vote(5, "onb")
    path = f"/orgs/onb/votes/{vote.pk}/ballots"
    assert _cast(members[1].person, path, {"choice": "yes"})[0][0] == 201
    monkeypatch.setattr(bars, "_vote_bars", [])
    monkeypatch.setattr(bars, "_applies", {})
    barred = members[2]
    bars.vote_bar_register(
        lambda of: {barred.pk: "has an interest"},
        applies_sql=lambda motion: f"{motion} = {int(vote.motion_id or 0)}",
    )
    refused = _both_ways(barred.person, path, {"choice": "yes"}, vote)
    assert refused[0] == 403 and b"has an interest" in refused[2]
    assert _cast(members[3].person, path, {"choice": "no"})[0][0] == 201
    assert not YesNoRegisterEntry.objects.filter(box_id=vote.box_id, member=barred).exists()


def test_a_stale_shape_writes_nothing_and_the_two_steps_answer() -> None:
    """A vote's mode and box remembered wrongly (a database rebuilt under a running server): the
    statement records nothing, and the cast is recorded by the two steps, in the right box."""
    vote, members = assembly_vote(5, "ons")
    path = f"/orgs/ons/votes/{vote.pk}/ballots"
    casting._SHAPE_OF[vote.pk] = ("open", None)
    answer, _queries = _cast(members[1].person, path, {"choice": "yes"})
    assert answer[0] == 201 and b'"secret": true' in answer[2]
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id, member=members[1]).exists()
    if connection.vendor == "postgresql":
        assert casting._SHAPE_OF[vote.pk] == (vote.mode, vote.box_id)
