"""API: a council session as a meeting. Every current member may read it; the services check who may act
(the chair, a teller, a seat on the roll)."""

# No postponed annotations here: ninja reads the endpoints' parameter types at runtime.

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from commune.accounts.access import request_person
from commune.api.answers import REFUSED
from commune.audit.services import Actor
from commune.federation.access import NotFound, access_organisation
from commune.federation.models import Member, Organisation
from commune.meetings import services
from commune.meetings.minutes import minutes_digest, minutes_of
from commune.meetings.selectors import MeetingView, meeting_view
from commune.motions.access import access_session
from commune.motions.models import CouncilSession

router = Router(tags=["meetings"])


class PersonOut(Schema):
    name: str
    number: str


class ItemOut(Schema):
    position: int | None = Field(description="Its place on the agenda once built; none in a draft.")
    kind: str = Field(description="motion, election, report or other (any other business).")
    title: str
    ref: int | None = Field(description="The motion's, election's or executive's id.")


class SpeechOut(Schema):
    person: PersonOut
    kind: str = Field(description="order, information, for or against.")
    started_at: datetime | None
    ends_at: datetime | None = Field(description="When the speaker's time (sessions.speech_minutes) is up.")


class RollOut(Schema):
    constituency: str
    person: PersonOut
    as_alternate: bool
    weight: int


class QuorumOut(Schema):
    present: int
    seats: int
    percent: str
    met: bool


class ChairOut(Schema):
    person: PersonOut | None
    elected: bool = Field(description="False while the delegate who called the session chairs.")
    votes: list[tuple[PersonOut, int]] = Field(description="This round's votes for the chair, by weight.")


class RulingOut(Schema):
    id: int
    text: str
    ruled_by: PersonOut
    challenged_by: PersonOut | None
    outcome: str = Field(
        description="Empty while it stands unchallenged or the meeting votes; upheld or overruled."
    )
    overrule: int = Field(description="Weight of the seats on the roll that voted to overrule it.")
    uphold: int = Field(description="Weight of the seats on the roll that voted to uphold it.")


class RollCallEntryOut(Schema):
    constituency: str
    person: PersonOut = Field(description="Who cast the seat's vote: its delegate or the alternate.")
    choice: str
    weight: int
    as_alternate: bool
    by_hand: bool = Field(description="Counted by the tellers (two agreeing counts), not cast on a device.")
    departed: bool = Field(description="Departed from the constituency's instructed mandate.")
    reason: str


class MeetingVoteOut(Schema):
    id: int
    question: str
    mode: str = Field(description="council (open, weighted, on the record) or secret (in the ballot box).")
    open: bool
    closes_at: datetime
    turnout: int = Field(description="How many have voted, while it is open (never how).")
    electorate: int
    rule: list[str] = Field(description="The thresholds fixed when it opened, one sentence each.")
    count_waiting_by: PersonOut | None = Field(
        description="The teller whose count of hands waits for a second teller's."
    )
    carried: bool | None
    yes: int
    no: int
    abstain: int
    present: int | None
    explanation: str
    roll_call: list[RollCallEntryOut] = Field(description="Each seat's vote, once the vote has closed.")


class MeetingOut(Schema):
    session: int
    title: str
    sitting: bool
    chair: ChairOut
    agenda_built: bool = Field(
        description="False while the agenda shown is the draft the business makes now."
    )
    agenda: list[ItemOut]
    floor: ItemOut | None
    speaking: SpeechOut | None
    queue: list[SpeechOut]
    roll: list[RollOut]
    quorum: QuorumOut
    tellers: list[PersonOut]
    rulings: list[RulingOut]
    vote: MeetingVoteOut | None = Field(description="The meeting's open vote, or else its last.")


class TextIn(Schema):
    text: str = Field(max_length=500, description="What the chair rules.")


class OverruleIn(Schema):
    overrule: bool = Field(description="True to overrule the chair's ruling, false to uphold it.")


class KindIn(Schema):
    kind: str = Field(description="for, against, order (a point of order) or information.")


class PositionIn(Schema):
    position: int = Field(description="The item's place on the agenda.")


class VoteMinutesIn(Schema):
    minutes: int | None = Field(
        None, description="How long the vote may stay open at most (30 unless given); the chair closes it."
    )


class MeetingCastIn(Schema):
    choice: str = Field(description="yes, no or abstain.")
    reason: str = Field("", max_length=2000, description="Why, when departing from an instructed mandate.")


class HandCountIn(Schema):
    yes: list[str] = Field(default_factory=list, description="Membership numbers of the hands for.")
    no: list[str] = Field(default_factory=list, description="Membership numbers of the hands against.")
    abstain: list[str] = Field(default_factory=list, description="Membership numbers of those abstaining.")


class MemberIn(Schema):
    member: str = Field(description="The person's membership number.")


def _person(member: Member) -> PersonOut:
    return PersonOut(name=member.person.name, number=member.number)


