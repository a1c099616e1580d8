"""Executives: created by a council's motion, acting within its stated powers, called in, dissolved.

There is no other way to create an executive than ``executive_propose`` (a motion of the council, moved
by one of its delegates) followed by the council adopting it. An executive cannot propose one: proposing
needs a seat on the council, and "create-bodies" is a reserved power no charter may grant.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from commune.audit.capture import power_rows_note, power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.electorate import electorate_digest
from commune.federation.models import Body, BodyKind, Delegation, Member
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import (
    CallIn,
    CallInElector,
    CallInSignature,
    CallInStatus,
    DecisionStatus,
    Executive,
    ExecutiveDecision,
    ExecutiveKind,
    ExecutiveSeat,
    ExecutiveStatus,
)
from commune.governance.powers import (
    POWER_NAME,
    power_not_delegable_reason,
    power_reserved_reason,
    power_words,
    powers_words,
)
from commune.motions.errors import MotionError
from commune.motions.models import Motion, MotionStatus
from commune.motions.services import (
    constitution_rules,
    member_sits_in,
    motion_move,
    motion_move_on_signatures,
)

MAX_POWERS = 30


def _require_delegate(member: Member, council: Body, doing: str) -> None:
    if council.kind != BodyKind.COUNCIL:
        raise GovernanceError(
            f"only a council can {doing}; {council.name} is a unit (a unit's assembly may move a motion "
            f"asking its council to do it)"
        )
    if not member_sits_in(member, council):
        raise NotEntitled(f"only delegates seated on {council.name} may {doing}")


def _check_powers(powers: Sequence[str], *, council: Body) -> list[str]:
    cleaned = [p.strip().lower() for p in powers]
    if not cleaned:
        raise GovernanceError("a council's motion must state the powers it delegates (at least one)")
    if len(cleaned) > MAX_POWERS:
        raise GovernanceError(f"at most {MAX_POWERS} powers may be delegated to one body")
    delegable = constitution_rules(council.organisation_id).executives.delegable_powers
    for power in cleaned:
        reason = power_reserved_reason(power)
        if reason is not None:
            raise NotEntitled(f"no council can delegate the power {power!r}: {reason}")
        if not POWER_NAME.match(power):
            raise GovernanceError(
                f"{power!r} is not a power name: use lower-case words joined by hyphens, e.g. 'book-venues'"
            )
        reason = power_not_delegable_reason(power, delegable)
        if reason is not None:
            raise NotEntitled(f"no council can delegate the power {power!r}: {reason}")
    if len(set(cleaned)) != len(cleaned):
        raise GovernanceError("each power is stated once")
    return cleaned


def _charter_text(
    *, kind: str, name: str, code: str, remit: str, powers: list[str], members: list[Member]
) -> str:
    sitting = ", ".join(f"{m.person.name} ({m.number})" for m in members) or "nobody yet"
    return (
        f"This council establishes the {ExecutiveKind(kind).label.lower()} {name} ({code}), answerable to it.\n"
        f"Remit: {remit or '(none stated)'}\n"
        f"Powers delegated: {powers_words(powers)}.\n"
        f"Members: {sitting}.\n"
        "It acts only within these powers; this council may call in and reverse any of its decisions and "
        "may dissolve it."
    )


@transaction.atomic
def executive_propose(
    *,
    council: Body,
    member: Member,
    kind: str,
    code: str,
    name: str,
    powers: Sequence[str],
    members: Sequence[Member] = (),
    remit: str = "",
    actor: Actor = SYSTEM,
) -> Executive:
    """Move a motion in ``council`` to establish an executive with these powers and members. It exists
    (``executive_settle``) only once the council adopts the motion. ``member`` must be a delegate on it."""
    _require_delegate(member, council, "create an executive, commission or officers' body")
    if kind not in ExecutiveKind.values:
        raise GovernanceError(f"the kind is one of {', '.join(ExecutiveKind.values)}, not {kind!r}")
    checked_powers = _check_powers(powers, council=council)
    code, name = code.strip().upper(), name.strip()
    if not code or not name:
        raise GovernanceError("an executive needs a code and a name")
    if Executive.objects.filter(organisation_id=council.organisation_id, code=code).exists():
        raise GovernanceConflict(f"the code {code} is already used by an executive of this organisation")
    sitting = list(members)
    for person in sitting:
        unit = person.current_unit
        if (
            person.organisation_id != council.organisation_id
            or unit is None
            or not unit.path.startswith(council.path)
        ):
            raise GovernanceError(
                f"member {person.number} is not a member within {council.name}; its executives are drawn "
                "from its own members"
            )
    if len({m.pk for m in sitting}) != len(sitting):
        raise GovernanceError("each member is named once")
    try:
        motion = motion_move(
            body=council,
            member=member,
            title=f"Establish the {ExecutiveKind(kind).label.lower()} {name}"[:200],
            text=_charter_text(
                kind=kind, name=name, code=code, remit=remit.strip(), powers=checked_powers, members=sitting
            ),
            actor=actor,
        )
    except MotionError as exc:
        raise GovernanceError(str(exc)) from exc
    executive = Executive.objects.create(
        organisation_id=council.organisation_id,
        council=council,
        kind=kind,
        code=code,
        name=name,
        remit=remit.strip(),
        powers=checked_powers,
        proposed_members=[m.number for m in sitting],
        motion=motion,
    )
    log_entry_record(
        organisation=council.organisation,
        action="executive.proposed",
        body_id=council.pk,
        actor=actor,
        summary=f"Motion {motion.pk} before {council.name} to establish {name} ({code}) with the powers "
        f"{powers_words(checked_powers)}",
        payload={
            "executive": code,
            "motion": motion.pk,
            "powers": checked_powers,
            "members": [m.number for m in sitting],
        },
    )
    return executive


@transaction.atomic
def executive_dissolution_propose(
    *, executive: Executive, member: Member, actor: Actor = SYSTEM
) -> Executive:
    """Move a motion in the executive's council to dissolve it; it ends when the council adopts it."""
    executive = (
        Executive.objects.select_for_update(of=("self",))
        .select_related("council__organisation")
        .get(pk=executive.pk)
    )
    _require_delegate(member, executive.council, "dissolve its executives")
    if executive.status != ExecutiveStatus.ACTIVE:
        raise GovernanceConflict(f"{executive.name} is not an established executive")
    if executive.dissolution_motion is not None and executive.dissolution_motion.status in (
        MotionStatus.PROPOSED,
        MotionStatus.ON_AGENDA,
    ):
        raise GovernanceConflict(f"a motion to dissolve {executive.name} is already before the council")
    motion = motion_move(
        body=executive.council,
        member=member,
        title=f"Dissolve {executive.name}"[:200],
        text=f"This council dissolves {executive.name} ({executive.code}). Its members' seats end and its "
        "powers return to the council.",
        actor=actor,
    )
    executive.dissolution_motion = motion
    executive.save(update_fields=["dissolution_motion"])
    log_entry_record(
        organisation=executive.council.organisation,
        action="executive.dissolution_proposed",
        body_id=executive.council_id,
        actor=actor,
        summary=f"Motion {motion.pk} before {executive.council.name} to dissolve {executive.name}",
        payload={"executive": executive.code, "motion": motion.pk},
    )
    return executive


