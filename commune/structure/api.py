"""API: structural changes — moved as a council's motion carrying a structured proposal, applied once the
decision stands.

Every current member of the organisation may read every change. A delegate seated on a council moves one
there; anyone may ask for an adopted change to be applied (the decision is the council's, or the members':
applying it is no power of its own). Refusals are ``{"detail": ...}``: 400 (the proposal does not fit the
organisation, or the council adopted another text), 403 (beyond the council's reach, or not a delegate
there), 409 (not yet decided, already applied, not adopted, or a process it would cut short is under way).
"""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from commune.accounts.access import request_person
from commune.api.answers import REFUSED
from commune.audit.services import Actor
from commune.federation.access import access_body, access_organisation
from commune.structure.access import access_change
from commune.structure.models import StructuralChange
from commune.structure.proposals import Proposal
from commune.structure.selectors import changes_of_organisation
from commune.structure.services import structural_change_apply, structural_change_propose

router = Router(tags=["structure"])


class ChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    proposal: Proposal = Field(
        description="What the change does: one of add, merge, split, move, dissolve (docs/structure.md)."
    )
    title: str = Field("", max_length=200, description="The motion's title (blank: made from the proposal).")
    reason: str = Field("", max_length=5000, description="Why, added to the motion's text.")


class ChangeOut(Schema):
    id: int
    kind: str
    status: str
    council: str = Field(description="The code of the deciding council.")
    motion: int = Field(description="The motion carrying the change.")
    motion_status: str
    motion_text: str
    proposal: dict[str, Any]
    referendum_required: bool
    proposed_at: datetime
    applied_at: datetime | None
    applied_by: str
    outcome: dict[str, Any] | None = Field(
        description="What applying it did: members moved, bodies created, moved or dissolved, councils "
        "apportioned, elections called (and why any was not), motions of a ceased unit left undecided."
    )


def _out(change: StructuralChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "kind": change.kind,
        "status": change.status,
        "council": change.council.code,
        "motion": change.motion_id,
        "motion_status": change.motion.status,
        "motion_text": change.motion_text,
        "proposal": change.proposal,
        "referendum_required": change.referendum_required,
        "proposed_at": change.proposed_at,
        "applied_at": change.applied_at,
        "applied_by": change.applied_by,
        "outcome": change.outcome,
    }


@router.get(
    "/orgs/{slug}/structure/changes",
    response=list[ChangeOut],
    summary="Every structural change of the organisation, newest first",
    operation_id="commune_structure_api_changes",
)
def changes(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    org, _ = access_organisation(request_person(request), slug)
    return [_out(c) for c in changes_of_organisation(organisation=org)]


@router.post(
    "/orgs/{slug}/bodies/{code}/structure/changes",
    response={201: ChangeOut, **REFUSED},
    summary="Move, in a council, a motion carrying a structural change of units within its reach",
    operation_id="commune_structure_api_propose",
)
def propose(request: HttpRequest, slug: str, code: str, data: ChangeIn) -> Status[dict[str, Any]]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    change = structural_change_propose(
        council=access_body(user, org, code),
        member=member,
        proposal=data.proposal.model_dump(mode="json"),
        title=data.title,
        reason=data.reason,
        actor=Actor.of(member.person, role=f"member {member.number}"),
    )
    return Status(201, _out(change))


@router.get(
    "/orgs/{slug}/structure/changes/{change_id}",
    response={200: ChangeOut, **REFUSED},
    summary="One structural change: its proposal, its motion and what applying it did",
    operation_id="commune_structure_api_change",
)
def change(request: HttpRequest, slug: str, change_id: int) -> dict[str, Any]:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    return _out(access_change(user, org, change_id))


@router.post(
    "/orgs/{slug}/structure/changes/{change_id}/apply",
    response={200: ChangeOut, **REFUSED},
    summary="Apply a structural change once its council adopted it (or the members carried it by referendum)",
    operation_id="commune_structure_api_apply",
)
def apply(request: HttpRequest, slug: str, change_id: int) -> dict[str, Any]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    applied = structural_change_apply(
        change=access_change(user, org, change_id),
        actor=Actor.of(member.person, role=f"member {member.number}"),
    )
    return _out(applied)
