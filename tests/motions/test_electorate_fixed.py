"""An assembly vote's and a referendum's electorate is fixed when the vote opens, and the opening in the
log carries the electorate's size and digest: a member who lapses afterwards still votes; one admitted
afterwards does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.ballots.models import YesNoRegisterEntry
from commune.federation.electorate import electorate_digest
from commune.federation.services import member_admit, member_lapse
from commune.motions.errors import NotEntitled
from commune.motions.models import VoteElector, VotePurpose
from commune.motions.services import assembly_vote_cast, motion_move, vote_open
from tests.motions.conftest import Api, Fed

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


@pytest.mark.parametrize("referendum", [False, True], ids=["assembly", "referendum"])
def test_through_the_api_and_the_vote_page_a_lapsed_elector_votes_and_one_admitted_since_does_not(
    fed: Fed, referendum: bool
) -> None:
    """The API and the vote's page admit exactly the electorate fixed at the opening: m2 (by the API) and
    m4 (on the page) lapse afterwards and still vote; a member admitted since is refused on both."""
    body = fed.small.districts[0] if referendum else fed.small.units[0]
    motion = motion_move(
        body=body, member=fed.members["m3"], title="Strike fund", text="Raise the strike fund."
    )
    vote = vote_open(
        body=body,
        motion=motion,
        purpose=VotePurpose.ADOPT,
        question="Raise the strike fund?",
        member=None,
        closes_at=timezone.now() + timedelta(days=1),
        referendum=referendum,
    )
    for key in ("m2", "m4"):
        member_lapse(member=fed.members[key])
    late = member_admit(
        unit=fed.small.units[0], person=user_create(email="late@x.example", name="Late"), number="LATE1"
    )
    ballots = f"/orgs/{fed.slug}/votes/{vote.pk}/ballots"
    cast = fed.api(2).post(ballots, {"choice": "yes"})
    assert cast.status_code == 201, cast.json()
    assert Api(late.person).post(ballots, {"choice": "yes"}).status_code == 403
    page = reverse("motions:vote", kwargs={"slug": fed.slug, "vote_id": vote.pk})
    lapsed = Client()
    lapsed.force_login(fed.members["m4"].person)
    assert lapsed.get(page).status_code == 200
    assert lapsed.post(page, {"choice": "no"}).status_code == 302
    newcomer = Client()
    newcomer.force_login(late.person)
    assert newcomer.post(page, {"choice": "no"}).status_code == 403
    voted = YesNoRegisterEntry.objects.filter(box_id=vote.box_id) if vote.box_id else vote.open_choices
    assert sorted(voted.values_list("member__number", flat=True)) == [
        fed.members["m2"].number,
        fed.members["m4"].number,
    ]
