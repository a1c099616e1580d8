"""Reads of pledge campaigns: counts as the constitution lets the reader see them, never who pledged.

Nothing here reads ``Pledge`` rows but to answer "have I pledged?" for the member asking (in
``services.pledge_made``). Every count passes through ``disclosure``: a unit's figure is hidden from a
reader the campaign's ``counts_visible_to`` leaves out, and a small count is shown as a range.
Each selector costs a fixed number of queries, however many units, members and pledges there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from commune.federation.models import Body, BodyKind, Member, Organisation
from commune.health.figures import Counts
from commune.health.selectors import organisation_health
from commune.pledges.disclosure import Figure, figure_disclose, figure_hidden, figures_sum
from commune.pledges.models import CampaignStatus, PledgeCampaign, PledgeCondition, PledgeDay, PledgeUnit


def campaigns_of_organisation(*, organisation_id: int) -> QuerySet[PledgeCampaign]:
    """Every campaign of the organisation, newest first, with the body that launched it. One query."""
    return PledgeCampaign.objects.filter(organisation_id=organisation_id).select_related("body")


def campaign_detail(*, campaign_id: int) -> PledgeCampaign | None:
    """A campaign with its provenance (the motion and its vote, or the office), and its units. Two queries."""
    return (
        PledgeCampaign.objects.select_related(
            "organisation", "body", "motion", "office_term__office", "launched_by__person"
        )
        .prefetch_related("units__unit")
        .filter(pk=campaign_id)
        .first()
    )


def _may_see(campaign: PledgeCampaign, units: list[PledgeUnit], member: Member) -> set[int]:
    """The units (``PledgeUnit`` ids) whose counts ``member`` may see under the campaign's rule."""
    mine = [u.pk for u in units if u.unit_id == member.current_unit_id]
    if campaign.counts_visible_to == "organisation" or (campaign.counts_visible_to == "scope" and mine):
        return {u.pk for u in units}
    return set(mine)


def _figure(campaign: PledgeCampaign, unit: PledgeUnit, count: int, visible: set[int]) -> Figure:
    if unit.pk not in visible:
        return figure_hidden(unit.members)
    return figure_disclose(count, unit.members, campaign.disclosure_threshold)


@dataclass(frozen=True)
class UnitRow:
    unit: Body
    members: int
    figure: Figure
    required: int | None
    met: bool


@dataclass(frozen=True)
class CampaignView:
    """A campaign as one member may read it."""

    campaign: PledgeCampaign
    rows: list[UnitRow]
    total: Figure
    #: The unit where the reader may pledge (their current unit, if the campaign covers it).
    own: UnitRow | None

    @property
    def met_units(self) -> int:
        return sum(1 for r in self.rows if r.met)

    @property
    def taking_pledges(self) -> bool:
        return self.campaign.status == CampaignStatus.GATHERING and timezone.now() < self.campaign.deadline


def campaign_view(*, campaign: PledgeCampaign, member: Member) -> CampaignView:
    """``campaign`` (from ``campaign_detail``) as ``member`` may read it. No query."""
    units = list(campaign.units.all())
    visible = _may_see(campaign, units, member)
    met_all = campaign.status == CampaignStatus.MET
    rows = [
        UnitRow(
            unit=u.unit,
            members=u.members,
            figure=_figure(campaign, u, u.pledges, visible),
            required=u.required,
            met=u.met_at is not None or (campaign.condition == PledgeCondition.MEMBERS_TOTAL and met_all),
        )
        for u in units
    ]
    own = next((r for r in rows if r.unit.pk == member.current_unit_id), None)
    return CampaignView(campaign=campaign, rows=rows, total=figures_sum(r.figure for r in rows), own=own)


# --- Readiness ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessRow:
    """One body (a unit, or a council with the units below it) in a campaign's readiness."""

    body: Body
    members_now: int
    figure: Figure
    #: The share of members that meets the condition (unit-percent), or ``None``.
    goal_percent: Decimal | None
    ready: bool
    turnout: Counts
    #: Pledges in the campaigns this body's units took part in before this one.
    past: Figure | None
    series: list[tuple[date, Figure]]


@dataclass(frozen=True)
class Readiness:
    campaign: PledgeCampaign
    scope: Body
    rows: list[ReadinessRow]
    days: list[date]

    @property
    def ready(self) -> list[ReadinessRow]:
        return [r for r in self.rows if r.ready]


