"""Reads of mandates and of each delegate's compliance record: their votes beside their mandates."""

from __future__ import annotations

from django.db.models import QuerySet

from commune.federation.models import Member
from commune.mandates.models import Mandate, MandateStatus
from commune.motions.models import DelegateVote


def mandate_in_force(*, constituency_id: int, motion_id: int) -> Mandate | None:
    return Mandate.objects.filter(
        constituency_id=constituency_id, motion_id=motion_id, status=MandateStatus.ADOPTED
    ).first()


def mandates_of_motion(*, motion_id: int) -> QuerySet[Mandate]:
    """Every mandate given or being voted on for an item, by constituency. One query."""
    return (
        Mandate.objects.filter(motion_id=motion_id)
        .select_related("constituency", "council", "vote", "proposed_by__person")
        .order_by("constituency__code", "-proposed_at")
    )


def mandates_of_constituency(*, constituency_id: int) -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(constituency_id=constituency_id)
        .select_related("constituency", "council", "motion", "vote", "proposed_by__person")
        .order_by("-proposed_at", "-id")
    )


def compliance_record(*, member: Member) -> QuerySet[DelegateVote]:
    """Every vote cast for the member's seats, newest first, each with the mandate in force when it was
    cast (``mandate_kind``, ``mandate_instruction``), whether it departed from it and why, and who cast
    it (the delegate, or their alternate). One query, however long the record."""
    return (
        DelegateVote.objects.filter(delegation__member=member)
        .select_related(
            "vote__motion",
            "vote__session",
            "vote__body",
            "delegation__constituency",
            "delegation__council",
            "cast_by__person",
        )
        .order_by("-cast_at", "-id")
    )
