"""API: the signed-in person, where they are a member, what they hold, and their API tokens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import field_validator

from commune.accounts.access import access_api_token, request_person
from commune.accounts.personal_data import personal_data_export
from commune.accounts.selectors import api_tokens_active
from commune.accounts.services import api_token_create, api_token_revoke, erasure_request
from commune.api.answers import REFUSED
from commune.api.auth import authenticated_by_token
from commune.federation.models import Delegation, Member, OfficeTerm
from commune.federation.selectors import memberships_of_person

router = Router(tags=["me"])


class OfficeHeldOut(Schema):
    office: str
    body_code: str
    body_name: str
    term_start: date
    term_end: date


class SeatHeldOut(Schema):
    council_code: str
    council_name: str
    constituency_code: str
    constituency_name: str
    term_start: date
    term_end: date


class MembershipOut(Schema):
    organisation: str = Field(description="The organisation's slug, as used in /api/orgs/{slug}.")
    organisation_name: str
    number: str
    unit_code: str
    unit_name: str
    offices_held: list[OfficeHeldOut]
    seats_held: list[SeatHeldOut]


class MeOut(Schema):
    name: str
    email: str
    memberships: list[MembershipOut]


def _office(term: OfficeTerm) -> OfficeHeldOut:
    return OfficeHeldOut(
        office=term.office.title,
        body_code=term.office.body.code,
        body_name=term.office.body.name,
        term_start=term.term_start,
        term_end=term.term_end,
    )


def _seat(delegation: Delegation) -> SeatHeldOut:
    return SeatHeldOut(
        council_code=delegation.council.code,
        council_name=delegation.council.name,
        constituency_code=delegation.constituency.code,
        constituency_name=delegation.constituency.name,
        term_start=delegation.term_start,
        term_end=delegation.term_end,
    )


def _membership(member: Member) -> MembershipOut:
    unit = member.current_unit
    assert unit is not None  # the selector returns current memberships only
    return MembershipOut(
        organisation=member.organisation.slug,
        organisation_name=member.organisation.name,
        number=member.number,
        unit_code=unit.code,
        unit_name=unit.name,
        offices_held=[_office(t) for t in member.offices_held],  # type: ignore[attr-defined]
        seats_held=[_seat(d) for d in member.seats_held],  # type: ignore[attr-defined]
    )


@router.get("/me", response=MeOut, summary="Who am I: my memberships, the offices and seats I hold")
def me(request: HttpRequest) -> MeOut:
    user = request_person(request)
    members = memberships_of_person(person_id=user.pk)
    return MeOut(name=user.name, email=user.email, memberships=[_membership(m) for m in members])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None


class TokenCreateIn(Schema):
    name: str = Field(max_length=100, description="What the token is for, e.g. 'branch website'.")

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(_("give the token a name saying what it is for"))
        return value


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. It is shown only now: store it safely.")


@router.get("/me/tokens", response=list[TokenOut], summary="My API tokens that still work")
def tokens_list(request: HttpRequest) -> list[TokenOut]:
    user = request_person(request)
    return [TokenOut.from_orm(t) for t in api_tokens_active(user=user)]


@router.post("/me/tokens", response={201: TokenCreatedOut}, summary="Create an API token (shown once)")
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[TokenCreatedOut]:
    user = request_person(request)
    if authenticated_by_token(request):
        # A leaked token must not be able to mint others that would outlive its revocation.
        raise HttpError(403, _("a token cannot create tokens: sign in with your password to create one"))
    token, raw = api_token_create(user=user, name=payload.name)
    return Status(
        201,
        TokenCreatedOut(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            token=raw,
        ),
    )


@router.delete("/me/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    user = request_person(request)
    api_token_revoke(token=access_api_token(user, token_id))
    return Status(204, None)


@router.get(
    "/me/data",
    response=dict[str, Any],
    summary="Everything Commune holds about me, as one JSON document (never a secret ballot's choice)",
)
def my_data(request: HttpRequest) -> dict[str, Any]:
    return personal_data_export(person=request_person(request))


class ErasureIn(Schema):
    statement: str = Field(
        "", description="Anything you want the operator to know (at most 1000 characters)."
    )


class ErasureOut(Schema):
    requested_at: datetime
    carried_out_at: datetime | None
    detail: str


@router.post(
    "/me/erasure-request",
    response={201: ErasureOut, **REFUSED},
    summary="Ask for my personal data to be erased, where the law gives that right (the operator carries it out)",
)
def my_erasure_request(request: HttpRequest, payload: ErasureIn) -> Status[ErasureOut]:
    asked = erasure_request(person=request_person(request), statement=payload.statement)
    return Status(
        201,
        ErasureOut(
            requested_at=asked.requested_at,
            carried_out_at=asked.carried_out_at,
            detail=_(
                "Your request is recorded. The operator of this server checks who is asking and carries it "
                "out; your votes stay counted and the log stays verifiable, with your name removed from it."
            ),
        ),
    )
