"""The democracy health page: tables of the figures, and bar charts of them by month drawn as inline SVG
on the server. A plain GET form chooses the body; nothing needs script."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commune.accounts.access import request_person
from commune.federation.models import Member, Organisation
from commune.health.access import access_health_scope
from commune.health.figures import Health
from commune.health.plots import BarChart, bar_chart
from commune.health.selectors import health_scopes, organisation_health
from commune.web.edge import member_page, page_context


def _charts(health: Health) -> list[BarChart]:
    def monthly(attr: str) -> list[tuple[str, object]]:
        return [(date_format(m.month, "M Y"), getattr(m.counts, attr)) for m in health.months]

    return [
        bar_chart(
            title=_("Turnout in elections, by month (%)"),
            description=_(
                "Members who voted as a share of the electorate, for contested elections declared "
                "each month. The table of months below gives the same figures."
            ),
            points=monthly("election_turnout"),  # type: ignore[arg-type]
            top=100,
        ),
        bar_chart(
            title=_("Turnout in assembly votes, by month (%)"),
            description=_("Members who voted in their general assembly as a share of those entitled."),
            points=monthly("assembly_turnout"),  # type: ignore[arg-type]
            top=100,
        ),
        bar_chart(
            title=_("Motions first moved in a unit, by month (%)"),
            description=_(
                "The share of lines of motions that started in a unit's assembly rather than in a council."
            ),
            points=monthly("from_units_share"),  # type: ignore[arg-type]
            top=100,
        ),
        bar_chart(
            title=_("Mandates followed, by month (%)"),
            description=_(
                "Of the council votes cast under a binding or instructed mandate, the share cast as instructed."
            ),
            points=monthly("compliance"),  # type: ignore[arg-type]
            top=100,
        ),
        bar_chart(
            title=_("Recall petitions opened, by month"),
            description=_("How many petitions to recall a delegate or officer were opened each month."),
            points=monthly("petitions_opened"),  # type: ignore[arg-type]
        ),
        bar_chart(
            title=_("People by the number of seats and offices they hold"),
            description=_(
                "How many people hold one, two or more seats and offices at once; more than %(limit)s is flagged."
            )
            % {"limit": health.holding_limit},
            points=[(str(n), people) for n, people in health.holdings.items()],
        ),
    ]


@member_page
def health_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    code = request.GET.get("body", "")
    scope = access_health_scope(request_person(request), organisation, code)
    health = organisation_health(organisation=organisation, scope=scope)
    return render(
        request,
        "health/health.html",
        page_context(
            organisation,
            member,
            health=health,
            charts=_charts(health),
            scopes=health_scopes(organisation=organisation),
            chosen=scope.code if scope else "",
        ),
    )
