"""Who runs the meeting and who speaks: the chair the meeting elects (and may replace at any moment), the
tellers who check in at the desk, and the list of speakers."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor
from commune.elections.access import officer_of
from commune.federation.models import Member
from commune.meetings.errors import MeetingConflict, MeetingError, NotChair
from commune.meetings.models import PRIORITY, ChairVote, Meeting, Speech, SpeechKind, Teller
from commune.meetings.services.common import (
    meeting_lock,
    on_roll,
    power_held_to_the_log,
    record,
    require_chair,
    require_sitting,
    seat_key,
    seats_on_roll,
    who,
)
from commune.motions.models import CouncilSession, RollEntry
from commune.motions.services.motions import constitution_rules
from commune.motions.services.sessions import seats_quorum, session_roll_sign


@transaction.atomic
def chair_vote(
    *, session: CouncilSession, member: Member, candidate: Member, actor: Actor = SYSTEM
) -> Meeting:
    """A seat on the roll gives its vote, by its weight, to someone present to chair. Whoever holds more
    than half the weight on the roll, with the roll a quorum, takes the chair at once. Before the meeting
    has elected its chair this is the election; afterwards a vote for another is a motion of no confidence
    naming the replacement, always in order: the chair cannot refuse it, delay it or rule it out."""
    meeting = meeting_lock(session)
    require_sitting(meeting)
    entry = on_roll(meeting, member)
    if entry is None:
        raise NotChair(_("only a seat on the roll votes for the chair"))
    if on_roll(meeting, candidate) is None:
        raise MeetingError(
            _("%(name)s is not on the roll: the chair is chosen among those present")
            % {"name": candidate.person.name}
        )
    ChairVote.objects.update_or_create(
        meeting=meeting,
        round=meeting.chair_round,
        **seat_key(entry, member),
        defaults={
            "cast_by": member,
            "candidate": candidate,
            "weight": entry.weight,
            "cast_at": timezone.now(),
        },
    )
    confidence = meeting.chair_elected and candidate.pk != meeting.chair_id
    record(
        meeting,
        "chair_vote",
        f"{who(member)} votes for {who(candidate)} to chair"
        + (f" (no confidence in {who(meeting.chair)})" if confidence and meeting.chair else ""),
        actor,
        seat=entry.delegation_id,
        member=member.number,
        candidate=candidate.number,
        weight=entry.weight,
        round=meeting.chair_round,
    )
    quorum = seats_quorum(session=meeting.session)
    backing = sum(
        ChairVote.objects.filter(
            meeting=meeting,
            round=meeting.chair_round,
            candidate=candidate,
        )
        .filter(seats_on_roll(meeting.session_id))
        .values_list("weight", flat=True)
    )
    takes_chair = candidate.pk != meeting.chair_id or not meeting.chair_elected
    if quorum.met and backing * 2 > quorum.present and takes_chair:
        previous = meeting.chair
        meeting.chair = candidate
        meeting.chair_elected = True
        meeting.chair_round += 1
        meeting.save(update_fields=["chair", "chair_elected", "chair_round"])
        record(
            meeting,
            "chair_elected",
            f"{who(candidate)} elected to chair with {backing} of the {quorum.present} votes on the roll"
            + (f", in place of {who(previous)}" if previous and previous.pk != candidate.pk else ""),
            actor,
            chair=candidate.number,
            previous=previous.number if previous else None,
            backing=backing,
            present=quorum.present,
        )
    return meeting


@transaction.atomic
def teller_name(*, session: CouncilSession, member: Member, teller: Member, actor: Actor = SYSTEM) -> Teller:
    """The chair names a delegate present as a teller."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may name tellers"))
    if on_roll(meeting, teller) is None:
        raise MeetingError(
            _("%(name)s is not on the roll: a teller is a delegate present") % {"name": teller.person.name}
        )
    try:
        with transaction.atomic():
            row = Teller.objects.create(meeting=meeting, member=teller, named_at=timezone.now())
    except IntegrityError as exc:
        raise MeetingConflict(_("%(name)s is already a teller") % {"name": teller.person.name}) from exc
    record(meeting, "teller", f"{who(teller)} named teller by {who(member)}", actor, teller=teller.number)
    return row


