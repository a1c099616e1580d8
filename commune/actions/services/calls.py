"""Action calls: a council, or its executive holding the power to call action, calls action over the
units within its reach, citing the adopted motion or ballot of that council or a body above which
authorises it; each unit's assembly may endorse the call by its own motion, and its officers report who
took part.

Nothing here lets a body call action on its own say-so: a call names its authority, and the authority is
checked (adopted, by a body whose reach covers every unit called, and, for industrial action, a motion that
calls industrial action carried by the ballot the constitution's preset asks for) in the transaction that
records the call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _

from commune.actions.errors import ActionConflict, ActionError, NotAuthorised
from commune.actions.models import (
    INDUSTRIAL_KINDS,
    ActionCall,
    ActionKind,
    CallEndorsement,
    EndorsementStatus,
    Participation,
)
from commune.actions.services.employer_notice import (
    NoticeTerms,
    action_notice_issue,
    notice_ballot,
    notice_check,
)
from commune.audit.capture import power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Member, OfficeTerm, Organisation
from commune.governance.errors import GovernanceError
from commune.governance.models import Executive, ExecutiveSeat, ExecutiveStatus
from commune.governance.services import executive_decision_record
from commune.motions.errors import MotionError
from commune.motions.models import Motion, MotionStatus, Referral, ReferralKind, Vote
from commune.motions.services import constitution_rules, member_sits_in, motion_move

#: The power an executive must hold (delegated by its council's charter) to call action for it.
CALL_ACTION_POWER = "call-action"
#: The longest a single call may run; a longer dispute is called again, on a fresh decision.
MAX_CALL_DAYS = 366


def federation_wide_body(*, organisation: Organisation) -> Body:
    """The only body that may call action across the whole federation: the one the constitution names,
    else the highest council."""
    code = constitution_rules(organisation.pk).actions.federation_wide_body
    bodies = Body.objects.filter(organisation=organisation)
    body = (
        bodies.filter(code=code.upper()).first()
        if code
        else bodies.filter(parent__isnull=True, kind=BodyKind.COUNCIL).order_by("pk").first()
    )
    if body is None:
        raise ActionError(
            _(
                "the constitution names %(code)s to call action across the federation "
                "(actions.federation_wide_body), and there is no such body"
            )
            % {"code": repr(code)}
            if code
            else _("the organisation has no highest council to call action across the federation")
        )
    return body


def _in_english(label: str | StrPromise) -> str:
    """A choice's label as the motion text and the signed log keep it, whatever language is active."""
    with translation.override("en"):
        return str(label)


def within(body: Body, reach: Body) -> bool:
    """``body`` is ``reach`` or below it."""
    return body.organisation_id == reach.organisation_id and body.path.startswith(reach.path)


def _authority(motion: Motion, *, body: Body, reach: Body, kind: str) -> tuple[Vote | None, Referral | None]:
    """The vote or ballot by which ``motion`` authorises action of ``kind`` over ``reach``, called by
    ``body``; refused, with the reason, if it does not."""
    where = _("motion %(motion_id)s of %(body)s") % {"motion_id": motion.pk, "body": motion.body.name}
    if motion.organisation_id != body.organisation_id:
        raise ActionError(_("the authorising motion must be one of this organisation's"))
    if not within(body, motion.body):
        raise NotAuthorised(
            _(
                "%(where)s cannot authorise a call by %(body)s: the authority must be a decision of the calling council or of a body above it, whose reach covers every unit called"
            )
            % {"where": where, "body": body.name}
        )
    vote: Vote | None = None
    referral: Referral | None = None
    if motion.status == MotionStatus.ADOPTED and motion.adopted_by_id is not None:
        vote = Vote.objects.get(pk=motion.adopted_by_id)
        if vote.carried is not True:
            raise ActionConflict(_("%(where)s is not carried by the vote it names") % {"where": where})
    elif motion.status == MotionStatus.REFERRED:
        referral = (
            Referral.objects.filter(motion=motion, closed_at__isnull=False, carried=True)
            .order_by("-closed_at")
            .first()
        )
        if referral is None:
            raise ActionConflict(
                _("%(where)s was referred to the membership, and the membership has not carried it")
                % {"where": where}
            )
    else:
        raise ActionConflict(
            _(
                "%(where)s has not been adopted (%(status)s): a call to action needs an adopted motion or a carried ballot behind it"
            )
            % {"where": where, "status": motion.get_status_display().lower()}
        )
    if kind in INDUSTRIAL_KINDS:
        if not motion.industrial_action:
            raise NotAuthorised(
                _(
                    "%(where)s does not call industrial action, so it cannot authorise a %(kind)s: industrial action needs a motion that says so"
                )
                % {"where": where, "kind": ActionKind(kind).label.lower()}
            )
        preset = constitution_rules(body.organisation_id).decisions.industrial_action_preset
        if preset != "none" and (referral is None or referral.kind != ReferralKind.REFERENDUM):
            raise NotAuthorised(
                _(
                    "%(where)s was not carried by a ballot of the members: under the constitution, industrial action is authorised only by a referendum meeting its ballot thresholds"
                )
                % {"where": where}
            )
    return vote, referral


