"""The demo's elections: every seat elected by its constituency, each with a checkable bulletin, and one
election open for the demo member."""

from __future__ import annotations

import pytest

from commune.ballots.bulletin import bulletin_count, bulletin_verify, published_result_matches
from commune.ballots.models import Ballot, BulletinEntry, RegisterEntry
from commune.elections.models import ElectedSeat, Election, ElectionKind, ElectionStatus, Elector, Endorsement
from commune.elections.selectors import bulletin_document
from commune.federation.demo import EMAIL_DOMAIN
from commune.federation.models import Delegation, Member
from commune.structure.models import StructuralChange
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_elects_every_seat_and_leaves_one_election_open_for_the_member() -> None:
    """Every seated delegate holds their seat by a declared election of their own constituency whose
    published bulletin verifies and re-counts to the declared result; the demo member may vote in the one
    election still open and has not yet."""
    org = seed_demo()
    delegations = list(Delegation.objects.filter(council__organisation=org, ended_at__isnull=True))
    assert len(delegations) == 15 * 3 + Delegation.objects.filter(council__code="CONGRESS").count()
    seats = {s.delegation_id: s for s in ElectedSeat.objects.select_related("election")}
    for delegation in delegations:
        seat = seats[delegation.pk]
        assert seat.election.body_id == delegation.constituency_id
        # A seat the demo's recall emptied is filled by countback of the same election, which says so.
        assert delegation.source == seat.election.source_label or delegation.source.startswith(
            f"countback of election #{seat.election_id} "
        )

    # The elections the demo's new depot called (its district's seats were apportioned again) are just open.
    called = [
        e["election"] for e in StructuralChange.objects.get(organisation=org).outcome["elections_called"]
    ]
    assert called and set(Election.objects.filter(pk__in=called).values_list("status", flat=True)) <= {
        ElectionStatus.SCHEDULED,
        ElectionStatus.NOMINATIONS,
    }
    completed = list(
        Election.objects.filter(organisation=org, kind=ElectionKind.DELEGATES).exclude(pk__in=called)
    )
    assert len(completed) == 12 + 3
    for election in completed:
        assert election.status == ElectionStatus.DECLARED and not election.uncontested
        assert election.ballots_counted == BulletinEntry.objects.filter(box_id=election.box_id).count() > 0
        assert RegisterEntry.objects.filter(box_id=election.box_id).count() == election.ballots_counted
        document = bulletin_document(election=election)
        assert bulletin_verify(document) == election.merkle_root
        assert published_result_matches(document, bulletin_count(document))

    member = Member.objects.get(person__email=f"member@{EMAIL_DOMAIN}")
    still_open = Election.objects.get(organisation=org, status=ElectionStatus.VOTING)
    assert Elector.objects.filter(election=still_open, member=member).exists()
    assert not RegisterEntry.objects.filter(box_id=still_open.box_id, member=member).exists()
    assert Ballot.objects.filter(box_id=still_open.box_id).count() > 0
    assert still_open.candidacies.count() > still_open.seats
    assert Endorsement.objects.filter(candidacy__election=still_open).exists()