def may_tell(meeting: Meeting, member: Member) -> bool:
    """A teller the chair named (as the log records the naming) or an officer of the council."""
    named = meeting.tellers.filter(member=member).first()
    if named is not None:
        power_held_to_the_log(
            named,
            _(
                "%(name)s's naming as teller is not as the provenance log records it (%(wrong)s): nothing is "
                "done on that power until the record is put right"
            ),
            name=member.person.name,
        )
        return True
    return officer_of(member, meeting.session.council) is not None


@transaction.atomic
def check_in(*, session: CouncilSession, member: Member, actor: Actor = SYSTEM) -> RollEntry:
    """Sign the roll from one's own device: for one's own seat, or as the alternate of an absent delegate
    (``session_roll_sign``); never for anyone else."""
    meeting = meeting_lock(session)
    entry = session_roll_sign(session=meeting.session, member=member, actor=actor)
    record(
        meeting,
        "check_in",
        f"{who(member)} checked in",
        actor,
        member=member.number,
        seat=entry.delegation_id,
    )
    return entry


@transaction.atomic
def desk_check_in(
    *, session: CouncilSession, teller: Member, member: Member, actor: Actor = SYSTEM
) -> RollEntry:
    """A teller (or an officer of the council) puts on the roll a seat holder who came without a device:
    their delegate, or the alternate of an absent one. Anyone who holds no seat is refused, as they would be
    signing for themselves."""
    meeting = meeting_lock(session)
    if not may_tell(meeting, teller):
        raise NotChair(
            _("only a teller the chair named, or an officer of the council, checks people in at the desk")
        )
    entry = session_roll_sign(session=meeting.session, member=member, actor=actor)
    record(
        meeting,
        "desk_check_in",
        f"{who(member)} checked in at the desk by {who(teller)}",
        actor,
        member=member.number,
        teller=teller.number,
        seat=entry.delegation_id,
    )
    return entry


@transaction.atomic
def speech_request(*, session: CouncilSession, member: Member, kind: str, actor: Actor = SYSTEM) -> Speech:
    """Someone on the roll asks to speak on the item on the floor: for, against, or on a point of order or
    of information, which go ahead of the list."""
    meeting = meeting_lock(session)
    require_sitting(meeting)
    if kind not in SpeechKind.values:
        raise MeetingError(
            _("one asks to speak for, against, or on a point of order or information, not %(kind)s")
            % {"kind": repr(kind)}
        )
    if on_roll(meeting, member) is None:
        raise NotChair(_("only those on the roll ask to speak"))
    if meeting.floor_id is None:
        raise MeetingConflict(_("no item is on the floor"))
    if meeting.speeches.filter(item_id=meeting.floor_id, member=member, ended_at__isnull=True).exists():
        raise MeetingConflict(_("you are already on the list"))
    speech = Speech.objects.create(
        meeting=meeting,
        item_id=meeting.floor_id,
        member=member,
        kind=kind,
        priority=PRIORITY[SpeechKind(kind)],
        requested_at=timezone.now(),
    )
    record(
        meeting,
        "speech_requested",
        f"{who(member)} asks to speak ({speech.get_kind_display().lower()})",
        actor,
        member=member.number,
        kind=kind,
    )
    return speech


@transaction.atomic
def speaker_next(*, session: CouncilSession, member: Member, actor: Actor = SYSTEM) -> Speech | None:
    """The chair calls the next speaker (the head of the list); whoever was speaking stops."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may call the next speaker"))
    now = timezone.now()
    meeting.speeches.filter(started_at__isnull=False, ended_at__isnull=True).update(ended_at=now)
    head = (
        meeting.speeches.filter(item_id=meeting.floor_id, started_at__isnull=True)
        .select_related("member__person")
        .order_by("priority", "requested_at", "pk")
        .first()
    )
    if head is None:
        record(meeting, "speaker", "the list of speakers is empty", actor, by=member.number)
        return None
    head.started_at = now
    head.limit_seconds = (
        constitution_rules(meeting.session.council.organisation_id).sessions.speech_minutes * 60
    )
    head.save(update_fields=["started_at", "limit_seconds"])
    record(
        meeting,
        "speaker",
        f"{who(head.member)} called to speak ({head.get_kind_display().lower()})",
        actor,
        member=head.member.number,
        kind=head.kind,
        by=member.number,
    )
    return head
