"""Decisions an executive records, each under one of the powers its charter delegates."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
        raise NotEntitled(
            _("no executive holds the power %(power)s: %(reason)s") % {"power": repr(power), "reason": reason}
        )
    if executive.status != ExecutiveStatus.ACTIVE:
        raise GovernanceConflict(
            _("%(executive)s is not an established executive; it can decide nothing")
            % {"executive": executive.name}
        )
    if not ExecutiveSeat.objects.filter(executive=executive, member=member, ended_at__isnull=True).exists():
        raise NotEntitled(
            _("only members of %(executive)s may record its decisions") % {"executive": executive.name}
        )
    if power not in executive.powers:
        raise NotEntitled(
            _("%(executive)s has no power %(power)s: %(executive2)s delegated only %(executive3)s")
            % {
                "executive": executive.name,
                "power": repr(power),
                "executive2": executive.council.name,
                "executive3": ", ".join(executive.powers),
            }
        )
    # A charter outlives the constitution it was adopted under: a power the list no longer holds is unusable.
    reason = power_not_delegable_reason(
        power, constitution_rules(executive.organisation_id).executives.delegable_powers
    )
    if reason is not None:
        raise NotEntitled(
            _("no executive may use the power %(power)s: %(reason)s")
            % {"power": repr(power), "reason": reason}
        )
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise GovernanceError(_("a decision needs a title and a text"))
    reversed_before = reversal_binding(executive, power, text)
    if reversed_before is not None:
        raise NotEntitled(
            _(
                "%(executive)s reversed this decision: decision %(reversed_before_id)s of %(reversed_before)s, “%(reversed_before2)s”, under the power to %(power_words)s, reversed by motion %(reversed_before3)s. Its reversal binds: %(executive2)s cannot take it again, or one to the same effect, without the council's consent (a motion of the council adopting it)"
            )
            % {
                "executive": executive.council.name,
                "reversed_before_id": reversed_before.pk,
                "reversed_before": reversed_before.executive.name,
                "reversed_before2": reversed_before.title,
                "power_words": power_words(power),
                "reversed_before3": reversed_before.reversed_by_id,
                "executive2": executive.name,
            }
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
