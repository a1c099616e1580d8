"""Pages of an organisation: my organisation, the federation tree, a body."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from commune.accounts.access import request_person
from commune.elections.selectors import elections_open_to_member
from commune.federation.access import access_body, can_manage_roll
from commune.federation.models import Body, Delegation, Member, Organisation
from commune.federation.selectors import (
    body_children,
    body_officers,
    body_tree,
    constituency_seats,
    council_seats,
    member_delegations,
    member_offices,
    organisations_of_person,
    representation_chain,
)
from commune.web.edge import member_page, page_context


@dataclass(frozen=True)
class RepresentedAt:
    """One council above a body, the constituency that sends delegates there, its seats and delegates."""

    council: Body
    constituency: Body
    seats: int | None
    delegates: list[Delegation]


def _represented_all_the_way_up(body: Body) -> list[RepresentedAt]:
    levels = representation_chain(unit=body)
    seats = constituency_seats(constituency_ids=[level.constituency.pk for level in levels])
    return [
        RepresentedAt(level.council, level.constituency, seats.get(level.constituency.pk), level.delegates)
        for level in levels
    ]


def home_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """My organisation: my unit, who represents me at every level above it, my offices and seats."""
    unit = member.current_unit
    assert unit is not None  # access and member_current only return current members
    return render(
        request,
        "federation/home.html",
        page_context(
            organisation,
            member,
            unit=unit,
            levels=_represented_all_the_way_up(unit),
            offices=member_offices(member=member),
            seats=member_delegations(member=member),
            open_elections=list(elections_open_to_member(member=member)),
            other_organisations=[
                o for o in organisations_of_person(person_id=member.person_id) if o.pk != organisation.pk
            ],
        ),
    )


organisation_home = member_page(home_page)


@dataclass(frozen=True)
class TreeRow:
    """A body in the federation outline, with how many open councils to close before it."""

    body: Body
    closes: range


def _outline(bodies: list[Body]) -> tuple[list[TreeRow], range]:
    """Turn bodies in depth-first order into rows for a nested list rendered in one flat loop, which stays
    fast for thousands of bodies (a recursive include per body would not)."""
    rows: list[TreeRow] = []
    open_depths: list[int] = []
    for body in bodies:
        closes = 0
        while open_depths and open_depths[-1] >= body.depth:
            open_depths.pop()
            closes += 1
        rows.append(TreeRow(body, range(closes)))
        if not body.is_unit:
            open_depths.append(body.depth)
    return rows, range(len(open_depths))


@member_page
def federation_tree(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Every body of the organisation, its members and seats, as a collapsible outline."""
    bodies = body_tree(organisation=organisation)
    rows, final_closes = _outline(bodies)
    assert member.current_unit is not None
    return render(
        request,
        "federation/tree.html",
        page_context(
            organisation,
            member,
            rows=rows,
            final_closes=final_closes,
            council_count=sum(1 for b in bodies if not b.is_unit),
            unit_count=sum(1 for b in bodies if b.is_unit),
            my_path=set(member.current_unit.ancestor_ids),
            body_base=reverse("federation:tree", kwargs={"slug": organisation.slug}),
        ),
    )


@member_page
def body_detail(request: HttpRequest, organisation: Organisation, member: Member, code: str) -> HttpResponse:
    """A council with its constituencies' seats and delegates, or a unit with its officers; both with the
    councils above them and who represents them there."""
    person = request_person(request)
    body = access_body(person, organisation, code)
    context = page_context(
        organisation,
        member,
        body=body,
        levels=_represented_all_the_way_up(body),
        is_my_unit=body.pk == member.current_unit_id,
    )
    if body.is_unit:
        context.update(officers=body_officers(body=body), can_manage_roll=can_manage_roll(person, body))
    else:
        apportionment, seat_rows = council_seats(council=body)
        apportioned = {row.constituency.pk for row in seat_rows}
        context.update(
            apportionment=apportionment,
            seat_rows=seat_rows,
            delegate_count=sum(len(row.delegates) for row in seat_rows),
            not_apportioned=[c for c in body_children(body=body) if c.pk not in apportioned],
        )
    return render(request, "federation/body.html", context)
