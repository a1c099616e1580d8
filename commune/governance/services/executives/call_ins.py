"""Call-ins: the council's delegates call an executive decision in; at the threshold it becomes a motion
of the council to reverse it, and the council's vote settles it."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.capture import power_rows_note, power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.electorate import electorate_digest
from commune.federation.models import Body, Delegation, Member
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import (
    CallIn,
    CallInElector,
    CallInSignature,
    CallInStatus,
    DecisionStatus,
    ExecutiveDecision,
)
from commune.governance.powers import power_words
from commune.governance.services.executives.charters import require_delegate
from commune.motions.models import Motion, MotionStatus
from commune.motions.services import constitution_rules, motion_move_on_signatures


def call_in_threshold(*, council: Body) -> int:
    """Delegates' signatures that put an executive decision to the council: the constitution's share of
    the seated delegates, rounded up, and never fewer than a motion needs to reach the agenda (its mover
    and the supporters the constitution asks for), so a call-in that meets it is on the agenda at once."""
    rules = constitution_rules(council.organisation_id)
    seated = Delegation.objects.filter(council=council, ended_at__isnull=True).count()
    share = math.ceil(Decimal(seated) * rules.executives.call_in_percent / 100)
    return max(1, share, rules.decisions.motion_supporters + 1)


def _call_in_to_council(call_in: CallIn, actor: Actor) -> None:
    decision = call_in.decision
    signers = [s.member for s in call_in.signatures.select_related("member__current_unit", "member__person")]
    # The signers were entitled when the call-in opened; one whose seat has ended since still counts.
    motion = motion_move_on_signatures(
        body=call_in.council,
        signers=signers,
        title=f"Reverse “{decision.title}” ({decision.executive.name})"[:200],
        text=f"This council reverses decision {decision.pk} of {decision.executive.name}, taken under its "
        f"power to {power_words(decision.power)}: “{decision.title}”.\nCalled in by {len(signers)} delegates: "
        f"{call_in.reason}",
        actor=actor,
    )
    call_in.motion, call_in.status = motion, CallInStatus.BEFORE_COUNCIL
    call_in.save(update_fields=["motion", "status"])
    power_rows_note(ExecutiveDecision.objects.filter(pk=decision.pk))
    ExecutiveDecision.objects.filter(pk=decision.pk).update(status=DecisionStatus.CALLED_IN)
    log_entry_record(
        organisation=call_in.council.organisation,
        action="executive_decision.called_in",
        body_id=call_in.council_id,
        actor=actor,
        summary=f"{len(signers)} delegates of {call_in.council.name} called in “{decision.title}” of "
        f"{decision.executive.name}: motion {motion.pk} to reverse it",
        payload={
            "decision": decision.pk,
            "call_in": call_in.pk,
            "motion": motion.pk,
            "signers": [m.number for m in signers],
            "threshold": call_in.threshold,
        },
    )


@transaction.atomic
def call_in_open(
    *, decision: ExecutiveDecision, member: Member, reason: str, actor: Actor = SYSTEM
) -> CallIn:
    """A delegate of the executive's council calls a decision in. At the constitution's threshold of the
    council's delegates it becomes a motion of the council to reverse it."""
    decision = (
        ExecutiveDecision.objects.select_for_update(of=("self",))
        .select_related("executive__council__organisation")
        .get(pk=decision.pk)
    )
    council = decision.executive.council
    require_delegate(member, council, "call in its executives' decisions")
    if decision.status == DecisionStatus.REVERSED:
        raise GovernanceConflict(_("this decision has already been reversed"))
    if CallIn.objects.filter(
        decision=decision, status__in=[CallInStatus.GATHERING, CallInStatus.BEFORE_COUNCIL]
    ).exists():
        raise GovernanceConflict(_("this decision has already been called in; sign that call-in instead"))
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_("say why the decision is called in"))
    call_in = CallIn.objects.create(
        decision=decision,
        council=council,
        opened_by=member,
        opened_at=timezone.now(),
        reason=reason,
        threshold=call_in_threshold(council=council),
    )
    # Who may sign is fixed now: the delegates seated on the council at this moment.
    electors = sorted(
        set(
            Delegation.objects.filter(council=council, ended_at__isnull=True).values_list(
                "member_id", flat=True
            )
        )
    )
    power_rows_saved(
        CallInElector.objects.bulk_create([CallInElector(call_in=call_in, member_id=mid) for mid in electors])
    )
    CallInSignature.objects.create(call_in=call_in, member=member, signed_at=call_in.opened_at)
    log_entry_record(
        organisation=council.organisation,
        action="executive_decision.call_in_opened",
        body_id=council.pk,
        actor=actor,
        summary=f"Delegate {member.number} calls in “{decision.title}” of {decision.executive.name} "
        f"(1 of {call_in.threshold} needed)",
        payload={
            "decision": decision.pk,
            "call_in": call_in.pk,
            "threshold": call_in.threshold,
            "electorate": len(electors),
            "electorate_digest": electorate_digest(electors),
        },
    )
    if call_in.threshold <= 1:
        _call_in_to_council(call_in, actor)
    return call_in