def _executive_for(executive: Executive, member: Member) -> None:
    if executive.status != ExecutiveStatus.ACTIVE:
        raise NotAuthorised(
            _("%(executive)s is not an established executive; it can call nothing")
            % {"executive": executive.name}
        )
    if not ExecutiveSeat.objects.filter(executive=executive, member=member, ended_at__isnull=True).exists():
        raise NotAuthorised(_("only members of %(executive)s may act for it") % {"executive": executive.name})
    if CALL_ACTION_POWER not in executive.powers:
        raise NotAuthorised(
            _("%(executive)s has no power to call action: %(council)s delegated only %(powers)s")
            % {
                "executive": executive.name,
                "council": executive.council.name,
                "powers": ", ".join(executive.powers),
            }
        )


@transaction.atomic
def action_call(
    *,
    member: Member,
    body: Body,
    authority: Motion,
    kind: str,
    title: str,
    demands: str,
    starts_on: date,
    ends_on: date,
    reach: Body | None = None,
    executive: Executive | None = None,
    notice: NoticeTerms | None = None,
    actor: Actor = SYSTEM,
) -> ActionCall:
    """Call action over every unit within ``reach`` (by default the whole of ``body``), on the authority of
    an adopted motion. ``member`` is a delegate seated on the council ``body``, or, with ``executive``,
    a member of that council's executive holding the power to call action (the call is then recorded as
    its decision, which the council may call in). Refused, recording nothing, without an authority that
    holds, beyond the caller's reach, or across the federation by any body but the one the constitution
    names. Industrial action carried by a statutory ballot is called with the employer's notice of it, on
    the ``notice`` terms, and refused if it starts sooner than the notice period allows."""
    reach = reach or body
    organisation = body.organisation
    if kind not in ActionKind.values:
        raise ActionError(
            _("the kind of action is one of %(kinds)s, not %(kind)s")
            % {"kinds": ", ".join(ActionKind.values), "kind": repr(kind)}
        )
    if body.kind != BodyKind.COUNCIL:
        raise NotAuthorised(
            _(
                "only a council calls action; %(body)s is a unit (its assembly may endorse a call, or move a motion asking its council to call one)"
            )
            % {"body": body.name}
        )
    if executive is not None:
        if executive.council_id != body.pk:
            raise NotAuthorised(
                _("%(executive)s acts only for %(council)s")
                % {"executive": executive.name, "council": executive.council.name}
            )
        _executive_for(executive, member)
    elif not member_sits_in(member, body):
        raise NotAuthorised(
            _("only delegates seated on %(body)s may call action for it") % {"body": body.name}
        )
    if not within(reach, body):
        raise NotAuthorised(
            _(
                "%(body)s cannot call action in %(reach)s: its reach is the units below it, and %(reach)s is not among them"
            )
            % {"body": body.name, "reach": reach.name}
        )
    if reach.parent_id is None:
        named = federation_wide_body(organisation=organisation)
        if named.pk != body.pk:
            raise NotAuthorised(
                _(
                    "action across the whole federation is called only by %(named)s, the body the constitution names; %(body)s may call action within its own reach"
                )
                % {"named": named.name, "body": body.name}
            )
    title, demands = title.strip(), demands.strip()
    if not title or not demands:
        raise ActionError(_("a call to action needs a title and its demands"))
    if ends_on < starts_on:
        raise ActionError(_("the action cannot end before it starts"))
    if (ends_on - starts_on).days >= MAX_CALL_DAYS:
        raise ActionError(
            _("a call runs for at most %(max_call_days)s days; call again on a fresh decision")
            % {"max_call_days": MAX_CALL_DAYS}
        )
    # Read afresh, and held while the call is recorded: the authority is what the motion is now.
    authority = Motion.objects.select_for_update(of=("self",)).select_related("body").get(pk=authority.pk)
    vote, referral = _authority(authority, body=body, reach=reach, kind=kind)
    # Industrial action on a statutory ballot is called with the employer's notice of it (s.234A).
    ballot = notice_ballot(referral) if kind in INDUSTRIAL_KINDS else None
    notice = notice or NoticeTerms()
    days = notice_check(ballot=ballot, starts_on=starts_on, ends_on=ends_on, terms=notice)
    decision = None
    if executive is not None:
        try:
            decision = executive_decision_record(
                executive=executive,
                member=member,
                power=CALL_ACTION_POWER,
                title=f"Call: {title}"[:200],
                text=f"{_in_english(ActionKind(kind).label)} in {reach.name} from {starts_on} to {ends_on}, on the authority of "
                f"motion {authority.pk} of {authority.body.name}.\nDemands: {demands}",
                actor=actor,
            )
        except GovernanceError as exc:
            raise NotAuthorised(str(exc)) from exc
    call = ActionCall.objects.create(
        organisation=organisation,
        body=body,
        executive=executive,
        decision=decision,
        reach=reach,
        kind=kind,
        title=title[:200],
        demands=demands,
        starts_on=starts_on,
        ends_on=ends_on,
        authority=authority,
        authority_vote=vote,
        authority_referral=referral,
        called_by=member,
        called_at=timezone.now(),
    )
    units = Body.objects.filter(
        organisation=organisation, kind=BodyKind.UNIT, path__startswith=reach.path
    ).count()
    log_entry_record(
        organisation=organisation,
        action="action.called",
        body_id=body.pk,
        actor=actor,
        summary=f"{executive.name if executive else body.name} called {_in_english(ActionKind(kind).label).lower()} "
        f"“{call.title}” in {reach.name} ({units} units), {starts_on} to {ends_on}, on the authority of "
        f"motion {authority.pk} of {authority.body.name}",
        payload={
            "call": call.pk,
            "kind": kind,
            "reach": reach.code,
            "units": units,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "demands": demands,
            "authority_motion": authority.pk,
            "authority_body": authority.body.code,
            "authority_vote": vote.pk if vote else None,
            "authority_referral": referral.pk if referral else None,
            "executive": executive.code if executive else None,
            "executive_decision": decision.pk if decision else None,
            "member": member.number,
        },
    )
    if ballot is not None:
        action_notice_issue(
            call=call, ballot=ballot, reach=reach, days=days, terms=notice, member=member, actor=actor
        )
    from commune.actions.services.notices import call_announce

    call_announce(call)
    return call


