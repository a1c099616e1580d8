"""Mandates: a constituency adopts one by its own vote; each delegate's vote is checked against it.

``delegate_vote_cast`` is the only way a council vote is cast: it finds the seat the person holds on the
session's roll (their own, or an absent delegate's as alternate), refuses a vote against a binding
mandate, and publishes a departure from an instructed mandate, with the delegate's reason, to the
constituents who gave it — in the same transaction as the vote, with the emails after it commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.capture import power_rows_note
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, Member
from commune.mandates.errors import BoundByMandate, MandateError
from commune.mandates.models import Mandate, MandateKind, MandateStatus
from commune.mandates.selectors import mandate_in_force
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import (
    Choice,
    CouncilSession,
    DelegateVote,
    Motion,
    MotionStatus,
    RollEntry,
    Vote,
    VoteElector,
    VoteMode,
    VotePurpose,
)
from commune.motions.services.live import vote_cast_publish
from commune.motions.services.votes import vote_bars_check, vote_close, vote_open
from commune.notifications.services import notification_send
from commune.translation import deferred


@transaction.atomic
def mandate_propose(
    *,
    constituency: Body,
    motion: Motion,
    member: Member,
    kind: str,
    instruction: str = "",
    note: str = "",
    closes_at: datetime,
    session: CouncilSession | None = None,
    actor: Actor = SYSTEM,
) -> Mandate:
    """Put a mandate for the constituency's delegates on an item before the council above to the
    constituency's own vote. Only someone who sits in the constituency may propose it; only its
    members (or, for a council, its delegates in ``session``) vote on it."""
    if kind not in MandateKind.values:
        raise MandateError(_("a mandate is binding, instructed or free, not %(kind)s") % {"kind": repr(kind)})
    instruction = "" if kind == MandateKind.FREE else instruction
    if kind != MandateKind.FREE and instruction not in Choice.values:
        raise MandateError(_("a binding or instructed mandate says how to vote: yes, no or abstain"))
    motion = Motion.objects.select_related("body").get(pk=motion.pk)
    if constituency.parent_id != motion.body_id:
        raise MandateError(
            _("%(constituency)s sends no delegates to %(council)s")
            % {"constituency": constituency.name, "council": motion.body.name}
        )
    if motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict(_("mandates are given only on an item on the council's agenda"))
    if Mandate.objects.filter(
        constituency=constituency, motion=motion, status=MandateStatus.PROPOSED
    ).exists():
        raise MotionConflict(
            _("%(constituency)s is already voting on a mandate for this item")
            % {"constituency": constituency.name}
        )
    how = f" to vote {instruction}" if instruction else ""
    vote = vote_open(
        body=constituency,
        motion=motion,
        purpose=VotePurpose.MANDATE,
        question=f"Give our delegates to {motion.body.name} a {kind} mandate{how} on “{motion.title}”?",
        member=member,
        closes_at=closes_at,
        session=session,
        details={"kind": kind, "instruction": instruction},
        actor=actor,
    )
    return Mandate.objects.create(
        organisation_id=constituency.organisation_id,
        constituency=constituency,
        council_id=motion.body_id,
        motion=motion,
        kind=kind,
        instruction=instruction,
        note=note.strip(),
        proposed_by=member,
        proposed_at=vote.opened_at,
        vote=vote,
    )


def mandate_decide(*, mandate: Mandate, actor: Actor = SYSTEM) -> Mandate:
    """Close the constituency's vote on a mandate; carried, the mandate is in force (superseding any
    earlier one on the item), otherwise it is not adopted. The vote alone decides."""
    with transaction.atomic():
        mandate = (
            Mandate.objects.select_for_update(of=("self",))
            .select_related("constituency__organisation", "motion")
            .get(pk=mandate.pk)
        )
        if mandate.status != MandateStatus.PROPOSED:
            raise MotionConflict(_("this mandate has already been decided"))
        vote = vote_close(vote=mandate.vote, actor=actor)
        now = timezone.now()
        if vote.carried:
            in_force = Mandate.objects.filter(
                constituency=mandate.constituency, motion=mandate.motion, status=MandateStatus.ADOPTED
            )
            power_rows_note(in_force)
            in_force.update(status=MandateStatus.SUPERSEDED)
            mandate.status = MandateStatus.ADOPTED
        else:
            mandate.status = MandateStatus.REJECTED
        mandate.decided_at = now
        mandate.save(update_fields=["status", "decided_at"])
        log_entry_record(
            organisation=mandate.constituency.organisation,
            action="mandate.adopted" if vote.carried else "mandate.rejected",
            body_id=mandate.constituency_id,
            actor=actor,
            summary=f"{mandate.constituency.name} {'adopted' if vote.carried else 'did not adopt'} a "
            f"{mandate.kind} mandate"
            + (f" to vote {mandate.instruction}" if mandate.instruction else "")
            + f" on “{mandate.motion.title}”",
            payload={
                "mandate": mandate.pk,
                "constituency": mandate.constituency.code,
                "motion": mandate.motion_id,
                "kind": mandate.kind,
                "instruction": mandate.instruction,
                "vote": vote.pk,
            },
        )
    return mandate


def mandate_conclude(vote: Vote, actor: Actor = SYSTEM) -> Mandate:
    """Close a mandate's vote: the mandate it puts is decided by it."""
    assert vote.mandate is not None
    return mandate_decide(mandate=vote.mandate, actor=actor)


