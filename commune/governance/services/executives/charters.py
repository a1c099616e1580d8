"""Charters: an executive is established by its council's motion, with the powers it states, and dissolved
the same way.

There is no other way to create an executive than ``executive_propose`` (a motion of the council, moved
by one of its delegates) followed by the council adopting it. An executive cannot propose one: proposing
needs a seat on the council, and "create-bodies" is a reserved power no charter may grant.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _

from commune.audit.capture import power_rows_note, power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Member
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import Executive, ExecutiveKind, ExecutiveSeat, ExecutiveStatus
from commune.governance.powers import (
    POWER_NAME,
    power_not_delegable_reason,
    power_reserved_reason,
    powers_words,
)
from commune.motions.errors import MotionError
from commune.motions.models import MotionStatus
from commune.motions.services import constitution_rules, member_sits_in, motion_move

MAX_POWERS = 30


def _in_english(label: str | StrPromise) -> str:
    """A choice's label as the motion text keeps it, whatever language is active."""
    with translation.override("en"):
        return str(label)


def require_delegate(member: Member, council: Body, doing: str) -> None:
    if council.kind != BodyKind.COUNCIL:
        raise GovernanceError(
            _(
                "only a council can %(doing)s; %(council)s is a unit (a unit's assembly may move a motion asking its council to do it)"
            )
            % {"doing": doing, "council": council.name}
        )
    if not member_sits_in(member, council):
        raise NotEntitled(
            _("only delegates seated on %(council)s may %(doing)s")
            % {"council": council.name, "doing": doing}
        )


def _check_powers(powers: Sequence[str], *, council: Body) -> list[str]:
    cleaned = [p.strip().lower() for p in powers]
    if not cleaned:
        raise GovernanceError(_("a council's motion must state the powers it delegates (at least one)"))
    if len(cleaned) > MAX_POWERS:
        raise GovernanceError(
            _("at most %(max_powers)s powers may be delegated to one body") % {"max_powers": MAX_POWERS}
        )
    delegable = constitution_rules(council.organisation_id).executives.delegable_powers
    for power in cleaned:
        reason = power_reserved_reason(power)
        if reason is not None:
            raise NotEntitled(
                _("no council can delegate the power %(power)s: %(reason)s")
                % {"power": repr(power), "reason": reason}
            )
        if not POWER_NAME.match(power):
            raise GovernanceError(
                _("%(power)s is not a power name: use lower-case words joined by hyphens, e.g. 'book-venues'")
                % {"power": repr(power)}
            )
        reason = power_not_delegable_reason(power, delegable)
        if reason is not None:
            raise NotEntitled(
                _("no council can delegate the power %(power)s: %(reason)s")
                % {"power": repr(power), "reason": reason}
            )
    if len(set(cleaned)) != len(cleaned):
        raise GovernanceError(_("each power is stated once"))
    return cleaned


def _charter_text(
    *, kind: str, name: str, code: str, remit: str, powers: list[str], members: list[Member]
) -> str:
    sitting = ", ".join(f"{m.person.name} ({m.number})" for m in members) or "nobody yet"
    return (
        f"This council establishes the {_in_english(ExecutiveKind(kind).label).lower()} {name} ({code}), answerable to it.\n"
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
    require_delegate(member, council, "create an executive, commission or officers' body")
    if kind not in ExecutiveKind.values:
        raise GovernanceError(
            _("the kind is one of %(executivekind)s, not %(kind)s")
            % {"executivekind": ", ".join(ExecutiveKind.values), "kind": repr(kind)}
        )
    checked_powers = _check_powers(powers, council=council)
    code, name = code.strip().upper(), name.strip()
    if not code or not name:
        raise GovernanceError(_("an executive needs a code and a name"))
    if Executive.objects.filter(organisation_id=council.organisation_id, code=code).exists():
        raise GovernanceConflict(
            _("the code %(code)s is already used by an executive of this organisation") % {"code": code}
        )
    sitting = list(members)
    for person in sitting:
        unit = person.current_unit
        if (
            person.organisation_id != council.organisation_id
            or unit is None
            or not unit.path.startswith(council.path)
        ):
            raise GovernanceError(
                _(
                    "member %(person_number)s is not a member within %(council)s; its executives are drawn from its own members"
                )
                % {"person_number": person.number, "council": council.name}
            )
    if len({m.pk for m in sitting}) != len(sitting):
        raise GovernanceError(_("each member is named once"))
    try:
        motion = motion_move(
            body=council,
            member=member,
            title=f"Establish the {_in_english(ExecutiveKind(kind).label).lower()} {name}"[:200],
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
    require_delegate(member, executive.council, "dissolve its executives")
    if executive.status != ExecutiveStatus.ACTIVE:
        raise GovernanceConflict(
            _("%(executive)s is not an established executive") % {"executive": executive.name}
        )
    if executive.dissolution_motion is not None and executive.dissolution_motion.status in (
        MotionStatus.PROPOSED,
        MotionStatus.ON_AGENDA,
    ):
        raise GovernanceConflict(
            _("a motion to dissolve %(executive)s is already before the council")
            % {"executive": executive.name}
        )
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
                _("%(executive)s has not yet decided motion %(executive2)s")
                % {"executive": executive.council.name, "executive2": executive.motion_id}
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
        raise GovernanceConflict(
            _("%(executive)s has not yet decided motion %(dissolution_id)s")
            % {"executive": executive.council.name, "dissolution_id": dissolution.pk}
        )
    raise GovernanceConflict(
        _("there is no decision of %(executive)s on %(executive2)s to apply")
        % {"executive": executive.council.name, "executive2": executive.name}
    )
