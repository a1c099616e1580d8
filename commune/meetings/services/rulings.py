"""Rulings of the chair and their challenge: the chair rules; anyone on the roll may challenge the ruling,
and the seats on the roll vote, by weight, to overrule it or uphold it. More than half of the weight on the
roll overrules it; half or more upholds it (the chair's ruling stands on a tie)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor
from commune.federation.models import Member
from commune.meetings.errors import MeetingConflict, MeetingError, NotChair
from commune.meetings.models import Meeting, Ruling, RulingOutcome, RulingVote
from commune.meetings.services.common import (
    meeting_lock,
    on_roll,
    record,
    require_chair,
    require_sitting,
    seat_key,
    seats_on_roll,
    who,
)
from commune.motions.models import CouncilSession
from commune.motions.services.sessions import seats_quorum


def _ruling(meeting: Meeting, ruling_id: int) -> Ruling:
    ruling = Ruling.objects.select_for_update().filter(meeting=meeting, pk=ruling_id).first()
    if ruling is None:
        raise MeetingError(_("the meeting has no such ruling"))
    return ruling


@transaction.atomic
def ruling_make(*, session: CouncilSession, member: Member, text: str, actor: Actor = SYSTEM) -> Ruling:
    """The chair rules (on a point of order, on what is in order, on who has the floor)."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may rule"))
    require_sitting(meeting)
    text = text.strip()
    if not text:
        raise MeetingError(_("a ruling says what the chair rules"))
    ruling = Ruling.objects.create(meeting=meeting, text=text[:500], ruled_by=member, ruled_at=timezone.now())
    record(meeting, "ruling", f"the chair, {who(member)}, rules: {text[:300]}", actor, ruling=ruling.pk)
    return ruling


@transaction.atomic
def ruling_challenge(
    *, session: CouncilSession, member: Member, ruling_id: int, actor: Actor = SYSTEM
) -> Ruling:
    """Anyone on the roll challenges a ruling: the meeting then votes on it. The chair cannot stop it."""
    meeting = meeting_lock(session)
    if on_roll(meeting, member) is None:
        raise NotChair(_("only those on the roll challenge a ruling"))
    ruling = _ruling(meeting, ruling_id)
    if ruling.challenged_at is not None:
        raise MeetingConflict(_("this ruling has already been challenged"))
    ruling.challenged_by = member
    ruling.challenged_at = timezone.now()
    ruling.save(update_fields=["challenged_by", "challenged_at"])
    record(
        meeting,
        "ruling_challenged",
        f"{who(member)} challenges the ruling: {ruling.text[:300]}",
        actor,
        ruling=ruling.pk,
    )
    return ruling


@transaction.atomic
def ruling_vote(
    *, session: CouncilSession, member: Member, ruling_id: int, overrule: bool, actor: Actor = SYSTEM
) -> Ruling:
    """A seat on the roll votes on a challenged ruling; the ruling is settled as soon as the weight decides."""
    meeting = meeting_lock(session)
    entry = on_roll(meeting, member)
    if entry is None:
        raise NotChair(_("only a seat on the roll votes on a challenge"))
    ruling = _ruling(meeting, ruling_id)
    if ruling.challenged_at is None:
        raise MeetingConflict(_("this ruling has not been challenged"))
    if ruling.settled_at is not None:
        raise MeetingConflict(_("the meeting has already decided this challenge"))
    try:
        with transaction.atomic():
            RulingVote.objects.create(
                ruling=ruling,
                **{"cast_by": member, **seat_key(entry, member)},
                overrule=overrule,
                weight=entry.weight,
                cast_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise MeetingConflict(_("this seat has already voted on the challenge")) from exc
    record(
        meeting,
        "ruling_vote",
        f"{who(member)} votes to {'overrule' if overrule else 'uphold'} the ruling",
        actor,
        ruling=ruling.pk,
        seat=entry.delegation_id,
        overrule=overrule,
        weight=entry.weight,
    )
    present = seats_quorum(session=meeting.session).present
    votes = list(ruling.votes.filter(seats_on_roll(meeting.session_id)).values_list("overrule", "weight"))
    against = sum(w for o, w in votes if o)
    behind = sum(w for o, w in votes if not o)
    outcome = ""
    if against * 2 > present:
        outcome = RulingOutcome.OVERRULED
    elif behind * 2 >= present:
        outcome = RulingOutcome.UPHELD
    if outcome:
        ruling.outcome = outcome
        ruling.settled_at = timezone.now()
        ruling.save(update_fields=["outcome", "settled_at"])
        record(
            meeting,
            "ruling_settled",
            f"the ruling is {ruling.get_outcome_display().lower()}, {against} to overrule and {behind} to uphold "
            f"of {present} on the roll",
            actor,
            ruling=ruling.pk,
            outcome=outcome,
            overrule=against,
            uphold=behind,
            present=present,
        )
    return ruling