@transaction.atomic
def executive_settle(*, executive: Executive, actor: Actor = SYSTEM) -> Executive:
    """Apply the council's decision on an executive: establish it (seating the members its motion named)
    once the council adopted the establishing motion; dissolve it once the council adopted the
    dissolution. Anyone may ask; it only carries out what the council voted."""
    executive = (
        Executive.objects.select_for_update(of=("self",))
        .select_related("council__organisation", "motion", "dissolution_motion")
        .get(pk=executive.pk)
    )
    now = timezone.now()
    org = executive.council.organisation
    if executive.status == ExecutiveStatus.PROPOSED:
        decided = executive.motion.status
        if decided not in (MotionStatus.ADOPTED, MotionStatus.REJECTED):
            raise GovernanceConflict(
                f"{executive.council.name} has not yet decided motion {executive.motion_id}"
            )
        if decided == MotionStatus.REJECTED:
            executive.status = ExecutiveStatus.NOT_ADOPTED
            executive.save(update_fields=["status"])
            return executive
        executive.status, executive.established_at = ExecutiveStatus.ACTIVE, now
        executive.save(update_fields=["status", "established_at"])
        members = Member.objects.filter(
            organisation_id=executive.organisation_id, number__in=executive.proposed_members
        )
        power_rows_saved(
            ExecutiveSeat.objects.bulk_create(
                [ExecutiveSeat(executive=executive, member=m, started_at=now) for m in members]
            )
        )
        log_entry_record(
            organisation=org,
            action="executive.established",
            body_id=executive.council_id,
            actor=actor,
            summary=f"{executive.name} ({executive.code}) established by {executive.council.name}'s motion "
            f"{executive.motion_id}",
            payload={
                "executive": executive.code,
                "motion": executive.motion_id,
                "adopted_by_vote": executive.motion.adopted_by_id,
                "powers": executive.powers,
                "members": executive.proposed_members,
            },
        )
        return executive
    dissolution = executive.dissolution_motion
    if executive.status == ExecutiveStatus.ACTIVE and dissolution is not None:
        if dissolution.status == MotionStatus.ADOPTED:
            executive.status, executive.dissolved_at = ExecutiveStatus.DISSOLVED, now
            executive.save(update_fields=["status", "dissolved_at"])
            seats = ExecutiveSeat.objects.filter(executive=executive, ended_at__isnull=True)
            power_rows_note(seats)
            seats.update(ended_at=now, end_reason="executive dissolved by its council")
            log_entry_record(
                organisation=org,
                action="executive.dissolved",
                body_id=executive.council_id,
                actor=actor,
                summary=f"{executive.name} dissolved by {executive.council.name}'s motion {dissolution.pk}",
                payload={
                    "executive": executive.code,
                    "motion": dissolution.pk,
                    "adopted_by_vote": dissolution.adopted_by_id,
                },
            )
            return executive
        if dissolution.status == MotionStatus.REJECTED:
            return executive
        raise GovernanceConflict(f"{executive.council.name} has not yet decided motion {dissolution.pk}")
    raise GovernanceConflict(f"there is no decision of {executive.council.name} on {executive.name} to apply")


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
    reversed_before = _reversal_binding(executive, power, text)
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


