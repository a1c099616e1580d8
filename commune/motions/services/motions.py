"""Moving, supporting, amending and forwarding motions."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.constitution import Rules
from commune.federation.models import Body, BodyKind, Delegation, Member
from commune.federation.selectors import constitution_adopted
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import Amendment, AmendmentStatus, Motion, MotionStatus, MotionSupport


def constitution_rules(organisation_id: int) -> Rules:
    """The constitution in force for the organisation."""
    rules, _version = constitution_adopted(organisation_id=organisation_id)
    return rules


def member_sits_in(member: Member, body: Body) -> bool:
    """Whether the member takes part in the body: a unit's general assembly is all its current members;
    a council is its currently seated delegates."""
    if member.organisation_id != body.organisation_id or member.current_unit_id is None:
        return False
    if body.kind == BodyKind.UNIT:
        return member.current_unit_id == body.pk
    return Delegation.objects.filter(council=body, member=member, ended_at__isnull=True).exists()


#: What a member does that needs a place in the body: (for a unit's members, for a council's delegates).
_SEAT_REFUSALS = {
    "move": (
        gettext_noop("only members of %(body)s may move a motion there"),
        gettext_noop("only delegates seated on %(body)s may move a motion there"),
    ),
    "support": (
        gettext_noop("only members of %(body)s may support a motion there"),
        gettext_noop("only delegates seated on %(body)s may support a motion there"),
    ),
    "amend": (
        gettext_noop("only members of %(body)s may amend a motion there"),
        gettext_noop("only delegates seated on %(body)s may amend a motion there"),
    ),
    "forward": (
        gettext_noop("only members of %(body)s may forward a motion there"),
        gettext_noop("only delegates seated on %(body)s may forward a motion there"),
    ),
}


def _require_seat(member: Member, body: Body, doing: str) -> None:
    if not member_sits_in(member, body):
        unit, council = _SEAT_REFUSALS[doing]
        raise NotEntitled(_(unit if body.kind == BodyKind.UNIT else council) % {"body": body.name})


def _place_on_agenda(motion: Motion, actor: Actor) -> None:
    motion.status = MotionStatus.ON_AGENDA
    motion.placed_on_agenda_at = timezone.now()
    motion.save(update_fields=["status", "placed_on_agenda_at"])
    log_entry_record(
        organisation=motion.body.organisation,
        action="motion.on_agenda",
        body_id=motion.body_id,
        actor=actor,
        summary=f"Motion “{motion.title}” placed on the agenda of {motion.body.name}",
        payload={"motion": motion.pk, "body": motion.body.code},
    )


@transaction.atomic
def motion_move(
    *,
    body: Body,
    member: Member,
    title: str,
    text: str,
    constitutional: bool = False,
    industrial_action: bool = False,
    actor: Actor = SYSTEM,
) -> Motion:
    """Move a motion in a body the member sits in. It reaches the agenda once it has the supporters the
    constitution asks for (at once, if it asks for none)."""
    _require_seat(member, body, "move")
    return _motion_create(body, member, title, text, constitutional, industrial_action, actor)


@transaction.atomic
def motion_move_by_right(*, body: Body, title: str, text: str, moved_on: str, actor: Actor) -> Motion:
    """Move a motion that a right the rules give, not a member, puts before the body: an applicant's
    appeal against an officer's refusal brings the motion to admit them before the unit's general
    assembly. ``moved_on`` names that right and who used it; it stands where a mover's name would, on the
    motion and on the log. Such a motion needs no supporters: it is on the agenda at once, so no member
    or officer can keep it from the body."""
    moved_on = moved_on.strip()[:250]
    if not moved_on:
        raise MotionError(_("a motion moved by right names what moved it"))
    motion = _motion_create(body, None, title, text, False, False, actor, moved_on=moved_on)
    if motion.status == MotionStatus.PROPOSED:
        _place_on_agenda(motion, actor)
    return motion


def _motion_create(
    body: Body,
    member: Member | None,
    title: str,
    text: str,
    constitutional: bool,
    industrial_action: bool,
    actor: Actor,
    *,
    moved_on: str = "",
) -> Motion:
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise MotionError(_("a motion needs a title and a text"))
    motion = Motion.objects.create(
        organisation_id=body.organisation_id,
        body=body,
        title=title,
        text=text,
        original_text=text,
        moved_by=member,
        moved_on=moved_on,
        moved_at=timezone.now(),
        constitutional=constitutional,
        industrial_action=industrial_action,
    )
    motion.origin = motion
    motion.save(update_fields=["origin"])
    log_entry_record(
        organisation=body.organisation,
        action="motion.moved",
        body_id=body.pk,
        actor=actor,
        summary=f"Motion “{title}” moved in {body.name} by "
        + (f"member {member.number}" if member is not None else moved_on),
        payload={
            "motion": motion.pk,
            "body": body.code,
            "mover": member.number if member is not None else None,
            **({"moved_on": moved_on} if moved_on else {}),
            "text": text,
        },
    )
    if constitution_rules(body.organisation_id).decisions.motion_supporters == 0:
        _place_on_agenda(motion, actor)
    return motion


@transaction.atomic
def motion_support(*, motion: Motion, member: Member, actor: Actor = SYSTEM) -> Motion:
    """Add a member's support; with enough supporters besides the mover, the motion joins the agenda."""
    motion = (
        Motion.objects.select_for_update(of=("self",)).select_related("body__organisation").get(pk=motion.pk)
    )
    _require_seat(member, motion.body, "support")
    return _support_add(motion, member, actor)


