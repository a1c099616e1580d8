"""Events: pickets, demonstrations and meetings with a place and a time, shifts that members sign up for
up to their capacity, attendance recorded by those running the event, and reminders before each shift."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _

from commune.actions.errors import ActionConflict, ActionError, NotAuthorised
from commune.actions.models import ActionCall, Event, EventKind, Shift, SignUp
from commune.actions.services.calls import unit_officer, within
from commune.actions.services.notices import shift_remind
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Member
from commune.governance.selectors import executives_holding
from commune.motions.services import member_sits_in

#: The powers of an executive that let its members organise events for the bodies within its council.
ORGANISING_POWERS = ("organise-pickets", "book-venues")
#: How long before a shift starts its members are reminded.
REMINDER_BEFORE = timedelta(hours=24)
MAX_SHIFTS = 50
MAX_CAPACITY = 10_000


@dataclass(frozen=True)
class ShiftPlan:
    label: str
    starts_at: datetime
    ends_at: datetime
    capacity: int


def may_organise(member: Member, body: Body) -> bool:
    """Who may organise an event for a body: its delegates (a council), its officers (a unit), or a member
    of an established executive of a council above it holding a power to organise pickets or book venues."""
    if member.current_unit_id is None or member.organisation_id != body.organisation_id:
        return False
    if body.kind == BodyKind.COUNCIL and member_sits_in(member, body):
        return True
    if body.kind == BodyKind.UNIT and unit_officer(member, body):
        return True
    return any(
        within(body, executive.council)
        for executive in executives_holding(powers=ORGANISING_POWERS, member=member)
    )


def may_run(member: Member, event: Event) -> bool:
    """Who records attendance at an event: its organiser, or whoever may organise events for its body."""
    return member.pk == event.organised_by_id or may_organise(member, event.body)


def member_within(member: Member, body: Body) -> bool:
    """A current member of a unit within the body."""
    unit = member.current_unit
    return unit is not None and member.organisation_id == body.organisation_id and within(unit, body)


@transaction.atomic
def event_create(
    *,
    member: Member,
    body: Body,
    kind: str,
    title: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    shifts: Sequence[ShiftPlan] = (),
    description: str = "",
    call: ActionCall | None = None,
    actor: Actor = SYSTEM,
) -> Event:
    """Put an event on the federation's calendar for the members of ``body``, with its shifts."""
    if kind not in EventKind.values:
        raise ActionError(
            _("the kind of event is one of %(kinds)s, not %(kind)s")
            % {"kinds": ", ".join(EventKind.values), "kind": repr(kind)}
        )
    if not may_organise(member, body):
        raise NotAuthorised(
            (
                _(
                    "only %(body)s's delegates, or an executive above it with the power to organise pickets or book "
                    "venues, may organise its events"
                )
                if body.kind == BodyKind.COUNCIL
                else _(
                    "only %(body)s's officers, or an executive above it with the power to organise pickets or book "
                    "venues, may organise its events"
                )
            )
            % {"body": body.name}
        )
    if call is not None and not (within(body, call.reach) or within(call.reach, body)):
        raise ActionError(
            _("the call “%(call)s” does not reach %(body)s") % {"call": call.title, "body": body.name}
        )
    title, place = title.strip(), place.strip()
    if not title or not place:
        raise ActionError(_("an event needs a title and a place"))
    if ends_at <= starts_at:
        raise ActionError(_("an event must end after it starts"))
    if len(shifts) > MAX_SHIFTS:
        raise ActionError(_("an event has at most %(max_shifts)s shifts") % {"max_shifts": MAX_SHIFTS})
    for plan in shifts:
        if not plan.label.strip():
            raise ActionError(_("each shift needs a name"))
        if plan.ends_at <= plan.starts_at:
            raise ActionError(_("the shift “%(plan)s” must end after it starts") % {"plan": plan.label})
        if plan.starts_at < starts_at or plan.ends_at > ends_at:
            raise ActionError(_("the shift “%(plan)s” must fall within the event") % {"plan": plan.label})
        if not 1 <= plan.capacity <= MAX_CAPACITY:
            raise ActionError(
                _("the shift “%(plan)s” takes from 1 to %(max_capacity)s people")
                % {"plan": plan.label, "max_capacity": MAX_CAPACITY}
            )
    now = timezone.now()
    event = Event.objects.create(
        organisation_id=body.organisation_id,
        body=body,
        call=call,
        kind=kind,
        title=title[:200],
        place=place[:300],
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        organised_by=member,
        created_at=now,
    )
    Shift.objects.bulk_create(
        [
            Shift(
                event=event,
                label=p.label.strip()[:120],
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                capacity=p.capacity,
            )
            for p in shifts
        ]
    )
    log_entry_record(
        organisation=body.organisation,
        action="event.created",
        body_id=body.pk,
        actor=actor,
        summary=f"{member.number} put the {_in_english(event.get_kind_display()).lower()} “{event.title}” at {event.place} on "
        f"{body.name}'s calendar, with {len(shifts)} shift{'s' if len(shifts) != 1 else ''}",
        payload={
            "event": event.pk,
            "kind": kind,
            "place": event.place,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "call": call.pk if call else None,
            "shifts": [{"label": p.label, "capacity": p.capacity} for p in shifts],
        },
    )
    return event


