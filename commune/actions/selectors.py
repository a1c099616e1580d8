"""Reads for collective action, each with a fixed number of queries however large the federation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from commune.actions.models import (
    ActionCall,
    ActionNotice,
    CallEndorsement,
    ClaimStatus,
    Event,
    Participation,
    Shift,
    SignUp,
    StrikePayClaim,
)
from commune.federation.models import Body, BodyKind, Member, Organisation
from commune.governance.models import Executive
from commune.governance.selectors import executives_holding
from commune.motions.selectors.employer_notices import figures_lines, notice_pdf


def calls_of_organisation(*, organisation: Organisation) -> QuerySet[ActionCall]:
    return ActionCall.objects.filter(organisation=organisation).select_related(
        "body", "reach", "executive", "authority__body"
    )


@dataclass
class UnitStanding:
    """A unit a call reaches: whether its assembly endorsed it, who took part each day, its strike pay."""

    unit: Body
    endorsement: CallEndorsement | None = None
    taking_part: dict[date, int] = field(default_factory=dict)
    claimed: int = 0
    approved: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)


@dataclass
class CallRecord:
    call: ActionCall
    units: list[UnitStanding]
    events: list[Event]
    days: list[date]

    @property
    def endorsed(self) -> int:
        return sum(1 for u in self.units if u.endorsement and u.endorsement.status == "endorsed")

    @property
    def paid(self) -> Decimal:
        return sum((u.paid for u in self.units), Decimal(0))

    @property
    def approved(self) -> Decimal:
        return sum((u.approved for u in self.units), Decimal(0))


def call_record(*, call: ActionCall) -> CallRecord:
    """Every unit the call reaches with its endorsement, its members taking part each day, and its strike
    pay claimed, approved and paid; and the call's events. Five queries."""
    units = {
        u.pk: UnitStanding(unit=u)
        for u in Body.objects.filter(
            organisation_id=call.organisation_id, kind=BodyKind.UNIT, path__startswith=call.reach.path
        ).order_by("path")
    }
    for e in CallEndorsement.objects.filter(call=call).select_related("motion").order_by("pk"):
        if e.unit_id in units and (units[e.unit_id].endorsement is None or e.status != "not_endorsed"):
            units[e.unit_id].endorsement = e
    days: set[date] = set()
    for row in Participation.objects.filter(call=call).values("unit_id", "day").annotate(n=Count("pk")):
        if row["unit_id"] in units:
            units[row["unit_id"]].taking_part[row["day"]] = row["n"]
            days.add(row["day"])
    for claim in StrikePayClaim.objects.filter(call=call).only("unit_id", "status", "amount"):
        standing = units.get(claim.unit_id)
        if standing is None:
            continue
        standing.claimed += 1
        if claim.status in (ClaimStatus.APPROVED, ClaimStatus.PAID) and claim.amount is not None:
            standing.approved += claim.amount
        if claim.status == ClaimStatus.PAID and claim.amount is not None:
            standing.paid += claim.amount
    events = list(Event.objects.filter(call=call).select_related("body").order_by("starts_at"))
    return CallRecord(call=call, units=list(units.values()), events=events, days=sorted(days))


@dataclass
class UnitPay:
    unit: Body
    claims: int = 0
    approved: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)


def strike_pay_totals(*, organisation: Organisation) -> list[UnitPay]:
    """Strike pay per unit across every call: claims, and the sums approved and paid. One query."""
    totals: dict[int, UnitPay] = {}
    for claim in StrikePayClaim.objects.filter(call__organisation=organisation).select_related("unit"):
        entry = totals.setdefault(claim.unit_id, UnitPay(unit=claim.unit))
        entry.claims += 1
        if claim.status in (ClaimStatus.APPROVED, ClaimStatus.PAID) and claim.amount is not None:
            entry.approved += claim.amount
        if claim.status == ClaimStatus.PAID and claim.amount is not None:
            entry.paid += claim.amount
    return sorted(totals.values(), key=lambda e: e.unit.path)


