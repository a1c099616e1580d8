"""A recall petition's electorate is fixed when it opens: the roll changing afterwards neither adds nor
removes anyone from the petition or from its recall ballot."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commune.audit.models import LogEntry
from commune.federation.electorate import electorate_digest
from commune.federation.services import member_admit, member_lapse
from commune.recall.errors import RecallNotEntitled
from commune.recall.models import RecallPetitionElector, RecallStatus
from commune.recall.selectors import recall_ballot_voted
from commune.recall.services import (
    recall_ballot_cast,
    recall_may_take_part,
    recall_petition_open,
    recall_petition_sign,
)
from tests.recall.conftest import Recall

pytestmark = pytest.mark.django_db

AGAINST_M1 = {"holder": "RC00001", "council": "D0", "grounds": "Voted against our mandate on pay."}


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


def test_through_the_api_a_lapsed_elector_signs_and_votes_and_one_admitted_since_does_neither(
    recall: Recall,
) -> None:
    """The API admits exactly the petition's electorate: m8 lapses after it opens and still signs, m10
    lapses once its recall ballot is open and still votes; m11, lapsed when it opened and re-admitted
    since, may neither sign nor vote, though a current member again."""
    recall.rules(procedure="recall-ballot")
    m11 = recall.member("m11")
    member_lapse(member=m11)
    opened = recall.api("m7").post("/orgs/rc/recalls", AGAINST_M1)
    assert opened.status_code == 201, opened.content
    petition = f"/orgs/rc/recalls/{opened.json()['id']}"
    member_admit(unit=recall.fed.units[0], person=m11.person, number=m11.number)
    assert recall.api("m11").post(f"{petition}/signature").status_code == 403
    member_lapse(member=recall.member("m8"))
    signed = recall.api("m8").post(f"{petition}/signature")
    assert signed.status_code == 200, signed.content
    assert signed.json()["signatures"] == 2 and signed.json()["you_signed"] is True
    assert recall.api("m9").post(f"{petition}/signature").json()["status"] == "balloting"
    member_lapse(member=recall.member("m10"))
    assert recall.api("m10").post(f"{petition}/ballot", {"choice": "yes"}).status_code == 204
    assert recall.api("m11").post(f"{petition}/ballot", {"choice": "yes"}).status_code == 403
    assert recall.api("m10").get(petition).json()["ballot"]["you_voted"] is True


def test_on_the_pages_a_lapsed_elector_signs_and_votes(recall: Recall) -> None:
    """m8 lapses after the petition opens and signs on its page; m9's signature opens the recall ballot,
    and m8 votes in it on the ballot's page."""
    recall.rules(procedure="recall-ballot")
    petition = recall_petition_open(seat=recall.seats["m1"], member=recall.member("m7"))
    member_lapse(member=recall.member("m8"))
    lapsed = Client()
    lapsed.force_login(recall.member("m8").person)
    kwargs = {"slug": "rc", "petition_id": petition.pk}
    assert lapsed.post(reverse("recall:sign", kwargs=kwargs), follow=True).status_code == 200
    petition = recall_petition_sign(petition=petition, member=recall.member("m9"))
    assert petition.status == RecallStatus.BALLOTING and petition.signatures == 3
    ballot = reverse("recall:ballot", kwargs=kwargs)
    assert lapsed.get(ballot).status_code == 200
    assert lapsed.post(ballot, {"choice": "no"}).status_code == 302
    assert recall_ballot_voted(petition=petition, member=recall.member("m8"))