@dataclass
class MandatesRunReport:
    """What one scheduler pass did to mandate votes: one line each, and the problems met."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def mandates_run_due(*, now: datetime | None = None, actor: Actor = SYSTEM) -> MandatesRunReport:
    """Decide every mandate whose constituency's vote has reached its closing time (for the scheduler:
    ``commune election run-due`` and its worker). Several workers may run at once: a mandate another
    decided first is skipped."""
    moment = now or timezone.now()
    report = MandatesRunReport()
    due = (
        Mandate.objects.filter(
            status=MandateStatus.PROPOSED, vote__closed_at__isnull=True, vote__closes_at__lte=moment
        )
        .order_by("vote__closes_at", "pk")
        .values_list("pk", flat=True)
    )
    for mandate_id in list(due):
        try:
            mandate = mandate_decide(mandate=Mandate(pk=mandate_id), actor=actor)
        except MotionError as exc:
            if Mandate.objects.filter(pk=mandate_id, status=MandateStatus.PROPOSED).exists():
                report.problems.append(f"mandate #{mandate_id}: {exc}")
            continue
        vote = Vote.objects.get(pk=mandate.vote_id)
        outcome = "adopted" if mandate.status == MandateStatus.ADOPTED else "not adopted"
        report.done.append(
            f"mandate #{mandate.pk} of {mandate.constituency.name} on “{mandate.motion.title}”: {outcome} "
            f"({vote.yes} yes, {vote.no} no, {vote.abstain} abstain)"
        )
    return report


def _constituents(mandate: Mandate) -> list[Member]:
    """Exactly those who gave the mandate: the electorate of the constituency's vote on it (for a council
    constituency, the seats on its roll when it voted)."""
    vote = mandate.vote
    if vote.mode == VoteMode.COUNCIL:
        ids = list(
            RollEntry.objects.filter(session_id=vote.session_id).values_list("attended_by_id", flat=True)
        )
    else:
        ids = list(VoteElector.objects.filter(vote=vote).values_list("member_id", flat=True))
    return list(Member.objects.filter(pk__in=ids).select_related("person"))


@transaction.atomic
def delegate_vote_cast(
    *, vote: Vote, member: Member, choice: str, reason: str = "", actor: Actor = SYSTEM
) -> DelegateVote:
    """Cast the vote of the seat the member holds on the session's roll, on the record.

    Refused: a person not on the roll (neither the seat's delegate nor the alternate standing in), a
    second vote for the seat, a closed vote, and any vote against a binding mandate. A vote against an
    instructed mandate needs the reason, which is published with it to the mandate's constituents.
    """
    if choice not in Choice.values:
        raise MandateError(_("vote yes, no or abstain, not %(choice)s") % {"choice": repr(choice)})
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("body__organisation", "motion")
        .get(pk=vote.pk)
    )
    if vote.mode != VoteMode.COUNCIL:
        raise NotEntitled(_("this is not a council vote: members vote on it directly"))
    if vote.closed_at is not None or timezone.now() >= vote.closes_at:
        raise MotionConflict(_("this vote has closed"))
    entry = (
        RollEntry.objects.filter(session_id=vote.session_id, attended_by=member)
        .select_related("delegation__constituency", "delegation__member")
        .first()
    )
    if entry is None:
        raise NotEntitled(
            _("only the delegates present at the session, or the alternate of an absent delegate, vote in it")
        )
    vote_bars_check(vote=vote, member=member)
    seat = entry.delegation
    assert seat is not None  # a council's roll names the seat of each entry
    mandate = mandate_in_force(constituency_id=seat.constituency_id, motion_id=vote.motion_id)
    # A mandate on a motion binds every vote about it in the council: adopting it, and referring it.
    departed = bool(mandate and mandate.instruction and choice != mandate.instruction)
    reason = reason.strip()
    if mandate is not None and mandate.kind == MandateKind.BINDING and departed:
        raise BoundByMandate(
            _(
                "%(constituency)s gave a binding mandate to vote %(instruction)s on this item: the seat's vote "
                "can only be cast as %(instruction)s"
            )
            % {"constituency": seat.constituency.name, "instruction": mandate.instruction}
        )
    if departed and not reason:
        raise MandateError(
            _(
                "%(constituency)s instructed its delegates to vote %(instruction)s: to depart from the mandate, "
                "give your reason — it is published to your constituents"
            )
            % {"constituency": seat.constituency.name, "instruction": mandate.instruction if mandate else ""},
            field="reason",
        )
    try:
        with transaction.atomic():
            cast = DelegateVote.objects.create(
                vote=vote,
                delegation=seat,
                cast_by=member,
                as_alternate=entry.as_alternate,
                choice=choice,
                weight=entry.weight,
                cast_at=timezone.now(),
                mandate_kind=mandate.kind if mandate else "",
                mandate_instruction=mandate.instruction if mandate else "",
                departed=departed,
                departure_reason=reason if departed else "",
            )
    except IntegrityError as exc:
        raise MotionConflict(_("this seat has already voted on this question")) from exc
    log_entry_record(
        organisation=vote.body.organisation,
        action="council.vote_cast",
        body_id=vote.body_id,
        actor=actor,
        summary=f"Member {member.number} voted {choice} for {seat.constituency.name} on: {vote.question}"
        + (" (as alternate)" if entry.as_alternate else "")
        + (
            f" — departing from an instructed mandate to vote {mandate.instruction}"
            if departed and mandate
            else ""
        ),
        payload={
            "vote": vote.pk,
            "seat": seat.pk,
            "constituency": seat.constituency.code,
            "member": member.number,
            "as_alternate": entry.as_alternate,
            "choice": choice,
            "weight": entry.weight,
            "mandate": mandate.pk if mandate else None,
            "mandate_kind": mandate.kind if mandate else None,
            "departed": departed,
            "reason": cast.departure_reason,
        },
    )
    if departed and mandate is not None:
        _departure_publish(mandate, cast, member)
    vote_cast_publish(vote.pk, seat=seat.pk)
    return cast


def _departure_publish(mandate: Mandate, cast: DelegateVote, member: Member) -> None:
    motion = mandate.motion
    # Lazy: each constituent reads it in their own language.
    subject = deferred(
        gettext_lazy("Your delegate departed from your mandate on “%(title)s”"), title=motion.title
    )
    if cast.as_alternate:
        message = gettext_lazy(
            "%(constituency)s instructed its delegates to %(council)s to vote %(instruction)s on “%(title)s”. "
            "%(name)s (%(number)s) voted %(choice)s instead, standing in as alternate.\n\n"
            "Their reason: %(reason)s\n\n"
            "This departure is part of their compliance record. You can recall a delegate at any time."
        )
    else:
        message = gettext_lazy(
            "%(constituency)s instructed its delegates to %(council)s to vote %(instruction)s on “%(title)s”. "
            "%(name)s (%(number)s) voted %(choice)s instead.\n\n"
            "Their reason: %(reason)s\n\n"
            "This departure is part of their compliance record. You can recall a delegate at any time."
        )
    body = deferred(
        message,
        constituency=mandate.constituency.name,
        council=mandate.council.name,
        instruction=mandate.instruction,
        title=motion.title,
        name=member.person.name,
        number=member.number,
        choice=cast.choice,
        reason=cast.departure_reason,
    )
    notification_send(
        people=[m.person for m in _constituents(mandate)],
        kind="mandate.departed",
        subject=subject,
        body=body,
        # The delegate's page, where members read the compliance record (the email carries the same link).
        link=reverse(
            "mandates:delegate",
            kwargs={"slug": mandate.constituency.organisation.slug, "number": cast.delegation.member.number},
        ),
    )
