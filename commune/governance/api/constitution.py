"""Endpoints: proposing and enacting amendments to the constitution, and its history."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from commune.api.answers import REFUSED
from commune.federation.access import access_body
from commune.governance.access import access_proposal
from commune.governance.api.common import _actor, _caller, _Strict, router
from commune.governance.models import ConstitutionProposal
from commune.governance.selectors import constitution_versions
from commune.governance.services import constitution_amendment_enact, constitution_amendment_propose


class ProposalIn(_Strict):
    changes: dict[str, Any] = Field(description="Rules to change: {'offices.max_consecutive_terms': 2, …}.")
    reason: str = Field("", max_length=5000)


class ChangeOut(Schema):
    rule: str
    before: Any
    after: Any


class ProposalOut(Schema):
    id: int
    status: str
    body: str
    motion: int
    base_version: int
    changes: list[ChangeOut]
    reason: str
    enacted_as: int | None = Field(description="The version number it became.")


def _proposal(p: ConstitutionProposal) -> dict[str, Any]:
    from commune.governance.diff import rules_changes

    return {
        "id": p.pk,
        "status": p.status,
        "body": p.motion.body.code,
        "motion": p.motion_id,
        "base_version": p.base_version.number,
        "changes": [
            {"rule": k, "before": a, "after": b} for k, a, b in rules_changes(p.base_version.rules, p.rules)
        ],
        "reason": p.reason,
        "enacted_as": p.enacted_as.number if p.enacted_as else None,
    }


@router.post(
    "/orgs/{slug}/bodies/{code}/constitution-proposals",
    response={201: ProposalOut, **REFUSED},
    summary="Propose an amendment to the constitution, as a constitutional motion in a body you sit in",
    operation_id="commune_governance_api_propose_amendment",
)
def propose_amendment(request: HttpRequest, slug: str, code: str, data: ProposalIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    body = access_body(user, org, code)
    proposal = constitution_amendment_propose(
        body=body, member=member, changes=data.changes, reason=data.reason, actor=_actor(member)
    )
    return Status(201, _proposal(access_proposal(user, org, proposal.pk)))


@router.get(
    "/orgs/{slug}/constitution-proposals/{proposal_id}",
    response=ProposalOut,
    summary="A proposal",
    operation_id="commune_governance_api_proposal",
)
def proposal(request: HttpRequest, slug: str, proposal_id: int) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _proposal(access_proposal(user, org, proposal_id))


class VersionOut(Schema):
    number: int
    adopted_at: datetime
    adopted_by: str
    referendum: int | None
    motion: int | None
    vote: int | None = Field(description="The referendum ballot behind it; none for the founding text.")
    yes: int | None
    no: int | None
    abstain: int | None
    electorate: int | None
    changes: list[ChangeOut] = Field(description="What it changed from the version before.")


@router.post(
    "/orgs/{slug}/constitution-proposals/{proposal_id}/enact",
    response={201: VersionOut, **REFUSED},
    summary="Enact a proposal the membership carried by referendum",
    operation_id="commune_governance_api_enact",
)
def enact(request: HttpRequest, slug: str, proposal_id: int) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    version = constitution_amendment_enact(
        proposal=access_proposal(user, org, proposal_id), actor=_actor(member)
    )
    entry = next(v for v in constitution_versions(organisation=org) if v.number == version.number)
    return Status(201, _version(entry))


def _version(v: Any) -> dict[str, Any]:
    return {
        "number": v.number,
        "adopted_at": v.adopted_at,
        "adopted_by": v.adopted_by,
        "referendum": v.referendum_id,
        "motion": v.motion_id,
        "vote": v.vote_id,
        "yes": v.yes,
        "no": v.no,
        "abstain": v.abstain,
        "electorate": v.electorate,
        "changes": [{"rule": k, "before": a, "after": b} for k, a, b in v.changes],
    }


@router.get(
    "/orgs/{slug}/constitution/history",
    response=list[VersionOut],
    summary="Every version of the constitution, with the vote behind it and what it changed",
    operation_id="commune_governance_api_history",
)
def history(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = _caller(request, slug)
    return [_version(v) for v in constitution_versions(organisation=org)]
