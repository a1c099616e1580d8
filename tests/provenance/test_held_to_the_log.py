"""A provenance link whose row is not as the log last recorded it is broken, not complete."""

from __future__ import annotations

from typing import Any

import pytest

from commune.elections.models import Election
from commune.federation.models import Delegation
from commune.motions.models import Vote
from commune.provenance.selectors import vote_provenance
from commune.provenance.selectors.decisions import NODE_ROWS, provenance_held_to_the_log
from tests.clock import Clock
from tests.provenance.federation import build_elected_federation, decide_forwarded_motion

pytestmark = pytest.mark.django_db


@pytest.mark.tampered
def test_a_provenance_link_whose_row_disagrees_with_the_log_is_broken(clock: Clock) -> None:
    """A council vote's provenance is complete; a seat behind it handed to someone else in the database, and
    an election's result rewritten, each become a gap naming the field: the chain is no longer complete."""
    fed = build_elected_federation(clock)
    decision = decide_forwarded_motion(fed)
    url = f"/orgs/{fed.slug}/decisions/vote/{decision.council_vote}/provenance"
    assert fed.api(1).get(url).json()["complete"] is True
    seat = Delegation.objects.filter(council=fed.body("D0"), member=fed.m(4), ended_at__isnull=True).get()
    Delegation.objects.filter(pk=seat.pk).update(member=fed.m(9))
    election = fed.elections["D0-U1"]
    Election.objects.filter(pk=election.pk).update(result={"elected": ["someone else"]})

    answer = fed.api(1).get(url).json()
    assert answer["complete"] is False
    gaps = " | ".join(answer["gaps"])
    assert f"its member_id is {fed.m(9).pk} here but {fed.m(4).pk} in the log" in gaps
    assert "its result is" in gaps


def test_the_check_against_the_log_reads_one_query_per_kind_of_row(
    clock: Clock, django_assert_num_queries: Any
) -> None:
    """Seats, elections and apportionments behind a council vote: one query for each kind of row, and two for
    the log, however many of each there are."""
    fed = build_elected_federation(clock)
    decision = decide_forwarded_motion(fed)
    provenance = vote_provenance(vote=Vote.objects.get(pk=decision.council_vote))
    kinds = {n.kind for n in provenance.root.walk() if n.kind in NODE_ROWS and n.id is not None}
    assert kinds == {"seat", "election", "apportionment"}
    with django_assert_num_queries(len(kinds) + 2):
        provenance_held_to_the_log(provenance)
    assert provenance.complete
