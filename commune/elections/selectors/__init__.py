"""Reads for elections and their bulletins. Each issues a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from commune.ballots.bulletin import FORMAT, bulletin_blt
from commune.ballots.models import BulletinEntry, RegisterEntry
from commune.elections.models import (
    OPEN_STATUSES,
    Candidacy,
    CandidacyStatus,
    Election,
    ElectionStatus,
    Elector,
    Endorsement,
)
from commune.federation.models import Body, Member


def elections_of_body(*, body: Body) -> QuerySet[Election]:
    """Every election the body holds, newest first."""
    return (
        Election.objects.filter(body=body)
        .select_related("body", "council", "office")
        .order_by("-called_at", "-id")
    )


def elections_open_to_member(*, member: Member) -> QuerySet[Election]:
    """Elections under way in which the member is an elector."""
    return (
        Election.objects.filter(electors__member=member)
        .exclude(status__in=[ElectionStatus.DECLARED, ElectionStatus.FAILED])
        .select_related("body", "council", "office")
        .order_by("voting_close_at")
    )


def election_detail(*, election_id: int) -> Election | None:
    """An election with its candidates (with endorsements and seconder counts). Three queries."""
    return (
        Election.objects.select_related("organisation", "body", "council", "office")
        .prefetch_related(
            Prefetch(
                "candidacies",
                queryset=Candidacy.objects.select_related("member__person")
                .annotate(seconder_count=Count("seconders"))
                .prefetch_related(
                    Prefetch("endorsements", queryset=Endorsement.objects.select_related("body"))
                )
                .order_by("ballot_label", "id"),
            )
        )
        .filter(pk=election_id)
        .first()
    )


def candidates_standing(*, election: Election) -> list[Candidacy]:
    return list(
        Candidacy.objects.filter(election=election, status=CandidacyStatus.STANDING)
        .select_related("member__person")
        .order_by("ballot_label", "id")
    )


@dataclass(frozen=True)
class VoterStatus:
    elector: bool
    weight: int
    voted: bool


def voter_status(*, election: Election, member: Member) -> VoterStatus:
    """Whether the member may vote and has voted (never what they voted). Two queries."""
    weight = Elector.objects.filter(election=election, member=member).values_list("weight", flat=True).first()
    voted = RegisterEntry.objects.filter(box_id=election.box_id, member=member).exists()
    return VoterStatus(weight is not None, weight or 0, voted)


def bulletin_entries(*, election: Election) -> list[BulletinEntry]:
    return list(BulletinEntry.objects.filter(box_id=election.box_id).order_by("tracker"))


def bulletin_find(*, election: Election, tracker: str) -> BulletinEntry | None:
    return BulletinEntry.objects.filter(box_id=election.box_id, tracker=tracker.strip().upper()).first()


def bulletin_document(
    *, election: Election, entries: Sequence[BulletinEntry] | None = None, with_result: bool = True
) -> dict[str, Any]:
    """The published bulletin (format ``commune-bulletin/1``, see ``commune.ballots.bulletin``)."""
    if entries is None:
        entries = bulletin_entries(election=election)
    candidates = candidates_standing(election=election)
    document: dict[str, Any] = {
        "format": FORMAT,
        "organisation": election.organisation.slug,
        "election": election.pk,
        "title": election.title,
        "body": election.body.code,
        "kind": election.kind,
        "method": election.method,
        "seats": election.seats,
        "seed": election.tie_seed,
        "uncontested": election.uncontested,
        "candidates": [{"id": c.pk, "label": c.ballot_label} for c in sorted(candidates, key=lambda c: c.pk)],
        "ballots": [{"tracker": e.tracker, "ranking": list(e.ranking), "weight": e.weight} for e in entries],
        "merkle_root": election.merkle_root,
    }
    if with_result:
        document["result"] = election.result
    return document


def bulletin_blt_text(*, election: Election) -> str:
    return bulletin_blt(bulletin_document(election=election, with_result=False))


def candidate_in_open_election(unit: Body, member: Member) -> str | None:
    """Whether ``member`` stands in an election still under way whose electorate includes ``unit``'s
    members (held by the unit or a council above it): the reason, or None."""
    election = (
        Election.objects.filter(
            status__in=OPEN_STATUSES,
            body_id__in=[*unit.ancestor_ids, unit.pk],
            candidacies__member=member,
            candidacies__status=CandidacyStatus.STANDING,
        )
        .order_by("pk")
        .first()
    )
    return f"you stand in “{election.title}”, still under way" if election else None