def _item(item: Any) -> ItemOut:
    return ItemOut(position=getattr(item, "position", None), kind=item.kind, title=item.title, ref=item.ref)


def vote_out(view: MeetingView) -> MeetingVoteOut | None:
    vote = view.vote
    if vote is None:
        return None
    return MeetingVoteOut(
        id=vote.pk,
        question=vote.question,
        mode=vote.mode,
        open=vote.closed_at is None,
        closes_at=vote.closes_at,
        turnout=view.turnout,
        electorate=vote.electorate,
        rule=view.rule,
        count_waiting_by=_person(view.count_waiting.teller) if view.count_waiting else None,
        carried=vote.carried,
        yes=vote.yes,
        no=vote.no,
        abstain=vote.abstain,
        present=vote.present,
        explanation=vote.explanation,
        roll_call=[
            RollCallEntryOut(
                constituency=c.delegation.constituency.name,
                person=_person(c.cast_by),
                choice=c.choice,
                weight=c.weight,
                as_alternate=c.as_alternate,
                by_hand=c.cast_by.number in view.by_hand,
                departed=c.departed,
                reason=c.departure_reason,
            )
            for c in view.roll_call
        ],
    )


def meeting_out(view: MeetingView) -> MeetingOut:
    return MeetingOut(
        session=view.session.pk,
        title=view.session.title,
        sitting=view.sitting,
        chair=ChairOut(
            person=_person(view.chair) if view.chair else None,
            elected=bool(view.meeting and view.meeting.chair_elected),
            votes=[(_person(m), w) for m, w in view.chair_tally],
        ),
        agenda_built=view.agenda_built,
        agenda=[_item(i) for i in view.agenda],
        floor=_item(view.floor) if view.floor else None,
        speaking=SpeechOut(
            person=_person(view.speaking.member),
            kind=view.speaking.kind,
            started_at=view.speaking.started_at,
            ends_at=view.speech_ends_at,
        )
        if view.speaking
        else None,
        queue=[
            SpeechOut(person=_person(s.member), kind=s.kind, started_at=None, ends_at=None)
            for s in view.queue
        ],
        roll=[
            RollOut(
                constituency=r.delegation.constituency.code if r.delegation else view.session.council.code,
                person=_person(r.attended_by),
                as_alternate=r.as_alternate,
                weight=r.weight,
            )
            for r in view.roll
        ],
        quorum=QuorumOut(
            present=view.quorum.present,
            seats=view.quorum.seats,
            percent=str(view.quorum.percent),
            met=view.quorum.met,
        ),
        tellers=[_person(t.member) for t in view.tellers],
        rulings=[
            RulingOut(
                id=r.pk,
                text=r.text,
                ruled_by=_person(r.ruled_by),
                challenged_by=_person(r.challenged_by) if r.challenged_by else None,
                outcome=r.outcome,
                overrule=getattr(r, "overrule", 0),
                uphold=getattr(r, "uphold", 0),
            )
            for r in view.rulings
        ],
        vote=vote_out(view),
    )


def _context(request: HttpRequest, slug: str, session_id: int) -> tuple[Organisation, Member, CouncilSession]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return org, member, access_session(user, org, session_id)


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _member(org: Organisation, number: str) -> Member:
    found = Member.objects.select_related("person").filter(organisation=org, number=number).first()
    if found is None:
        raise NotFound(_("no such member"))
    return found


def _answer(session: CouncilSession) -> MeetingOut:
    return meeting_out(meeting_view(session=session))


BASE = "/orgs/{slug}/sessions/{session_id}/meeting"


