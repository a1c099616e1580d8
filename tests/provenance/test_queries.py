"""The provenance readers issue a fixed number of queries, however many seats and elections lie behind a
decision."""

from __future__ import annotations

from typing import Any

import pytest

from commune.elections.models import Election
from commune.motions.models import Referral, Vote
from commune.provenance.selectors import election_provenance, vote_provenance
from tests.clock import Clock
from tests.provenance.federation import build_elected_federation, decide_forwarded_motion

pytestmark = pytest.mark.django_db

#: The vote (1), its seats with their elections (1), the motion's line (1), the apportionments' shares (1)
#: and positions (1), and the log (1).
VOTE_QUERIES = 6


def test_a_council_vote_reads_in_the_same_queries_as_an_assembly_vote(
    clock: Clock, django_assert_num_queries: Any
) -> None:
    """Four seats behind a council vote cost no more queries than the five members behind a unit's vote."""
    fed = build_elected_federation(clock)
    decision = decide_forwarded_motion(fed)
    with django_assert_num_queries(VOTE_QUERIES):
        council = vote_provenance(vote=Vote(pk=decision.council_vote))
    assert len([n for n in council.root.walk() if n.kind == "seat"]) == 4
    with django_assert_num_queries(VOTE_QUERIES - 3):  # no seats: no seat votes and no apportionments
        vote_provenance(vote=Vote(pk=decision.unit_vote))
    with django_assert_num_queries(4):
        election_provenance(election=Election(pk=fed.elections["D0-U0"].pk))
    assert not Referral.objects.exists()