@transaction.atomic
def call_in_sign(*, call_in: CallIn, member: Member, actor: Actor = SYSTEM) -> CallIn:
    """Another delegate of the council signs a call-in; the signature that reaches the threshold puts it
    to the council."""
    call_in = (
        CallIn.objects.select_for_update(of=("self",))
        .select_related("council__organisation", "decision__executive")
        .get(pk=call_in.pk)
    )
    if not CallInElector.objects.filter(call_in=call_in, member=member).exists():
        raise NotEntitled(
            _("only the delegates seated on %(call_in)s when this call-in opened may sign it")
            % {"call_in": call_in.council.name}
        )
    if call_in.status != CallInStatus.GATHERING:
        raise GovernanceConflict(_("this call-in is already before the council or settled"))
    try:
        with transaction.atomic():
            CallInSignature.objects.create(call_in=call_in, member=member, signed_at=timezone.now())
    except IntegrityError as exc:
        raise GovernanceConflict(_("you have already signed this call-in")) from exc
    if call_in.signatures.count() >= call_in.threshold:
        _call_in_to_council(call_in, actor)
    return call_in


@transaction.atomic
def call_in_settle(*, call_in: CallIn, actor: Actor = SYSTEM) -> CallIn:
    """Apply the council's vote on a call-in: adopted, the decision is reversed; not carried, it stands."""
    call_in = (
        CallIn.objects.select_for_update(of=("self",))
        .select_related("council__organisation", "decision__executive", "motion")
        .get(pk=call_in.pk)
    )
    if call_in.status in (CallInStatus.REVERSED, CallInStatus.UPHELD):
        return call_in
    motion: Motion | None = call_in.motion
    if motion is None or motion.status not in (MotionStatus.ADOPTED, MotionStatus.REJECTED):
        raise GovernanceConflict(
            _("%(call_in)s has not yet voted on this call-in") % {"call_in": call_in.council.name}
        )
    now = timezone.now()
    decision = ExecutiveDecision.objects.select_for_update().get(pk=call_in.decision_id)
    call_in.settled_at = now
    if motion.status == MotionStatus.ADOPTED:
        call_in.status = CallInStatus.REVERSED
        decision.status, decision.reversed_at, decision.reversed_by = DecisionStatus.REVERSED, now, motion
        decision.save(update_fields=["status", "reversed_at", "reversed_by"])
        log_entry_record(
            organisation=call_in.council.organisation,
            action="executive_decision.reversed",
            body_id=call_in.council_id,
            actor=actor,
            summary=f"{call_in.council.name} reversed “{decision.title}” of {call_in.decision.executive.name} "
            f"(motion {motion.pk})",
            payload={
                "decision": decision.pk,
                "call_in": call_in.pk,
                "motion": motion.pk,
                "adopted_by_vote": motion.adopted_by_id,
            },
        )
    else:
        call_in.status = CallInStatus.UPHELD
        decision.status = DecisionStatus.STANDING
        decision.save(update_fields=["status"])
        log_entry_record(
            organisation=call_in.council.organisation,
            action="executive_decision.upheld",
            body_id=call_in.council_id,
            actor=actor,
            summary=f"{call_in.council.name} let “{decision.title}” stand (motion {motion.pk} not carried)",
            payload={"decision": decision.pk, "call_in": call_in.pk, "motion": motion.pk},
        )
    call_in.save(update_fields=["status", "settled_at"])
    return call_in
