"""API: applying to join an organisation (no sign-in needed), the applicant's link, and the decisions of the
officers who keep a unit's roll; a member's requests to move to another unit, and their resignation.

The public endpoints answer the same whether or not an email address already belongs to a member or has an
application open; only the message sent to that address differs.
"""

# No postponed annotations here: ninja reads the endpoints' parameter types at runtime.
from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from commune.accounts.access import request_address, request_person
from commune.api.answers import REFUSED, refusals
from commune.federation.access import access_organisation
from commune.federation.selectors import constitution_in_force
from commune.membership.access import (
    access_application_to_decide,
    access_organisation_public,
    access_transfer,
)
from commune.membership.errors import NotFound, TransferInvalid
from commune.membership.models import Application, ApplicationStatus, ContactDetails, Transfer
from commune.membership.selectors import (
    application_appealable,
    application_by_token,
    application_decided_by,
    application_to_assembly,
    applications_pending,
    contact_details_of,
    directory_for,
    transfers_of,
    transfers_to_decide,
    units_open,
)
from commune.membership.services import (
    application_admit,
    application_appeal,
    application_confirm,
    application_put_to_assembly,
    application_refuse,
    application_submit,
    contact_details_set,
    member_resign,
    transfer_admit,
    transfer_refuse,
    transfer_request,
    transfer_withdraw,
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
        description="officer: an officer of the unit who keeps its roll decides; assembly: the unit's "
        "general assembly decides, by its vote on a motion to admit; automatic: admitted on confirming the "
        "email address."
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
    decided_by: str = Field(
        description="Who decided: officer, assembly or automatic; blank while undecided. An officer's "
        "refusal may be appealed to the unit's general assembly (appealable)."
    )
    motion: int | None = Field(description="The motion to admit, once put to the unit's general assembly.")
    appealed: bool
    appealable: bool = Field(description="Whether the applicant may still appeal the refusal.")


class AppealIn(Schema):
    token: str = Field(description="The token from the link emailed to the applicant.")
    grounds: str = Field(description="Why the assembly should admit you (at most 1000 characters).")


class PendingOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    name: str
    email: str
    wage_band: str
    statement: str
    confirmed_at: datetime | None
    status: str = Field(
        description="pending: awaiting a decision (or, under assembly admission, to be put to the assembly); "
        "appealed: an officer's refusal appealed and not yet before the assembly (an appeal goes there by "
        "itself, at once); assembly: before it."
    )
    to_assembly: bool = Field(description="Whether it is for the unit's general assembly to decide.")
    appeal: str = Field(description="The applicant's grounds of appeal, if any.")
    reason: str = Field(description="The refusal appealed against, if any.")
    motion: int | None


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
        decided_by=application_decided_by(application),
        motion=application.motion_id,
        appealed=application.appealed_at is not None,
        appealable=application_appealable(application),
    )


