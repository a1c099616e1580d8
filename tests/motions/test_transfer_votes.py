"""Nobody votes twice on one question by moving: every process keeps the electorate it opened with, so a
member moved during a referral to the unit assemblies keeps their vote in the unit they left (cast or not)
and gains none in the unit they joined."""

from __future__ import annotations

import pytest

from commune.federation.models import Member
from commune.membership.services import transfer_admit, transfer_request
from commune.motions.models import Vote
from tests.motions.conftest import Fed, all_vote
from tests.motions.test_referrals_api import refer

pytestmark = pytest.mark.django_db


def _moved(fed: Fed, n: int, to: str) -> Member:
    transfer = transfer_request(member=fed.members[f"m{n}"], to_unit_code=to, statement="New depot")
    transfer_admit(transfer=transfer, officer=fed.members["m2"])
    member = fed.members[f"m{n}"]
    member.refresh_from_db()
    return member


def test_a_member_who_voted_in_the_old_units_assembly_gets_no_vote_in_the_new_ones(fed: Fed) -> None:
    """m7 votes in D0-U1's assembly on a referred question, then moves to D0-U0: D0-U0's vote on the same
    question refuses them, by the API, and their vote in D0-U1 still counts. m8 moves before voting: they
    still vote in D0-U1, whose electorate was fixed with them in it, and not in D0-U0."""
    referral = refer(fed, "assemblies")
    votes = {v["body"]["code"]: v["id"] for v in referral["votes"]}
    all_vote(fed, votes["D0-U1"], {7: "yes"})
    moved = _moved(fed, 7, "D0-U0")
    assert moved.current_unit_id == fed.small.units[0].pk
    refused = fed.api(7).post(f"/orgs/{fed.slug}/votes/{votes['D0-U0']}/ballots", {"choice": "no"})
    assert refused.status_code == 403, refused.json()
    assert Vote.objects.get(pk=votes["D0-U0"]).electorate == 5
    _moved(fed, 8, "D0-U0")
    assert (
        fed.api(8).post(f"/orgs/{fed.slug}/votes/{votes['D0-U0']}/ballots", {"choice": "no"}).status_code
        == 403
    )
    assert (
        fed.api(8).post(f"/orgs/{fed.slug}/votes/{votes['D0-U1']}/ballots", {"choice": "yes"}).status_code
        == 201
    )
    counted = fed.api(9).get(f"/orgs/{fed.slug}/votes/{votes['D0-U1']}").json()
    assert counted["electorate"] == 5


def test_a_member_moved_during_a_referendum_still_votes_once(fed: Fed) -> None:
    """A referendum of the whole membership is one ballot with one electorate: moving between units changes
    nothing, and the second try is refused."""
    ballot = refer(fed, "referendum")["votes"][0]
    all_vote(fed, ballot["id"], {7: "yes"})
    _moved(fed, 7, "D0-U0")
    again = fed.api(7).post(f"/orgs/{fed.slug}/votes/{ballot['id']}/ballots", {"choice": "no"})
    assert again.status_code == 409, again.json()
