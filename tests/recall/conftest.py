"""Recall fixtures: delegates elected by a real STV count, so a recall can be filled by countback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from commune.audit.services import Actor
from commune.elections.models import Candidacy, ElectedSeat, Election, ElectionKind
from commune.elections.services.casting import ballot_cast
from commune.federation.constitution import DEFAULT_RULES
from commune.federation.models import Member
from tests.clock import Clock
from tests.conftest import SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.referendum import constitution_amend

__all__ = ["Api", "Recall", "recall"]


class Api:
    """A client speaking as one person, with their bearer token."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api{path}", **self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"/api{path}", data or {}, content_type="application/json", **self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api{path}", **self.headers)

    def patch(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.patch(f"/api{path}", data, content_type="application/json", **self.headers)

    def put(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.put(f"/api{path}", data, content_type="application/json", **self.headers)


@dataclass
class Recall:
    """Unit D0-U0 (members m1…m12) elected four delegates to District 0 by Scottish STV from six
    candidates (m1…m6): m1…m4 won, m5 and m6 did not; m13…m24 belong to other units. ``seats`` maps each winner's member key to
    their elected seat."""

    fed: SmallFederation
    clock: Clock
    election: Election
    seats: dict[str, ElectedSeat]
    labels: dict[str, str]

    def member(self, key: str) -> Member:
        return self.fed.members[key]

    def api(self, key: str) -> Api:
        return Api(self.fed.members[key].person)

    def rules(self, **recall: Any) -> None:
        """Adopt a constitution whose recall rules differ from the defaults as given."""
        rules = {**DEFAULT_RULES, "recall": {**DEFAULT_RULES["recall"], **recall}}
        constitution_amend(self.fed.org, rules)


#: The twelve ballots, by candidate key (m1…m6), first preference first. No count reaches a tie, so the
#: result never depends on the lot: m1 and m4 reach the quota of 3 at once, m6 (no votes) and then m5 are
#: excluded, and m2 and m3 fill the last seats; m5 and m6 are unsuccessful.
BALLOTS = [
    ["m1", "m2", "m5"],
    ["m1", "m5", "m2"],
    ["m1", "m2", "m6"],
    ["m1", "m5", "m6"],
    ["m2", "m3", "m6"],
    ["m2", "m5"],
    ["m3", "m6", "m4"],
    ["m3", "m5"],
    ["m4", "m1", "m6"],
    ["m4", "m3"],
    ["m4", "m6"],
    ["m5", "m6", "m4"],
]


@pytest.fixture
def recall(clock: Clock, db: None) -> Recall:
    fed = build_federation(units_per_district=2, members_per_unit=12, slug="rc")
    unit = fed.units[0]
    election = call(clock, unit, kind=ElectionKind.DELEGATES, term_days=2)
    assert election.seats == 4
    keys = [f"m{n}" for n in range(1, 7)]
    ids = dict(zip(keys, stand(election, *(fed.members[k] for k in keys)), strict=True))
    election = to_voting(clock, election)
    for n, ranking in enumerate(BALLOTS, start=1):
        ballot_cast(election_id=election.pk, member=fed.members[f"m{n}"], ranking=[ids[k] for k in ranking])
    election = to_declared(clock, election)
    assert election.installed_at is not None, election.status
    assert election.result is not None and sorted(election.result["elected"]) == [
        "Member 001",
        "Member 002",
        "Member 003",
        "Member 004",
    ]
    by_member = {m.pk: k for k, m in fed.members.items()}
    seats = {by_member[s.member_id]: s for s in ElectedSeat.objects.filter(election=election)}
    labels = {by_member[c.member_id]: c.ballot_label for c in Candidacy.objects.filter(election=election)}
    return Recall(fed=fed, clock=clock, election=election, seats=seats, labels=labels)


def actor() -> Actor:
    return Actor(None, "test")
