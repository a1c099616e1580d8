"""Officers' pay: a workman's wage. Wage bands of the roll, their median, and pay within the cap.

Each wage band is a weekly figure (``WageBand``); ``Member.wage_band`` holds the band's code. The median
is taken over current members whose band has a figure, exactly in ``Decimal``. An office's pay is set by
its own body's motion (``office_pay_propose`` moves it; ``office_pay_settle`` puts it in force once
adopted), and is refused, both when proposed and when put in force, above the constitution's
``offices.pay_cap_multiple`` of that median.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.currency import money
from commune.federation.models import Member, Office, Organisation
from commune.governance.errors import GovernanceConflict, GovernanceError
from commune.governance.models import OfficePay, PayStatus, WageBand
from commune.motions.models import MotionStatus
from commune.motions.services import constitution_rules, motion_move

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class PayCap:
    median_weekly: Decimal
    multiple: Decimal
    members_counted: int

    @property
    def cap_weekly(self) -> Decimal:
        return (self.median_weekly * self.multiple).quantize(PENNY)


def median(values: list[Decimal]) -> Decimal:
    """The exact median: the middle value, or the mean of the two middle values."""
    if not values:
        raise GovernanceError("there is no wage to take a median of")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def pay_cap(*, organisation: Organisation) -> PayCap:
    """The members' median weekly wage and the cap the constitution sets on officers' pay from it."""
    weekly = dict(WageBand.objects.filter(organisation=organisation).values_list("code", "weekly"))
    bands = Member.objects.filter(
        organisation=organisation, current_unit__isnull=False, wage_band__in=list(weekly)
    ).values_list("wage_band", flat=True)
    wages = [weekly[code] for code in bands]
    if not wages:
        raise GovernanceError(
            "no current member has a wage band with a weekly figure, so there is no median wage to cap pay by"
        )
    multiple = constitution_rules(organisation.pk).offices.pay_cap_multiple
    return PayCap(median_weekly=median(wages), multiple=multiple, members_counted=len(wages))


@transaction.atomic
def wage_band_set(
    *, organisation: Organisation, code: str, weekly: Decimal, actor: Actor = SYSTEM
) -> WageBand:
    """Set the weekly figure of a wage band of the roll. Call only for an officer who manages a roll."""
    code = code.strip()
    if not code:
        raise GovernanceError("a wage band needs a code")
    if weekly < 0:
        raise GovernanceError("a weekly wage cannot be negative")
    band, _ = WageBand.objects.update_or_create(
        organisation=organisation, code=code, defaults={"weekly": weekly.quantize(PENNY)}
    )
    log_entry_record(
        organisation=organisation,
        action="wage_band.set",
        actor=actor,
        summary=f"Wage band {code} set at {money(band.weekly, organisation.currency)} a week",
        payload={"code": code, "weekly": str(band.weekly), "currency": organisation.currency},
    )
    return band


def _within_cap(office: Office, weekly: Decimal) -> PayCap:
    organisation = office.body.organisation
    cap = pay_cap(organisation=organisation)
    if weekly > cap.cap_weekly:

        def amount(figure: Decimal) -> str:
            return money(figure, organisation.currency)

        raise GovernanceError(
            f"{amount(weekly)} a week is above the cap for the pay of {office.title} of {office.body.name}: "
            f"the constitution allows at most {cap.multiple} × the members' median wage of "
            f"{amount(cap.median_weekly)} a week = {amount(cap.cap_weekly)} (median of {cap.members_counted} "
            "members' wage bands)"
        )
    return cap


@transaction.atomic
def office_pay_propose(
    *, office: Office, member: Member, weekly: Decimal, actor: Actor = SYSTEM
) -> OfficePay:
    """Move a motion in the office's own body setting its weekly pay; refused above the cap."""
    office = Office.objects.select_related("body__organisation").get(pk=office.pk)
    if weekly < 0:
        raise GovernanceError("pay cannot be negative")
    weekly = weekly.quantize(PENNY)
    _within_cap(office, weekly)
    currency = office.body.organisation.currency
    motion = motion_move(
        body=office.body,
        member=member,
        title=f"Pay of the {office.title}: {money(weekly, currency)} a week"[:200],
        text=f"{office.body.name} sets the pay of its office of {office.title} at {money(weekly, currency)} "
        "a week.",
        actor=actor,
    )
    pay = OfficePay.objects.create(office=office, weekly=weekly, motion=motion, proposed_at=timezone.now())
    log_entry_record(
        organisation=office.body.organisation,
        action="office_pay.proposed",
        body_id=office.body_id,
        actor=actor,
        summary=f"Motion {motion.pk}: pay of {office.title} of {office.body.name} at "
        f"{money(weekly, currency)} a week",
        payload={"office": office.pk, "weekly": str(weekly), "currency": currency, "motion": motion.pk},
    )
    return pay


@transaction.atomic
def office_pay_settle(*, pay: OfficePay, actor: Actor = SYSTEM) -> OfficePay:
    """Put the pay in force once its body adopted the motion (checking the cap again, as the median may
    have moved), superseding the previous figure; or mark it not adopted."""
    pay = (
        OfficePay.objects.select_for_update(of=("self",))
        .select_related("office__body__organisation", "motion")
        .get(pk=pay.pk)
    )
    if pay.status != PayStatus.PROPOSED:
        return pay
    if pay.motion.status == MotionStatus.REJECTED:
        pay.status = PayStatus.NOT_ADOPTED
        pay.save(update_fields=["status"])
        return pay
    if pay.motion.status != MotionStatus.ADOPTED:
        raise GovernanceConflict(f"{pay.office.body.name} has not yet decided motion {pay.motion_id}")
    cap = _within_cap(pay.office, pay.weekly)
    currency = pay.office.body.organisation.currency
    OfficePay.objects.filter(office=pay.office, status=PayStatus.IN_FORCE).update(status=PayStatus.SUPERSEDED)
    pay.status, pay.in_force_from, pay.cap_when_set = PayStatus.IN_FORCE, timezone.now(), cap.cap_weekly
    pay.save(update_fields=["status", "in_force_from", "cap_when_set"])
    log_entry_record(
        organisation=pay.office.body.organisation,
        action="office_pay.in_force",
        body_id=pay.office.body_id,
        actor=actor,
        summary=f"Pay of {pay.office.title} of {pay.office.body.name} set at {money(pay.weekly, currency)} "
        f"a week (cap {money(cap.cap_weekly, currency)}) by motion {pay.motion_id}",
        payload={
            "office": pay.office_id,
            "weekly": str(pay.weekly),
            "currency": currency,
            "cap": str(cap.cap_weekly),
            "median": str(cap.median_weekly),
            "motion": pay.motion_id,
            "adopted_by_vote": pay.motion.adopted_by_id,
        },
    )
    return pay
