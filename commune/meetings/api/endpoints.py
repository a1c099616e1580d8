"""Endpoints: a council session as a meeting. Every current member may read it; the services check who
may act (the chair, a teller, a seat on the roll). Operation ids are given explicitly, so they do not
depend on the module an endpoint lives in."""

# No postponed annotations here: ninja reads the endpoints' parameter types at runtime.

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from commune.accounts.access import request_person
from commune.api.answers import REFUSED
from commune.audit.services import Actor
from commune.federation.access import NotFound, access_organisation
from commune.federation.models import Member, Organisation
from commune.meetings import services
from commune.meetings.api.answers import meeting_out
from commune.meetings.api.schemas import (
    HandCountIn,
    KindIn,
    MeetingCastIn,
    MeetingOut,
    MemberIn,
    OverruleIn,
    PositionIn,
    TextIn,
    VoteMinutesIn,
)
from commune.meetings.minutes import minutes_digest, minutes_of
from commune.meetings.selectors import meeting_view
from commune.motions.access import access_session
from commune.motions.models import CouncilSession

router = Router(tags=["meetings"])


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


@router.get(
    BASE,
    response=MeetingOut,
    summary="A session as a meeting: agenda, chair, roll, speakers",
    operation_id="commune_meetings_api_meeting",
)
def meeting(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    return _answer(_context(request, slug, session_id)[2])


@router.post(
    BASE + "/agenda",
    response={200: MeetingOut, **REFUSED},
    summary="Build the agenda (the chair)",
    operation_id="commune_meetings_api_agenda",
)
def agenda(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.agenda_build(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/floor",
    response={200: MeetingOut, **REFUSED},
    summary="Put an item on the floor (the chair)",
    operation_id="commune_meetings_api_floor",
)
def floor(request: HttpRequest, slug: str, session_id: int, data: PositionIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.floor_set(session=session, member=member, position=data.position, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/check-in",
    response={200: MeetingOut, **REFUSED},
    summary="Sign the roll for your own seat",
    operation_id="commune_meetings_api_check_in",
)
def check_in(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.check_in(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/desk",
    response={200: MeetingOut, **REFUSED},
    summary="Check in a seat holder at the desk (a teller)",
    operation_id="commune_meetings_api_desk",
)
def desk(request: HttpRequest, slug: str, session_id: int, data: MemberIn) -> MeetingOut:
    org, member, session = _context(request, slug, session_id)
    services.desk_check_in(
        session=session, teller=member, member=_member(org, data.member), actor=_actor(member)
    )
    return _answer(session)


@router.post(
    BASE + "/tellers",
    response={200: MeetingOut, **REFUSED},
    summary="Name a teller (the chair)",
    operation_id="commune_meetings_api_tellers",
)
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
    operation_id="commune_meetings_api_chair",
)
def chair(request: HttpRequest, slug: str, session_id: int, data: MemberIn) -> MeetingOut:
    org, member, session = _context(request, slug, session_id)
    services.chair_vote(
        session=session, member=member, candidate=_member(org, data.member), actor=_actor(member)
    )
    return _answer(session)


@router.post(
    BASE + "/speakers",
    response={200: MeetingOut, **REFUSED},
    summary="Ask to speak on the item on the floor",
    operation_id="commune_meetings_api_speakers",
)
def speakers(request: HttpRequest, slug: str, session_id: int, data: KindIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.speech_request(session=session, member=member, kind=data.kind, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/speakers/next",
    response={200: MeetingOut, **REFUSED},
    summary="Call the next speaker (the chair)",
    operation_id="commune_meetings_api_speaker_next",
)
def speaker_next(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.speaker_next(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/rulings",
    response={200: MeetingOut, **REFUSED},
    summary="Rule (the chair)",
    operation_id="commune_meetings_api_rulings",
)
def rulings(request: HttpRequest, slug: str, session_id: int, data: TextIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.ruling_make(session=session, member=member, text=data.text, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/rulings/{ruling_id}/challenge",
    response={200: MeetingOut, **REFUSED},
    summary="Challenge a ruling of the chair: the meeting then votes on it",
    operation_id="commune_meetings_api_ruling_challenge",
)
def ruling_challenge(request: HttpRequest, slug: str, session_id: int, ruling_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.ruling_challenge(session=session, member=member, ruling_id=ruling_id, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/rulings/{ruling_id}/votes",
    response={200: MeetingOut, **REFUSED},
    summary="Vote, for your seat, to overrule or uphold a challenged ruling",
    operation_id="commune_meetings_api_ruling_vote",
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
    operation_id="commune_meetings_api_vote_open",
)
def vote_open(request: HttpRequest, slug: str, session_id: int, data: VoteMinutesIn) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.meeting_vote_open(session=session, member=member, minutes=data.minutes, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/votes/close",
    response={200: MeetingOut, **REFUSED},
    summary="Close the open vote once every seat present has voted (the chair): the result is declared",
    operation_id="commune_meetings_api_vote_close",
)
def vote_close(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.meeting_vote_close(session=session, member=member, actor=_actor(member))
    return _answer(session)


@router.post(
    BASE + "/votes/{vote_id}/cast",
    response={200: MeetingOut, **REFUSED},
    summary="Cast your seat's vote from your own device (on the record, checked against your mandate)",
    operation_id="commune_meetings_api_vote_cast",
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
    operation_id="commune_meetings_api_vote_hands",
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
    operation_id="commune_meetings_api_vote_hands_withdraw",
)
def vote_hands_withdraw(request: HttpRequest, slug: str, session_id: int, vote_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.hand_count_withdraw(session=session, teller=member, vote_id=vote_id, actor=_actor(member))
    return _answer(session)


@router.get(
    BASE + "/minutes",
    response=dict[str, Any],
    summary="The session's minutes, written from the record",
    operation_id="commune_meetings_api_minutes",
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
    operation_id="commune_meetings_api_minutes_adopt",
)
def minutes_adopt(request: HttpRequest, slug: str, session_id: int) -> MeetingOut:
    _org, member, session = _context(request, slug, session_id)
    services.minutes_adopt(session=session, member=member, actor=_actor(member))
    return _answer(session)
