"""Whether a structural change's decision stands: the council adopted its motion, or (where the
constitution required it when the change was moved) the members within the council's reach carried it by
referendum. The federation asks this before any structural write (``structural_decision_require``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from commune.motions.models import MotionStatus, Referral, ReferralKind
from commune.structure.errors import StructureConflict
from commune.structure.models import ChangeStatus, StructuralChange


@dataclass(frozen=True)
class Decision:
    """How a change was decided: ``carried`` (or why not), and the vote or referral that decided it."""

    carried: bool
    why: str
    vote_id: int | None = None
    referral_id: int | None = None


def change_decision(change: StructuralChange) -> Decision:
    """The decision on ``change``'s motion; ``StructureConflict`` while it is not yet decided."""
    motion = change.motion
    if motion.status in (MotionStatus.PROPOSED, MotionStatus.ON_AGENDA):
        raise StructureConflict(
            _("%(council)s has not yet decided motion %(motion)s: nothing structural happens before it does")
            % {"council": change.council.name, "motion": motion.pk}
        )
    if motion.status == MotionStatus.REJECTED:
        return Decision(
            False, f"{change.council.name} did not carry motion {motion.pk}", motion.adopted_by_id
        )
    if motion.status == MotionStatus.REFERRED:
        referral = Referral.objects.filter(motion=motion).order_by("-opened_at", "-pk").first()
        if referral is None or referral.closed_at is None:
            raise StructureConflict(
                _("the members have not yet decided motion %(motion)s, referred to them")
                % {"motion": motion.pk}
            )
        if change.referendum_required and referral.kind != ReferralKind.REFERENDUM:
            return Decision(
                False,
                "the constitution requires a referendum, and the question went to the assemblies instead",
                referral_id=referral.pk,
            )
        if not referral.carried:
            return Decision(False, f"the members did not carry motion {motion.pk}", referral_id=referral.pk)
        # Why a change carried is written to the log, so it is kept in the source language whatever the
        # language of the request that applied it.
        with translation.override(settings.LANGUAGE_CODE):
            kind = referral.get_kind_display()
        return Decision(True, f"carried by the members ({kind})", referral_id=referral.pk)
    # Adopted by the council's own vote.
    if change.referendum_required:
        return Decision(
            False,
            "the constitution requires a referendum of the members for a structural change: the council's "
            "own vote does not make it",
            motion.adopted_by_id,
        )
    return Decision(True, f"adopted by {change.council.name}", motion.adopted_by_id)


def structural_decision_standing(organisation_id: int, decision_id: int) -> str | None:
    """Why structural change ``decision_id`` gives no power to change the organisation's shape now, or
    None when it does: it is this organisation's, not applied yet, and its decision carried. Installed as
    the federation's check (``StructureConfig.ready``)."""
    change = (
        StructuralChange.objects.filter(pk=decision_id, organisation_id=organisation_id)
        .select_related("motion", "council")
        .first()
    )
    if change is None:
        return _("there is no structural change #%(number)s of this organisation") % {"number": decision_id}
    if change.status != ChangeStatus.PROPOSED:
        return _("structural change #%(number)s is %(status)s: its decision is spent") % {
            "number": decision_id,
            "status": change.get_status_display().lower(),
        }
    try:
        decision = change_decision(change)
    except StructureConflict as exc:
        return str(exc)
    return None if decision.carried else decision.why