@router.get(BASE, response=MeetingOut, summary="A session as a meeting: agenda, chair, roll, speakers")
def meeting(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    return _answer(_context(request, slug, session_id)[2])


@router.post(BASE + "/agenda", response={200: MeetingOut, **REFUSED}, summary="Build the agenda (the chair)")
def agenda(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.agenda_build(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/floor", response={200: MeetingOut, **REFUSED}, summary="Put an item on the floor (the chair)"
)
def floor(request: HttpRequest, slug: str, session_id: int, data: PositionIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.floor_set(session=session, member=member, position=data.position, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/check-in", response={200: MeetingOut, **REFUSED}, summary="Sign the roll for your own seat"
)
def check_in(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.check_in(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/desk",
    response={200: MeetingOut, **REFUSED},
    summary="Check in a seat holder at the desk (a teller)",
)
def desk(request: HttpRequest, slug: str, session_id: int, data: MemberIn) -> MeetingOut:
    org, member, session = _context(request, slug, session_id)
    services.desk_check_in(
        session=session, teller=member, member=_member(org, data.member), actor=_actor(member)
    )
    return _answer(session)


@router.post(BASE + "/tellers", response={200: MeetingOut, **REFUSED}, summary="Name a teller (the chair)")
def tellers(request: HttpRequest, slug: str, session_id: int, data: MemberIn) -> MeetingOut:
    org, member, session = _context(request, slug, session_id)
    services.teller_name(
        session=session, member=member, teller=_member(org, data.member), actor=_actor(member)
    )
    return _answer(session)


@router.post(
    BASE + "/chair",
    response={200: MeetingOut, **REFUSED},
    summary="Vote for who chairs: the election, and later a motion of no confidence naming the replacement",
)
def chair(request: HttpRequest, slug: str, session_id: int, data: MemberIn) -> MeetingOut:
    org, member, session = _context(request, slug, session_id)
    services.chair_vote(
        session=session, member=member, candidate=_member(org, data.member), actor=_actor(member)
    )
    return _answer(session)


@router.post(
    BASE + "/speakers", response={200: MeetingOut, **REFUSED}, summary="Ask to speak on the item on the floor"
)
def speakers(request: HttpRequest, slug: str, session_id: int, data: KindIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.speech_request(session=session, member=member, kind=data.kind, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/speakers/next",
    response={200: MeetingOut, **REFUSED},
    summary="Call the next speaker (the chair)",
)
def speaker_next(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.speaker_next(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(BASE + "/rulings", response={200: MeetingOut, **REFUSED}, summary="Rule (the chair)")
def rulings(request: HttpRequest, slug: str, session_id: int, data: TextIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.ruling_make(session=session, member=member, text=data.text, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/rulings/{ruling_id}/challenge",
    response={200: MeetingOut, **REFUSED},
    summary="Challenge a ruling of the chair: the meeting then votes on it",
)
def ruling_challenge(request: HttpRequest, slug: str, session_id: int, ruling_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.ruling_challenge(session=session, member=member, ruling_id=ruling_id, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/rulings/{ruling_id}/votes",
    response={200: MeetingOut, **REFUSED},
    summary="Vote, for your seat, to overrule or uphold a challenged ruling",
)
def ruling_vote(
    request: HttpRequest, slug: str, session_id: int, ruling_id: int, data: OverruleIn
) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.ruling_vote(
        session=session, member=member, ruling_id=ruling_id, overrule=data.overrule, actor=_actor(member)
    )
    return _answer(session)


@router.post(
    BASE + "/votes",
    response={200: MeetingOut, **REFUSED},
    summary="Put the motion on the floor to the vote (the chair)",
)
def vote_open(request: HttpRequest, slug: str, session_id: int, data: VoteMinutesIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.meeting_vote_open(session=session, member=member, minutes=data.minutes, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/votes/close",
    response={200: MeetingOut, **REFUSED},
    summary="Close the open vote once every seat present has voted (the chair): the result is declared",
)
def vote_close(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.meeting_vote_close(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/votes/{vote_id}/cast",
    response={200: MeetingOut, **REFUSED},
    summary="Cast your seat's vote from your own device (on the record, checked against your mandate)",
)
def vote_cast(
    request: HttpRequest, slug: str, session_id: int, vote_id: int, data: MeetingCastIn
) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.meeting_vote_cast(
        session=session,
        member=member,
        vote_id=vote_id,
        choice=data.choice,
        reason=data.reason,
        actor=_actor(member),
    )
    return _answer(session)


@router.post(
    BASE + "/votes/{vote_id}/hands",
    response={200: MeetingOut, **REFUSED},
    summary="Enter a count of hands (a teller): the first waits, a second that agrees casts the seats' votes",
)
def vote_hands(
    request: HttpRequest, slug: str, session_id: int, vote_id: int, data: HandCountIn
) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.hand_count_enter(
        session=session,
        teller=member,
        vote_id=vote_id,
        choices={"yes": data.yes, "no": data.no, "abstain": data.abstain},
        actor=_actor(member),
    )
    return _answer(session)


@router.post(
    BASE + "/votes/{vote_id}/hands/withdraw",
    response={200: MeetingOut, **REFUSED},
    summary="Withdraw the count of hands that waits for a second teller's (a teller or the chair)",
)
def vote_hands_withdraw(request: HttpRequest, slug: str, session_id: int, vote_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.hand_count_withdraw(session=session, teller=member, vote_id=vote_id, actor=_actor(member))
    return _answer(session)


@router.get(
    BASE + "/minutes", response=dict[str, Any], summary="The session's minutes, written from the record"
)
def minutes(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _context(request, slug, session_id)[2]
    record, adopted = minutes_of(session=session)
    return {
        **record,
        "adopted": adopted is not None,
        "adopted_in": adopted.adopted_in_id if adopted else None,
        "digest": adopted.digest if adopted else minutes_digest(record),
    }


@router.post(
    BASE + "/minutes",
    response={200: MeetingOut, **REFUSED},
    summary="Adopt the minutes of the last session, on the floor (the chair, the meeting quorate)",
)
def minutes_adopt(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.minutes_adopt(session=session, member=member, actor=_actor(member))
    return _answer(session)
