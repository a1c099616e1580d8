"""Pages of pledge campaigns: the list with the form that launches one, a campaign with the reader's own
pledge, and its readiness as tables and inline SVG charts drawn on the server (``commune.health.plots``).
No page lists who pledged: the app keeps no such list (``docs/collective-action.md``). Nothing needs script.
"""

from __future__ import annotations

from datetime import UTC

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.errors import DomainError
from commune.federation.access import access_body
from commune.federation.models import Member, Organisation
from commune.health.plots import BarChart, bar_chart
from commune.pledges.access import access_launching_motion, access_pledge_campaign, access_readiness_scope
from commune.pledges.forms import PledgeLaunchForm
from commune.pledges.models import PledgeCampaign
from commune.pledges.selectors import (
    Readiness,
    ReadinessRow,
    campaign_readiness,
    campaign_view,
    campaigns_of_organisation,
)
from commune.pledges.services import pledge_campaign_launch, pledge_made, pledge_make, pledge_withdraw
from commune.web.edge import member_page, page_context, refusal, refusal_status


@member_page
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Every campaign, and the form that launches one (the service decides who may)."""
    form = PledgeLaunchForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = request_person(request)
                campaign = pledge_campaign_launch(
                    body=access_body(user, organisation, data["body"]),
                    member=member,
                    action=data["action"],
                    text=data["text"],
                    condition=data["condition"],
                    threshold=data["threshold"],
                    deadline=data["deadline"].astimezone(UTC),
                    motion=access_launching_motion(user, organisation, data["motion"])
                    if data["motion"]
                    else None,
                )
            except DomainError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(request, _("The campaign is launched."))
                return redirect("pledges:detail", slug=organisation.slug, campaign_id=campaign.pk)
        else:
            status = 400
    return render(
        request,
        "pledges/list.html",
        page_context(
            organisation,
            member,
            campaigns=campaigns_of_organisation(organisation_id=organisation.pk),
            form=form,
        ),
        status=status,
    )


def _campaign_response(
    request: HttpRequest,
    organisation: Organisation,
    member: Member,
    campaign: PledgeCampaign,
    *,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "pledges/detail.html",
        page_context(
            organisation,
            member,
            view=campaign_view(campaign=campaign, member=member),
            you_pledged=pledge_made(campaign=campaign, member=member),
            refused=refused,
        ),
        status=status,
    )


@member_page
def campaign_page(
    request: HttpRequest, organisation: Organisation, member: Member, campaign_id: int
) -> HttpResponse:
    campaign = access_pledge_campaign(request_person(request), organisation, campaign_id)
    return _campaign_response(request, organisation, member, campaign)


@member_page
@require_POST
def campaign_pledge(
    request: HttpRequest, organisation: Organisation, member: Member, campaign_id: int
) -> HttpResponse:
    campaign = access_pledge_campaign(request_person(request), organisation, campaign_id)
    try:
        pledge_make(campaign=campaign, member=member)
    except DomainError as exc:
        return _campaign_response(
            request, organisation, member, campaign, refused=refusal(exc), status=refusal_status(exc)
        )
    messages.success(request, _("You pledged. Nobody else can see that you did."))
    return redirect("pledges:detail", slug=organisation.slug, campaign_id=campaign.pk)


@member_page
@require_POST
def campaign_withdraw(
    request: HttpRequest, organisation: Organisation, member: Member, campaign_id: int
) -> HttpResponse:
    campaign = access_pledge_campaign(request_person(request), organisation, campaign_id)
    try:
        pledge_withdraw(campaign=campaign, member=member)
    except DomainError as exc:
        return _campaign_response(
            request, organisation, member, campaign, refused=refusal(exc), status=refusal_status(exc)
        )
    messages.success(request, _("Your pledge is withdrawn."))
    return redirect("pledges:detail", slug=organisation.slug, campaign_id=campaign.pk)


def _overview(readiness: Readiness) -> BarChart:
    rows = [r for r in readiness.rows if r.body.pk != readiness.scope.pk]
    ready = [r.body.code for r in rows if r.ready]
    waiting = [r.body.code for r in rows if not r.ready]
    return bar_chart(
        title=_("Where action is ready: %(name)s (%% of members pledged)") % {"name": readiness.scope.name},
        description=_(
            "The share of each body's members who have pledged, at the least (a count too small to show counts "
            "as its lower bound), against the share the condition needs. Ready: %(ready)s. Not yet: %(waiting)s."
        )
        % {"ready": ", ".join(ready) or _("none"), "waiting": ", ".join(waiting) or _("none")},
        points=[(r.body.code, r.figure.share_low) for r in rows],
        top=100,
        goal=readiness.campaign.threshold_percent,
        ready=[r.ready for r in rows],
    )


def _over_time(row: ReadinessRow, readiness: Readiness) -> BarChart:
    return bar_chart(
        title=_("%(name)s: pledged, day by day (%% of members)") % {"name": row.body.name},
        description=_(
            "The share of %(name)s's members who had pledged at the end of each day, at the least; the table "
            "beside it gives each day's count as it may be shown."
        )
        % {"name": row.body.name},
        points=[
            (f"{day:%d %b}", figure.share_low if figure.exact or figure.low else None)
            for day, figure in row.series
        ],
        top=100,
        goal=readiness.campaign.threshold_percent,
    )


@member_page
def campaign_readiness_page(
    request: HttpRequest, organisation: Organisation, member: Member, campaign_id: int
) -> HttpResponse:
    """Readiness for a campaign in one body (``?body=CODE``; by default the body that launched it): where
    action is ready and where it is not, and each body's count over time, as charts and tables."""
    user = request_person(request)
    campaign = access_pledge_campaign(user, organisation, campaign_id)
    readiness = campaign_readiness(
        campaign=campaign,
        member=member,
        scope=access_readiness_scope(user, campaign, request.GET.get("body", "")),
    )
    scope_row = next(r for r in readiness.rows if r.body.pk == readiness.scope.pk)
    return render(
        request,
        "pledges/readiness.html",
        page_context(
            organisation,
            member,
            readiness=readiness,
            campaign=campaign,
            scope_row=scope_row,
            overview=_overview(readiness) if len(readiness.rows) > 1 else None,
            over_time=_over_time(scope_row, readiness),
        ),
    )