def _reached_unit(call: ActionCall, unit: Body) -> None:
    if unit.kind != BodyKind.UNIT or not within(unit, call.reach):
        raise NotAuthorised(
            _("the call “%(call)s” does not reach %(unit)s") % {"call": call.title, "unit": unit.name}
        )


@transaction.atomic
def endorsement_propose(
    *, call: ActionCall, unit: Body, member: Member, actor: Actor = SYSTEM
) -> CallEndorsement:
    """Move a motion in the unit's assembly to endorse a call that reaches it; endorsed once the assembly
    adopts it (``endorsement_settle``). ``member`` is a member of the unit."""
    call = ActionCall.objects.select_for_update().select_related("reach").get(pk=call.pk)
    _reached_unit(call, unit)
    if CallEndorsement.objects.filter(
        call=call, unit=unit, status__in=[EndorsementStatus.PROPOSED, EndorsementStatus.ENDORSED]
    ).exists():
        raise ActionConflict(
            _("%(unit)s has already endorsed this call, or has a motion to endorse it before it")
            % {"unit": unit.name}
        )
    try:
        motion = motion_move(
            body=unit,
            member=member,
            title=f"Endorse the call: {call.title}"[:200],
            text=f"This assembly endorses the call of {call.body.name} to {_in_english(call.get_kind_display()).lower()} "
            f"from {call.starts_on} to {call.ends_on}, and its members will take part.\nDemands: {call.demands}",
            actor=actor,
        )
    except MotionError as exc:
        raise NotAuthorised(str(exc)) from exc
    endorsement = CallEndorsement.objects.create(call=call, unit=unit, motion=motion)
    log_entry_record(
        organisation=call.organisation,
        action="action.endorsement_proposed",
        body_id=unit.pk,
        actor=actor,
        summary=f"Motion {motion.pk} before {unit.name} to endorse “{call.title}”",
        payload={"call": call.pk, "endorsement": endorsement.pk, "motion": motion.pk, "unit": unit.code},
    )
    return endorsement


