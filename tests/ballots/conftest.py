"""The ballot box tests share the elections' clock, and a declared election with its voters' trackers."""

from __future__ import annotations

import pytest

from commune.elections.models import Election
from commune.elections.services.casting import ballot_cast
from tests.clock import Clock
from tests.conftest import build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting

__all__ = ["declared"]


@pytest.fixture
def declared(clock: Clock, db: None) -> tuple[Election, dict[str, str]]:
    """A three-seat STV election of twelve members, declared; with each voter's tracker."""
    fed = build_federation(units_per_district=1, members_per_unit=12, slug="bb")
    election = call(clock, fed.units[0], seats=3, title="Strike committee")
    m = fed.members
    a, b, c, d, e = stand(election, m["m1"], m["m2"], m["m3"], m["m4"], m["m5"])
    election = to_voting(clock, election)
    votes = [[a, b, c]] * 5 + [[b, a]] * 2 + [[c, d]] * 2 + [[d]] + [[e, d, c]] * 2
    trackers = {}
    for n, ranking in enumerate(votes, start=1):
        trackers[f"m{n}"] = ballot_cast(election_id=election.pk, member=m[f"m{n}"], ranking=ranking).tracker
    return to_declared(clock, election), trackers
