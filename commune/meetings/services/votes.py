"""Votes in the meeting: the chair puts the motion on the floor to the vote and closes it; delegates vote
from their own device; tellers count the hands of the seats present that did not, and two counts that
agree are cast. Every vote goes through ``commune.motions``' services (a council's through the mandates
check), so the meeting adds no second way of voting: only who may open and close one from the chair, and
how hands counted in the hall become the seats' votes on the record."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commune.audit.services import SYSTEM, Actor
from commune.errors import DomainError
from commune.federation.models import Member
from commune.meetings.errors import MeetingConflict, MeetingError, NotChair
from commune.meetings.models import HandCount, ItemKind, Meeting
from commune.meetings.services.common import meeting_lock, record, require_chair, require_sitting, who
from commune.meetings.services.floor import may_tell
from commune.motions.models import Choice, CouncilSession, DelegateVote, Motion, RollEntry, Vote, VoteMode
from commune.motions.services import motion_vote_open, vote_cast, vote_conclude
from commune.motions.services.votes import CastRecord

#: How long a vote the chair opens stays open unless the chair says otherwise: the chair closes it as soon
#: as every seat present has voted; the time bounds a vote nobody closes.
DEFAULT_VOTE_MINUTES = 30
#: A count names at most this many seats in each choice (a council's seats are far fewer).
MOST_NAMED = 2000


def _floor_motion(meeting: Meeting) -> Motion:
    item = meeting.floor
    if item is None:
        raise MeetingConflict(
            _("no item is on the floor: the chair puts a motion on the floor, then to the vote")
        )
    if item.kind != ItemKind.MOTION or item.ref is None:
        raise MeetingError(
            _("item %(position)s, %(title)s, is not a motion: only a motion is put to the vote")
            % {"position": item.position, "title": item.title}
        )
    motion = Motion.objects.filter(pk=item.ref, body_id=meeting.session.council_id).first()
    if motion is None:
        raise MeetingError(
            _("item %(position)s names no motion of this council") % {"position": item.position}
        )
    return motion


def session_vote(session: CouncilSession, vote_id: int) -> Vote:
    """A vote of this session, by id; any other is refused as not found in this meeting."""
    vote = Vote.objects.filter(pk=vote_id, session_id=session.pk).first()
    if vote is None:
        raise MeetingError(_("this meeting has no such vote"))
    return vote


def _open_vote(meeting: Meeting) -> Vote:
    vote = (
        Vote.objects.filter(session_id=meeting.session_id, closed_at__isnull=True)
        .order_by("-opened_at", "-pk")
        .first()
    )
    if vote is None:
        raise MeetingConflict(_("no vote of this meeting is open"))
    return vote


@transaction.atomic
def meeting_vote_open(
    *, session: CouncilSession, member: Member, minutes: int | None = None, actor: Actor = SYSTEM
) -> Vote:
    """The chair puts the motion on the floor to the council's vote (``motion_vote_open``: quorum, the
    constitution's minimum time and thresholds are checked there). At a unit's general assembly it is the
    vote of the members present, secret in the ballot box where the constitution makes members' votes
    secret (``ballots.member_votes_secret``). It closes when the chair closes it
    after every seat present has voted, or when its time is up."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may put a motion to the vote"))
    require_sitting(meeting)
    motion = _floor_motion(meeting)
    minutes = DEFAULT_VOTE_MINUTES if minutes is None else minutes
    if not 1 <= minutes <= 24 * 60:
        raise MeetingError(_("a vote in a meeting stays open between 1 minute and 24 hours"))
    vote = motion_vote_open(
        motion=motion,
        member=member,
        closes_at=timezone.now() + timedelta(minutes=minutes),
        session=meeting.session,
        actor=actor,
    )
    record(
        meeting,
        "vote_opened",
        f"the chair, {who(member)}, puts to the vote: {vote.question}",
        actor,
        vote=vote.pk,
        motion=motion.pk,
        item=meeting.floor.position if meeting.floor else None,
        by=member.number,
    )
    return vote


def meeting_vote_cast(
    *,
    session: CouncilSession,
    member: Member,
    vote_id: int,
    choice: str,
    reason: str = "",
    actor: Actor = SYSTEM,
) -> CastRecord:
    """A delegate (or the alternate standing in) casts their seat's vote from their own device, through
    the motions' service: on the record, weighted, checked against the seat's mandate, a departure
    published. A member present at a general assembly casts theirs in its box, secret where it is: the
    register notes that they voted, the paper what, with nothing linking them. A vote after it closed, a
    second vote, or a vote by anyone not present when it opened is refused there, and changes nothing."""
    return vote_cast(
        vote=session_vote(session, vote_id), member=member, choice=choice, reason=reason, actor=actor
    )