def claims_of_call(*, call: ActionCall) -> QuerySet[StrikePayClaim]:
    return StrikePayClaim.objects.filter(call=call).select_related("member__person", "unit", "executive")


def _bodies_over(unit: Body | None) -> list[int]:
    return [*unit.ancestor_ids, unit.pk] if unit is not None else []


@dataclass
class CalendarEntries:
    """What a calendar shows: events (with their shifts), calls, and the reader's own shifts."""

    events: list[Event]
    calls: list[ActionCall]
    my_shifts: list[SignUp] = field(default_factory=list)


def calendar_entries(
    *,
    organisation: Organisation,
    unit: Body | None = None,
    since: datetime | None = None,
    cancelled: bool = False,
) -> CalendarEntries:
    """The federation's calendar, or one unit's: the events of the unit and the bodies above it, and the
    calls reaching it. Three queries."""
    events = (
        Event.objects.filter(organisation=organisation)
        .select_related("body", "call", "organisation")
        .prefetch_related("shifts")
    )
    calls = ActionCall.objects.filter(organisation=organisation).select_related(
        "body", "reach", "organisation"
    )
    if unit is not None:
        over = _bodies_over(unit)
        events = events.filter(body_id__in=over)
        calls = calls.filter(reach_id__in=over)
    if since is not None:
        events = events.filter(ends_at__gte=since)
        calls = calls.filter(ends_on__gte=since.date())
    if not cancelled:
        events = events.filter(cancelled_at__isnull=True)
    return CalendarEntries(
        events=list(events.order_by("starts_at", "pk")), calls=list(calls.order_by("starts_on", "pk"))
    )


def personal_entries(*, members: list[Member]) -> CalendarEntries:
    """A person's calendar across their memberships: what reaches their units, and their own shifts."""
    over: list[int] = []
    for m in members:
        over += _bodies_over(m.current_unit)
    events = list(
        Event.objects.filter(body_id__in=over)
        .select_related("body", "call", "organisation")
        .prefetch_related("shifts")
        .order_by("starts_at", "pk")
    )
    calls = list(
        ActionCall.objects.filter(reach_id__in=over)
        .select_related("body", "reach", "organisation")
        .order_by("starts_on")
    )
    mine = list(
        SignUp.objects.filter(member__in=members)
        .select_related("shift__event__organisation")
        .order_by("shift__starts_at", "pk")
    )
    return CalendarEntries(events=events, calls=calls, my_shifts=mine)


@dataclass
class ShiftLine:
    shift: Shift
    taken: int
    mine: bool
    attended: list[SignUp]

    @property
    def full(self) -> bool:
        return self.taken >= self.shift.capacity

    @property
    def room(self) -> int:
        return max(0, self.shift.capacity - self.taken)


def event_shifts(*, event: Event, member: Member, with_names: bool = False) -> list[ShiftLine]:
    """Each shift with how many signed up and whether the reader did; with names, who (for those who run
    it). Two queries."""
    shifts = list(
        event.shifts.annotate(taken=Count("signups"), mine=Count("signups", filter=Q(signups__member=member)))
    )
    names: dict[int, list[SignUp]] = defaultdict(list)
    if with_names:
        for s in (
            SignUp.objects.filter(shift__event=event)
            .select_related("member__person")
            .order_by("member__number")
        ):
            names[s.shift_id].append(s)
    return [ShiftLine(shift=s, taken=s.taken, mine=bool(s.mine), attended=names[s.pk]) for s in shifts]


@dataclass
class StrikePayDesk:
    """What a member sees of strike pay: their own claims, and those they may decide or pay as a member of
    an executive holding the power to pay strike pay (never their own)."""

    mine: list[StrikePayClaim]
    executives: list[Executive]
    to_decide: list[StrikePayClaim]


