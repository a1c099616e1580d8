"""An election's electorate is fixed when it is called, and its call in the log carries the electorate's
size and digest: a member who lapses afterwards still votes; one admitted afterwards does not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.ballots.models import RegisterEntry
from commune.elections.errors import NotEligible
from commune.elections.models import Elector
from commune.elections.services.casting import ballot_cast
from commune.federation.electorate import electorate_digest
from commune.federation.services import member_admit, member_lapse
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.elections.conftest import call, stand, to_voting
from tests.elections.test_api import Api

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


def test_through_the_api_and_the_ballot_page_a_lapsed_elector_votes_and_one_admitted_since_does_not(
    federation: SmallFederation, clock: Clock
) -> None:
    """The API and the ballot page admit exactly the electorate fixed at the call: m2 and m4 lapse
    afterwards and still vote (m2 by the API, m4 on the page); a member admitted since is refused on
    both."""
    unit = federation.units[0]
    election = call(clock, unit)
    candidacy, _ = stand(election, federation.members["m1"], federation.members["m3"])
    for key in ("m2", "m4"):
        member_lapse(member=federation.members[key])
    late = member_admit(unit=unit, person=user_create(email="late@x.example", name="Late"), number="LATE1")
    election = to_voting(clock, election)
    cast = f"/orgs/tf/elections/{election.pk}/ballots"
    voted = Api(federation.members["m2"].person).post(cast, {"ranking": [candidacy]})
    assert voted.status_code == 201, voted.json()
    assert Api(late.person).post(cast, {"ranking": [candidacy]}).status_code == 403
    page = reverse("ballots:ballot", kwargs={"slug": "tf", "election_id": election.pk})
    lapsed = Client()
    lapsed.force_login(federation.members["m4"].person)
    assert lapsed.get(page).status_code == 200
    assert lapsed.post(page, {f"rank_{candidacy}": "1"}).status_code == 200
    newcomer = Client()
    newcomer.force_login(late.person)
    refused = newcomer.post(page, {f"rank_{candidacy}": "1"})
    assert refused.status_code == 400 and b"not on the electorate" in refused.content
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == 2
