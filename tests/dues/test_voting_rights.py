"""Where the constitution says only members in good standing vote, the right is fixed with the electorate
as each process opens: a member who pays afterwards is not added, and one who falls into arrears
afterwards is not removed. For elections, assembly votes, referendums and recall petitions alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commune.dues.selectors import member_standing
from commune.dues.services import arrears_brought_forward_record, dues_payment_record
from commune.elections.models import ElectedSeat, ElectionKind, Elector
from commune.elections.services.casting import ballot_cast
from commune.errors import DomainError
from commune.federation.services import office_create
from commune.motions.models import VoteElector, VotePurpose
from commune.motions.services import (
    assembly_vote_cast,
    motion_move,
    motion_support,
    motion_vote_open,
    vote_open,
)
from commune.recall.errors import RecallNotEntitled
from commune.recall.models import RecallPetitionElector, RecallStatus
from commune.recall.services import recall_ballot_cast, recall_petition_open
from tests.dues.conftest import Dues
from tests.elections.conftest import call, stand, to_declared, to_voting

pytestmark = pytest.mark.django_db

IN_STANDING = ("d1", "d2", "d3", "d4")


def _three_months_on_and_four_pay(dues: Dues) -> None:
    """Everyone is three months behind (good standing allows two); d1…d4 pay up; d5, d6 (Unit One) and
    d7…d9 (Unit Two) do not."""
    dues.months_pass(3)
    for key in IN_STANDING:
        dues_payment_record(
            officer=dues.m("d2"), member=dues.m(key), amount="36.00", paid_on=timezone.localdate()
        )
    assert [member_standing(member=dues.m(f"d{n}")).good for n in range(1, 7)] == [True] * 4 + [False] * 2


def _pay(dues: Dues, key: str) -> None:
    dues_payment_record(
        officer=dues.m("d2"), member=dues.m(key), amount="36.00", paid_on=timezone.localdate()
    )
    assert member_standing(member=dues.m(key)).good


def _fall_behind(dues: Dues, key: str) -> None:
    arrears_brought_forward_record(
        officer=dues.m("d2"), member=dues.m(key), months=6, reason="the old ledger"
    )
    assert not member_standing(member=dues.m(key)).good


def _ids(dues: Dues, *keys: str) -> set[int]:
    return {dues.members[k].pk for k in keys}


def test_an_elections_electorate_is_those_in_good_standing_when_it_is_called(dues: Dues) -> None:
    _three_months_on_and_four_pay(dues)
    election = call(dues.clock, dues.u1, kind=ElectionKind.OTHER, title="Banner committee")
    assert set(Elector.objects.filter(election=election).values_list("member_id", flat=True)) == _ids(
        dues, *IN_STANDING
    )
    candidate, _ = stand(election, dues.m("d1"), dues.m("d2"))
    _pay(dues, "d5")
    _fall_behind(dues, "d4")
    election = to_voting(dues.clock, election)
    with pytest.raises(DomainError):
        ballot_cast(election_id=election.pk, member=dues.m("d5"), ranking=[candidate])
    ballot_cast(election_id=election.pk, member=dues.m("d4"), ranking=[candidate])


def test_an_assembly_vote_and_a_referendum_fix_who_is_in_good_standing_as_they_open(dues: Dues) -> None:
    _three_months_on_and_four_pay(dues)
    motion = motion_move(body=dues.u1, member=dues.m("d1"), title="New banner", text="We buy a new banner.")
    motion = motion_support(motion=motion, member=dues.m("d2"))
    closes = timezone.now() + timedelta(hours=1)
    vote = motion_vote_open(motion=motion, member=dues.m("d1"), closes_at=closes)
    referendum = vote_open(
        body=dues.congress,
        motion=motion,
        purpose=VotePurpose.REFERRAL,
        question="Buy a new banner?",
        member=None,
        closes_at=closes,
        referendum=True,
    )
    for opened in (vote, referendum):
        assert set(VoteElector.objects.filter(vote=opened).values_list("member_id", flat=True)) == _ids(
            dues, *IN_STANDING
        )
    _pay(dues, "d5")
    _fall_behind(dues, "d4")
    for opened in (vote, referendum):
        with pytest.raises(DomainError):
            assembly_vote_cast(vote=opened, member=dues.m("d5"), choice="yes")
        assembly_vote_cast(vote=opened, member=dues.m("d4"), choice="yes")


def test_a_recall_petitions_electorate_is_fixed_in_good_standing_as_it_opens(dues: Dues) -> None:
    """d1 is elected chair by d1…d4. d3 falls behind before a petition opens: they can open none, and are
    left out of the one d2 opens and of its recall ballot, even once they pay. d4 falls behind after it
    opens and still votes."""
    _three_months_on_and_four_pay(dues)
    office = office_create(body=dues.u1, title="Chair")
    election = call(dues.clock, dues.u1, kind=ElectionKind.OFFICER, office=office, term_days=2)
    candidate, _ = stand(election, dues.m("d1"), dues.m("d2"))
    election = to_voting(dues.clock, election)
    for key in IN_STANDING:
        ballot_cast(election_id=election.pk, member=dues.m(key), ranking=[candidate])
    election = to_declared(dues.clock, election)
    seat = ElectedSeat.objects.get(election=election)
    _fall_behind(dues, "d3")
    with pytest.raises(RecallNotEntitled, match="good standing"):
        recall_petition_open(seat=seat, member=dues.m("d3"))
    petition = recall_petition_open(seat=seat, member=dues.m("d2"))
    assert set(
        RecallPetitionElector.objects.filter(petition=petition).values_list("member_id", flat=True)
    ) == _ids(dues, "d1", "d2", "d4")
    # A quarter of three signatures is one: the opener's calls the recall ballot at once, on the same
    # electorate.
    petition.refresh_from_db()
    assert petition.status == RecallStatus.BALLOTING and petition.ballot.electorate == 3
    _pay(dues, "d3")
    with pytest.raises(RecallNotEntitled):
        recall_ballot_cast(petition=petition, member=dues.m("d3"), choice="yes")
    _fall_behind(dues, "d4")
    recall_ballot_cast(petition=petition, member=dues.m("d4"), choice="no")