@transaction.atomic
def endorsement_settle(*, endorsement: CallEndorsement, actor: Actor = SYSTEM) -> CallEndorsement:
    """Apply the assembly's vote: adopted, the unit has endorsed the call; not carried, it has not. Anyone
    may ask; it only carries out what the assembly voted."""
    endorsement = (
        CallEndorsement.objects.select_for_update(of=("self",))
        .select_related("call__organisation", "unit", "motion")
        .get(pk=endorsement.pk)
    )
    if endorsement.status != EndorsementStatus.PROPOSED:
        return endorsement
    motion = endorsement.motion
    if motion.status not in (MotionStatus.ADOPTED, MotionStatus.REJECTED):
        raise ActionConflict(
            _("%(unit)s has not yet voted on motion %(motion_id)s")
            % {"unit": endorsement.unit.name, "motion_id": motion.pk}
        )
    endorsed = motion.status == MotionStatus.ADOPTED
    endorsement.status = EndorsementStatus.ENDORSED if endorsed else EndorsementStatus.NOT_ENDORSED
    endorsement.decided_at = timezone.now()
    endorsement.save(update_fields=["status", "decided_at"])
    log_entry_record(
        organisation=endorsement.call.organisation,
        action="action.endorsed" if endorsed else "action.not_endorsed",
        body_id=endorsement.unit_id,
        actor=actor,
        summary=f"{endorsement.unit.name} {'endorsed' if endorsed else 'did not endorse'} "
        f"“{endorsement.call.title}” (motion {motion.pk})",
        payload={
            "call": endorsement.call_id,
            "endorsement": endorsement.pk,
            "motion": motion.pk,
            "adopted_by_vote": motion.adopted_by_id,
        },
    )
    return endorsement


def unit_officer(member: Member, unit: Body) -> bool:
    """The member holds an office of the unit now."""
    return (
        member.current_unit_id is not None
        and OfficeTerm.objects.filter(member=member, office__body=unit, ended_at__isnull=True).exists()
    )


@transaction.atomic
def participation_report(
    *,
    call: ActionCall,
    unit: Body,
    day: date,
    members: Sequence[Member],
    reporter: Member,
    actor: Actor = SYSTEM,
) -> list[Participation]:
    """An officer of the unit reports the members of the unit who took part in the call on ``day``. A
    member already reported for that day is not counted twice. Returns the new rows."""
    call = ActionCall.objects.select_for_update().select_related("reach", "organisation").get(pk=call.pk)
    _reached_unit(call, unit)
    if not unit_officer(reporter, unit):
        raise NotAuthorised(
            _("only an officer of %(unit)s reports who took part there") % {"unit": unit.name}
        )
    if not call.starts_on <= day <= call.ends_on:
        raise ActionError(
            _("the call runs from %(start)s to %(end)s; %(day)s is not one of its days")
            % {"start": call.starts_on, "end": call.ends_on, "day": day}
        )
    if day > timezone.localdate():
        raise ActionError(_("nobody can be reported as taking part on a day still to come"))
    strangers = [m.number for m in members if m.current_unit_id != unit.pk]
    if strangers:
        raise ActionError(
            _("not members of %(unit)s: %(strangers)s")
            % {"unit": unit.name, "strangers": ", ".join(strangers)}
        )
    already = set(
        Participation.objects.filter(call=call, day=day, member__in=list(members)).values_list(
            "member_id", flat=True
        )
    )
    now = timezone.now()
    fresh = [m for m in dict.fromkeys(members) if m.pk not in already]
    rows = Participation.objects.bulk_create(
        [
            Participation(call=call, unit=unit, member=m, day=day, reported_by=reporter, reported_at=now)
            for m in fresh
        ]
    )
    power_rows_saved(rows)
    log_entry_record(
        organisation=call.organisation,
        action="action.participation_reported",
        body_id=unit.pk,
        actor=actor,
        summary=f"{reporter.number}, an officer of {unit.name}, reported {len(rows)} member"
        f"{'s' if len(rows) != 1 else ''} taking part in “{call.title}” on {day}",
        payload={
            "call": call.pk,
            "unit": unit.code,
            "day": day.isoformat(),
            "members": [m.number for m in fresh],
        },
    )
    return rows
