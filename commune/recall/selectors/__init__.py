"""Reads of recall petitions and ballots: counts, never who signed (see ``docs/recall.md``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commune.ballots.access import access_sealed_yes_no_box
from commune.ballots.models import YesNoRegisterEntry
from commune.ballots.selectors import yes_no_bulletin
from commune.elections.models import ElectedSeat, Elector
from commune.federation.access import NotFound
from commune.federation.models import Body, Member, Organisation
from commune.recall.errors import RecallConflict
from commune.recall.models import RECALL_LIVE_STATUSES, RecallBallot, RecallPetition

# Counts, thresholds and outcomes are public to every member; who signed is never read here (see
# ``commune.recall.services.recall_signed`` for the one question a member may ask: "did I?").

_PETITION_RELATED = (
    "organisation",
    "holder__person",
    "body",
    "seat__election",
    "seat__delegation__council",
    "seat__delegation__constituency",
    "seat__office_term__office__body",
    "replaced_by__person",
    "by_election",
    "ballot",
)


def recall_petition_detail(*, petition_id: int) -> RecallPetition | None:
    """A petition with its seat, holder, ballot and replacement. One query."""
    return RecallPetition.objects.select_related(*_PETITION_RELATED).filter(pk=petition_id).first()


def recall_petitions_of_organisation(*, organisation_id: int) -> QuerySet[RecallPetition]:
    """Every recall petition in the organisation, newest first. One query."""
    return (
        RecallPetition.objects.filter(organisation_id=organisation_id)
        .select_related(*_PETITION_RELATED)
        .order_by("-opened_at", "-id")
    )


def recall_petitions_against(*, member: Member) -> QuerySet[RecallPetition]:
    """Every petition to recall ``member`` from any seat or office, newest first. One query."""
    return (
        RecallPetition.objects.filter(holder=member)
        .select_related(*_PETITION_RELATED)
        .order_by("-opened_at", "-id")
    )


def recall_petitions_of_electorate(*, member: Member) -> QuerySet[RecallPetition]:
    """The petitions against holders whom ``member`` helped elect (they may sign and vote in those whose
    electorate, fixed when the petition opened, includes them), newest first. One query."""
    return (
        RecallPetition.objects.filter(
            seat__election_id__in=Elector.objects.filter(member=member).values("election_id")
        )
        .select_related(*_PETITION_RELATED)
        .order_by("-opened_at", "-id")
    )


def recallable_seats_of_member(*, member: Member) -> QuerySet[ElectedSeat]:
    """The seats and offices held now by election of an electorate ``member`` is on: whom they may
    petition to recall. One query."""
    return (
        ElectedSeat.objects.filter(
            election_id__in=Elector.objects.filter(member=member).values("election_id"),
        )
        .exclude(delegation__isnull=True, office_term__isnull=True)
        .exclude(delegation__ended_at__isnull=False)
        .exclude(office_term__ended_at__isnull=False)
        .select_related(
            "election",
            "member__person",
            "delegation__council",
            "delegation__constituency",
            "office_term__office__body",
        )
        .order_by("election_id", "member__number")
    )


def recall_ballot_voted(*, petition: RecallPetition, member: Member) -> bool:
    """Whether ``member`` has voted in the petition's recall ballot (never how)."""
    return YesNoRegisterEntry.objects.filter(box__recall_ballot__petition=petition, member=member).exists()


def subject_of_open_recall(unit: Body, member: Member) -> str | None:
    """Whether a recall of ``member`` is under way whose constituency includes ``unit``'s members: the
    reason, or None."""
    petition = (
        RecallPetition.objects.filter(
            holder=member, status__in=RECALL_LIVE_STATUSES, body_id__in=[*unit.ancestor_ids, unit.pk]
        )
        .order_by("pk")
        .first()
    )
    return f"a recall of you is under way (petition {petition.pk})" if petition else None


def recall_ballot_bulletin(*, organisation: Organisation, petition: RecallPetition) -> dict[str, Any]:
    """The bulletin of a counted recall ballot: its box's papers as the seal shuffled and rewrote them,
    their weights and totals, and what the ballot declared — enough for anyone to re-count it
    (``commune.ballots.bulletin.yes_no_bulletin_verify``). Refused while the ballot is open (nothing of a
    box is read before its seal). Three queries."""
    ballot = RecallBallot.objects.filter(petition=petition).first()
    if ballot is None or ballot.box_id is None:
        raise NotFound(_("this recall has no ballot"))
    if ballot.closed_at is None:
        raise RecallConflict(_("the bulletin is published when the recall ballot is counted"))
    return {
        **yes_no_bulletin(box=access_sealed_yes_no_box(ballot.box_id)),
        "organisation": organisation.slug,
        "recall": petition.pk,
        "question": ballot.question,
        "result": {"yes": ballot.yes, "no": ballot.no, "abstain": ballot.abstain, "carried": ballot.carried},
    }
