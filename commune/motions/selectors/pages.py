"""Reads for the HTML pages of motions, votes, sessions and referrals, each in a fixed number of queries.

The general selectors (``commune.motions.selectors``) answer the API; these add what a page shows one
member: whether they may support, vote or sign, the amendments' diffs ready to read, and each vote's
rule in plain words.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from commune.ballots.selectors import yes_no_turnout, yes_no_voted
from commune.federation.models import Body, BodyKind, Delegation, Member
from commune.motions.diff import DiffLine, text_diff
from commune.motions.models import (
    Amendment,
    CouncilSession,
    Motion,
    MotionStatus,
    MotionSupport,
    Referral,
    RollEntry,
    Vote,
    VoteElector,
    VoteMode,
)
from commune.motions.selectors import (
    MotionDetail,
    body_agenda,
    motion_detail,
    motions_of_body,
    referral_detail,
    session_detail,
    sessions_of_council,
    vote_detail,
)
from commune.motions.thresholds import rule_explained

_PRESET_NAMES = ("Trade Union Act 2016",)


@dataclass(frozen=True)
class WordChange:
    """One run of words of an amendment read against the text it amends: kept, removed or added."""

    op: str  # " ", "-" or "+"
    text: str


def word_changes(before: str, after: str) -> list[WordChange]:
    """The amendment in one reading, word by word, for a page to mark up as ``<del>`` and ``<ins>``."""
    a, b = before.split(), after.split()
    changes: list[WordChange] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            changes.append(WordChange(" ", " ".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            changes.append(WordChange("-", " ".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            changes.append(WordChange("+", " ".join(b[j1:j2])))
    return changes


@dataclass(frozen=True)
class AmendmentView:
    amendment: Amendment
    lines: list[DiffLine]
    words: list[WordChange]
    open_vote: Vote | None


def rule_name(rule: dict[str, Any]) -> str:
    return str(rule.get("name", "")).capitalize()


def rule_has_preset(rule: dict[str, Any]) -> bool:
    return any(name in str(rule.get("name", "")) for name in _PRESET_NAMES)


@dataclass(frozen=True)
class MotionPage:
    """A motion as its page shows it to one member."""

    detail: MotionDetail
    amendments: list[AmendmentView]
    forwarded_to: Motion | None
    sits_in_body: bool
    supported: bool
    open_session: CouncilSession | None
    member_id: int

    @property
    def motion(self) -> Motion:
        return self.detail.motion

    @property
    def open_votes(self) -> list[Vote]:
        return [v for v in self.detail.votes if v.closed_at is None]

    @property
    def may_support(self) -> bool:
        m = self.motion
        return (
            self.sits_in_body
            and not self.supported
            and m.moved_by_id is not None
            and m.moved_by_id != self.member_id
            and m.status in (MotionStatus.PROPOSED, MotionStatus.ON_AGENDA)
        )

    @property
    def on_agenda(self) -> bool:
        return self.motion.status == MotionStatus.ON_AGENDA

    @property
    def may_forward(self) -> bool:
        m = self.motion
        return (
            self.sits_in_body and m.status == MotionStatus.ADOPTED and m.body.parent_id is not None
        ) and self.forwarded_to is None

    @property
    def may_refer(self) -> bool:
        return (
            self.sits_in_body
            and self.on_agenda
            and self.motion.body.kind == BodyKind.COUNCIL
            and self.open_session is not None
            and not self.open_votes
        )


def _sits_in(member: Member, body: Body) -> bool:
    """As ``commune.motions.services.member_sits_in``, for a page (one query for a council, none for a unit)."""
    if member.organisation_id != body.organisation_id or member.current_unit_id is None:
        return False
    if body.kind == BodyKind.UNIT:
        return member.current_unit_id == body.pk
    return Delegation.objects.filter(council=body, member=member, ended_at__isnull=True).exists()


def motion_page(*, motion_id: int, member: Member) -> MotionPage | None:
    """The motion with its provenance, amendments (each with its diff and any open vote on it), votes
    and referrals; where it was forwarded; and what the member may do. Ten queries at most."""
    detail = motion_detail(motion_id=motion_id)
    if detail is None:
        return None
    motion = detail.motion
    open_by_amendment = {v.amendment_id: v for v in detail.votes if v.amendment_id and v.closed_at is None}
    amendments = [
        AmendmentView(
            amendment=a,
            lines=text_diff(a.base_text, a.text),
            words=word_changes(a.base_text, a.text),
            open_vote=open_by_amendment.get(a.pk),
        )
        for a in detail.amendments
    ]
    open_session = None
    if motion.body.kind == BodyKind.COUNCIL:
        open_session = CouncilSession.objects.filter(
            council_id=motion.body_id, closed_at__isnull=True
        ).first()
    return MotionPage(
        detail=detail,
        amendments=amendments,
        forwarded_to=Motion.objects.select_related("body").filter(forwarded_from=motion).first(),
        sits_in_body=_sits_in(member, motion.body),
        supported=MotionSupport.objects.filter(motion=motion, member=member).exists(),
        open_session=open_session,
        member_id=member.pk,
    )


@dataclass(frozen=True)
class BodyMotions:
    body: Body
    agenda: list[Motion]
    gathering: list[Motion]
    decided: QuerySet[Motion]
    sessions: list[CouncilSession]
    sits_in_body: bool


def body_motions(*, body: Body, member: Member) -> BodyMotions:
    """A body's agenda, the motions still gathering supporters, the decided ones (a queryset to page
    through), and a council's sessions. Five queries."""
    decided = motions_of_body(body=body).exclude(status__in=[MotionStatus.ON_AGENDA, MotionStatus.PROPOSED])
    return BodyMotions(
        body=body,
        agenda=list(body_agenda(body=body)),
        gathering=list(motions_of_body(body=body, status=MotionStatus.PROPOSED)),
        decided=decided,
        sessions=list(sessions_of_council(council=body)[:20]) if body.kind == BodyKind.COUNCIL else [],
        sits_in_body=_sits_in(member, body),
    )


