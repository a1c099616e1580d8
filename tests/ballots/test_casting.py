"""Casting ballots: who may, what a valid ballot is, re-voting, and nothing after close."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase

from commune.audit.verification import chain_head
from commune.ballots.models import Ballot, BulletinEntry, RegisterEntry
from commune.elections.errors import ElectionConflict, ElectionError, NotEligible
from commune.elections.models import Election
from commune.elections.services.casting import ballot_cast
from commune.federation.constitution import DEFAULT_RULES
from tests.clock import Clock
from tests.conftest import SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.referendum import constitution_amend

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(federation: SmallFederation, clock: Clock) -> tuple[Election, list[int]]:
    election = call(clock, federation.units[0], seats=1)
    ids = stand(election, federation.members["m1"], federation.members["m4"], federation.members["m5"])
    return to_voting(clock, election), ids


def _box_state(election: Election) -> tuple[int, int]:
    return RegisterEntry.objects.filter(box_id=election.box_id).count(), Ballot.objects.filter(
        box_id=election.box_id
    ).count()


def test_a_ballot_is_recorded_in_the_register_and_the_box_apart(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, (a, b, _) = voting
    receipt = ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[b, a])
    entry = RegisterEntry.objects.get(box_id=election.box_id)
    ballot = Ballot.objects.get(box_id=election.box_id)
    assert entry.member == federation.members["m2"]
    assert (ballot.ranking, ballot.weight, ballot.tracker) == ([b, a], 1, receipt.tracker)
    assert len(receipt.tracker) == 17 and not receipt.replaced_earlier_ballot


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        ([], "ranks no candidate"),
        ([999999], "is not standing"),
        (["first", "repeat"], "ranked more than once"),
    ],
)
def test_an_invalid_ballot_is_refused_and_changes_nothing(
    federation: SmallFederation, voting: tuple[Election, list[int]], ranking: list[object], message: str
) -> None:
    election, (a, b, _) = voting
    ranking = [a, b, a] if ranking == ["first", "repeat"] else ranking
    with pytest.raises(ElectionError, match=message):
        ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=ranking)  # type: ignore[arg-type]
    assert _box_state(election) == (0, 0)


def test_a_withdrawn_or_invalid_candidate_of_another_election_is_unknown(
    federation: SmallFederation, clock: Clock, voting: tuple[Election, list[int]]
) -> None:
    election, _ = voting
    other = call(clock, federation.units[1], seats=1, title="Elsewhere")
    (foreign,) = stand(other, federation.members["m6"])
    with pytest.raises(ElectionError, match="not standing"):
        ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[foreign])
    assert _box_state(election) == (0, 0)


def test_a_non_elector_cannot_vote(federation: SmallFederation, voting: tuple[Election, list[int]]) -> None:
    election, (a, _, _) = voting
    with pytest.raises(NotEligible, match="not on the electorate"):
        ballot_cast(election_id=election.pk, member=federation.members["m9"], ranking=[a])
    assert _box_state(election) == (0, 0)


def test_no_ballot_before_voting_opens(federation: SmallFederation, clock: Clock) -> None:
    election = call(clock, federation.units[0], seats=1)
    (a,) = stand(election, federation.members["m1"])
    with pytest.raises(ElectionConflict, match="not open"):
        ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[a])
    assert _box_state(election) == (0, 0)


def test_no_ballot_is_accepted_after_close(
    federation: SmallFederation, clock: Clock, voting: tuple[Election, list[int]]
) -> None:
    """At the closing time itself, even before the scheduler has run, and after it has."""
    election, (a, _, _) = voting
    ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[a])
    clock.now = election.voting_close_at
    with pytest.raises(ElectionConflict, match="closed"):
        ballot_cast(election_id=election.pk, member=federation.members["m3"], ranking=[a])
    election = to_declared(clock, election)
    with pytest.raises(ElectionConflict, match="closed"):
        ballot_cast(election_id=election.pk, member=federation.members["m3"], ranking=[a])
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == 1
    assert BulletinEntry.objects.filter(box_id=election.box_id).count() == 1


def test_revoting_replaces_the_earlier_ballot(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    """Where the constitution allows it, the last ballot counts: one register entry, one ballot."""
    election, (a, b, _) = voting
    first = ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[a])
    second = ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[b])
    assert second.replaced_earlier_ballot and first.tracker != second.tracker
    assert _box_state(election) == (1, 1)
    assert Ballot.objects.get(box_id=election.box_id).ranking == [b]


def test_without_revoting_a_second_ballot_is_refused(clock: Clock, db: None) -> None:
    fed = build_federation(slug="nr")
    constitution_amend(
        fed.org, {**DEFAULT_RULES, "elections": {**DEFAULT_RULES["elections"], "allow_revote": False}}
    )
    election = call(clock, fed.units[0], seats=1)
    a, _ = stand(election, fed.members["m1"], fed.members["m4"])
    election = to_voting(clock, election)
    ballot_cast(election_id=election.pk, member=fed.members["m2"], ranking=[a])
    with pytest.raises(ElectionConflict, match="already voted"):
        ballot_cast(election_id=election.pk, member=fed.members["m2"], ranking=[a])
    assert _box_state(election) == (1, 1)
    assert RegisterEntry.objects.get(box_id=election.box_id).current_ballot_encrypted is None


def test_the_tracker_is_emailed_only_when_asked(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, (a, _, _) = voting
    ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[a])
    assert mail.outbox == []
    with TestCase.captureOnCommitCallbacks(using=connection.alias, execute=True):
        receipt = ballot_cast(
            election_id=election.pk, member=federation.members["m4"], ranking=[a], email_receipt=True
        )
    assert len(mail.outbox) == 1 and receipt.tracker in mail.outbox[0].body
    assert mail.outbox[0].to == [federation.members["m4"].person.email]
    head = chain_head(organisation_id=election.organisation_id)
    assert f"The provenance log stood at {head} when this was sent" in mail.outbox[0].body
