"""API: pledge campaigns (``/orgs/{slug}/pledges``): launch one, pledge, withdraw one's own pledge, read
the counts and the readiness. There is no endpoint that lists who pledged, for anyone: the app keeps no
such list (``docs/collective-action.md``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict, Field

from commune.accounts.access import request_person
from commune.api.answers import REFUSED
from commune.federation.access import access_body, access_organisation
from commune.federation.models import Member
from commune.pledges.access import access_launching_motion, access_pledge_campaign, access_readiness_scope
from commune.pledges.disclosure import Figure
from commune.pledges.models import PledgeCampaign
from commune.pledges.selectors import campaign_readiness, campaign_view, campaigns_of_organisation
from commune.pledges.services import pledge_campaign_launch, pledge_made, pledge_make, pledge_withdraw

router = Router(tags=["pledges"])


class PledgeLaunchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(description="The code of the council or unit launching it: it covers the units below.")
    action: str = Field(max_length=200, description="What those who pledge will do.")
    text: str = Field("", max_length=8000, description="The campaign's case and the terms of the action.")
    condition: Literal["unit-percent", "members-total"]
    threshold: Decimal = Field(
        gt=0,
        max_digits=9,
        decimal_places=2,
        description="unit-percent: the share of each unit's members (per cent); members-total: a number.",
    )
    deadline: AwareDatetime = Field(description="When it stops taking pledges, with its time zone.")
    motion: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="The id of the adopted motion of that body launching it (none: as its officer).",
    )


class FigureOut(Schema):
    text: str = Field(description="The count as it may be shown: '12', 'fewer than 5', 'not shown to you'.")
    low: int
    high: int = Field(description="Equal to low when the count is shown exactly.")
    members: int
    share: str = Field(description="The share of members, or its range.")


class PledgeUnitOut(Schema):
    code: str
    name: str
    members: int = Field(description="Members when the campaign was launched.")
    pledged: FigureOut
    required: int | None
    met: bool


class PledgeCampaignOut(Schema):
    id: int
    body: str
    action: str
    text: str
    condition: str
    threshold: str
    opened_at: datetime
    deadline: datetime
    status: str
    met_at: datetime | None
    closed_at: datetime | None
    motion: int | None = Field(description="The adopted motion that launched it.")
    adopted_by_vote: int | None
    office: str | None = Field(description="Or the office whose holder launched it.")
    launched_by: str = Field(description="The membership number of who registered the launch.")
    members: int
    pledged: FigureOut
    units: list[PledgeUnitOut]
    you_may_pledge: bool
    you_pledged: bool = Field(description="For you alone, while the campaign takes pledges.")


class PledgeSummaryOut(Schema):
    id: int
    body: str
    action: str
    status: str
    deadline: datetime


class ReadinessDayOut(Schema):
    day: date
    pledged: FigureOut


class ReadinessRowOut(Schema):
    code: str
    name: str
    kind: str
    members_now: int
    pledged: FigureOut
    ready: bool
    assembly_turnout: str | None
    election_turnout: str | None
    past_pledged: FigureOut | None
    days: list[ReadinessDayOut]


class ReadinessOut(Schema):
    campaign: int
    scope: str
    goal_percent: str | None
    rows: list[ReadinessRowOut]


def _figure(f: Figure) -> FigureOut:
    return FigureOut(text=f.text, low=f.low, high=f.high, members=f.members, share=f.share_text)


def _campaign_out(campaign: PledgeCampaign, member: Member) -> PledgeCampaignOut:
    view = campaign_view(campaign=campaign, member=member)
    return PledgeCampaignOut(
        id=campaign.pk,
        body=campaign.body.code,
        action=campaign.action,
        text=campaign.text,
        condition=campaign.condition,
        threshold=campaign.threshold_text,
        opened_at=campaign.opened_at,
        deadline=campaign.deadline,
        status=campaign.status,
        met_at=campaign.met_at,
        closed_at=campaign.closed_at,
        motion=campaign.motion_id,
        adopted_by_vote=campaign.motion.adopted_by_id if campaign.motion else None,
        office=campaign.office_term.office.title if campaign.office_term else None,
        launched_by=campaign.launched_by.number,
        members=campaign.members,
        pledged=_figure(view.total),
        units=[
            PledgeUnitOut(
                code=r.unit.code,
                name=r.unit.name,
                members=r.members,
                pledged=_figure(r.figure),
                required=r.required,
                met=r.met,
            )
            for r in view.rows
        ],
        you_may_pledge=view.own is not None and view.taking_pledges,
        you_pledged=pledge_made(campaign=campaign, member=member),
    )


def _reread(request: HttpRequest, slug: str, campaign_id: int) -> PledgeCampaignOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return _campaign_out(access_pledge_campaign(user, org, campaign_id), member)


@router.post(
    "/orgs/{slug}/pledges",
    response={201: PledgeCampaignOut, **REFUSED},
    summary="Launch a pledge campaign of a council or unit, on its adopted motion (or as its officer where "
    "the constitution allows)",
    operation_id="commune_pledges_launch",
)
def pledge_launch(request: HttpRequest, slug: str, data: PledgeLaunchIn) -> Status[PledgeCampaignOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    body = access_body(user, org, data.body)
    motion = access_launching_motion(user, org, data.motion) if data.motion is not None else None
    campaign = pledge_campaign_launch(
        body=body,
        member=member,
        action=data.action,
        text=data.text,
        condition=data.condition,
        threshold=data.threshold,
        deadline=data.deadline,
        motion=motion,
    )
    return Status(201, _reread(request, slug, campaign.pk))


@router.get(
    "/orgs/{slug}/pledges",
    response=list[PledgeSummaryOut],
    summary="Every pledge campaign of the organisation, newest first",
    operation_id="commune_pledges_list",
)
def pledge_list(request: HttpRequest, slug: str) -> list[PledgeSummaryOut]:
    org, _ = access_organisation(request_person(request), slug)
    return [
        PledgeSummaryOut(id=c.pk, body=c.body.code, action=c.action, status=c.status, deadline=c.deadline)
        for c in campaigns_of_organisation(organisation_id=org.pk)
    ]


@router.get(
    "/orgs/{slug}/pledges/{campaign_id}",
    response=PledgeCampaignOut,
    summary="A pledge campaign: its condition, provenance and counts as you may see them (never who pledged)",
    operation_id="commune_pledges_detail",
)
def pledge_detail(request: HttpRequest, slug: str, campaign_id: int) -> PledgeCampaignOut:
    return _reread(request, slug, campaign_id)


@router.post(
    "/orgs/{slug}/pledges/{campaign_id}/pledge",
    response={200: PledgeCampaignOut, **REFUSED},
    summary="Pledge (members of the units the campaign covers, once each, while it takes pledges)",
    operation_id="commune_pledges_pledge",
)
def pledge_post(request: HttpRequest, slug: str, campaign_id: int) -> PledgeCampaignOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    pledge_make(campaign=access_pledge_campaign(user, org, campaign_id), member=member)
    return _reread(request, slug, campaign_id)


@router.delete(
    "/orgs/{slug}/pledges/{campaign_id}/pledge",
    response={200: PledgeCampaignOut, **REFUSED},
    summary="Withdraw your own pledge, until the condition is met where you pledged",
    operation_id="commune_pledges_withdraw",
)
def pledge_delete(request: HttpRequest, slug: str, campaign_id: int) -> PledgeCampaignOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    pledge_withdraw(campaign=access_pledge_campaign(user, org, campaign_id), member=member)
    return _reread(request, slug, campaign_id)


@router.get(
    "/orgs/{slug}/pledges/{campaign_id}/readiness",
    response=ReadinessOut,
    summary="Readiness: for each unit and council, pledges against membership, ballot turnout and earlier "
    "campaigns, day by day",
    operation_id="commune_pledges_readiness",
)
def pledge_readiness(request: HttpRequest, slug: str, campaign_id: int, body: str = "") -> ReadinessOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    campaign = access_pledge_campaign(user, org, campaign_id)
    readiness = campaign_readiness(
        campaign=campaign, member=member, scope=access_readiness_scope(user, campaign, body)
    )
    return ReadinessOut(
        campaign=campaign.pk,
        scope=readiness.scope.code,
        goal_percent=campaign.threshold_text if campaign.threshold_percent is not None else None,
        rows=[
            ReadinessRowOut(
                code=r.body.code,
                name=r.body.name,
                kind=r.body.kind,
                members_now=r.members_now,
                pledged=_figure(r.figure),
                ready=r.ready,
                assembly_turnout=str(r.turnout.assembly_turnout)
                if r.turnout.assembly_turnout is not None
                else None,
                election_turnout=str(r.turnout.election_turnout)
                if r.turnout.election_turnout is not None
                else None,
                past_pledged=_figure(r.past) if r.past is not None else None,
                days=[ReadinessDayOut(day=d, pledged=_figure(f)) for d, f in r.series],
            )
            for r in readiness.rows
        ],
    )
