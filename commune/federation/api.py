"""API: organisations, their bodies and seats, who represents whom, and the constitution.

Everything is scoped to organisations the caller is a current member of; any other organisation, and any
body in it, answers 404 exactly as a missing one does.
"""

# No postponed annotations here: ninja's @paginate reads the wrapped view's parameter types at runtime.

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from commune.accounts.access import request_person
from commune.api.pagination import Pagination
from commune.federation.access import NotFound, access_body, access_organisation
from commune.federation.models import Body, ConstitutionVersion, Delegation, Organisation
from commune.federation.selectors import (
    body_ancestors,
    body_children,
    body_officers,
    body_tree_listing,
    constitution_version_in_force,
    constitution_versions,
    council_seats,
    organisation_summary,
    organisations_of_person,
    representation_with_seats,
)

router = Router(tags=["federation"])


class OrganisationOut(Schema):
    slug: str
    name: str
    founded_at: datetime


class MyMembershipOut(Schema):
    number: str
    unit_code: str
    unit_name: str


class OrganisationDetailOut(OrganisationOut):
    members: int = Field(description="Current members across all units.")
    units: int
    councils: int
    constitution_version: int | None
    my_membership: MyMembershipOut


class BodyRefOut(Schema):
    code: str
    name: str
    kind: str


class BodyOut(Schema):
    code: str
    name: str
    kind: str
    unit_type: str
    parent_code: str | None
    depth: int
    member_count: int = Field(description="Current members within the body (a council: its whole subtree).")
    seats: int | None = Field(description="Councils: seats by the latest apportionment.")
    seats_above: int | None = Field(description="Seats this body's constituency holds on the council above.")

    @staticmethod
    def resolve_seats(body: Body) -> int | None:
        return getattr(body, "seat_count", None)


class DelegateOut(Schema):
    name: str
    term_start: date
    term_end: date
    source: str = Field(description="The election that conferred the seat.")


class OfficerOut(DelegateOut):
    office: str


class ConstituencySeatsOut(Schema):
    code: str
    name: str
    kind: str
    members: int = Field(description="Members counted when the seats were apportioned.")
    seats: int
    vacant: int
    delegates: list[DelegateOut]


class ApportionmentOut(Schema):
    computed_at: datetime
    total_seats: int
    reason: str
    constituencies: list[ConstituencySeatsOut]


class BodyChildOut(BodyRefOut):
    member_count: int


class BodyDetailOut(Schema):
    code: str
    name: str
    kind: str
    unit_type: str
    depth: int
    member_count: int
    parent_code: str | None
    ancestors: list[BodyRefOut] = Field(description="The councils above, top first.")
    children: list[BodyChildOut]
    officers: list[OfficerOut]
    apportionment: ApportionmentOut | None = Field(description="Councils only: the current seats.")


class RepresentationLevelOut(Schema):
    council: BodyRefOut
    constituency: BodyRefOut = Field(description="The body that elects delegates to this council.")
    seats: int | None
    delegates: list[DelegateOut]


class RepresentativesOut(Schema):
    body: BodyRefOut
    levels: list[RepresentationLevelOut] = Field(description="Nearest council first, up to the top.")


class ConstitutionOut(Schema):
    number: int
    adopted_at: datetime
    adopted_by: str = Field(description="The act that adopted it (founding, a referendum…).")
    rules: dict[str, Any]


class BodiesFilter(Schema):
    kind: Literal["unit", "council"] | None = None


class RepresentativesFilter(Schema):
    body: str | None = Field(None, description="A body's code; by default, the caller's own unit.")


def _ref(body: Body) -> BodyRefOut:
    return BodyRefOut(code=body.code, name=body.name, kind=body.kind)


def _delegate(delegation: Delegation) -> DelegateOut:
    return DelegateOut(
        name=delegation.member.person.name,
        term_start=delegation.term_start,
        term_end=delegation.term_end,
        source=delegation.source,
    )


@router.get("/orgs", response=list[OrganisationOut], summary="The organisations I am a member of")
def organisations(request: HttpRequest) -> list[Organisation]:
    return list(organisations_of_person(person_id=request_person(request).pk))


