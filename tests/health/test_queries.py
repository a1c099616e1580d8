"""Democracy health costs the same number of queries however large the federation and its record."""

from __future__ import annotations

from typing import Any

import pytest

from commune.health.selectors import organisation_health
from tests.clock import Clock, let_vote_run
from tests.health.federation import build_health_federation

pytestmark = pytest.mark.django_db

#: Bodies (1); elections and their registers (2); assembly votes (1); referendum electors and register
#: (2); motion lines (1); mandated council votes (1); recall petitions (1); seats and office terms (2).
HEALTH_QUERIES = 11


def test_health_reads_in_a_fixed_number_of_queries_as_the_record_grows(
    clock: Clock, django_assert_num_queries: Any
) -> None:
    """Two more motions in District 1's units, decided by ten more voters, cost no more queries, for the
    organisation or for one body."""
    fed = build_health_federation(clock)
    with django_assert_num_queries(HEALTH_QUERIES):
        before = organisation_health(organisation=fed.small.org)
    for mover, unit in ((11, "D1-U0"), (16, "D1-U1")):
        motion = fed.api(mover).post(f"/orgs/{fed.slug}/bodies/{unit}/motions", {"title": "t", "text": "x"})
        fed.api(mover + 1).post(f"/orgs/{fed.slug}/motions/{motion.json()['id']}/support")
        vote = fed.api(mover).post(f"/orgs/{fed.slug}/motions/{motion.json()['id']}/votes", {"minutes": 60})
        for n in range(mover, mover + 5):
            fed.api(n).post(f"/orgs/{fed.slug}/votes/{vote.json()['id']}/ballots", {"choice": "yes"})
        let_vote_run(vote.json())
        assert fed.api(mover).post(f"/orgs/{fed.slug}/votes/{vote.json()['id']}/close").status_code == 200
    with django_assert_num_queries(HEALTH_QUERIES):
        after = organisation_health(organisation=fed.small.org)
    assert after.totals.motions_from_units == before.totals.motions_from_units + 2
    assert after.totals.assembly_cast == before.totals.assembly_cast + 10
    district = fed.body("D1")
    with django_assert_num_queries(HEALTH_QUERIES):
        assert organisation_health(organisation=fed.small.org, scope=district).totals.assembly_cast == 10
