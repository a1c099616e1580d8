"""The one shape of the cast query-count tests (a member's vote, ``tests/motions/test_cast_queries.py``;
an election ballot, ``tests/elections/test_api.py``): the same cast by members of a small and of a larger
electorate, each through the API with a bearer token of their own already in use, as a client's is (so
no cast writes the token's last use), its queries counted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commune.accounts.models import ApiToken, User
from commune.accounts.services import api_token_create
from commune.federation.models import Member
from commune.motions.models import MotionStatus, Vote, VoteMode
from commune.motions.services import motion_vote_open
from commune.motions.services.motions import motion_move, motion_support
from tests.conftest import build_federation


def assembly_vote(members_per_unit: int, slug: str) -> tuple[Vote, list[Member]]:
    """A motion of a unit's general assembly put to its members' secret vote, open for an hour; the unit's
    members in the order of their numbers."""
    fed = build_federation(units_per_district=1, members_per_unit=members_per_unit, slug=slug)
    unit = fed.units[0]
    members = list(Member.objects.filter(current_unit=unit).select_related("person").order_by("number"))
    motion = motion_move(body=unit, member=members[0], title="A strike fund", text="Open one.")
    supporter = 1
    while motion.status != MotionStatus.ON_AGENDA:
        motion = motion_support(motion=motion, member=members[supporter])
        supporter += 1
    vote = motion_vote_open(motion=motion, member=members[0], closes_at=timezone.now() + timedelta(hours=1))
    assert vote.mode == VoteMode.SECRET
    return vote, members


def cast_query_counts(path: str, body: dict[str, Any], people: Sequence[User]) -> list[int]:
    """The queries of each person's cast of ``body`` to ``/api{path}``; every cast must be recorded (201)."""
    counts = []
    for person in people:
        token, raw = api_token_create(user=person, name="cast")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            response = Client().post(
                f"/api{path}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
            )
        assert response.status_code == 201, response.json()
        counts.append(len(queries))
    return counts
