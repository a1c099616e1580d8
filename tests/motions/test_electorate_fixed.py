"""An assembly vote's and a referendum's electorate is fixed when the vote opens, and the opening in the
log carries the electorate's size and digest: a member who lapses afterwards still votes; one admitted
afterwards does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.federation.electorate import electorate_digest
from commune.federation.services import member_admit, member_lapse
from commune.motions.errors import NotEntitled
from commune.motions.models import VoteElector, VotePurpose
from commune.motions.services import assembly_vote_cast, motion_move, vote_open
from tests.motions.conftest import Fed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("referendum", [False, True], ids=["assembly", "referendum"])
def test_the_electorate_at_opening_is_the_electorate_that_votes_whatever_the_roll_does(
    fed: Fed, referendum: bool
) -> None:
    """District 0 (a referendum of its ten members) or unit D0-U0 (an assembly of its five)."""
    body = fed.small.districts[0] if referendum else fed.small.units[0]
    mover = fed.members["m3"]
    motion = motion_move(body=body, member=mover, title="Strike fund", text="Raise the strike fund.")
    vote = vote_open(
        body=body,
        motion=motion,
        purpose=VotePurpose.ADOPT,
        question="Raise the strike fund?",
        member=None,
        closes_at=timezone.now() + timedelta(days=1),
        referendum=referendum,
    )
    entry = LogEntry.objects.get(action="vote.opened", payload__vote=vote.pk)
    electors = list(VoteElector.objects.filter(vote=vote).values_list("member_id", flat=True))
    assert entry.payload["electorate"] == len(electors) == (10 if referendum else 5)
    assert entry.payload["electorate_digest"] == electorate_digest(electors)
    member_lapse(member=fed.members["m2"])
    assembly_vote_cast(vote=vote, member=fed.members["m2"], choice="yes")
    late = member_admit(
        unit=fed.small.units[0], person=user_create(email="late@x.example", name="Late"), number="LATE1"
    )
    with pytest.raises(NotEntitled):
        assembly_vote_cast(vote=vote, member=late, choice="yes")
