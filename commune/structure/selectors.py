"""Reads of structural changes, each in a fixed number of queries however large the federation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from commune.elections.models import Election
from commune.federation.models import Body, Organisation
from commune.motions.models import Referral, Vote
from commune.structure.models import StructuralChange


def changes_of_organisation(*, organisation: Organisation) -> QuerySet[StructuralChange]:
    """Every structural change of the organisation, newest first, with its council and motion. One query."""
    return StructuralChange.objects.filter(organisation=organisation).select_related("council", "motion")


@dataclass(frozen=True)
class ChangePage:
    change: StructuralChange
    vote: Vote | None
    referral: Referral | None
    bodies: dict[str, Body]
    elections: list[Election]

    @property
    def created(self) -> list[Body]:
        """The units the change created, as they are now."""
        codes = (self.change.outcome or {}).get("bodies_created") or []
        return [self.bodies[c] for c in codes if c in self.bodies]


def change_page(*, change: StructuralChange) -> ChangePage:
    """What the change's page shows: the decision (the vote or the referral), the bodies the proposal and
    its outcome name, the elections it called. Four queries."""
    outcome: dict[str, Any] = change.outcome or {}
    decided = outcome.get("decided") or {}
    vote_id = decided.get("vote") or change.motion.adopted_by_id
    vote = Vote.objects.filter(pk=vote_id).select_related("body").first() if vote_id else None
    referral_id = decided.get("referral")
    referral = Referral.objects.filter(pk=referral_id).first() if referral_id else None
    proposal = change.proposal
    codes = {
        str(v) for key in ("parent", "into", "unit", "to", "members_to", "code") if (v := proposal.get(key))
    }
    codes |= set(proposal.get("units") or []) | {u["code"] for u in proposal.get("new_units") or []}
    codes |= set((outcome.get("apportionments") or {}).keys())
    codes |= {e["body"] for e in outcome.get("elections_not_called") or []}
    bodies = {b.code: b for b in Body.objects.filter(organisation_id=change.organisation_id, code__in=codes)}
    election_ids = [e["election"] for e in outcome.get("elections_called") or []]
    elections = list(
        Election.objects.filter(pk__in=election_ids).select_related("body", "council").order_by("pk")
    )
    return ChangePage(change, vote, referral, bodies, elections)
