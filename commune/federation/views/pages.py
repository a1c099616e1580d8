"""Pages of an organisation: my organisation, the federation tree, a body."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
from commune.recall.selectors.pages import recallable_delegation_ids
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
            recallable=recallable_delegation_ids(member=member),
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
class _OutlineWords:
    """The outline's words in the page's language, looked up once a page rather than once a body."""

    your_unit: str
    unit: str
    council: str
    within: str

    @classmethod
    def now(cls) -> _OutlineWords:
        return cls(
            your_unit=escape(_("your unit")),
            unit=escape(_("unit")),
            council=escape(_("council")),
            within=escape(_("Bodies within %(name)s")),
        )


def _members(count: int) -> str:
    return escape(ngettext("%(count)s member", "%(count)s members", count) % {"count": count})


def _seats(count: int, *, above: bool) -> str:
    if above:
        text = ngettext("%(count)s seat above", "%(count)s seats above", count)
    else:
        text = ngettext("%(count)s seat", "%(count)s seats", count)
    return escape(text % {"count": count})


def _outline_html(bodies: list[Body], *, my_unit_id: int | None, my_path: set[int], body_base: str) -> str:
    """The federation outline as nested lists: councils as ``<details>``, open at the top and along the
    reader's own line, units as leaves.

    Built as plain strings in one pass rather than in the template: at 2,000 bodies the template engine
    spent about 150 ms a page on the row markup alone, and this is the page members open to find their way
    around. Every value is escaped.
    """
    words = _OutlineWords.now()
    parts: list[str] = []
    open_depths: list[int] = []
    for b in bodies:
        while open_depths and open_depths[-1] >= b.depth:
            open_depths.pop()
            parts.append("</ul></details></li>")
        link = f'<a href="{escape(body_base)}{escape(b.code)}/">{escape(b.name)}</a> <span class="code">{escape(b.code)}</span>'
        members = _members(b.member_count)
        seats_above = getattr(b, "seats_above", None)
        above = f" · {_seats(seats_above, above=True)}" if seats_above is not None else ""
        if b.is_unit:
            mine = b.pk == my_unit_id
            kind = f"{words.unit} ({escape(b.unit_type)})" if b.unit_type else words.unit
            your_unit = f' <span class="tag">{words.your_unit}</span>' if mine else ""
            parts.append(
                f'\n<li class="unit{" mine" if mine else ""}">{link} <span class="facts">{kind} · {members}{above}'
                f"</span>{your_unit}</li>"
            )
        else:
            seat_count = getattr(b, "seat_count", None)
            seats = f" · {_seats(seat_count, above=False)}" if seat_count is not None else ""
            on_my_path = b.pk in my_path
            # The link stays outside the <summary>: a link inside a control that opens and closes is two
            # controls in one, which a screen reader announces as one and a keyboard cannot tell apart.
            parts.append(
                f'\n<li class="council{" mine" if on_my_path else ""}">{link} <span class="facts">{words.council} · '
                f"{members}{seats}{above}</span><details{' open' if b.depth < 1 or on_my_path else ''}>"
                f'<summary>{words.within % {"name": escape(b.name)}}</summary><ul role="list">'
            )
            open_depths.append(b.depth)
    parts.append("</ul></details></li>" * len(open_depths))
    return "".join(parts)


@member_page
def federation_tree(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Every body of the organisation, its members and seats, as a collapsible outline."""
    bodies = body_tree(organisation=organisation)
    assert member.current_unit is not None
    return render(
        request,
        "federation/tree.html",
        page_context(
            organisation,
            member,
            outline=mark_safe(  # every value in it is escaped by _outline_html
                _outline_html(
                    bodies,
                    my_unit_id=member.current_unit_id,
                    my_path=set(member.current_unit.ancestor_ids),
                    body_base=reverse("federation:tree", kwargs={"slug": organisation.slug}),
                )
            ),
            council_count=sum(1 for b in bodies if not b.is_unit),
            unit_count=sum(1 for b in bodies if b.is_unit),
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
