"""The demo federation's Congress in session, made through the real services: what ``commune demo`` opens on.

Congress has been sitting since the night before (the governance demo's sitting, whose votes settled the
strike fund and the officers' pay): every seat signed its roll, the demo's Congress delegate among them.
The meeting then elected its chair, who named two tellers; the minutes of Congress's last sitting head the
agenda; a motion moved and supported by delegates is on the floor, with a speaker at the lectern and others
waiting; the chair has put it to the vote, and about half the seats have voted, not the demo's delegate,
who can cast their seat's vote from their phone while the projector page counts the turnout.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commune.audit.services import Actor
from commune.elections.demo import demo_history
from commune.federation.models import Member
from commune.meetings.models import ItemKind, Meeting, SpeechKind
from commune.meetings.selectors import session_caller
from commune.meetings.services import (
    chair_vote,
    floor_set,
    meeting_vote_cast,
    meeting_vote_open,
    minutes_adopt,
    speaker_next,
    speech_request,
    teller_name,
)
from commune.motions.models import Choice, CouncilSession, MotionStatus, RollEntry, Vote
from commune.motions.services import motion_move, motion_support

MOTION_TITLE = "A winter pay claim for every depot"
MOTION_TEXT = (
    "Congress submits a claim for a flat-rate rise of £40 a week for every grade, to take effect from the "
    "first pay day in January, and asks every depot's general assembly to elect a claim committee."
)
#: How long the vote stays open at the most: the chair closes it once every seat present has voted.
VOTE_MINUTES = 24 * 60
#: The share of the other seats on the roll that have voted when the demo opens.
VOTED_SHARE = 0.5


@dataclass(frozen=True)
class DemoMeeting:
    session: CouncilSession
    vote: Vote


def _as(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


@transaction.atomic
def demo_meeting_hold(*, sitting: CouncilSession, delegate: Member, rng: random.Random) -> DemoMeeting:
    """Carry Congress's ``sitting`` (called and sat by the governance demo, its roll signed by every seat)
    on into the meeting in progress. ``delegate`` (the demo's Congress delegate sign-in) is on the roll and
    has not voted yet."""
    session = CouncilSession.objects.select_related("council__organisation").get(pk=sitting.pk)
    congress = session.council
    present = list(
        RollEntry.objects.filter(session=session).select_related("attended_by__person").order_by("pk")
    )
    if not any(r.attended_by_id == delegate.pk for r in present):
        raise AssertionError("the demo's Congress delegate is not on the roll")  # a bug in the demo's plan
    # The meeting elects its chair from the floor (not the demo's delegate, who may have called it).
    caller = session_caller(session)
    others = [
        r.attended_by for r in present if r.attended_by_id not in {delegate.pk, getattr(caller, "pk", 0)}
    ]
    chair, mover, seconder, opponent, teller = others[:5]
    others = others[1:]
    last = (
        Vote.objects.filter(session=session)
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )
    with demo_history((last or timezone.now() - timedelta(hours=2)) + timedelta(minutes=5)):
        motion = motion_move(
            body=congress, member=mover, title=MOTION_TITLE, text=MOTION_TEXT, actor=_as(mover)
        )
        for supporter in others[1:]:
            if motion.status != MotionStatus.PROPOSED:
                break
            motion = motion_support(motion=motion, member=supporter, actor=_as(supporter))
        for entry in present:
            if Meeting.objects.filter(session=session, chair_elected=True).exists():
                break
            chair_vote(
                session=session, member=entry.attended_by, candidate=chair, actor=_as(entry.attended_by)
            )
        for named in (seconder, teller):
            teller_name(session=session, member=chair, teller=named, actor=_as(chair))
        meeting = Meeting.objects.get(session=session)
        floor_set(session=session, member=chair, position=1, actor=_as(chair))  # builds the agenda
        if meeting.items.get(position=1).kind == ItemKind.MINUTES:
            minutes_adopt(session=session, member=chair, actor=_as(chair))
        position = meeting.items.get(kind=ItemKind.MOTION, ref=motion.pk).position
        floor_set(session=session, member=chair, position=position, actor=_as(chair))
        for member, kind in (
            (mover, SpeechKind.FOR),
            (opponent, SpeechKind.AGAINST),
            (seconder, SpeechKind.FOR),
        ):
            speech_request(session=session, member=member, kind=kind, actor=_as(member))
        vote = meeting_vote_open(session=session, member=chair, minutes=VOTE_MINUTES, actor=_as(chair))
        voters = [chair, *others]
        for member in rng.sample(voters, round(len(voters) * VOTED_SHARE)):
            choice = rng.choices((Choice.YES, Choice.NO, Choice.ABSTAIN), (70, 20, 10))[0]
            meeting_vote_cast(
                session=session, member=member, vote_id=vote.pk, choice=choice, actor=_as(member)
            )
    # The speaker is called now, so that the demo opens with their time running.
    speaker_next(session=session, member=chair, actor=_as(chair))
    return DemoMeeting(session=session, vote=vote)


def demo_meeting_path() -> str:
    """Where the sitting in progress is, for ``commune demo`` to print (empty when none is open)."""
    meeting = (
        Meeting.objects.filter(session__closed_at__isnull=True)
        .select_related("session__council__organisation")
        .order_by("-pk")
        .first()
    )
    if meeting is None:
        return ""
    session = meeting.session
    return f"/o/{session.council.organisation.slug}/sessions/{session.pk}/meeting/"
