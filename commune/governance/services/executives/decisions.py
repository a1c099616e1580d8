"""Decisions an executive records, each under one of the powers its charter delegates."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Member
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import Executive, ExecutiveDecision, ExecutiveSeat, ExecutiveStatus
from commune.governance.powers import power_not_delegable_reason, power_reserved_reason, power_words
from commune.governance.services.executives.reversals import reversal_binding
from commune.motions.services import constitution_rules


@transaction.atomic
def executive_decision_record(
    *,
    executive: Executive,
    member: Member,
    power: str,
    title: str,
    text: str,
    actor: Actor = SYSTEM,
) -> ExecutiveDecision:
    """Record a decision of an executive, taken by one of its members under one of its powers. A reserved
    power, or one the council did not delegate, is refused and nothing is recorded."""
    executive = Executive.objects.select_related("council__organisation").get(pk=executive.pk)
    power = power.strip().lower()
    reason = power_reserved_reason(power)
    if reason is not None:
        raise NotEntitled(f"no executive holds the power {power!r}: {reason}")
    if executive.status != ExecutiveStatus.ACTIVE:
        raise GovernanceConflict(f"{executive.name} is not an established executive; it can decide nothing")
    if not ExecutiveSeat.objects.filter(executive=executive, member=member, ended_at__isnull=True).exists():
        raise NotEntitled(f"only members of {executive.name} may record its decisions")
    if power not in executive.powers:
        raise NotEntitled(
            f"{executive.name} has no power {power!r}: {executive.council.name} delegated only "
            f"{', '.join(executive.powers)}"
        )
    # A charter outlives the constitution it was adopted under: a power the list no longer holds is unusable.
    reason = power_not_delegable_reason(
        power, constitution_rules(executive.organisation_id).executives.delegable_powers
    )
    if reason is not None:
        raise NotEntitled(f"no executive may use the power {power!r}: {reason}")
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise GovernanceError("a decision needs a title and a text")
    reversed_before = reversal_binding(executive, power, text)
    if reversed_before is not None:
        raise NotEntitled(
            f"{executive.council.name} reversed this decision: decision {reversed_before.pk} of "
            f"{reversed_before.executive.name}, “{reversed_before.title}”, under the power to "
            f"{power_words(power)}, reversed by motion {reversed_before.reversed_by_id}. Its reversal binds: "
            f"{executive.name} cannot take it again, or one to the same effect, without the council's consent"
            " (a motion of the council adopting it)"
        )
    decision = ExecutiveDecision.objects.create(
        executive=executive,
        power=power,
        title=title[:200],
        text=text,
        decided_by=member,
        decided_at=timezone.now(),
    )
    log_entry_record(
        organisation=executive.council.organisation,
        action="executive.decided",
        body_id=executive.council_id,
        actor=actor,
        summary=f"{executive.name} decided “{decision.title}” under its power to {power_words(power)}",
        payload={
            "executive": executive.code,
            "decision": decision.pk,
            "power": power,
            "member": member.number,
            "text": text,
            "established_by_motion": executive.motion_id,
        },
    )
    return decision