@transaction.atomic
def meeting_vote_close(*, session: CouncilSession, member: Member, actor: Actor = SYSTEM) -> Vote:
    """The chair closes the open vote once every seat present has voted (or its time is up), and the
    result, its thresholds and the roll-call are declared to every page of the meeting."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may close the vote"))
    vote = _open_vote(meeting)
    if HandCount.objects.filter(vote=vote, merged_at__isnull=True).exists():
        raise MeetingConflict(
            _("a tellers' count of this vote waits for the second teller: agree it, or withdraw it, first")
        )
    vote_conclude(vote=vote, actor=actor)
    vote = Vote.objects.get(pk=vote.pk)
    record(
        meeting,
        "vote_closed",
        f"the chair, {who(member)}, closes the vote: {vote.question} "
        f"{'Carried' if vote.carried else 'Not carried'}, {vote.yes} yes, {vote.no} no, {vote.abstain} abstain",
        actor,
        vote=vote.pk,
        carried=vote.carried,
        yes=vote.yes,
        no=vote.no,
        abstain=vote.abstain,
        by=member.number,
    )
    return vote


def _numbers(choices: dict[str, list[str]]) -> dict[str, list[str]]:
    unknown = sorted(set(choices) - set(Choice.values))
    if unknown:
        raise MeetingError(
            _("a count is of yes, no and abstain, not %(unknown)s") % {"unknown": ", ".join(unknown)}
        )
    counted: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for choice in Choice.values:
        numbers = [str(n).strip() for n in choices.get(choice, []) if str(n).strip()]
        if len(numbers) > MOST_NAMED:
            raise MeetingError(
                _("a count names at most %(most)s seats for each choice") % {"most": MOST_NAMED}
            )
        for number in numbers:
            if number in seen:
                raise MeetingError(
                    _("member %(number)s is counted twice (%(first)s and %(second)s)")
                    % {"number": number, "first": seen[number], "second": choice}
                )
            seen[number] = choice
        counted[choice] = sorted(numbers)
    if not seen:
        raise MeetingError(
            _("the count names nobody: name the membership numbers of the hands for each choice")
        )
    return counted


def _words(choices: dict[str, list[str]]) -> str:
    """A count for the log, in its own unchanging words."""
    return ", ".join(f"{len(choices.get(c, []))} {c}" for c in Choice.values)


def _counted_words(choices: dict[str, list[str]]) -> str:
    """A count as the tellers read it, in their language."""
    return _("%(yes)s yes, %(no)s no, %(abstain)s abstain") % {
        c: len(choices.get(c, [])) for c in Choice.values
    }


def _counted_members(meeting: Meeting, vote: Vote, choices: dict[str, list[str]]) -> dict[str, list[Member]]:
    """The members named, each checked: on the roll, and not already voted on their device (nobody is
    counted twice), so a count never exceeds the seats present that have not voted."""
    numbers = [n for names in choices.values() for n in names]
    members = {
        m.number: m
        for m in Member.objects.select_related("person").filter(
            organisation_id=meeting.session.council.organisation_id, number__in=numbers
        )
    }
    missing = [n for n in numbers if n not in members]
    if missing:
        raise MeetingError(_("no member is numbered %(numbers)s") % {"numbers": ", ".join(missing)})
    roll = {
        r.attended_by_id: r
        for r in RollEntry.objects.filter(session_id=meeting.session_id, attended_by__in=members.values())
    }
    absent = [n for n in numbers if members[n].pk not in roll]
    if absent:
        raise MeetingError(
            ngettext(
                "%(numbers)s is not on the roll: the tellers count the seats present",
                "%(numbers)s are not on the roll: the tellers count the seats present",
                len(absent),
            )
            % {"numbers": ", ".join(absent)}
        )
    voted = set(
        DelegateVote.objects.filter(
            vote=vote, delegation_id__in=[r.delegation_id for r in roll.values()]
        ).values_list("delegation_id", flat=True)
    )
    twice = [n for n in numbers if roll[members[n].pk].delegation_id in voted]
    if twice:
        raise MeetingError(
            ngettext(
                "%(numbers)s already voted on a device: the tellers count only the seats present that have not "
                "voted, so nobody is counted twice",
                "%(numbers)s already voted on their device: the tellers count only the seats present that have "
                "not voted, so nobody is counted twice",
                len(twice),
            )
            % {"numbers": ", ".join(twice)}
        )
    return {choice: [members[n] for n in names] for choice, names in choices.items()}


@transaction.atomic
def hand_count_enter(
    *,
    session: CouncilSession,
    teller: Member,
    vote_id: int,
    choices: dict[str, list[str]],
    actor: Actor = SYSTEM,
) -> HandCount:
    """A teller enters a count of hands (or papers) for the open vote: who, of the seats present that
    have not voted on a device, voted yes, no or abstain. The first count waits; a second teller's that
    agrees casts each seat's vote through the council's voting service (mandates checked, departures
    published); one that disagrees is refused and changes nothing."""
    meeting = meeting_lock(session)
    if not may_tell(meeting, teller):
        raise NotChair(_("only a teller the chair named, or an officer of the council, enters a count"))
    vote = Vote.objects.select_for_update(of=("self",)).get(pk=session_vote(meeting.session, vote_id).pk)
    if vote.mode != VoteMode.COUNCIL:
        raise MeetingError(
            _(
                "a count of hands names who voted how, and only a council votes on the record: each member "
                "present casts this vote themselves"
            )
        )
    if vote.closed_at is not None or timezone.now() >= vote.closes_at:
        raise MeetingConflict(_("this vote has closed: no count is entered after it"))
    counted = _numbers(choices)
    members = _counted_members(meeting, vote, counted)
    waiting = HandCount.objects.select_for_update().filter(vote=vote, merged_at__isnull=True).first()
    now = timezone.now()
    if waiting is None:
        first = HandCount.objects.create(
            meeting=meeting, vote=vote, teller=teller, counted_at=now, choices=counted
        )
        record(
            meeting,
            "hand_count",
            f"{who(teller)} counts the hands ({_words(counted)}); the count waits for a second teller's",
            actor,
            vote=vote.pk,
            count=first.pk,
            teller=teller.number,
        )
        return first
    if waiting.teller_id == teller.pk:
        raise MeetingConflict(_("you entered the count that waits: a second teller counts again"))
    if waiting.choices != counted:
        differ = sorted({n for c in Choice.values for n in set(waiting.choices.get(c, [])) ^ set(counted[c])})
        raise MeetingConflict(
            _(
                "the two counts disagree (the first: %(first)s; yours: %(yours)s; they differ on %(numbers)s): "
                "nothing is cast, count again"
            )
            % {
                "first": _counted_words(waiting.choices),
                "yours": _counted_words(counted),
                "numbers": ", ".join(differ),
            }
        )
    waiting.merged_at = now
    waiting.save(update_fields=["merged_at"])
    second = HandCount.objects.create(
        meeting=meeting,
        vote=vote,
        teller=teller,
        counted_at=now,
        choices=counted,
        confirms=waiting,
        merged_at=now,
    )
    tellers = f"{who(waiting.teller)} and {who(teller)}"
    cast_as = Actor(actor.user_id, f"{actor.label}, counted by the tellers {tellers}"[:250])
    for choice, named in members.items():
        for member in named:
            try:
                vote_cast(vote=vote, member=member, choice=choice, actor=cast_as)
            except DomainError as exc:
                raise MeetingConflict(
                    _(
                        "%(who)s's hand cannot be cast (%(reason)s): nothing of the count is cast; they vote on "
                        "their own device, and the tellers withdraw the count and count again without them"
                    )
                    % {"who": who(member), "reason": exc}
                ) from exc
    record(
        meeting,
        "hand_count_agreed",
        f"the tellers {tellers} agree ({_words(counted)}): the seats' votes are cast",
        actor,
        vote=vote.pk,
        count=second.pk,
        confirms=waiting.pk,
        choices=counted,
    )
    return second


@transaction.atomic
def hand_count_withdraw(
    *, session: CouncilSession, teller: Member, vote_id: int, actor: Actor = SYSTEM
) -> None:
    """A teller (or the chair) withdraws the count that waits for a second teller's, so that the hall is
    counted again."""
    meeting = meeting_lock(session)
    if meeting.chair_id != teller.pk and not may_tell(meeting, teller):
        raise NotChair(_("only a teller, an officer of the council or the chair withdraws a count"))
    if meeting.chair_id == teller.pk:
        require_chair(meeting, teller, _("only the chair of the meeting may withdraw a count"))
    vote = session_vote(meeting.session, vote_id)
    waiting = HandCount.objects.select_for_update().filter(vote=vote, merged_at__isnull=True).first()
    if waiting is None:
        raise MeetingConflict(_("no count of this vote waits for a second teller"))
    first_by = waiting.teller
    waiting.delete()
    record(
        meeting,
        "hand_count_withdrawn",
        f"{who(teller)} withdraws the count of {who(first_by)}: the hall is counted again",
        actor,
        vote=vote.pk,
        teller=teller.number,
    )
