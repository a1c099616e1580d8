"""API: applying to join an organisation (no sign-in needed), the applicant's link, and the decisions of the
officers who keep a unit's roll.

The public endpoints answer the same whether or not an email address already belongs to a member or has an
application open; only the message sent to that address differs.
"""

# No postponed annotations here: ninja reads the endpoints' parameter types at runtime.
from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from commune.accounts.access import request_address, request_person
from commune.api.answers import REFUSED, refusals
from commune.federation.access import access_organisation
from commune.federation.selectors import constitution_in_force
from commune.membership.access import access_application_to_decide, access_organisation_public
from commune.membership.errors import NotFound
from commune.membership.models import Application, ApplicationStatus
from commune.membership.selectors import application_by_token, applications_pending, units_open
from commune.membership.services import (
    application_admit,
    application_confirm,
    application_refuse,
    application_submit,
)

router = Router(tags=["joining"])


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class UnitOut(Schema):
    code: str
    name: str
    unit_type: str


class JoiningOut(Schema):
    slug: str
    name: str
    admission: str = Field(
        description="officer: an officer of the unit who keeps its roll decides; automatic: admitted on "
        "confirming the email address."
    )
    units: list[UnitOut]


class ApplicationIn(Schema):
    unit: str = Field(description="The code of the unit (workplace) to join.")
    name: str
    email: str
    wage_band: str = ""
    statement: str = Field("", description="A few words on why you are joining (at most 1000 characters).")


class ReceivedOut(Schema):
    detail: str


class TokenIn(Schema):
    token: str = Field(description="The token from the link emailed to the applicant.")


class ApplicationStatusOut(Schema):
    organisation: str
    unit_code: str
    unit_name: str
    status: str
    reason: str = Field(description="Why it was refused; blank otherwise.")
    member_number: str | None


class PendingOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    name: str
    email: str
    wage_band: str
    statement: str
    confirmed_at: datetime | None


class RefuseIn(Schema):
    reason: str = Field(description="Why, in words the applicant is sent.")


def _status(application: Application) -> ApplicationStatusOut:
    return ApplicationStatusOut(
        organisation=application.organisation.name,
        unit_code=application.unit.code,
        unit_name=application.unit.name,
        status=application.status,
        reason=application.reason if application.status == ApplicationStatus.REFUSED else "",
        member_number=application.member.number if application.member else None,
    )


def _pending(application: Application) -> PendingOut:
    return PendingOut(
        id=application.pk,
        unit_code=application.unit.code,
        unit_name=application.unit.name,
        name=application.name,
        email=application.email,
        wage_band=application.wage_band,
        statement=application.statement,
        confirmed_at=application.confirmed_at,
    )


@router.get("/orgs/{slug}/join", response=JoiningOut, auth=None, summary="How to join an organisation")
def joining(request: HttpRequest, slug: str) -> JoiningOut:
    organisation = access_organisation_public(slug)
    return JoiningOut(
        slug=organisation.slug,
        name=organisation.name,
        admission=constitution_in_force(organisation_id=organisation.pk).membership.admission,
        units=[
            UnitOut(code=u.code, name=u.name, unit_type=u.unit_type)
            for u in units_open(organisation=organisation)
        ],
    )


@router.post(
    "/orgs/{slug}/join",
    response={202: ReceivedOut, **REFUSED, **refusals(429)},
    auth=None,
    summary="Apply to join (a link to confirm is emailed; the answer is the same for every address)",
)
def apply(request: HttpRequest, slug: str, payload: ApplicationIn) -> Status[ReceivedOut]:
    organisation = access_organisation_public(slug)
    detail = application_submit(
        organisation=organisation,
        unit_code=payload.unit,
        name=payload.name,
        email=payload.email,
        wage_band=payload.wage_band,
        statement=payload.statement,
        address=request_address(request),
        site=_site(request),
    )
    return Status(202, ReceivedOut(detail=detail))


def _by_token(slug: str, token: str) -> Application:
    application = application_by_token(token=token)
    if application is None or application.organisation.slug != slug:
        raise NotFound("no such application: the link may be mistyped")
    return application


@router.post(
    "/orgs/{slug}/join/confirm",
    response={200: ApplicationStatusOut, **REFUSED},
    auth=None,
    summary="Confirm an application with the token from its emailed link",
)
def confirm(request: HttpRequest, slug: str, payload: TokenIn) -> ApplicationStatusOut:
    _by_token(slug, payload.token)
    return _status(application_confirm(token=payload.token, site=_site(request)))


@router.get(
    "/orgs/{slug}/join/status",
    response=ApplicationStatusOut,
    auth=None,
    summary="How an application stands, by the token from its emailed link",
)
def status(request: HttpRequest, slug: str, token: str) -> ApplicationStatusOut:
    return _status(_by_token(slug, token))


@router.get(
    "/orgs/{slug}/applications",
    response=list[PendingOut],
    summary="Confirmed applications awaiting a decision in the units whose roll I keep",
)
def pending(request: HttpRequest, slug: str) -> list[PendingOut]:
    _, member = access_organisation(request_person(request), slug)
    return [_pending(a) for a in applications_pending(member=member)]


@router.post(
    "/orgs/{slug}/applications/{application_id}/admit",
    response={200: ApplicationStatusOut, **REFUSED},
    summary="Admit an applicant to the unit whose roll I keep",
)
def admit(request: HttpRequest, slug: str, application_id: int) -> ApplicationStatusOut:
    organisation, member = access_organisation(request_person(request), slug)
    application = access_application_to_decide(member, organisation, application_id)
    return _status(application_admit(application=application, officer=member, site=_site(request)))


@router.post(
    "/orgs/{slug}/applications/{application_id}/refuse",
    response={200: ApplicationStatusOut, **REFUSED},
    summary="Refuse an application, for a reason the applicant is sent",
)
def refuse(request: HttpRequest, slug: str, application_id: int, payload: RefuseIn) -> ApplicationStatusOut:
    organisation, member = access_organisation(request_person(request), slug)
    application = access_application_to_decide(member, organisation, application_id)
    return _status(application_refuse(application=application, officer=member, reason=payload.reason))
