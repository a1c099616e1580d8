"""Endpoints: tendencies (founding, joining, leaving, dissolving)."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from commune.api.answers import REFUSED
from commune.federation.access import NotFound
from commune.federation.models import Member
from commune.governance.access import access_tendency
from commune.governance.api.common import _actor, _caller, _Strict, router
from commune.governance.models import Tendency
from commune.governance.selectors import tendencies_of_organisation
from commune.governance.services import (
    tendency_admit,
    tendency_dissolution_vote,
    tendency_found,
    tendency_join,
    tendency_leave,
    tendency_members_count,
    tendency_refound,
)


class TendencyIn(_Strict):
    name: str = Field(max_length=120)
    platform: str = Field(max_length=20000)
    admission: Literal["members", "founders"] = Field(
        "members", description="Who admits a member who applies: any of its members, or its founders only."
    )
    dissolution_majority: str = Field(
        "1/2",
        max_length=10,
        description="The share of its members when a dissolution is proposed that must vote for it (more than).",
    )


class TendencyOut(Schema):
    slug: str
    name: str
    platform: str
    founded_by: str
    founded_at: datetime
    members: int
    admission: str
    dissolution_majority: str
    dissolved_at: datetime | None


def _tendency(t: Tendency) -> dict[str, Any]:
    members = getattr(t, "members", None)
    return {
        "slug": t.slug,
        "name": t.name,
        "platform": t.platform,
        "founded_by": t.founded_by.person.name,
        "founded_at": t.founded_at,
        "members": members if members is not None else tendency_members_count(t),
        "admission": t.admission,
        "dissolution_majority": t.dissolution_majority,
        "dissolved_at": t.dissolved_at,
    }


@router.get(
    "/orgs/{slug}/tendencies",
    response=list[TendencyOut],
    summary="The organisation's tendencies",
    operation_id="commune_governance_api_tendencies",
)
def tendencies(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = _caller(request, slug)
    return [_tendency(t) for t in tendencies_of_organisation(organisation=org)]


@router.post(
    "/orgs/{slug}/tendencies",
    response={201: TendencyOut, **REFUSED},
    summary="Found a tendency",
    operation_id="commune_governance_api_found",
)
def found(request: HttpRequest, slug: str, data: TendencyIn) -> Status[dict[str, Any]]:
    _, org, member = _caller(request, slug)
    tendency = tendency_found(
        organisation=org,
        member=member,
        name=data.name,
        platform=data.platform,
        admission=data.admission,
        dissolution_majority=data.dissolution_majority,
        actor=_actor(member),
    )
    return Status(201, _tendency(tendency))


def _tendency_fresh(user: Any, org: Any, slug: str) -> dict[str, Any]:
    tendency = tendencies_of_organisation(organisation=org).filter(slug=slug).first()
    if tendency is None:
        raise NotFound("no such tendency")
    return _tendency(tendency)


@router.get(
    "/orgs/{slug}/tendencies/{tendency}",
    response=TendencyOut,
    summary="A tendency",
    operation_id="commune_governance_api_tendency_get",
)
def tendency_get(request: HttpRequest, slug: str, tendency: str) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _tendency_fresh(user, org, tendency)


@router.post(
    "/orgs/{slug}/tendencies/{tendency}/join",
    response={200: TendencyOut, **REFUSED},
    summary="Apply to join a tendency (a member once its members, or founders, admit you)",
    operation_id="commune_governance_api_join",
)
def join(request: HttpRequest, slug: str, tendency: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    tendency_join(tendency=access_tendency(user, org, tendency), member=member, actor=_actor(member))
    return _tendency_fresh(user, org, tendency)


@router.post(
    "/orgs/{slug}/tendencies/{tendency}/leave",
    response={200: TendencyOut, **REFUSED},
    summary="Leave a tendency",
    operation_id="commune_governance_api_leave",
)
def leave(request: HttpRequest, slug: str, tendency: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    tendency_leave(tendency=access_tendency(user, org, tendency), member=member, actor=_actor(member))
    return _tendency_fresh(user, org, tendency)


@router.post(
    "/orgs/{slug}/tendencies/{tendency}/dissolution-votes",
    response={201: TendencyOut, **REFUSED},
    summary="Vote to dissolve your own tendency (proposing it if none is open): decided by its members when "
    "proposed, by the majority its rules set",
    operation_id="commune_governance_api_vote_dissolve",
)
def vote_dissolve(request: HttpRequest, slug: str, tendency: str) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    tendency_dissolution_vote(
        tendency=access_tendency(user, org, tendency), member=member, actor=_actor(member)
    )
    return Status(201, _tendency_fresh(user, org, tendency))


@router.post(
    "/orgs/{slug}/tendencies/{tendency}/applications/{number}/admit",
    response={200: TendencyOut, **REFUSED},
    summary="Admit a member who applied (its members, or founders, as its rules say)",
    operation_id="commune_governance_api_admit",
)
def admit(request: HttpRequest, slug: str, tendency: str, number: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    applicant = Member.objects.filter(organisation=org, number=number).first()
    if applicant is None:
        raise NotFound("no such member")
    tendency_admit(
        tendency=access_tendency(user, org, tendency),
        applicant=applicant,
        member=member,
        actor=_actor(member),
    )
    return _tendency_fresh(user, org, tendency)


@router.post(
    "/orgs/{slug}/tendencies/{tendency}/refound",
    response={200: TendencyOut, **REFUSED},
    summary="Refound a dissolved tendency under its name (its founders)",
    operation_id="commune_governance_api_refound",
)
def refound(request: HttpRequest, slug: str, tendency: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    tendency_refound(tendency=access_tendency(user, org, tendency), member=member, actor=_actor(member))
    return _tendency_fresh(user, org, tendency)
