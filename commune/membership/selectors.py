"""Reads for joining and moving: the units one may apply to, the applications and requests to move awaiting
an officer, a member's own requests, the next number."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from commune.accounts.services import token_digest
from commune.federation.models import Body, BodyKind, Delegation, Member, OfficeTerm, Organisation
from commune.federation.selectors import constitution_in_force
from commune.membership.models import (
    Application,
    ApplicationStatus,
    ContactDetails,
    ContactVisibility,
    Transfer,
    TransferStatus,
)

#: A membership number as a prefix and a run of digits at its end ("TF00041", "BR-7", "1203").
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def units_open(*, organisation: Organisation) -> QuerySet[Body]:
    """Every unit of the organisation, in the federation's order: anyone may apply to any of them."""
    return Body.objects.filter(organisation=organisation, kind=BodyKind.UNIT).only(
        "code", "name", "unit_type", "path"
    )


def application_by_token(*, token: str) -> Application | None:
    """The application a link's token belongs to (only the token's digest is stored)."""
    return (
        Application.objects.select_related("organisation", "unit", "member")
        .filter(token_digest=token_digest(token))
        .first()
    )


def roll_units_of(*, member: Member) -> list[int]:
    """The ids of the units whose roll the member keeps, by an office of the unit that manages it."""
    if member.current_unit_id is None:
        return []
    return list(
        OfficeTerm.objects.filter(
            member=member, office__manages_roll=True, office__body__kind=BodyKind.UNIT, ended_at__isnull=True
        ).values_list("office__body_id", flat=True)
    )


def applications_pending(*, member: Member) -> list[Application]:
    """The confirmed applications awaiting a decision in the units whose roll the member keeps, oldest
    first: those awaiting the officer (or, under assembly admission, to be put to the assembly), those
    appealed to the assembly, and those before it. Three queries, however many units and applications."""
    assembly = (
        constitution_in_force(organisation_id=member.organisation_id).membership.admission == "assembly"
    )
    found = list(
        Application.objects.filter(
            unit_id__in=roll_units_of(member=member),
            status__in=[ApplicationStatus.PENDING, ApplicationStatus.APPEALED, ApplicationStatus.ASSEMBLY],
        )
        .select_related("unit", "motion")
        .order_by("confirmed_at", "id")
    )
    for application in found:
        application.to_assembly = assembly or application.status != ApplicationStatus.PENDING  # type: ignore[attr-defined]
    return found


#: Days an applicant has, from an officer's refusal, to appeal it to the unit's assembly.
APPEAL_DAYS = 28


def application_to_assembly(application: Application) -> bool:
    """Whether the unit's general assembly, not an officer, decides the application (as listed by
    ``applications_pending``)."""
    return bool(getattr(application, "to_assembly", application.status != ApplicationStatus.PENDING))


def application_decided_by(application: Application) -> str:
    """Who decided the application: "officer", "assembly" or "automatic"; blank while undecided."""
    if application.status not in (ApplicationStatus.ADMITTED, ApplicationStatus.REFUSED):
        return ""
    if application.decided_by_id is not None:
        return "officer"
    return "assembly" if application.motion_id is not None else "automatic"


def application_appealable(application: Application) -> bool:
    """Whether the applicant may still appeal the refusal to the unit's general assembly: an officer's
    refusal, not appealed before, within ``APPEAL_DAYS``."""
    return (
        application.status == ApplicationStatus.REFUSED
        and application.decided_by_id is not None
        and application.appealed_at is None
        and application.decided_at is not None
        and timezone.now() <= application.decided_at + timedelta(days=APPEAL_DAYS)
    )


def member_number_next(*, organisation: Organisation) -> str:
    """The next membership number in the organisation's own format: the highest number it has given (the
    longest, then the last in order, so "TF00100" comes after "TF00099"), with its digits counted on by
    one and kept as wide ("TF00100" → "TF00101"). An organisation whose numbers end in no digits, or that
    has none yet, starts at "00001". Call inside the organisation's row lock so two admissions cannot take
    the same number."""
    numbers = Member.objects.filter(organisation=organisation)
    highest = numbers.order_by(Length("number").desc(), "-number").values_list("number", flat=True).first()
    found = _NUMBERED.match(highest or "")
    prefix, digits = (found.group(1), found.group(2)) if found else ("", "00000")
    value = int(digits)
    while True:
        value += 1
        candidate = f"{prefix}{value:0{len(digits)}d}"
        if not numbers.filter(number=candidate).exists():
            return candidate


_TRANSFER_ROWS = ("member__person", "from_unit", "to_unit", "decided_by__person")


def transfers_to_decide(*, member: Member) -> list[Transfer]:
    """The requests to move into the units whose roll the member keeps, waiting for a decision, oldest
    first. Two queries, however many units and requests."""
    return list(
        Transfer.objects.filter(to_unit_id__in=roll_units_of(member=member), status=TransferStatus.PENDING)
        .select_related(*_TRANSFER_ROWS)
        .order_by("requested_at", "id")
    )


def transfers_of(*, member: Member) -> list[Transfer]:
    """The member's own requests to move, newest first (one query)."""
    return list(
        Transfer.objects.filter(member=member)
        .select_related(*_TRANSFER_ROWS)
        .order_by("-requested_at", "-id")
    )


def directory_for(*, reader: Member) -> list[ContactDetails]:
    """The contact details ``reader`` may see, by unit then membership number, none of a member who gave
    none. Who sees member M's details, for a reader R of the same organisation:

    * M themself;
    * an officer who keeps the roll of M's current unit, whatever M chose (their office needs it); an officer
      of another unit never;
    * with ``councils``: also a delegate holding a seat on a council M holds a seat on;
    * with ``unit``: also every current member of M's unit.

    It lists only the members the reader may see, and nothing looks up one member by number, so it cannot be
    used to learn who belongs to a unit or whether a given person is a member. Four queries, however large
    the organisation."""
    if reader.current_unit_id is None:
        return []
    councils = list(
        Delegation.objects.filter(member=reader, ended_at__isnull=True).values_list("council_id", flat=True)
    )
    may_see = (
        Q(member=reader)
        | Q(member__current_unit_id__in=roll_units_of(member=reader))
        | Q(visible_to=ContactVisibility.UNIT, member__current_unit_id=reader.current_unit_id)
    )
    if councils:
        may_see |= Q(
            visible_to__in=[ContactVisibility.COUNCILS, ContactVisibility.UNIT],
            member__delegations__council_id__in=councils,
            member__delegations__ended_at__isnull=True,
        )
    return list(
        ContactDetails.objects.filter(
            may_see,
            member__organisation_id=reader.organisation_id,
            member__current_unit__isnull=False,
        )
        .exclude(phone="", email="")
        .select_related("member__person", "member__current_unit")
        .distinct()
        .order_by("member__current_unit__path", "member__number")
    )


def contact_details_of(*, member: Member) -> ContactDetails | None:
    """The member's own contact details, if they gave any."""
    return (
        ContactDetails.objects.filter(member=member)
        .select_related("member__person", "member__current_unit")
        .first()
    )