def _pending(application: Application) -> PendingOut:
    return PendingOut(
        status=application.status,
        to_assembly=application_to_assembly(application),
        appeal=application.appeal,
        reason=application.reason if application.appealed_at else "",
        motion=application.motion_id,
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
        raise NotFound(gettext("no such application: the link may be mistyped"))
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


@router.post(
    "/orgs/{slug}/join/appeal",
    response={200: ApplicationStatusOut, **REFUSED},
    auth=None,
    summary="Appeal an officer's refusal to the unit's general assembly, with the application's token",
)
def appeal(request: HttpRequest, slug: str, payload: AppealIn) -> ApplicationStatusOut:
    _by_token(slug, payload.token)
    return _status(application_appeal(token=payload.token, grounds=payload.grounds))


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


@router.post(
    "/orgs/{slug}/applications/{application_id}/assembly",
    response={200: ApplicationStatusOut, **REFUSED},
    summary="Put an application to the unit's general assembly, as a motion to admit (assembly admission)",
)
def to_assembly(request: HttpRequest, slug: str, application_id: int) -> ApplicationStatusOut:
    organisation, member = access_organisation(request_person(request), slug)
    application = access_application_to_decide(member, organisation, application_id)
    return _status(application_put_to_assembly(application=application, officer=member))


class TransferIn(Schema):
    to: str = Field(description="The code of the unit to move to.")
    statement: str = Field("", description="Why (a new job, a new depot…), at most 1000 characters.")


class TransferOut(Schema):
    id: int
    member: str = Field(description="The membership number of the member moving.")
    name: str
    from_unit: str
    to_unit: str
    statement: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decided_by: str | None = Field(description="The membership number of the officer who decided.")
    reason: str = Field(description="Why it was refused; blank otherwise.")


class TransfersOut(Schema):
    mine: list[TransferOut] = Field(description="My own requests to move, newest first.")
    to_decide: list[TransferOut] = Field(
        description="Requests waiting to move into the units whose roll I keep, oldest first."
    )


class ResignIn(Schema):
    confirm: bool = Field(description="Must be true: resigning ends the membership and every seat held.")
    statement: str = ""


class ResignedOut(Schema):
    member: str
    detail: str


def _transfer(transfer: Transfer) -> TransferOut:
    return TransferOut(
        id=transfer.pk,
        member=transfer.member.number,
        name=transfer.member.person.name,
        from_unit=transfer.from_unit.code,
        to_unit=transfer.to_unit.code,
        statement=transfer.statement,
        status=transfer.status,
        requested_at=transfer.requested_at,
        decided_at=transfer.decided_at,
        decided_by=transfer.decided_by.number if transfer.decided_by else None,
        reason=transfer.reason,
    )


@router.get(
    "/orgs/{slug}/transfers", response=TransfersOut, summary="My requests to move, and those I decide"
)
def transfers(request: HttpRequest, slug: str) -> TransfersOut:
    _, member = access_organisation(request_person(request), slug)
    return TransfersOut(
        mine=[_transfer(t) for t in transfers_of(member=member)],
        to_decide=[_transfer(t) for t in transfers_to_decide(member=member)],
    )


@router.post(
    "/orgs/{slug}/transfers",
    response={201: TransferOut, **REFUSED},
    summary="Ask to move to another unit (its roll officer admits, or the constitution admits at once)",
)
def transfer_ask(request: HttpRequest, slug: str, payload: TransferIn) -> Status[TransferOut]:
    _, member = access_organisation(request_person(request), slug)
    return Status(
        201, _transfer(transfer_request(member=member, to_unit_code=payload.to, statement=payload.statement))
    )


@router.post(
    "/orgs/{slug}/transfers/{transfer_id}/admit",
    response={200: TransferOut, **REFUSED},
    summary="Admit a member moving into the unit whose roll I keep",
)
def transfer_admit_endpoint(request: HttpRequest, slug: str, transfer_id: int) -> TransferOut:
    organisation, member = access_organisation(request_person(request), slug)
    return _transfer(
        transfer_admit(transfer=access_transfer(member, organisation, transfer_id), officer=member)
    )


@router.post(
    "/orgs/{slug}/transfers/{transfer_id}/refuse",
    response={200: TransferOut, **REFUSED},
    summary="Refuse a move into the unit whose roll I keep, for a reason the member is sent",
)
def transfer_refuse_endpoint(
    request: HttpRequest, slug: str, transfer_id: int, payload: RefuseIn
) -> TransferOut:
    organisation, member = access_organisation(request_person(request), slug)
    transfer = access_transfer(member, organisation, transfer_id)
    return _transfer(transfer_refuse(transfer=transfer, officer=member, reason=payload.reason))


@router.post(
    "/orgs/{slug}/transfers/{transfer_id}/withdraw",
    response={200: TransferOut, **REFUSED},
    summary="Withdraw my own request to move",
)
def transfer_withdraw_endpoint(request: HttpRequest, slug: str, transfer_id: int) -> TransferOut:
    organisation, member = access_organisation(request_person(request), slug)
    transfer = access_transfer(member, organisation, transfer_id)
    return _transfer(transfer_withdraw(transfer=transfer, member=member))


@router.post(
    "/orgs/{slug}/resign",
    response={200: ResignedOut, **REFUSED},
    summary="Resign my membership (it ends now, with every seat and office I hold)",
)
def resign(request: HttpRequest, slug: str, payload: ResignIn) -> ResignedOut:
    _, member = access_organisation(request_person(request), slug)
    if not payload.confirm:
        raise TransferInvalid(
            gettext("set confirm to true to resign: it ends your membership and every seat you hold")
        )
    member_resign(member=member, statement=payload.statement)
    return ResignedOut(
        member=member.number, detail=gettext("Your membership has ended. Your history is kept.")
    )


class ContactIn(Schema):
    phone: str = ""
    email: str = ""
    visible_to: str = Field(
        "officers",
        description="officers (the default: only the officers who keep my unit's roll), councils (also the "
        "delegates of the councils I sit on) or unit (also every member of my unit).",
    )


class ContactOut(Schema):
    member: str
    name: str
    unit: str
    phone: str
    email: str
    visible_to: str


class DirectoryOut(Schema):
    mine: ContactOut | None
    visible: list[ContactOut] = Field(description="Every member's details I may see, by unit then number.")


def _contact(details: ContactDetails) -> ContactOut:
    member = details.member
    return ContactOut(
        member=member.number,
        name=member.person.name,
        unit=member.current_unit.code if member.current_unit else "",
        phone=details.phone,
        email=details.email,
        visible_to=details.visible_to,
    )


@router.get(
    "/orgs/{slug}/directory", response=DirectoryOut, summary="The contact details I may see, and mine"
)
def directory(request: HttpRequest, slug: str) -> DirectoryOut:
    _, member = access_organisation(request_person(request), slug)
    mine = contact_details_of(member=member)
    return DirectoryOut(
        mine=_contact(mine) if mine else None, visible=[_contact(d) for d in directory_for(reader=member)]
    )


@router.post(
    "/orgs/{slug}/directory/me",
    response={200: ContactOut, **REFUSED},
    summary="Set my contact details and who may see them",
)
def directory_set(request: HttpRequest, slug: str, payload: ContactIn) -> ContactOut:
    _, member = access_organisation(request_person(request), slug)
    details = contact_details_set(
        member=member, phone=payload.phone, email=payload.email, visible_to=payload.visible_to
    )
    return _contact(details)