@dataclass(frozen=True)
class VotePage:
    """A vote as its page shows it to one member: the question, its rule, its result once closed, every
    recorded choice (none for a secret vote), and whether the member may vote."""

    vote: Vote
    rule: list[str]
    elector: bool
    voted: bool
    on_roll: RollEntry | None
    seat_voted: bool
    referral: Referral | None
    #: How many have voted so far (seats in a council), while the vote is open.
    turnout: int | None = None

    @property
    def is_open(self) -> bool:
        return self.vote.closed_at is None

    @property
    def may_vote_here(self) -> bool:
        """Members vote here in an assembly vote or a referendum; delegates on the mandates page."""
        return self.is_open and self.vote.mode != VoteMode.COUNCIL and self.elector and not self.voted

    @property
    def may_cast_for_seat(self) -> bool:
        return (
            self.is_open
            and self.vote.mode == VoteMode.COUNCIL
            and self.on_roll is not None
            and not self.seat_voted
        )


def vote_page(*, vote_id: int, member: Member) -> VotePage | None:
    """Seven queries at most, however many seats or members voted."""
    vote = vote_detail(vote_id=vote_id)
    if vote is None:
        return None
    elector = voted = seat_voted = False
    on_roll = None
    if vote.mode == VoteMode.COUNCIL:
        on_roll = (
            RollEntry.objects.select_related("delegation__constituency")
            .filter(session_id=vote.session_id, attended_by=member)
            .first()
        )
        seat_voted = on_roll is not None and any(
            d.delegation_id == on_roll.delegation_id for d in vote.delegate_votes.all()
        )
    else:
        elector = VoteElector.objects.filter(vote=vote, member=member).exists()
        if elector:
            voted = (
                any(c.member_id == member.pk for c in vote.open_choices.all())
                if vote.mode == VoteMode.OPEN
                else yes_no_voted(box_id=vote.box_id, member=member)
            )
    referral = Referral.objects.filter(pk=vote.referral_id).first() if vote.referral_id else None
    turnout = None
    if vote.closed_at is not None:
        pass
    elif vote.mode == VoteMode.COUNCIL:
        turnout = len(vote.delegate_votes.all())
    elif vote.mode == VoteMode.OPEN:
        turnout = len(vote.open_choices.all())
    elif vote.box_id is not None:
        turnout = yes_no_turnout(box_id=vote.box_id)
    return VotePage(
        turnout=turnout,
        vote=vote,
        rule=rule_explained(vote.rule),
        elector=elector,
        voted=voted,
        on_roll=on_roll,
        seat_voted=seat_voted,
        referral=referral,
    )


@dataclass(frozen=True)
class SessionPage:
    session: CouncilSession
    agenda: list[Motion]
    on_roll: RollEntry | None
    seated: bool

    @property
    def is_open(self) -> bool:
        return self.session.closed_at is None

    @property
    def weighted(self) -> bool:
        return any(r.weight != 1 for r in self.session.roll.all())


def session_page(*, session_id: int, member: Member) -> SessionPage | None:
    """The session (its roll, every vote with every seat's choice), the council's agenda, and whether the
    member is on the roll or holds a seat. Seven queries, however large the council or long the sitting."""
    session = session_detail(session_id=session_id)
    if session is None:
        return None
    on_roll = next((r for r in session.roll.all() if r.attended_by_id == member.pk), None)
    return SessionPage(
        session=session,
        agenda=list(body_agenda(body=session.council)),
        on_roll=on_roll,
        seated=Delegation.objects.filter(
            council_id=session.council_id, member=member, ended_at__isnull=True
        ).exists(),
    )


def referral_page(*, referral_id: int) -> Referral | None:
    """A referral with each body's vote on it. Two queries."""
    return referral_detail(referral_id=referral_id)
