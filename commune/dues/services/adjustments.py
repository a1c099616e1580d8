"""Corrections of payments and refunds: an officer of the member's unit who keeps its roll corrects a payment
recorded wrongly, or records money paid back to the member, always with a reason. Each is a new row beside
the payment, never an edit of it or its deletion: what was recorded stays visible, with what changed it
and why. Both are on the log, told to the member, and count at once in their arrears and good standing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import log_entry_record
from commune.dues.errors import DuesConflict, DuesInvalid
from commune.dues.models import AdjustmentKind, DuesAdjustment, DuesPayment
from commune.dues.services.common import (
    amount_read,
    amount_words,
    date_words,
    dues_link,
    officer_actor,
    officer_check,
    paid_on_check,
    reason_read,
)
from commune.dues.services.lapsing import notices_settle
from commune.federation.models import Body, Member
from commune.notifications.services import notification_send
from commune.translation import deferred


def _current(member: Member) -> tuple[Member, Body]:
    member = Member.objects.select_related("current_unit__organisation", "person").get(pk=member.pk)
    if member.current_unit is None:
        raise DuesInvalid(_("member %(number)s is not a current member") % {"number": member.number})
    return member, member.current_unit


def _net_paid(member: Member) -> Decimal:
    paid = DuesPayment.objects.filter(member=member).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    changed = DuesAdjustment.objects.filter(member=member).aggregate(s=Sum("change"))["s"] or Decimal(0)
    return (paid + changed).quantize(Decimal("0.01"))


def _corrected_read(value: str | Decimal) -> Decimal:
    """What a payment really was: an amount as a payment's, or 0 when no payment was made at all."""
    text = str(value).strip()
    try:
        if text and Decimal(text.replace(",", "").lstrip("£€$")) == 0:
            return Decimal("0.00")
    except ArithmeticError:
        pass
    return amount_read(value)


def _notify(member: Member, subject: str, body: str) -> None:
    notification_send(
        people=[member.person], kind="dues.adjustment", subject=subject, body=body, link=dues_link(member)
    )


@transaction.atomic
def dues_payment_correct(
    *, officer: Member, payment: DuesPayment, amount: str | Decimal, reason: str
) -> DuesAdjustment:
    """Correct a payment recorded wrongly to what it really was (``amount``; 0 when it was never made),
    for a reason. The payment stays as recorded; the correction beside it changes the member's total paid
    by the difference. A payment is corrected once: any later difference is a refund or a new payment."""
    payment = DuesPayment.objects.select_for_update().get(pk=payment.pk)
    member, unit = _current(payment.member)
    officer_check(officer=officer, unit=unit)
    reason = reason_read(
        reason, _("give the reason for the correction: it is shown to the member and kept on the log")
    )
    corrected = _corrected_read(amount)
    if corrected == payment.amount:
        raise DuesInvalid(
            _("the payment was recorded as %(amount)s already: a correction changes the amount")
            % {"amount": payment.amount}
        )
    if DuesAdjustment.objects.filter(payment=payment).exists():
        raise DuesConflict(
            _(
                "this payment was already corrected: record a refund, or a new payment, for any difference "
                "left"
            )
        )
    change = corrected - payment.amount
    if _net_paid(member) + change < 0:
        raise DuesInvalid(
            _(
                "the correction would leave member %(number)s having paid less than nothing: refunds already take it"
            )
            % {"number": member.number}
        )
    try:
        with transaction.atomic():
            adjustment = DuesAdjustment.objects.create(
                organisation_id=member.organisation_id,
                member=member,
                kind=AdjustmentKind.CORRECTION,
                payment=payment,
                corrected_amount=corrected,
                change=change,
                made_on=timezone.localdate(),
                reason=reason,
                recorded_by=officer,
                recorded_at=timezone.now(),
            )
    except IntegrityError:
        raise DuesConflict(_("this payment was corrected a moment ago")) from None
    actor = officer_actor(officer, unit)
    log_entry_record(
        organisation=unit.organisation,
        action="dues.payment_corrected",
        body_id=unit.pk,
        actor=actor,
        summary=f"Payment of {payment.amount} from member {member.number} on {payment.paid_on:%Y-%m-%d} "
        f"corrected to {corrected} by {unit.name}: {reason}",
        payload={
            "member": member.number,
            "payment": payment.pk,
            "recorded_as": str(payment.amount),
            "corrected_to": str(corrected),
            "reason": reason,
            "recorded_by": officer.number,
        },
    )
    _notify(
        member,
        deferred(
            gettext_lazy("Your payment of %(amount)s is corrected to %(corrected)s"),
            amount=amount_words(payment.amount, 2),
            corrected=amount_words(corrected, 2),
        ),
        deferred(
            gettext_lazy(
                "An officer of %(unit)s corrected your payment of %(amount)s made on %(date)s to %(corrected)s, "
                "for this reason:\n\n%(reason)s"
            ),
            unit=unit.name,
            amount=amount_words(payment.amount, 2),
            date=date_words(payment.paid_on, "DATE_FORMAT"),
            corrected=amount_words(corrected, 2),
            reason=reason,
        ),
    )
    notices_settle(organisation=unit.organisation, member_ids=[member.pk], actor=actor)
    return adjustment


@transaction.atomic
def dues_refund_record(
    *, officer: Member, member: Member, amount: str | Decimal, refunded_on: date, reason: str
) -> DuesAdjustment:
    """Record money paid back to ``member`` (more than 0, at most what they have paid in all), on the day
    it was paid back, for a reason. It takes that much from their total paid."""
    member, unit = _current(member)
    officer_check(officer=officer, unit=unit)
    reason = reason_read(
        reason, _("give the reason for the refund: it is shown to the member and kept on the log")
    )
    value = amount_read(amount)
    paid_on_check(refunded_on, timezone.localdate())
    # Refunds of one member are recorded one at a time, so that two cannot both pass the check below.
    Member.objects.select_for_update().filter(pk=member.pk).exists()
    net = _net_paid(member)
    if value > net:
        raise DuesInvalid(
            _("a refund is at most what member %(number)s has paid in all (%(paid)s)")
            % {"number": member.number, "paid": net}
        )
    adjustment = DuesAdjustment.objects.create(
        organisation_id=member.organisation_id,
        member=member,
        kind=AdjustmentKind.REFUND,
        change=-value,
        made_on=refunded_on,
        reason=reason,
        recorded_by=officer,
        recorded_at=timezone.now(),
    )
    actor = officer_actor(officer, unit)
    log_entry_record(
        organisation=unit.organisation,
        action="dues.refund_recorded",
        body_id=unit.pk,
        actor=actor,
        summary=f"Refund of {value} to member {member.number} on {refunded_on:%Y-%m-%d} recorded in "
        f"{unit.name}: {reason}",
        payload={
            "member": member.number,
            "amount": str(value),
            "refunded_on": refunded_on.isoformat(),
            "reason": reason,
            "recorded_by": officer.number,
        },
    )
    _notify(
        member,
        deferred(gettext_lazy("A refund of %(amount)s to you is recorded"), amount=amount_words(value, 2)),
        deferred(
            gettext_lazy(
                "An officer of %(unit)s recorded a refund of %(amount)s paid to you on %(date)s, for this "
                "reason:\n\n%(reason)s"
            ),
            unit=unit.name,
            amount=amount_words(value, 2),
            date=date_words(refunded_on, "DATE_FORMAT"),
            reason=reason,
        ),
    )
    notices_settle(organisation=unit.organisation, member_ids=[member.pk], actor=actor)
    return adjustment
