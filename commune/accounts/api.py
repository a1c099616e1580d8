"""API: the signed-in person."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from commune.accounts.access import request_person
from commune.federation.selectors import member_current

router = Router(tags=["me"])


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    number: str
    unit_code: str
    unit_name: str


class MeOut(Schema):
    name: str
    email: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="Who am I, and where am I a member")
def me(request: HttpRequest) -> MeOut:
    user = request_person(request)
    member = member_current(person_id=user.pk)
    memberships = []
    if member is not None and member.current_unit is not None:
        memberships.append(
            MembershipOut(
                organisation=member.organisation.slug,
                organisation_name=member.organisation.name,
                number=member.number,
                unit_code=member.current_unit.code,
                unit_name=member.current_unit.name,
            )
        )
    return MeOut(name=user.name, email=user.email, memberships=memberships)
