"""Writes for the federation: founding, bodies, members, seats and the constitution.

Every act that confers, uses or removes power is recorded in the provenance log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from commune.accounts.models import User
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.apportionment import council_size, sainte_lague
from commune.federation.constitution import DEFAULT_RULES, rules_validate
from commune.federation.models import (
    ApportionedSeats,
    Apportionment,
    Body,
    BodyKind,
    ConstitutionVersion,
    Delegation,
    Member,
    Membership,
    MembershipEnd,
    Office,
    OfficeTerm,
    Organisation,
)

if TYPE_CHECKING:
    from commune.motions.models import Referral


class FederationError(ValueError):
    """A federation rule was broken; the message says which."""


@transaction.atomic
def organisation_found(
    *, name: str, slug: str = "", rules: dict[str, Any] | None = None, actor: Actor = SYSTEM
) -> Organisation:
    """Found an organisation and adopt the first version of its constitution."""
    checked = rules_validate(rules if rules is not None else DEFAULT_RULES)
    slug = slug or slugify(name)
    if Organisation.objects.filter(slug=slug).exists():
        raise FederationError(f"an organisation with the address {slug!r} already exists")
    org = Organisation.objects.create(name=name, slug=slug, founded_at=timezone.now())
    log_entry_record(
        organisation=org,
        action="organisation.founded",
        summary=f"{name} founded",
        actor=actor,
        payload={"name": name, "slug": slug},
    )
    constitution_adopt(
        organisation=org, rules=checked.model_dump(mode="json"), adopted_by="founding", actor=actor
    )
    return org


@transaction.atomic
def constitution_adopt(
    *,
    organisation: Organisation,
    rules: dict[str, Any],
    adopted_by: str,
    referendum: Referral | None = None,
    actor: Actor = SYSTEM,
) -> ConstitutionVersion:
    """Adopt a version of the rules. The first is the founding text; every later version needs
    ``referendum``: a closed, carried referendum of the whole membership (referred by the top council) on
    a constitutional motion, not already behind another version. No council or executive enacts one."""
    checked = rules_validate(rules).model_dump(mode="json")
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    latest = organisation.constitution_versions.order_by("-number").first()
    number = 1 if latest is None else latest.number + 1
    if number > 1:
        _referendum_check(organisation, referendum)
    elif referendum is not None:
        raise FederationError("the founding constitution is adopted at founding, not by referendum")
    version = ConstitutionVersion.objects.create(
        organisation=organisation,
        number=number,
        adopted_at=timezone.now(),
        adopted_by=adopted_by,
        rules=checked,
        referendum=referendum,
    )
    log_entry_record(
        organisation=organisation,
        action="constitution.adopted",
        summary=f"Constitution version {number} adopted ({adopted_by})",
        actor=actor,
        payload={
            "version": number,
            "adopted_by": adopted_by,
            "referendum": referendum.pk if referendum else None,
            "rules": checked,
        },
    )
    return version


def _referendum_check(organisation: Organisation, referendum: Referral | None) -> None:
    if referendum is None:
        raise FederationError(
            "the constitution belongs to the members: a new version is adopted only by a membership "
            "referendum that carried"
        )
    council = referendum.council
    if council.organisation_id != organisation.pk or council.parent_id is not None:
        raise FederationError("only a referendum of the whole membership can amend the constitution")
    if referendum.kind != "referendum":
        raise FederationError("the constitution is amended by a referendum, not by the assemblies' votes")
    if not referendum.motion.constitutional:
        raise FederationError("the referendum was not on a constitutional motion")
    if referendum.closed_at is None or not referendum.carried:
        raise FederationError("the referendum has not carried")
    if ConstitutionVersion.objects.filter(referendum=referendum).exists():
        raise FederationError("this referendum has already amended the constitution")


def _child_path(parent: Body | None, body_id: int) -> str:
    return f"{parent.path if parent else '/'}{body_id}/"


@transaction.atomic
def body_create(
    *,
    organisation: Organisation,
    kind: str,
    code: str,
    name: str,
    parent: Body | None = None,
    unit_type: str = "",
    seats_fixed: int | None = None,
    members_per_seat: int | None = None,
    actor: Actor = SYSTEM,
) -> Body:
    """Create a unit or a council. A body's parent is always a council of the same organisation."""
    if parent is not None:
        if parent.organisation_id != organisation.pk:
            raise FederationError("a body's parent must belong to the same organisation")
        if parent.kind != BodyKind.COUNCIL:
            raise FederationError(f"{parent.name} is a unit; only councils have bodies below them")
    elif organisation.bodies.filter(parent__isnull=True).exists():
        raise FederationError("the organisation already has a top council; new bodies need a parent")
    if kind == BodyKind.COUNCIL and (seats_fixed is None) == (members_per_seat is None):
        raise FederationError(
            "a council is sized by a fixed number of seats or by members per seat (one of them)"
        )
    if kind == BodyKind.UNIT and (seats_fixed is not None or members_per_seat is not None):
        raise FederationError("a unit is a general assembly of all its members; it has no seats")
    code = code.strip().upper()
    if organisation.bodies.filter(code=code).exists():
        raise FederationError(f"the code {code} is already used in this organisation")
    body = Body.objects.create(
        organisation=organisation,
        kind=kind,
        code=code,
        name=name,
        parent=parent,
        unit_type=unit_type,
        depth=(parent.depth + 1) if parent else 0,
        path="/",
        seats_fixed=seats_fixed,
        members_per_seat=members_per_seat,
    )
    body.path = _child_path(parent, body.pk)
    body.save(update_fields=["path"])
    log_entry_record(
        organisation=organisation,
        action="body.created",
        body_id=body.pk,
        actor=actor,
        summary=f"{body.get_kind_display()} {name} ({code}) created"
        + (f" under {parent.name}" if parent else ""),
        payload={
            "code": code,
            "kind": kind,
            "parent": parent.code if parent else None,
            "seats_fixed": seats_fixed,
            "members_per_seat": members_per_seat,
        },
    )
    return body


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
        raise FederationError(f"{unit.name} is a council; members join units")
    member, created = Member.objects.select_for_update().get_or_create(
        organisation_id=unit.organisation_id,
        person=person,
        defaults={"number": number, "wage_band": wage_band},
    )
    if not created and member.current_unit_id is not None:
        raise FederationError(f"{person.name} is already a member (of unit {member.current_unit_id})")
    if not created and member.number != number:
        raise FederationError(f"{person.name} is already member number {member.number}")
    Membership.objects.create(member=member, unit=unit, started_at=at or timezone.now())
    member.current_unit = unit
    member.wage_band = wage_band or member.wage_band
    member.save(update_fields=["current_unit", "wage_band"])
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
    now = at or timezone.now()
    seats = Delegation.objects.filter(member_id__in=member_ids, ended_at__isnull=True)
    offices = OfficeTerm.objects.filter(member_id__in=member_ids, ended_at__isnull=True)
    if only_body_ids is not None:
        seats = seats.filter(constituency_id__in=only_body_ids)
        offices = offices.filter(office__body_id__in=only_body_ids)
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
        raise FederationError(f"member {member.number} has lapsed; re-admit them instead")
    if to_unit.kind != BodyKind.UNIT or to_unit.organisation_id != member.organisation_id:
        raise FederationError("members transfer only to a unit of the same organisation")
    if to_unit.pk == from_unit.pk:
        raise FederationError(f"member {member.number} is already in {to_unit.name}")
    now = timezone.now()
    Membership.objects.filter(member=member, ended_at__isnull=True).update(
        ended_at=now, end_reason=MembershipEnd.TRANSFER
    )
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
        raise FederationError(f"member {member.number} has already lapsed")
    now = timezone.now()
    Membership.objects.filter(member=member, ended_at__isnull=True).update(
        ended_at=now, end_reason=MembershipEnd.LAPSE
    )
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


