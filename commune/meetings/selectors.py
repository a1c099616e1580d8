"""Reads of a meeting: the agenda as it stands, the queue of speakers, the page's whole state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.ballots.selectors import yes_no_voted
from commune.elections.models import OPEN_STATUSES, Election
from commune.federation.models import Member
from commune.governance.models import Executive, ExecutiveStatus
from commune.meetings.models import (
    AgendaItem,
    ChairVote,
    HandCount,
    ItemKind,
    Meeting,
    Minutes,
    Ruling,
    Speech,
    Teller,
)
from commune.motions.models import (
    CouncilSession,
    DelegateVote,
    MotionStatus,
    OpenChoice,
    RollEntry,
    Vote,
    VoteMode,
)
from commune.motions.services.live import vote_turnout
from commune.motions.services.sessions import SeatsQuorum, seats_quorum
from commune.motions.thresholds import rule_explained


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    ref: int | None


def agenda_draft(*, session: CouncilSession) -> list[Item]:
    """The agenda the council's business makes now: its motions on the agenda, its elections under way,
    a report from each of its executives that has decided anything since its last session, and any other
    business."""
    council = session.council
    items = [Item(ItemKind.MINUTES, f"Minutes of {s.title}", s.pk) for s in minutes_to_adopt(session=session)]
    items += [
        Item(ItemKind.MOTION, f"Motion: {m.title}", m.pk)
        for m in council.motions.filter(status=MotionStatus.ON_AGENDA).order_by("placed_on_agenda_at", "pk")
    ]
    items += [
        Item(ItemKind.ELECTION, f"Election: {e.title}", e.pk)
        for e in Election.objects.filter(Q(body=council) | Q(council=council), status__in=OPEN_STATUSES)
        .order_by("voting_open_at", "pk")
        .distinct()
    ]
    last = (
        CouncilSession.objects.filter(
            council=council, closed_at__isnull=False, starts_at__lt=session.starts_at
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    since = Q(decisions__decided_at__gte=last) if last is not None else Q()
    for executive in (
        Executive.objects.filter(council=council, status=ExecutiveStatus.ACTIVE)
        .annotate(decided=Count("decisions", filter=since))
        .filter(decided__gt=0)
        .order_by("name")
    ):
        plural = "s" if executive.decided != 1 else ""
        items.append(
            Item(
                ItemKind.REPORT,
                f"Report of {executive.name}: {executive.decided} decision{plural}",
                executive.pk,
            )
        )
    items.append(Item(ItemKind.OTHER, "Any other business", None))
    return items


def minutes_to_adopt(*, session: CouncilSession) -> list[CouncilSession]:
    """The council's last session before this one, when it has closed and its minutes are not yet adopted:
    the next meeting adopts them as the first item of its agenda."""
    last = (
        CouncilSession.objects.filter(
            council_id=session.council_id, closed_at__isnull=False, starts_at__lt=session.starts_at
        )
        .exclude(pk=session.pk)
        .order_by("-starts_at", "-pk")
        .first()
    )
    if last is None or Minutes.objects.filter(session=last).exists():
        return []
    return [last]


def session_caller(session: CouncilSession) -> Member | None:
    """The delegate who called the session, as the log recorded the call."""
    entry = (
        LogEntry.objects.filter(
            organisation_id=session.council.organisation_id,
            action="session.opened",
            body_id=session.council_id,
            payload__session=session.pk,
        )
        .only("actor_id")
        .first()
    )
    if entry is None or entry.actor_id is None:
        return None
    return (
        Member.objects.select_related("person")
        .filter(organisation_id=session.council.organisation_id, person_id=entry.actor_id)
        .first()
    )


def speech_queue(*, meeting: Meeting) -> list[Speech]:
    """Who waits to speak on the item on the floor: points of order, then of information, then for and
    against in the order asked."""
    return list(
        Speech.objects.filter(meeting=meeting, item_id=meeting.floor_id, started_at__isnull=True)
        .select_related("member__person")
        .order_by("priority", "requested_at", "pk")
    )


@dataclass
class MeetingView:
    session: CouncilSession
    meeting: Meeting | None
    chair: Member | None
    agenda: list[AgendaItem] | list[Item]
    agenda_built: bool
    floor: AgendaItem | None
    speaking: Speech | None
    queue: list[Speech]
    roll: list[RollEntry]
    quorum: SeatsQuorum
    tellers: list[Teller]
    chair_tally: list[tuple[Member, int]] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    vote: Vote | None = None
    turnout: int = 0
    #: The vote's thresholds, one sentence each; its roll-call once closed (a council's seats' votes).
    rule: list[str] = field(default_factory=list)
    roll_call: list[DelegateVote] = field(default_factory=list)
    #: Members whose seats' votes the tellers counted by hand; the teller whose count waits, if any.
    by_hand: set[str] = field(default_factory=set)
    count_waiting: HandCount | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def sitting(self) -> bool:
        return self.session.closed_at is None and self.now >= self.session.starts_at

    @property
    def speech_ends_at(self) -> datetime | None:
        if self.speaking is None or self.speaking.started_at is None:
            return None
        return self.speaking.started_at + timedelta(seconds=self.speaking.limit_seconds)


def meeting_view(*, session: CouncilSession) -> MeetingView:
    """Everything a meeting's pages show, in a bounded number of queries."""
    meeting = Meeting.objects.select_related("chair__person", "floor").filter(session=session).first()
    roll = list(
        RollEntry.objects.filter(session=session)
        .select_related("delegation__constituency", "delegation__member__person", "attended_by__person")
        .order_by("delegation__constituency__code", "attended_by__number", "pk")
    )
    quorum = seats_quorum(session=session)
    vote = Vote.objects.filter(session=session).select_related("motion").order_by("-opened_at", "-pk").first()
    turnout = vote_turnout(vote) if vote is not None and vote.closed_at is None else 0
    voting = _vote_parts(vote)
    if meeting is None:
        return MeetingView(
            session=session,
            meeting=None,
            chair=session_caller(session),
            agenda=agenda_draft(session=session),
            agenda_built=False,
            floor=None,
            speaking=None,
            queue=[],
            roll=roll,
            quorum=quorum,
            tellers=[],
            vote=vote,
            turnout=turnout,
            **voting,
        )
    items = list(meeting.items.all())
    speaking = (
        Speech.objects.filter(meeting=meeting, started_at__isnull=False, ended_at__isnull=True)
        .select_related("member__person")
        .first()
    )
    tally: dict[int, int] = {}
    people: dict[int, Member] = {}
    for v in ChairVote.objects.filter(meeting=meeting, round=meeting.chair_round).select_related(
        "candidate__person"
    ):
        tally[v.candidate_id] = tally.get(v.candidate_id, 0) + v.weight
        people[v.candidate_id] = v.candidate
    return MeetingView(
        session=session,
        meeting=meeting,
        chair=meeting.chair,
        agenda=items if meeting.agenda_built_at else agenda_draft(session=session),
        agenda_built=meeting.agenda_built_at is not None,
        floor=meeting.floor,
        speaking=speaking,
        queue=speech_queue(meeting=meeting),
        roll=roll,
        quorum=quorum,
        tellers=list(meeting.tellers.select_related("member__person")),
        chair_tally=sorted(((people[k], w) for k, w in tally.items()), key=lambda p: -p[1]),
        rulings=list(
            meeting.rulings.select_related("ruled_by__person", "challenged_by__person").annotate(
                overrule=Sum("votes__weight", filter=Q(votes__overrule=True), default=0),
                uphold=Sum("votes__weight", filter=Q(votes__overrule=False), default=0),
            )
        ),
        vote=vote,
        turnout=turnout,
        **voting,
    )


