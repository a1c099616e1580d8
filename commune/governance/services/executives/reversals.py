"""Reversals: a decision the council reversed binds its executives until the council consents to it
being taken again."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Member
from commune.governance.errors import GovernanceConflict, GovernanceError
from commune.governance.models import DecisionStatus, Executive, ExecutiveDecision
from commune.governance.powers import power_words
from commune.governance.services.executives.charters import require_delegate
from commune.motions.models import MotionStatus
from commune.motions.services import motion_move


def decision_effect(text: str) -> str:
    """A decision's text folded for comparison: case, punctuation and spacing do not change what it does.
    Two decisions with the same folded text under the same power are taken to have the same effect; a
    rewording that changes the words is not caught by this, only by the council calling it in again."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def reversal_binding(executive: Executive, power: str, text: str) -> ExecutiveDecision | None:
    """The council's reversal this decision would take again: a decision of any of the council's executives,
    reversed by it, under the same power and to the same effect, that the council has not consented to
    being taken again."""
    effect = decision_effect(text)
    reversed_before = (
        ExecutiveDecision.objects.filter(
            executive__council_id=executive.council_id, power=power, status=DecisionStatus.REVERSED
        )
        .exclude(retake_motion__status=MotionStatus.ADOPTED)
        .select_related("executive", "reversed_by")
    )
    return next((d for d in reversed_before if decision_effect(d.text) == effect), None)


@transaction.atomic
def decision_retake_consent_propose(
    *, decision: ExecutiveDecision, member: Member, reason: str, actor: Actor = SYSTEM
) -> ExecutiveDecision:
    """A delegate of the council moves a motion consenting to a decision it reversed being taken again.
    The reversal binds its executives until the council adopts that motion."""
    decision = (
        ExecutiveDecision.objects.select_for_update(of=("self",))
        .select_related("executive__council__organisation", "retake_motion")
        .get(pk=decision.pk)
    )
    council = decision.executive.council
    require_delegate(member, council, "consent to a decision it reversed being taken again")
    if decision.status != DecisionStatus.REVERSED:
        raise GovernanceConflict(
            _("%(council)s has not reversed this decision; nothing binds its executives")
            % {"council": council.name}
        )
    consent = decision.retake_motion
    if consent is not None and consent.status in (
        MotionStatus.PROPOSED,
        MotionStatus.ON_AGENDA,
        MotionStatus.ADOPTED,
    ):
        raise GovernanceConflict(
            _(
                "motion %(consent_id)s to consent to this decision being taken again is already before %(council)s or adopted"
            )
            % {"consent_id": consent.pk, "council": council.name}
        )
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_("say why the council should let the decision be taken again"))
    motion = motion_move(
        body=council,
        member=member,
        title=f"Let “{decision.title}” ({decision.executive.name}) be taken again"[:200],
        text=f"This council consents to its executives taking again decision {decision.pk} of "
        f"{decision.executive.name}, under the power to {power_words(decision.power)}: “{decision.title}”, "
        f"which it reversed by motion {decision.reversed_by_id}.\n{reason}",
        actor=actor,
    )
    decision.retake_motion = motion
    decision.save(update_fields=["retake_motion"])
    log_entry_record(
        organisation=council.organisation,
        action="executive_decision.retake_proposed",
        body_id=council.pk,
        actor=actor,
        summary=f"Motion {motion.pk} before {council.name} to let “{decision.title}” of "
        f"{decision.executive.name} be taken again",
        payload={"decision": decision.pk, "motion": motion.pk, "reversed_by_motion": decision.reversed_by_id},
    )
    return decision
