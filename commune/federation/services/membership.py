"""Writes for the federation: admitting, transferring and lapsing members, and their power ending."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.accounts.models import User
from commune.audit.capture import power_rows_note, power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.bands import BandSource, member_bands_move
from commune.federation.models import (
    Body,
    BodyKind,
    Delegation,
    Member,
    Membership,
    MembershipEnd,
    OfficeTerm,
    Organisation,
)
from commune.federation.services.organisation import FederationError
from commune.translation import deferred


def _adjust_counts(unit: Body, delta: int) -> None:
    ids = [*unit.ancestor_ids, unit.pk]
    Body.objects.filter(pk__in=ids).update(member_count=F("member_count") + delta)


@transaction.atomic
def member_admit(
    *,
    unit: Body,
    person: User,
    number: str,
    wage_band: str = "",
    actor: Actor = SYSTEM,
    at: datetime | None = None,
) -> Member:
    """Admit a person to a unit (or re-admit a lapsed member)."""
    if unit.kind != BodyKind.UNIT:
        raise FederationError(_("%(name)s is a council; members join units") % {"name": unit.name})
    if unit.dissolved_at is not None:
        raise FederationError(_("%(name)s was dissolved; nobody joins it") % {"name": unit.name})
    member, created = Member.objects.select_for_update().get_or_create(
        organisation_id=unit.organisation_id,
        person=person,
        defaults={"number": number, "wage_band": wage_band},
    )
    if not created and member.current_unit_id is not None:
        raise FederationError(
            _("%(name)s is already a member (of unit %(unit)s)")
            % {"name": person.name, "unit": member.current_unit_id}
        )
    if not created and member.number != number:
        raise FederationError(
            _("%(name)s is already member number %(number)s") % {"name": person.name, "number": member.number}
        )
    Membership.objects.create(member=member, unit=unit, started_at=at or timezone.now())
    member.current_unit = unit
    # A band once recorded stays: the pay cap is computed from it, and only the body the constitution names
    # changes it, by its vote (commune.governance's wage bands).
    member.save(update_fields=["current_unit"])
    if not member.wage_band and wage_band and not created:
        member_bands_move(
            organisation=unit.organisation,
            moves=[(member, wage_band)],
            reason=_("wage band given on re-admission to %(unit)s") % {"unit": unit.name},
            actor=actor,
            source=BandSource(deferred(gettext_lazy("your re-admission to %(unit)s"), unit=unit.name)),
        )
    _adjust_counts(unit, +1)
    log_entry_record(
        organisation=unit.organisation,
        action="member.admitted",
        body_id=unit.pk,
        actor=actor,
        summary=f"{person.name} ({number}) admitted to {unit.name}",
        payload={"member": number, "unit": unit.code},
    )
    return member


# Why a seat or an office ended, as stored in ``end_reason`` and shown in the log.
END_LAPSED = "membership lapsed"
END_TRANSFERRED = "transferred out of the body"
END_EXPIRED = "term expired without a successor"


@transaction.atomic
def member_power_end(
    *,
    organisation: Organisation,
    member_ids: Collection[int],
    end_reason: str,
    only_body_ids: Collection[int] | None = None,
    actor: Actor = SYSTEM,
    at: datetime | None = None,
) -> tuple[list[Delegation], list[OfficeTerm]]:
    """End the current council seats and offices of these members, each recorded in the log.

    A delegate represents their constituency and an officer serves the members of their body, so a
    member who no longer belongs to one holds nothing there. With ``only_body_ids`` only the seats held
    for those constituencies and the offices of those bodies end (a transfer leaves the member in the
    bodies above both units). The seats are left vacant for the constituency to fill by election.
    Three queries plus one log entry per seat or office ended: seats and offices are few.
    """
    seats = Delegation.objects.filter(member_id__in=member_ids, ended_at__isnull=True)
    offices = OfficeTerm.objects.filter(member_id__in=member_ids, ended_at__isnull=True)
    if only_body_ids is not None:
        seats = seats.filter(constituency_id__in=only_body_ids)
        offices = offices.filter(office__body_id__in=only_body_ids)
    return _power_end(
        organisation, seats, offices, end_reason=end_reason, actor=actor, at=at or timezone.now()
    )


@transaction.atomic
def terms_expired_end(
    *, organisation: Organisation, before: date, actor: Actor = SYSTEM, at: datetime | None = None
) -> tuple[list[Delegation], list[OfficeTerm]]:
    """End every seat and office of the organisation whose term ended before ``before`` and that no
    successor took over: a term ends when it ends, and the seat or office falls vacant until an election
    fills it. Each is recorded in the log."""
    seats = Delegation.objects.filter(
        council__organisation=organisation, ended_at__isnull=True, term_end__lt=before
    )
    offices = OfficeTerm.objects.filter(
        office__body__organisation=organisation, ended_at__isnull=True, term_end__lt=before
    )
    return _power_end(
        organisation, seats, offices, end_reason=END_EXPIRED, actor=actor, at=at or timezone.now()
    )


def _power_end(
    organisation: Organisation,
    seats: QuerySet[Delegation],
    offices: QuerySet[OfficeTerm],
    *,
    end_reason: str,
    actor: Actor,
    at: datetime,
) -> tuple[list[Delegation], list[OfficeTerm]]:
    now = at
    ended_seats = list(
        seats.select_for_update(of=("self",))
        .select_related("council", "constituency", "member")
        .order_by("council__depth", "pk")
    )
    ended_offices = list(
        offices.select_for_update(of=("self",))
        .select_related("office__body", "member")
        .order_by("office__body__depth", "pk")
    )
    for seat in ended_seats:
        seat.ended_at, seat.end_reason = now, end_reason
    for term in ended_offices:
        term.ended_at, term.end_reason = now, end_reason
    Delegation.objects.bulk_update(ended_seats, ["ended_at", "end_reason"])
    OfficeTerm.objects.bulk_update(ended_offices, ["ended_at", "end_reason"])
    power_rows_saved([*ended_seats, *ended_offices])
    for seat in ended_seats:
        log_entry_record(
            organisation=organisation,
            action="delegate.unseated",
            body_id=seat.council_id,
            actor=actor,
            summary=f"Member {seat.member.number}'s seat on {seat.council.name} for "
            f"{seat.constituency.name} ended: {end_reason}",
            payload={
                "council": seat.council.code,
                "constituency": seat.constituency.code,
                "member": seat.member.number,
                "source": seat.source,
                "end_reason": end_reason,
            },
        )
    for term in ended_offices:
        body = term.office.body
        log_entry_record(
            organisation=organisation,
            action="officer.unseated",
            body_id=body.pk,
            actor=actor,
            summary=f"Member {term.member.number}'s term as {term.office.title} of {body.name} ended: "
            f"{end_reason}",
            payload={
                "office": term.office.title,
                "body": body.code,
                "member": term.member.number,
                "source": term.source,
                "end_reason": end_reason,
            },
        )
    return ended_seats, ended_offices


@transaction.atomic
def member_transfer(*, member: Member, to_unit: Body, actor: Actor = SYSTEM) -> Member:
    """Move a member to another unit, ending the current period and starting a new one.

    The member's seats held for bodies they leave (their old unit, and any council above it that is not
    also above the new unit) end, as do their offices in those bodies: a delegate represents the
    constituency they belong to. Seats and offices in bodies above both units are kept.
    """
    member = Member.objects.select_for_update(of=("self",)).select_related("current_unit").get(pk=member.pk)
    from_unit = member.current_unit
    if from_unit is None:
        raise FederationError(
            _("member %(number)s has lapsed; re-admit them instead") % {"number": member.number}
        )
    if to_unit.kind != BodyKind.UNIT or to_unit.organisation_id != member.organisation_id:
        raise FederationError(_("members transfer only to a unit of the same organisation"))
    if to_unit.dissolved_at is not None:
        raise FederationError(_("%(name)s was dissolved; nobody transfers to it") % {"name": to_unit.name})
    if to_unit.pk == from_unit.pk:
        raise FederationError(
            _("member %(number)s is already in %(unit)s") % {"number": member.number, "unit": to_unit.name}
        )
    now = timezone.now()
    current = Membership.objects.filter(member=member, ended_at__isnull=True)
    power_rows_note(current)
    current.update(ended_at=now, end_reason=MembershipEnd.TRANSFER)
    Membership.objects.create(member=member, unit=to_unit, started_at=now)
    member.current_unit = to_unit
    member.save(update_fields=["current_unit"])
    _adjust_counts(from_unit, -1)
    _adjust_counts(to_unit, +1)
    log_entry_record(
        organisation=to_unit.organisation,
        action="member.transferred",
        body_id=to_unit.pk,
        actor=actor,
        summary=f"Member {member.number} transferred from {from_unit.name} to {to_unit.name}",
        payload={"member": member.number, "from": from_unit.code, "to": to_unit.code},
    )
    left = {*from_unit.ancestor_ids, from_unit.pk} - {*to_unit.ancestor_ids, to_unit.pk}
    member_power_end(
        organisation=to_unit.organisation,
        member_ids=[member.pk],
        end_reason=END_TRANSFERRED,
        only_body_ids=left,
        actor=actor,
        at=now,
    )
    return member


@transaction.atomic
def member_lapse(*, member: Member, reason: str = "", actor: Actor = SYSTEM) -> Member:
    """End a membership, and with it every council seat and office the member holds. The history stays;
    the member can be re-admitted (but not to the seats and offices, which need a new election)."""
    member = Member.objects.select_for_update(of=("self",)).select_related("current_unit").get(pk=member.pk)
    unit = member.current_unit
    if unit is None:
        raise FederationError(_("member %(number)s has already lapsed") % {"number": member.number})
    now = timezone.now()
    current = Membership.objects.filter(member=member, ended_at__isnull=True)
    power_rows_note(current)
    current.update(ended_at=now, end_reason=MembershipEnd.LAPSE)
    member.current_unit = None
    member.save(update_fields=["current_unit"])
    _adjust_counts(unit, -1)
    log_entry_record(
        organisation=unit.organisation,
        action="member.lapsed",
        body_id=unit.pk,
        actor=actor,
        summary=f"Member {member.number} lapsed from {unit.name}" + (f": {reason}" if reason else ""),
        payload={"member": member.number, "unit": unit.code, "reason": reason},
    )
    member_power_end(
        organisation=unit.organisation,
        member_ids=[member.pk],
        end_reason=END_LAPSED,
        actor=actor,
        at=now,
    )
    return member


@transaction.atomic
def member_counts_refresh(*, organisation: Organisation) -> None:
    """Recompute every body's member count from current memberships (after bulk imports)."""
    bodies = list(organisation.bodies.all())
    own: dict[int, int] = dict.fromkeys((b.pk for b in bodies), 0)
    for unit_id in Member.objects.filter(organisation=organisation, current_unit__isnull=False).values_list(
        "current_unit_id", flat=True
    ):
        own[unit_id] += 1
    totals = dict.fromkeys(own, 0)
    for body in bodies:
        for body_id in [*body.ancestor_ids, body.pk]:
            totals[body_id] += own[body.pk]
    for body in bodies:
        body.member_count = totals[body.pk]
    Body.objects.bulk_update(bodies, ["member_count"], batch_size=500)