def _vote_parts(vote: Vote | None) -> dict[str, Any]:
    """A vote's thresholds, and once it has closed, its roll-call (a secret vote has none: its choices
    stay sealed in the box) and whose hands the tellers counted; while it is open, the count that waits."""
    if vote is None:
        return {}
    counts = list(HandCount.objects.filter(vote=vote).select_related("teller__person"))
    parts: dict[str, Any] = {
        "rule": rule_explained(vote.rule),
        "by_hand": {n for c in counts if c.merged_at for names in c.choices.values() for n in names},
        "count_waiting": next((c for c in counts if c.merged_at is None), None),
    }
    if vote.closed_at is not None and vote.mode == VoteMode.COUNCIL:
        parts["roll_call"] = list(
            DelegateVote.objects.filter(vote=vote).select_related(
                "delegation__constituency", "cast_by__person"
            )
        )
    return parts


def member_voted(vote: Vote, member: Member, on_roll: RollEntry) -> bool:
    """Whether this seat (a council's) or this member present (a general assembly's) has voted."""
    if vote.mode == VoteMode.COUNCIL:
        return DelegateVote.objects.filter(vote=vote, delegation=on_roll.delegation).exists()
    if vote.mode == VoteMode.SECRET:
        return yes_no_voted(box_id=vote.box_id, member=member)
    return OpenChoice.objects.filter(vote=vote, member=member).exists()
