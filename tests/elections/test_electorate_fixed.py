"""An election's electorate is fixed when it is called, and its call in the log carries the electorate's
size and digest: a member who lapses afterwards still votes; one admitted afterwards does not."""

from __future__ import annotations

import pytest

from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.elections.errors import NotEligible
from commune.elections.models import Elector
from commune.elections.services.casting import ballot_cast
from commune.federation.electorate import electorate_digest
from commune.federation.services import member_admit, member_lapse
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.elections.conftest import call, stand, to_voting

pytestmark = pytest.mark.django_db


def test_the_electorate_called_is_the_electorate_that_votes_whatever_the_roll_does(
    federation: SmallFederation, clock: Clock
) -> None:
    unit = federation.units[0]
    election = call(clock, unit)
    entry = LogEntry.objects.get(action="election.called", payload__election=election.pk)
    weights = dict(Elector.objects.filter(election=election).values_list("member_id", "weight"))
    assert entry.payload["electors"] == len(weights) == 5
    assert entry.payload["electorate_digest"] == electorate_digest(weights)
    candidacy, _ = stand(election, federation.members["m1"], federation.members["m3"])
    member_lapse(member=federation.members["m2"])
    late = member_admit(unit=unit, person=user_create(email="late@x.example", name="Late"), number="LATE1")
    election = to_voting(clock, election)
    ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[candidacy])
    with pytest.raises(NotEligible):
        ballot_cast(election_id=election.pk, member=late, ranking=[candidacy])