@transaction.atomic
def event_cancel(*, event: Event, member: Member, actor: Actor = SYSTEM) -> Event:
    event = Event.objects.select_for_update().select_related("body__organisation").get(pk=event.pk)
    if not may_run(member, event):
        raise NotAuthorised(
            _("only those who may organise %(body)s's events may cancel one") % {"body": event.body.name}
        )
    if event.cancelled_at is not None:
        return event
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    log_entry_record(
        organisation=event.body.organisation,
        action="event.cancelled",
        body_id=event.body_id,
        actor=actor,
        summary=f"{member.number} cancelled “{event.title}”",
        payload={"event": event.pk},
    )
    return event


@transaction.atomic
def shift_sign_up(*, shift: Shift, member: Member, actor: Actor = SYSTEM) -> SignUp:
    """Sign a member up for a shift: a current member within the event's body, while there is room and
    before it starts. The shift's row lock makes the capacity hold against members signing at once."""
    shift = Shift.objects.select_for_update().select_related("event__body__organisation").get(pk=shift.pk)
    event = shift.event
    if not member_within(member, event.body):
        raise NotAuthorised(
            _("only members within %(body)s sign up for its shifts") % {"body": event.body.name}
        )
    if event.cancelled_at is not None:
        raise ActionConflict(_("this event has been cancelled"))
    if shift.starts_at <= timezone.now():
        raise ActionConflict(_("this shift has already started"))
    if SignUp.objects.filter(shift=shift).count() >= shift.capacity:
        raise ActionConflict(
            _("the shift “%(shift)s” is full (%(capacity)s signed up)")
            % {"shift": shift.label, "capacity": shift.capacity}
        )
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(shift=shift, member=member, signed_at=timezone.now())
    except IntegrityError as exc:
        raise ActionConflict(_("you have already signed up for this shift")) from exc
    log_entry_record(
        organisation=event.body.organisation,
        action="event.signed_up",
        body_id=event.body_id,
        actor=actor,
        summary=f"{member.number} signed up for “{shift.label}” of “{event.title}”",
        payload={"event": event.pk, "shift": shift.pk, "member": member.number},
    )
    return signup


@transaction.atomic
def shift_withdraw(*, shift: Shift, member: Member, actor: Actor = SYSTEM) -> None:
    """A member takes their name off a shift that has not started."""
    shift = Shift.objects.select_for_update().select_related("event__body__organisation").get(pk=shift.pk)
    if shift.starts_at <= timezone.now():
        raise ActionConflict(_("this shift has already started"))
    deleted, _kinds = SignUp.objects.filter(shift=shift, member=member).delete()
    if not deleted:
        raise ActionConflict(_("you are not signed up for this shift"))
    log_entry_record(
        organisation=shift.event.body.organisation,
        action="event.withdrawn",
        body_id=shift.event.body_id,
        actor=actor,
        summary=f"{member.number} withdrew from “{shift.label}” of “{shift.event.title}”",
        payload={"event": shift.event_id, "shift": shift.pk, "member": member.number},
    )


@transaction.atomic
def attendance_record(
    *, shift: Shift, member: Member, attended: dict[int, bool], actor: Actor = SYSTEM
) -> list[SignUp]:
    """Record who came to a shift (``attended``: sign-up member id → came), once it has started, by those
    who run the event."""
    shift = Shift.objects.select_for_update().select_related("event__body__organisation").get(pk=shift.pk)
    if not may_run(member, shift.event):
        raise NotAuthorised(
            _("only the event's organiser, or those who may organise its body's events, record attendance")
        )
    if shift.starts_at > timezone.now():
        raise ActionConflict(_("attendance is recorded once the shift has started"))
    signups = {s.member_id: s for s in SignUp.objects.filter(shift=shift).select_related("member")}
    unknown = set(attended) - set(signups)
    if unknown:
        raise ActionError(_("attendance is recorded only for members signed up for the shift"))
    changed = []
    for member_id, came in attended.items():
        signup = signups[member_id]
        signup.attended, signup.attendance_by = came, member
        changed.append(signup)
    SignUp.objects.bulk_update(changed, ["attended", "attendance_by"])
    log_entry_record(
        organisation=shift.event.body.organisation,
        action="event.attendance_recorded",
        body_id=shift.event.body_id,
        actor=actor,
        summary=f"{member.number} recorded attendance at “{shift.label}” of “{shift.event.title}”: "
        f"{sum(attended.values())} came of {len(attended)}",
        payload={
            "shift": shift.pk,
            "attended": sorted(signups[i].member.number for i, c in attended.items() if c),
            "absent": sorted(signups[i].member.number for i, c in attended.items() if not c),
        },
    )
    return changed


def _in_english(label: str | StrPromise) -> str:
    """A choice's label as the signed log keeps it, whatever language is active."""
    with translation.override("en"):
        return str(label)


@dataclass
class ActionsRunReport:
    """What one scheduler pass did: one line each, and the problems met."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def actions_run_due(*, now: datetime | None = None) -> ActionsRunReport:
    """Remind every member signed up for a shift starting within ``REMINDER_BEFORE``, once each. Each
    reminder claims its sign-up (setting ``reminded_at`` only if still unset), so several schedulers
    running at once remind nobody twice."""
    now = now or timezone.now()
    report = ActionsRunReport()
    due = (
        SignUp.objects.filter(
            reminded_at__isnull=True,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + REMINDER_BEFORE,
            shift__event__cancelled_at__isnull=True,
        )
        .select_related("member__person", "shift__event__organisation")
        .order_by("shift__starts_at", "pk")
    )
    for signup in due:
        with transaction.atomic():
            if not SignUp.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            shift = signup.shift
            shift_remind(signup.member, shift.event, shift.label, shift.starts_at)
        report.done.append(f"reminded {signup.member.number} of “{shift.label}” ({shift.event.title})")
    return report
