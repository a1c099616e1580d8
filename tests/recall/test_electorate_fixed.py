"""A recall petition's electorate is fixed when it opens: the roll changing afterwards neither adds nor
removes anyone from the petition or from its recall ballot."""

from __future__ import annotations

import pytest

from commune.audit.models import LogEntry
from commune.federation.electorate import electorate_digest
from commune.federation.services import member_admit, member_lapse
from commune.recall.errors import RecallNotEntitled
from commune.recall.models import RecallPetitionElector, RecallStatus
from commune.recall.services import (
    recall_ballot_cast,
    recall_may_take_part,
    recall_petition_open,
    recall_petition_sign,
)
from tests.recall.conftest import Recall

pytestmark = pytest.mark.django_db


def test_a_member_who_lapses_after_the_petition_opens_still_signs_and_votes(recall: Recall) -> None:
    """m8 lapses after the petition opens and still signs (the signature counts towards the threshold);
    m10 lapses once the recall ballot is open and still votes; the ballot's electorate is the petition's
    twelve, not the ten members left."""
    petition = recall_petition_open(seat=recall.seats["m1"], member=recall.member("m7"))
    member_lapse(member=recall.member("m8"))
    petition = recall_petition_sign(petition=petition, member=recall.member("m8"))
    assert petition.signatures == 2
    member_lapse(member=recall.member("m9"))
    petition = recall_petition_sign(petition=petition, member=recall.member("m9"))
    assert petition.status == RecallStatus.BALLOTING
    assert petition.ballot.electorate == petition.electorate_size == 12
    member_lapse(member=recall.member("m10"))
    recall_ballot_cast(petition=petition, member=recall.member("m10"), choice="yes")
    assert recall_may_take_part(member=recall.member("m10"), petition=petition)


def test_a_member_who_joins_after_the_petition_opens_neither_signs_nor_votes(recall: Recall) -> None:
    """m10 (an elector of the conferring election) has lapsed when the petition opens and is re-admitted
    afterwards: they are not on the petition's electorate, so they may neither sign nor vote in its
    ballot, though they may open the next petition."""
    m10 = recall.member("m10")
    member_lapse(member=m10)
    petition = recall_petition_open(seat=recall.seats["m1"], member=recall.member("m7"))
    assert petition.electorate_size == 11
    member_admit(unit=recall.fed.units[0], person=m10.person, number=m10.number)
    with pytest.raises(RecallNotEntitled):
        recall_petition_sign(petition=petition, member=m10)
    for key in ("m8", "m9"):
        petition = recall_petition_sign(petition=petition, member=recall.member(key))
    assert petition.status == RecallStatus.BALLOTING and petition.ballot.electorate == 11
    with pytest.raises(RecallNotEntitled):
        recall_ballot_cast(petition=petition, member=m10, choice="yes")
    assert not recall_may_take_part(member=m10, petition=petition)
    assert recall_may_take_part(member=m10, seat=recall.seats["m2"])


def test_the_opening_log_entry_carries_the_electorates_size_and_digest_and_names_no_signer(
    recall: Recall,
) -> None:
    petition = recall_petition_open(seat=recall.seats["m1"], member=recall.member("m7"))
    fixed = list(RecallPetitionElector.objects.filter(petition=petition).values_list("member_id", flat=True))
    entry = LogEntry.objects.get(action="recall.petition_opened")
    assert entry.payload["electorate"] == len(fixed) == 12
    assert entry.payload["electorate_digest"] == electorate_digest(fixed)
    assert recall.member("m7").number not in str(entry.payload) + entry.summary