@router.get("/orgs/{slug}", response=OrganisationDetailOut, summary="One of my organisations")
def organisation(request: HttpRequest, slug: str) -> OrganisationDetailOut:
    org, member = access_organisation(request_person(request), slug)
    summary = organisation_summary(organisation=org)
    unit = member.current_unit
    assert unit is not None  # access_organisation admits current members only
    return OrganisationDetailOut(
        slug=org.slug,
        name=org.name,
        founded_at=org.founded_at,
        members=summary.members,
        units=summary.units,
        councils=summary.councils,
        constitution_version=summary.constitution.number if summary.constitution else None,
        my_membership=MyMembershipOut(number=member.number, unit_code=unit.code, unit_name=unit.name),
    )


@router.get(
    "/orgs/{slug}/bodies",
    response=list[BodyOut],
    summary="The federation tree: every body, top first, depth-first",
)
@paginate(Pagination)
def bodies(request: HttpRequest, slug: str, filters: Query[BodiesFilter]) -> list[Body]:
    org, _ = access_organisation(request_person(request), slug)
    return body_tree_listing(organisation=org, kind=filters.kind)


@router.get(
    "/orgs/{slug}/bodies/{code}",
    response=BodyDetailOut,
    summary="A body: where it sits, its officers and, for a council, its seats and delegates",
)
def body(request: HttpRequest, slug: str, code: str) -> BodyDetailOut:
    person = request_person(request)
    org, _ = access_organisation(person, slug)
    found = access_body(person, org, code)
    apportionment_out = None
    if not found.is_unit:
        apportionment, seats = council_seats(council=found)
        if apportionment is not None:
            apportionment_out = ApportionmentOut(
                computed_at=apportionment.computed_at,
                total_seats=apportionment.total_seats,
                reason=apportionment.reason,
                constituencies=[
                    ConstituencySeatsOut(
                        code=row.constituency.code,
                        name=row.constituency.name,
                        kind=row.constituency.kind,
                        members=row.members,
                        seats=row.seats,
                        vacant=max(row.seats - len(row.delegates), 0),
                        delegates=[_delegate(d) for d in row.delegates],
                    )
                    for row in seats
                ],
            )
    return BodyDetailOut(
        code=found.code,
        name=found.name,
        kind=found.kind,
        unit_type=found.unit_type,
        depth=found.depth,
        member_count=found.member_count,
        parent_code=found.parent.code if found.parent else None,
        ancestors=[_ref(b) for b in body_ancestors(body=found)],
        children=[
            BodyChildOut(code=c.code, name=c.name, kind=c.kind, member_count=c.member_count)
            for c in body_children(body=found)
        ],
        officers=[
            OfficerOut(
                office=t.office.title,
                name=t.member.person.name,
                term_start=t.term_start,
                term_end=t.term_end,
                source=t.source,
            )
            for t in body_officers(body=found)
        ],
        apportionment=apportionment_out,
    )


@router.get(
    "/orgs/{slug}/representatives",
    response=RepresentativesOut,
    summary="Who represents me, all the way up",
)
def representatives(
    request: HttpRequest, slug: str, filters: Query[RepresentativesFilter]
) -> RepresentativesOut:
    person = request_person(request)
    org, member = access_organisation(person, slug)
    below = access_body(person, org, filters.body) if filters.body else member.current_unit
    assert below is not None  # access_organisation admits current members only
    return RepresentativesOut(
        body=_ref(below),
        levels=[
            RepresentationLevelOut(
                council=_ref(level.council),
                constituency=_ref(level.constituency),
                seats=level.seats,
                delegates=[_delegate(d) for d in level.delegates],
            )
            for level in representation_with_seats(body=below)
        ],
    )


@router.get("/orgs/{slug}/constitution", response=ConstitutionOut, summary="The constitution in force")
def constitution(request: HttpRequest, slug: str) -> ConstitutionVersion:
    org, _ = access_organisation(request_person(request), slug)
    current = constitution_version_in_force(organisation_id=org.pk)
    if current is None:
        raise NotFound(gettext("this organisation has not adopted a constitution"))
    return current


@router.get(
    "/orgs/{slug}/constitution/versions",
    response=list[ConstitutionOut],
    summary="Every version of the constitution, newest first",
)
def constitution_history(request: HttpRequest, slug: str) -> list[ConstitutionVersion]:
    org, _ = access_organisation(request_person(request), slug)
    return list(constitution_versions(organisation=org))
