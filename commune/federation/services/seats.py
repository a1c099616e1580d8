"""Writes for the federation: apportioning council seats, seating delegates, creating and filling offices."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.capture import power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.apportionment import council_size, sainte_lague
from commune.federation.models import (
    ApportionedSeats,
    Apportionment,
    Body,
    BodyKind,
    Delegation,
    Member,
    Office,
    OfficeTerm,
)
from commune.federation.services.organisation import FederationError


@transaction.atomic
def council_apportion(*, council: Body, reason: str, actor: Actor = SYSTEM) -> Apportionment:
    """Divide a council's seats among the bodies directly below it by current membership.

    Called whenever an election to the council is called, so seats always follow membership, and after
    every structural change that alters its constituencies. A dissolved body is no constituency.
    """
    if council.kind != BodyKind.COUNCIL:
        raise FederationError(_("%(name)s is a unit; only councils have seats") % {"name": council.name})
    council = Body.objects.get(pk=council.pk)
    constituencies = list(council.children.filter(dissolved_at__isnull=True).order_by("code"))
    if not constituencies:
        raise FederationError(_("%(name)s has no bodies below it to send delegates") % {"name": council.name})
    members = {c.code: c.member_count for c in constituencies}
    size = council_size(
        total_members=sum(members.values()),
        seats_fixed=council.seats_fixed,
        members_per_seat=council.members_per_seat,
        constituencies=len(constituencies),
    )
    seats = sainte_lague(members, size)
    apportionment = Apportionment.objects.create(
        council=council, computed_at=timezone.now(), total_seats=size, reason=reason
    )
    power_rows_saved(
        ApportionedSeats.objects.bulk_create(
            [
                ApportionedSeats(
                    apportionment=apportionment, constituency=c, members=members[c.code], seats=seats[c.code]
                )
                for c in constituencies
            ]
        )
    )
    log_entry_record(
        organisation=council.organisation,
        action="seats.apportioned",
        body_id=council.pk,
        actor=actor,
        summary=f"{size} seats of {council.name} apportioned by Sainte-Laguë ({reason})",
        payload={"apportionment": apportionment.pk, "seats": seats, "members": members},
    )
    return apportionment


@transaction.atomic
def delegation_seat(
    *,
    council: Body,
    constituency: Body,
    member: Member,
    term_start: date,
    term_end: date,
    source: str,
    actor: Actor = SYSTEM,
) -> Delegation:
    """Seat an elected delegate. ``source`` names the election result that elected them."""
    if constituency.parent_id != council.pk:
        raise FederationError(
            _("%(name)s is not a constituency of %(council)s")
            % {"name": constituency.name, "council": council.name}
        )
    delegation = Delegation.objects.create(
        council=council,
        constituency=constituency,
        member=member,
        term_start=term_start,
        term_end=term_end,
        source=source,
    )
    log_entry_record(
        organisation=council.organisation,
        action="delegate.seated",
        body_id=council.pk,
        actor=actor,
        summary=f"Member {member.number} seated on {council.name} for {constituency.name} ({source})",
        payload={
            "council": council.code,
            "constituency": constituency.code,
            "member": member.number,
            "term_start": term_start.isoformat(),
            "term_end": term_end.isoformat(),
            "source": source,
        },
    )
    return delegation


@transaction.atomic
def office_create(*, body: Body, title: str, manages_roll: bool = False, actor: Actor = SYSTEM) -> Office:
    office = Office.objects.create(body=body, title=title, manages_roll=manages_roll)
    log_entry_record(
        organisation=body.organisation,
        action="office.created",
        body_id=body.pk,
        actor=actor,
        summary=f"Office of {title} of {body.name} created",
        payload={"title": title, "manages_roll": manages_roll},
    )
    return office


@transaction.atomic
def office_fill(
    *, office: Office, member: Member, term_start: date, term_end: date, source: str, actor: Actor = SYSTEM
) -> OfficeTerm:
    """Install an elected officer. ``source`` names the election that elected them."""
    term = OfficeTerm.objects.create(
        office=office, member=member, term_start=term_start, term_end=term_end, source=source
    )
    log_entry_record(
        organisation=office.body.organisation,
        action="officer.installed",
        body_id=office.body_id,
        actor=actor,
        summary=f"Member {member.number} installed as {office.title} of {office.body.name} ({source})",
        payload={"office": office.title, "member": member.number, "source": source},
    )
    return term