def _support_add(motion: Motion, member: Member, actor: Actor) -> Motion:
    if motion.moved_by_id == member.pk:
        raise MotionConflict(_("the mover cannot also be a supporter of their own motion"))
    if motion.status not in (MotionStatus.PROPOSED, MotionStatus.ON_AGENDA):
        raise MotionConflict(_("this motion has already been decided"))
    try:
        with transaction.atomic():
            MotionSupport.objects.create(motion=motion, member=member, supported_at=timezone.now())
    except IntegrityError as exc:
        raise MotionConflict(_("you already support this motion")) from exc
    log_entry_record(
        organisation=motion.body.organisation,
        action="motion.supported",
        body_id=motion.body_id,
        actor=actor,
        summary=f"Member {member.number} supports motion “{motion.title}”",
        payload={"motion": motion.pk, "member": member.number},
    )
    needed = constitution_rules(motion.organisation_id).decisions.motion_supporters
    if motion.status == MotionStatus.PROPOSED and motion.supports.count() >= needed:
        _place_on_agenda(motion, actor)
    return motion


@transaction.atomic
def motion_move_on_signatures(
    *, body: Body, signers: Sequence[Member], title: str, text: str, actor: Actor = SYSTEM
) -> Motion:
    """Move the motion that signatures gathered under the body's own rule put before it (a call-in that
    reached its threshold): the first signer moves it and the others support it. Their right to sign was
    fixed when the signatures were opened, so nobody's seat is checked again here: a signer who has
    since left the body still counts. The motion reaches the agenda like any other."""
    if not signers:
        raise MotionError(_("a motion on signatures needs at least one signer"))
    motion = _motion_create(body, signers[0], title, text, False, False, actor)
    for supporter in signers[1:]:
        if motion.status != MotionStatus.PROPOSED:
            break
        motion = _support_add(
            Motion.objects.select_for_update(of=("self",))
            .select_related("body__organisation")
            .get(pk=motion.pk),
            supporter,
            actor,
        )
    return motion


@transaction.atomic
def amendment_propose(
    *, motion: Motion, member: Member, text: str, reason: str = "", actor: Actor = SYSTEM
) -> Amendment:
    """Propose a new text for a motion on the agenda of a body the member sits in."""
    motion = Motion.objects.select_related("body__organisation").get(pk=motion.pk)
    _require_seat(member, motion.body, "amend")
    if motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict(_("only a motion on the agenda can be amended"))
    text = text.strip()
    if not text:
        raise MotionError(_("an amendment needs the new text of the motion"))
    if text == motion.text:
        raise MotionError(_("the amendment does not change the motion's text"))
    amendment = Amendment.objects.create(
        motion=motion,
        proposed_by=member,
        proposed_at=timezone.now(),
        base_text=motion.text,
        text=text,
        reason=reason.strip(),
    )
    log_entry_record(
        organisation=motion.body.organisation,
        action="motion.amendment_proposed",
        body_id=motion.body_id,
        actor=actor,
        summary=f"Amendment to “{motion.title}” proposed by member {member.number}",
        payload={"motion": motion.pk, "amendment": amendment.pk, "text": text, "reason": amendment.reason},
    )
    return amendment


def amendments_lapse(*, motion: Motion) -> int:
    """Amendments still pending when the motion's text changes or the motion is decided lapse.
    Call inside the transaction that changed the motion."""
    return Amendment.objects.filter(motion=motion, status=AmendmentStatus.PROPOSED).update(
        status=AmendmentStatus.LAPSED
    )


@transaction.atomic
def motion_forward(*, motion: Motion, member: Member, actor: Actor = SYSTEM) -> Motion:
    """Forward a motion the body adopted to the council above, where it lands on the agenda with its
    provenance: the body it came from, the vote that adopted it there, and who forwarded it."""
    motion = (
        Motion.objects.select_for_update(of=("self",))
        .select_related("body__parent", "body__organisation", "adopted_by")
        .get(pk=motion.pk)
    )
    _require_seat(member, motion.body, "forward")
    if motion.status != MotionStatus.ADOPTED:
        raise MotionConflict(_("only a motion the body adopted can be forwarded"))
    above = motion.body.parent
    if above is None:
        raise MotionConflict(
            _("%(body)s is the top body: there is nowhere to forward to") % {"body": motion.body.name}
        )
    if Motion.objects.filter(forwarded_from=motion).exists():
        raise MotionConflict(_("this motion has already been forwarded to %(body)s") % {"body": above.name})
    now = timezone.now()
    forwarded = Motion.objects.create(
        organisation_id=motion.organisation_id,
        body=above,
        title=motion.title,
        text=motion.text,
        original_text=motion.text,
        moved_by=None,
        moved_at=now,
        status=MotionStatus.ON_AGENDA,
        placed_on_agenda_at=now,
        constitutional=motion.constitutional,
        industrial_action=motion.industrial_action,
        origin_id=motion.origin_id or motion.pk,
        forwarded_from=motion,
        forwarded_at=now,
        forwarded_by=actor.label,
    )
    assert motion.adopted_by is not None  # the constraint ties adoption to a vote
    log_entry_record(
        organisation=motion.body.organisation,
        action="motion.forwarded",
        body_id=above.pk,
        actor=actor,
        summary=f"Motion “{motion.title}”, adopted by {motion.body.name}, forwarded to {above.name}",
        payload={
            "motion": forwarded.pk,
            "from_motion": motion.pk,
            "from_body": motion.body.code,
            "to_body": above.code,
            "adopted_by_vote": motion.adopted_by_id,
            "result": f"{motion.adopted_by.yes} yes, {motion.adopted_by.no} no, "
            f"{motion.adopted_by.abstain} abstain",
        },
    )
    return forwarded