def decision_effect(text: str) -> str:
    """A decision's text folded for comparison: case, punctuation and spacing do not change what it does.
    Two decisions with the same folded text under the same power are taken to have the same effect; a
    rewording that changes the words is not caught by this, only by the council calling it in again."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _reversal_binding(executive: Executive, power: str, text: str) -> ExecutiveDecision | None:
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
    _require_delegate(member, council, "consent to a decision it reversed being taken again")
    if decision.status != DecisionStatus.REVERSED:
        raise GovernanceConflict(
            f"{council.name} has not reversed this decision; nothing binds its executives"
        )
    consent = decision.retake_motion
    if consent is not None and consent.status in (
        MotionStatus.PROPOSED,
        MotionStatus.ON_AGENDA,
        MotionStatus.ADOPTED,
    ):
        raise GovernanceConflict(
            f"motion {consent.pk} to consent to this decision being taken again is already before "
            f"{council.name} or adopted"
        )
    reason = reason.strip()
    if not reason:
        raise GovernanceError("say why the council should let the decision be taken again")
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
    _require_delegate(member, council, "call in its executives' decisions")
    if decision.status == DecisionStatus.REVERSED:
        raise GovernanceConflict("this decision has already been reversed")
    if CallIn.objects.filter(
        decision=decision, status__in=[CallInStatus.GATHERING, CallInStatus.BEFORE_COUNCIL]
    ).exists():
        raise GovernanceConflict("this decision has already been called in; sign that call-in instead")
    reason = reason.strip()
    if not reason:
        raise GovernanceError("say why the decision is called in")
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
            f"only the delegates seated on {call_in.council.name} when this call-in opened may sign it"
        )
    if call_in.status != CallInStatus.GATHERING:
        raise GovernanceConflict("this call-in is already before the council or settled")
    try:
        with transaction.atomic():
            CallInSignature.objects.create(call_in=call_in, member=member, signed_at=timezone.now())
    except IntegrityError as exc:
        raise GovernanceConflict("you have already signed this call-in") from exc
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
        raise GovernanceConflict(f"{call_in.council.name} has not yet voted on this call-in")
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