def _days(campaign: PledgeCampaign) -> list[date]:
    end = min(timezone.now(), campaign.closed_at or campaign.deadline, campaign.deadline).date()
    start = campaign.opened_at.date()
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _series(units: list[PledgeUnit], days: list[date]) -> dict[int, list[int]]:
    """Each unit's count at the end of each day, carried forward from the last day it changed. One query."""
    changes: dict[int, dict[date, int]] = defaultdict(dict)
    for unit_id, day, pledges in PledgeDay.objects.filter(unit__in=units).values_list(
        "unit_id", "day", "pledges"
    ):
        changes[unit_id][day] = pledges
    series: dict[int, list[int]] = {}
    for u in units:
        count, counts = 0, []
        for day in days:
            count = changes[u.pk].get(day, count)
            counts.append(count)
        series[u.pk] = counts
    return series


def _past(campaign: PledgeCampaign, units: list[PledgeUnit]) -> dict[int, tuple[int, int]]:
    """For each unit, (pledges, members) summed over the campaigns before this one that covered it. One query."""
    past: dict[int, tuple[int, int]] = {}
    for unit_id, pledges, members in PledgeUnit.objects.filter(
        unit_id__in=[u.unit_id for u in units],
        campaign__organisation_id=campaign.organisation_id,
        campaign__opened_at__lt=campaign.opened_at,
    ).values_list("unit_id", "pledges", "members"):
        p, m = past.get(unit_id, (0, 0))
        past[unit_id] = (p + pledges, m + members)
    return past


def campaign_readiness(*, campaign: PledgeCampaign, member: Member, scope: Body | None = None) -> Readiness:
    """Readiness for ``campaign`` (from ``campaign_detail``) in ``scope`` (a body at or below the one that
    launched it; by default that body): for each unit and council, pledges against membership, the body's
    ballot turnout (``commune.health``) and its units' pledges in earlier campaigns, and the count day by
    day. Counts are hidden and ranged as ``campaign_view`` does. A fixed number of queries."""
    scope = scope or campaign.body
    organisation: Organisation = campaign.organisation
    units = [u for u in campaign.units.all() if u.unit.path.startswith(scope.path)]
    visible = _may_see(campaign, list(campaign.units.all()), member)
    days = _days(campaign)
    series = _series(units, days)
    past = _past(campaign, units)
    health = {
        row.code: row.counts for row in organisation_health(organisation=organisation, scope=scope).bodies
    }
    now_members = dict(
        Body.objects.filter(pk__in=[u.unit_id for u in units]).values_list("pk", "member_count")
    )
    councils = list(
        Body.objects.filter(
            organisation=organisation, kind=BodyKind.COUNCIL, path__startswith=scope.path
        ).order_by("path")
    )
    k = campaign.disclosure_threshold
    met_all = campaign.status == CampaignStatus.MET
    percent = campaign.threshold_percent if campaign.condition == PledgeCondition.UNIT_PERCENT else None

    unit_rows: dict[int, ReadinessRow] = {}
    for u in units:
        p, m = past.get(u.unit_id, (0, 0))
        unit_rows[u.pk] = ReadinessRow(
            body=u.unit,
            members_now=now_members.get(u.unit_id, 0),
            figure=_figure(campaign, u, u.pledges, visible),
            goal_percent=percent,
            ready=u.met_at is not None or (percent is None and met_all),
            turnout=health.get(u.unit.code, Counts()),
            past=(figure_disclose(p, m, k) if u.pk in visible else figure_hidden(m)) if m else None,
            series=[
                (day, _figure(campaign, u, count, visible))
                for day, count in zip(days, series[u.pk], strict=True)
            ],
        )
    rows: list[ReadinessRow] = []
    for council in councils:
        below = [unit_rows[u.pk] for u in units if u.unit.path.startswith(council.path)]
        if not below:
            continue
        turnout = Counts()
        for r in below:
            turnout.add(r.turnout)
        pasts = [r.past for r in below if r.past is not None]
        rows.append(
            ReadinessRow(
                body=council,
                members_now=sum(r.members_now for r in below),
                figure=figures_sum(r.figure for r in below),
                goal_percent=percent,
                ready=all(r.ready for r in below),
                turnout=turnout,
                past=figures_sum(pasts) if pasts else None,
                series=[(day, figures_sum(r.series[i][1] for r in below)) for i, day in enumerate(days)],
            )
        )
    rows += [unit_rows[u.pk] for u in units]
    rows.sort(key=lambda r: r.body.path)
    return Readiness(campaign=campaign, scope=scope, rows=rows, days=days)
