"""Strike pay: a member who took part in a call claims for the days they were out; an executive holding
the delegated power to pay strike pay, whose council's reach covers the member's unit, approves (as its
recorded decision, which the council may call in) and pays it. Nobody decides or pays their own claim."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.actions.errors import ActionConflict, ActionError, NotAuthorised
from commune.actions.models import ActionCall, ClaimStatus, Participation, StrikePayClaim
from commune.actions.selectors import shift_attendance
from commune.actions.services.calls import within
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Member
from commune.governance.errors import GovernanceError
from commune.governance.models import DecisionStatus, Executive, ExecutiveSeat, ExecutiveStatus
from commune.governance.services import executive_decision_record

PAY_POWER = "pay-strike-pay"
MAX_AMOUNT = Decimal("100000")


@transaction.atomic
def strike_pay_claim(
    *, call: ActionCall, member: Member, days: Sequence[date], actor: Actor = SYSTEM
) -> StrikePayClaim:
    """Claim strike pay for days of the call on which the member's unit officer reported them taking part
    or their attendance at one of its shifts was recorded. The attendance is cited on the claim for each
    day it stands behind; a day claimed without it is marked so (``days_without_attendance``)."""
    call = ActionCall.objects.select_for_update().select_related("reach", "organisation").get(pk=call.pk)
    unit = member.current_unit
    if unit is None or member.organisation_id != call.organisation_id or not within(unit, call.reach):
        raise NotAuthorised(_("the call “%(call)s” does not reach your unit") % {"call": call.title})
    wanted = sorted(set(days))
    if not wanted:
        raise ActionError(_("name the days you claim for"))
    reported = set(Participation.objects.filter(call=call, member=member).values_list("day", flat=True))
    attended = shift_attendance(call=call, member=member)
    missing = [d for d in wanted if d not in reported and d not in attended]
    if missing:
        raise NotAuthorised(
            _(
                "strike pay is claimed only for days an officer of your unit reported you taking part, or your attendance at a shift of the action was recorded; neither for: %(days)s"
            )
            % {"days": ", ".join(d.isoformat() for d in missing)}
        )
    claimed = {
        d
        for days_json in StrikePayClaim.objects.filter(call=call, member=member)
        .exclude(status=ClaimStatus.REFUSED)
        .values_list("days", flat=True)
        for d in days_json
    }
    twice = [d.isoformat() for d in wanted if d.isoformat() in claimed]
    if twice:
        raise ActionConflict(_("already claimed: %(twice)s") % {"twice": ", ".join(twice)})
    claim = StrikePayClaim.objects.create(
        call=call,
        member=member,
        unit=unit,
        days=[d.isoformat() for d in wanted],
        attendance={d.isoformat(): attended[d] for d in wanted if d in attended},
        claimed_at=timezone.now(),
    )
    unattended = claim.days_without_attendance
    log_entry_record(
        organisation=call.organisation,
        action="strike_pay.claimed",
        body_id=unit.pk,
        actor=actor,
        summary=f"{member.number} of {unit.name} claimed strike pay for {len(wanted)} day"
        f"{'s' if len(wanted) != 1 else ''} of “{call.title}”"
        + (f", {len(unattended)} without a recorded shift attendance" if unattended else ""),
        payload={
            "claim": claim.pk,
            "call": call.pk,
            "member": member.number,
            "days": claim.days,
            "attendance": claim.attendance,
            "without_attendance": unattended,
        },
    )
    return claim


def _paying_member(executive: Executive, member: Member, claim: StrikePayClaim) -> None:
    if member.pk == claim.member_id:
        raise NotAuthorised(_("nobody approves, refuses or pays their own strike pay"))
    if executive.status != ExecutiveStatus.ACTIVE:
        raise NotAuthorised(
            _("%(executive)s is not an established executive") % {"executive": executive.name}
        )
    if PAY_POWER not in executive.powers:
        raise NotAuthorised(
            _("%(executive)s holds no power to pay strike pay") % {"executive": executive.name}
        )
    if not within(claim.unit, executive.council):
        raise NotAuthorised(
            _("%(executive)s pays strike pay within %(council)s; %(unit)s is not within it")
            % {"executive": executive.name, "council": executive.council.name, "unit": claim.unit.name}
        )
    if not ExecutiveSeat.objects.filter(executive=executive, member=member, ended_at__isnull=True).exists():
        raise NotAuthorised(_("only members of %(executive)s act for it") % {"executive": executive.name})


def _locked(claim: StrikePayClaim) -> StrikePayClaim:
    return (
        StrikePayClaim.objects.select_for_update(of=("self",))
        .select_related("call__organisation", "unit", "member", "executive__council", "approval")
        .get(pk=claim.pk)
    )


@transaction.atomic
def strike_pay_decide(
    *,
    claim: StrikePayClaim,
    executive: Executive,
    member: Member,
    amount: Decimal | None = None,
    refusal: str = "",
    actor: Actor = SYSTEM,
) -> StrikePayClaim:
    """Approve a claim for ``amount`` (or, with ``refusal``, refuse it), as a decision of ``executive``
    under its delegated power to pay strike pay, taken by one of its members who is not the claimant."""
    claim = _locked(claim)
    executive = Executive.objects.select_related("council").get(pk=executive.pk)
    _paying_member(executive, member, claim)
    if claim.status != ClaimStatus.CLAIMED:
        raise ActionConflict(
            _("this claim is already %(status)s") % {"status": claim.get_status_display().lower()}
        )
    refusal = refusal.strip()
    if refusal:
        amount = None
        text = f"Claim {claim.pk} of member {claim.member.number} ({claim.unit.name}) for {', '.join(claim.days)} "
        text += f"is refused: {refusal}"
    else:
        if (
            amount is None
            or not amount.is_finite()
            or not Decimal(0) < amount <= MAX_AMOUNT
            or amount != amount.quantize(Decimal("0.01"))
        ):
            raise ActionError(_("the amount is a positive sum in pounds and pence (at most 100000.00)"))
        text = f"Claim {claim.pk} of member {claim.member.number} ({claim.unit.name}) for {', '.join(claim.days)} "
        text += f"is approved: {amount} from the strike fund for “{claim.call.title}”."
    try:
        decision = executive_decision_record(
            executive=executive,
            member=member,
            power=PAY_POWER,
            title=f"Strike pay claim {claim.pk}: {'refused' if refusal else 'approved'}",
            text=text,
            actor=actor,
        )
    except GovernanceError as exc:
        raise NotAuthorised(str(exc)) from exc
    claim.status = ClaimStatus.REFUSED if refusal else ClaimStatus.APPROVED
    claim.executive, claim.approved_by, claim.approval = executive, member, decision
    claim.amount, claim.refusal_reason = amount, refusal
    claim.save(update_fields=["status", "executive", "approved_by", "approval", "amount", "refusal_reason"])
    log_entry_record(
        organisation=claim.call.organisation,
        action="strike_pay.refused" if refusal else "strike_pay.approved",
        body_id=executive.council_id,
        actor=actor,
        summary=f"{executive.name} {'refused' if refusal else f'approved {amount} for'} strike pay claim "
        f"{claim.pk} of {claim.member.number}",
        payload={
            "claim": claim.pk,
            "executive": executive.code,
            "decision": decision.pk,
            "member": member.number,
            "amount": str(amount) if amount is not None else None,
            "refusal": refusal,
            "call": claim.call_id,
            "established_by_motion": executive.motion_id,
        },
    )
    return claim


@transaction.atomic
def strike_pay_pay(
    *, claim: StrikePayClaim, member: Member, reference: str, actor: Actor = SYSTEM
) -> StrikePayClaim:
    """Record an approved claim as paid from the strike fund, by a member of the executive that approved
    it (never the claimant), while its approval stands (not called in or reversed by the council)."""
    claim = _locked(claim)
    if claim.status != ClaimStatus.APPROVED or claim.executive is None or claim.approval is None:
        raise ActionConflict(
            _("only an approved claim is paid; this one is %(status)s")
            % {"status": claim.get_status_display().lower()}
        )
    _paying_member(claim.executive, member, claim)
    if claim.approval.status != DecisionStatus.STANDING:
        raise ActionConflict(
            _("%(council)s has %(status)s the approval; it cannot be paid")
            % {"council": claim.executive.council.name, "status": claim.approval.get_status_display().lower()}
        )
    reference = reference.strip()
    if not reference:
        raise ActionError(
            _("give the payment's reference (the bank transfer or cheque), so the fund can be audited")
        )
    claim.status, claim.paid_by, claim.paid_at = ClaimStatus.PAID, member, timezone.now()
    claim.payment_reference = reference[:120]
    claim.save(update_fields=["status", "paid_by", "paid_at", "payment_reference"])
    log_entry_record(
        organisation=claim.call.organisation,
        action="strike_pay.paid",
        body_id=claim.executive.council_id,
        actor=actor,
        summary=f"{claim.executive.name} paid {claim.amount} strike pay to {claim.member.number} of "
        f"{claim.unit.name} (claim {claim.pk})",
        payload={
            "claim": claim.pk,
            "amount": str(claim.amount),
            "reference": claim.payment_reference,
            "member": member.number,
            "approved_by_decision": claim.approval_id,
            "executive": claim.executive.code,
        },
    )
    return claim