def strike_pay_desk(*, member: Member) -> StrikePayDesk:
    """Three queries, however many claims."""
    mine = list(
        StrikePayClaim.objects.filter(member=member)
        .select_related("call", "unit", "executive")
        .order_by("-claimed_at")
    )
    executives = executives_holding(powers=["pay-strike-pay"], member=member)
    reach = Q(pk__in=[])
    for executive in executives:
        reach |= Q(unit__path__startswith=executive.council.path)
    to_decide = (
        list(
            StrikePayClaim.objects.filter(reach, status__in=[ClaimStatus.CLAIMED, ClaimStatus.APPROVED])
            .exclude(member=member)
            .select_related("call", "unit", "member__person", "executive")
            .order_by("claimed_at", "pk")
        )
        if executives
        else []
    )
    return StrikePayDesk(mine=mine, executives=executives, to_decide=to_decide)


def shift_attendance(*, call: ActionCall, member: Member) -> dict[date, list[int]]:
    """The days of the call on which the member's attendance at a shift of one of its events was recorded,
    each with the shifts (one query). A cancelled event's shifts count: who came, came."""
    attended: dict[date, list[int]] = defaultdict(list)
    for shift_id, starts_at in (
        SignUp.objects.filter(member=member, attended=True, shift__event__call=call)
        .order_by("shift__starts_at", "shift_id")
        .values_list("shift_id", "shift__starts_at")
    ):
        day = timezone.localdate(starts_at)
        if call.starts_on <= day <= call.ends_on:
            attended[day].append(shift_id)
    return dict(attended)


def days_to_claim(*, call: ActionCall, member: Member) -> list[tuple[date, bool]]:
    """The days the member was reported taking part in the call, or recorded attending one of its shifts,
    and has not yet claimed, each with whether a shift attendance stands behind it (three queries)."""
    claimed = {
        d
        for days in StrikePayClaim.objects.filter(call=call, member=member)
        .exclude(status=ClaimStatus.REFUSED)
        .values_list("days", flat=True)
        for d in days
    }
    attended = shift_attendance(call=call, member=member)
    reported = set(Participation.objects.filter(call=call, member=member).values_list("day", flat=True))
    return [
        (day, day in attended) for day in sorted(reported | set(attended)) if day.isoformat() not in claimed
    ]


def action_notice_text(notice: ActionNotice) -> str:
    """The employer's notice of industrial action (s.234A) as text, in the active language."""
    call = notice.call
    if notice.continuous:
        when = _("The action is continuous, starting on %(start)s and ending on %(end)s.") % {
            "start": call.starts_on.isoformat(),
            "end": call.ends_on.isoformat(),
        }
    else:
        when = _("The action is discontinuous: it takes place on %(days)s.") % {
            "days": ", ".join(notice.days)
        }
    period = _("Notice of %(days)s days is given.") % {"days": notice.notice_days}
    if notice.employer_agreed:
        period += " " + _("The employer agreed to this shorter notice.")
    lines = [
        _("To: %(employer)s") % {"employer": notice.employer},
        _("From: %(organisation)s") % {"organisation": call.organisation.name},
        _("Given on %(day)s") % {"day": timezone.localdate(notice.issued_at).isoformat()},
        "",
        _(
            "Notice of industrial action: the union intends to call on its members to take part in %(kind)s, “%(title)s”, following the ballot on “%(motion)s”."
        )
        % {"kind": call.get_kind_display().lower(), "title": call.title, "motion": call.authority.title},
        when,
        period,
        "",
        *figures_lines(notice.figures, notice.explanation),
    ]
    return "\n".join(lines) + "\n"


def action_notice_pdf(notice: ActionNotice) -> bytes:
    """The employer's notice of industrial action as a PDF."""
    with override(None):
        english = (_("Notice of industrial action"), action_notice_text(notice))
    return notice_pdf(_("Notice of industrial action"), action_notice_text(notice), english)