@transaction.atomic
def council_apportion(*, council: Body, reason: str, actor: Actor = SYSTEM) -> Apportionment:
    """Divide a council's seats among the bodies directly below it by current membership.

    Called whenever an election to the council is called, so seats always follow membership.
    """
    if council.kind != BodyKind.COUNCIL:
        raise FederationError(f"{council.name} is a unit; only councils have seats")
    council = Body.objects.get(pk=council.pk)
    constituencies = list(council.children.order_by("code"))
    if not constituencies:
        raise FederationError(f"{council.name} has no bodies below it to send delegates")
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
    ApportionedSeats.objects.bulk_create(
        ApportionedSeats(
            apportionment=apportionment, constituency=c, members=members[c.code], seats=seats[c.code]
        )
        for c in constituencies
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
        raise FederationError(f"{constituency.name} is not a constituency of {council.name}")
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


def bodies_create_tree(
    *, organisation: Organisation, specs: Iterable[dict[str, Any]], actor: Actor = SYSTEM
) -> list[Body]:
    """Create bodies from specs in order (each spec may name a ``parent`` code created earlier)."""
    created: dict[str, Body] = {}
    out = []
    for spec in specs:
        spec = dict(spec)
        parent_code = spec.pop("parent", None)
        parent = created.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            parent = organisation.bodies.get(code=parent_code)
        body = body_create(organisation=organisation, parent=parent, actor=actor, **spec)
        created[body.code] = body
        out.append(body)
    return out
