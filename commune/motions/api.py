"""API: motions, amendments, votes, referrals and council sessions.

Every current member of an organisation may read all of it. Moving, supporting, amending and putting a
question to a body need a seat in it (a unit's members, a council's delegates); voting needs a place on
the vote's electorate or, in a council, on the session's roll. Council votes are cast through the mandates
service, which checks each against the constituency's mandate.
"""

# No postponed annotations here: ninja's @paginate reads the wrapped view's parameter types at runtime.

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from commune.accounts.access import request_person
from commune.api.pagination import Pagination
from commune.audit.services import Actor
from commune.federation.access import NotFound, access_body, access_organisation
from commune.federation.models import Member
from commune.mandates.errors import BoundByMandate
from commune.mandates.services import delegate_vote_cast, mandate_decide
from commune.motions.access import (
    access_amendment,
    access_motion,
    access_referral,
    access_session,
    access_vote,
)
from commune.motions.diff import text_diff, word_diff
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import Amendment, CouncilSession, Motion, Referral, Vote, VoteMode, VotePurpose
from commune.motions.selectors import (
    motion_detail,
    motions_of_body,
    referral_detail,
    session_detail,
    sessions_of_council,
    vote_detail,
)
from commune.motions.services import (
    amendment_propose,
    amendment_vote_open,
    assembly_vote_cast,
    motion_forward,
    motion_move,
    motion_refer_vote_open,
    motion_support,
    motion_vote_open,
    session_close,
    session_open,
    session_roll_sign,
    vote_close,
)

router = Router(tags=["motions"])


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the domain's refusals into 4xx responses with its message as ``detail``."""
    try:
        yield
    except (NotEntitled, BoundByMandate) as exc:
        raise HttpError(403, str(exc)) from exc
    except MotionConflict as exc:
        raise HttpError(409, str(exc)) from exc
    except MotionError as exc:
        raise HttpError(400, str(exc)) from exc


def _caller(request: HttpRequest, slug: str) -> tuple[Any, Any, Member]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return user, org, member


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _in(minutes: int) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class BodyRefOut(Schema):
    code: str
    name: str
    kind: str


class _MotionFields(Schema):
    id: int
    title: str
    text: str
    status: str
    body: BodyRefOut
    moved_by: str | None = Field(description="The mover's name; none for a motion forwarded from below.")
    moved_at: datetime
    constitutional: bool
    industrial_action: bool
    supporters: int
    forwarded_from_body: str | None


class MotionOut(_MotionFields):
    @staticmethod
    def resolve_moved_by(motion: Motion) -> str | None:
        return motion.moved_by.person.name if motion.moved_by else None

    @staticmethod
    def resolve_supporters(motion: Motion) -> int:
        return getattr(motion, "supporter_count", 0)

    @staticmethod
    def resolve_forwarded_from_body(motion: Motion) -> str | None:
        return motion.forwarded_from.body.code if motion.forwarded_from else None


class ProvenanceStepOut(Schema):
    motion: int
    body: BodyRefOut
    status: str
    moved_by: str | None
    forwarded_at: datetime | None
    forwarded_by: str
    adopted_by_vote: int | None
    result: str | None = Field(description="The adopting vote's figures.")


class DiffLineOut(Schema):
    op: Literal[" ", "-", "+"]
    text: str


class AmendmentOut(Schema):
    id: int
    proposed_by: str
    proposed_at: datetime
    text: str
    reason: str
    status: str
    diff: list[DiffLineOut] = Field(description="Line by line against the text it amends.")
    word_diff: str = Field(description="Removed words in [-…-], added words in {+…+}.")


class VoteOut(Schema):
    id: int
    body: BodyRefOut
    motion: int
    purpose: str
    mode: str
    question: str
    rule: dict[str, Any]
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    session: int | None
    electorate: int
    present: int | None
    yes: int | None = Field(description="Shown once the vote has closed.")
    no: int | None
    abstain: int | None
    carried: bool | None
    explanation: str


class ReferralOut(Schema):
    id: int
    kind: str
    council: BodyRefOut
    motion: int
    decided_by_vote: int
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    carried: bool | None
    votes: list[VoteOut]
    summary: dict[str, Any] | None = Field(description="Aggregated across the bodies, once closed.")


class MotionDetailOut(_MotionFields):
    original_text: str
    adopted_by_vote: int | None
    provenance: list[ProvenanceStepOut] = Field(description="From the body it was first moved in, upward.")
    amendments: list[AmendmentOut]
    votes: list[VoteOut]
    referrals: list[int]


class MoveIn(_Strict):
    title: str = Field(max_length=200)
    text: str = Field(max_length=20000)
    constitutional: bool = False
    industrial_action: bool = False


class AmendIn(_Strict):
    text: str = Field(max_length=20000, description="The whole motion as amended.")
    reason: str = Field("", max_length=2000)


class PutIn(_Strict):
    minutes: int = Field(60 * 24, ge=1, le=60 * 24 * 60, description="How long voting stays open.")
    session: int | None = Field(None, description="For a council: the session it votes in.")


class ReferIn(_Strict):
    session: int = Field(description="The council's session that votes on referring it.")
    to: Literal["assemblies", "referendum"]
    minutes: int = Field(60, ge=1, le=60 * 24, description="How long the council's vote stays open.")
    referral_days: int = Field(14, ge=1, le=90, description="How long the membership has to decide.")


class CastIn(_Strict):
    choice: Literal["yes", "no", "abstain"]
    reason: str = Field("", max_length=2000, description="Required to depart from an instructed mandate.")


class SeatVoteOut(Schema):
    constituency: str
    delegate: str
    cast_by: str
    as_alternate: bool
    choice: str
    weight: int
    mandate_kind: str
    mandate_instruction: str
    departed: bool
    departure_reason: str


class MemberChoiceOut(Schema):
    member: str
    choice: str


class VoteDetailOut(VoteOut):
    seats: list[SeatVoteOut] = Field(description="Councils: every seat's recorded vote.")
    members: list[MemberChoiceOut] = Field(description="Open assembly votes: every member's vote.")


class CastOut(Schema):
    vote: int
    choice: str
    secret: bool
    departed: bool = False


class SessionIn(_Strict):
    title: str = Field("", max_length=200)


class SessionOut(Schema):
    id: int
    council: BodyRefOut
    title: str
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None


class RollEntryOut(Schema):
    constituency: str
    delegate: str
    attended_by: str
    as_alternate: bool
    alternate_source: str
    weight: int


class SessionVoteOut(VoteOut):
    seats: list[SeatVoteOut]


class SessionDetailOut(SessionOut):
    roll: list[RollEntryOut]
    votes: list[SessionVoteOut]


def _ref(body: Any) -> BodyRefOut:
    return BodyRefOut(code=body.code, name=body.name, kind=body.kind)


def _vote(vote: Vote) -> dict[str, Any]:
    closed = vote.closed_at is not None
    return {
        "id": vote.pk,
        "body": _ref(vote.body),
        "motion": vote.motion_id,
        "purpose": vote.purpose,
        "mode": vote.mode,
        "question": vote.question,
        "rule": vote.rule,
        "opened_at": vote.opened_at,
        "closes_at": vote.closes_at,
        "closed_at": vote.closed_at,
        "session": vote.session_id,
        "electorate": vote.electorate,
        "present": vote.present,
        "yes": vote.yes if closed else None,
        "no": vote.no if closed else None,
        "abstain": vote.abstain if closed else None,
        "carried": vote.carried,
        "explanation": vote.explanation,
    }


def _seat(d: Any) -> SeatVoteOut:
    return SeatVoteOut(
        constituency=d.delegation.constituency.code,
        delegate=d.delegation.member.person.name,
        cast_by=d.cast_by.person.name,
        as_alternate=d.as_alternate,
        choice=d.choice,
        weight=d.weight,
        mandate_kind=d.mandate_kind,
        mandate_instruction=d.mandate_instruction,
        departed=d.departed,
        departure_reason=d.departure_reason,
    )


def _amendment(a: Amendment) -> AmendmentOut:
    return AmendmentOut(
        id=a.pk,
        proposed_by=a.proposed_by.person.name,
        proposed_at=a.proposed_at,
        text=a.text,
        reason=a.reason,
        status=a.status,
        diff=[DiffLineOut(op=line.op, text=line.text) for line in text_diff(a.base_text, a.text)],  # type: ignore[arg-type]
        word_diff=word_diff(a.base_text, a.text),
    )


def _motion_detail(motion_id: int) -> MotionDetailOut:
    detail = motion_detail(motion_id=motion_id)
    if detail is None:
        raise NotFound("no such motion")
    m = detail.motion
    return MotionDetailOut(
        id=m.pk,
        title=m.title,
        text=m.text,
        original_text=m.original_text,
        status=m.status,
        body=_ref(m.body),
        moved_by=m.moved_by.person.name if m.moved_by else None,
        moved_at=m.moved_at,
        constitutional=m.constitutional,
        industrial_action=m.industrial_action,
        supporters=detail.supporters,
        forwarded_from_body=next(
            (p.body.code for p in detail.provenance if p.pk == m.forwarded_from_id), None
        ),
        adopted_by_vote=m.adopted_by_id,
        provenance=[
            ProvenanceStepOut(
                motion=p.pk,
                body=_ref(p.body),
                status=p.status,
                moved_by=p.moved_by.person.name if p.moved_by else None,
                forwarded_at=p.forwarded_at,
                forwarded_by=p.forwarded_by,
                adopted_by_vote=p.adopted_by_id,
                result=(
                    f"{p.adopted_by.yes} yes, {p.adopted_by.no} no, {p.adopted_by.abstain} abstain"
                    if p.adopted_by
                    else None
                ),
            )
            for p in detail.provenance
        ],
        amendments=[_amendment(a) for a in detail.amendments],
        votes=[VoteOut(**_vote(v)) for v in detail.votes],
        referrals=[r.pk for r in detail.referrals],
    )


class MotionsFilter(Schema):
    status: str | None = None


@router.get(
    "/orgs/{slug}/bodies/{code}/motions", response=list[MotionOut], summary="The motions before a body"
)
@paginate(Pagination)
def motions(request: HttpRequest, slug: str, code: str, filters: Query[MotionsFilter]) -> QuerySet[Motion]:
    user, org, _ = _caller(request, slug)
    return motions_of_body(body=access_body(user, org, code), status=filters.status)


@router.post(
    "/orgs/{slug}/bodies/{code}/motions",
    response={201: MotionDetailOut},
    summary="Move a motion in a body you sit in",
)
def move(request: HttpRequest, slug: str, code: str, data: MoveIn) -> Status[MotionDetailOut]:
    user, org, member = _caller(request, slug)
    body = access_body(user, org, code)
    with domain_errors():
        motion = motion_move(
            body=body,
            member=member,
            title=data.title,
            text=data.text,
            constitutional=data.constitutional,
            industrial_action=data.industrial_action,
            actor=_actor(member),
        )
    return Status(201, _motion_detail(motion.pk))


@router.get(
    "/orgs/{slug}/motions/{motion_id}", response=MotionDetailOut, summary="A motion and its provenance"
)
def motion(request: HttpRequest, slug: str, motion_id: int) -> MotionDetailOut:
    user, org, _ = _caller(request, slug)
    return _motion_detail(access_motion(user, org, motion_id).pk)


@router.post("/orgs/{slug}/motions/{motion_id}/support", response=MotionDetailOut, summary="Support a motion")
def support(request: HttpRequest, slug: str, motion_id: int) -> MotionDetailOut:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    with domain_errors():
        motion_support(motion=found, member=member, actor=_actor(member))
    return _motion_detail(found.pk)


@router.post(
    "/orgs/{slug}/motions/{motion_id}/amendments",
    response={201: AmendmentOut},
    summary="Propose an amendment: the whole text as amended, with your reason",
)
def amend(request: HttpRequest, slug: str, motion_id: int, data: AmendIn) -> Status[AmendmentOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    with domain_errors():
        amendment = amendment_propose(
            motion=found, member=member, text=data.text, reason=data.reason, actor=_actor(member)
        )
    amendment.proposed_by = member
    return Status(201, _amendment(amendment))


def _session_of(user: Any, org: Any, session_id: int | None) -> CouncilSession | None:
    return access_session(user, org, session_id) if session_id is not None else None


@router.post(
    "/orgs/{slug}/motions/{motion_id}/amendments/{amendment_id}/votes",
    response={201: VoteOut},
    summary="Put an amendment to the body's vote",
)
def amendment_vote(
    request: HttpRequest, slug: str, motion_id: int, amendment_id: int, data: PutIn
) -> Status[VoteOut]:
    user, org, member = _caller(request, slug)
    amendment = access_amendment(user, access_motion(user, org, motion_id), amendment_id)
    with domain_errors():
        vote = amendment_vote_open(
            amendment=amendment,
            member=member,
            closes_at=_in(data.minutes),
            session=_session_of(user, org, data.session),
            actor=_actor(member),
        )
    return Status(201, VoteOut(**_vote(vote)))


@router.post(
    "/orgs/{slug}/motions/{motion_id}/votes",
    response={201: VoteOut},
    summary="Put a motion on the agenda to the body's vote (a council: in a session)",
)
def adopt_vote(request: HttpRequest, slug: str, motion_id: int, data: PutIn) -> Status[VoteOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    with domain_errors():
        vote = motion_vote_open(
            motion=found,
            member=member,
            closes_at=_in(data.minutes),
            session=_session_of(user, org, data.session),
            actor=_actor(member),
        )
    return Status(201, VoteOut(**_vote(vote)))


@router.post(
    "/orgs/{slug}/motions/{motion_id}/forward",
    response={201: MotionDetailOut},
    summary="Forward an adopted motion to the council above",
)
def forward(request: HttpRequest, slug: str, motion_id: int) -> Status[MotionDetailOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    with domain_errors():
        forwarded = motion_forward(motion=found, member=member, actor=_actor(member))
    return Status(201, _motion_detail(forwarded.pk))


@router.post(
    "/orgs/{slug}/motions/{motion_id}/refer",
    response={201: VoteOut},
    summary="Ask the council, in session, to refer a motion to the units' assemblies or to a referendum",
)
def refer(request: HttpRequest, slug: str, motion_id: int, data: ReferIn) -> Status[VoteOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    session = access_session(user, org, data.session)
    now = timezone.now()
    with domain_errors():
        vote = motion_refer_vote_open(
            motion=found,
            member=member,
            session=session,
            kind=data.to,
            closes_at=now + timedelta(minutes=data.minutes),
            referral_closes_at=now + timedelta(days=data.referral_days),
            actor=_actor(member),
        )
    return Status(201, VoteOut(**_vote(vote)))


def _vote_detail_out(vote_id: int) -> VoteDetailOut:
    vote = vote_detail(vote_id=vote_id)
    if vote is None:
        raise NotFound("no such vote")
    return VoteDetailOut(
        **_vote(vote),
        seats=[_seat(d) for d in vote.delegate_votes.all()],
        members=[
            MemberChoiceOut(member=c.member.person.name, choice=c.choice) for c in vote.open_choices.all()
        ],
    )


@router.get(
    "/orgs/{slug}/votes/{vote_id}", response=VoteDetailOut, summary="A vote, with every recorded choice"
)
def vote(request: HttpRequest, slug: str, vote_id: int) -> VoteDetailOut:
    user, org, _ = _caller(request, slug)
    return _vote_detail_out(access_vote(user, org, vote_id).pk)


@router.post(
    "/orgs/{slug}/votes/{vote_id}/ballots",
    response={201: CastOut},
    summary="Vote: as a member of the assembly or membership, or for your seat on the council's roll",
)
def cast(request: HttpRequest, slug: str, vote_id: int, data: CastIn) -> Status[CastOut]:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    with domain_errors():
        if found.mode == VoteMode.COUNCIL:
            recorded = delegate_vote_cast(
                vote=found, member=member, choice=data.choice, reason=data.reason, actor=_actor(member)
            )
            return Status(
                201, CastOut(vote=found.pk, choice=recorded.choice, secret=False, departed=recorded.departed)
            )
        assembly_vote_cast(vote=found, member=member, choice=data.choice)
    return Status(201, CastOut(vote=found.pk, choice=data.choice, secret=found.mode == VoteMode.SECRET))


@router.post(
    "/orgs/{slug}/votes/{vote_id}/close",
    response=VoteDetailOut,
    summary="Close and count a vote whose time is up or in which everyone entitled has voted",
)
def close(request: HttpRequest, slug: str, vote_id: int) -> VoteDetailOut:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    with domain_errors():
        if found.purpose == VotePurpose.MANDATE:
            mandate_decide(mandate=found.mandate, actor=_actor(member))
        else:
            vote_close(vote=found, actor=_actor(member))
    return _vote_detail_out(found.pk)


def _referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        id=referral.pk,
        kind=referral.kind,
        council=_ref(referral.council),
        motion=referral.motion_id,
        decided_by_vote=referral.decided_by_id,
        opened_at=referral.opened_at,
        closes_at=referral.closes_at,
        closed_at=referral.closed_at,
        carried=referral.carried,
        votes=[VoteOut(**_vote(v)) for v in referral.votes.all()],
        summary=referral.summary,
    )


@router.get(
    "/orgs/{slug}/referrals/{referral_id}",
    response=ReferralOut,
    summary="A question referred down: each body's vote and, once closed, the aggregate",
)
def referral(request: HttpRequest, slug: str, referral_id: int) -> ReferralOut:
    user, org, _ = _caller(request, slug)
    found = referral_detail(referral_id=access_referral(user, org, referral_id).pk)
    assert found is not None
    return _referral_out(found)


def _session_out(session: CouncilSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "council": _ref(session.council),
        "title": session.title,
        "opened_at": session.opened_at,
        "opened_by": session.opened_by,
        "closed_at": session.closed_at,
    }


def _session_detail(session_id: int) -> SessionDetailOut:
    session = session_detail(session_id=session_id)
    if session is None:
        raise NotFound("no such session")
    return SessionDetailOut(
        **_session_out(session),
        roll=[
            RollEntryOut(
                constituency=r.delegation.constituency.code,
                delegate=r.delegation.member.person.name,
                attended_by=r.attended_by.person.name,
                as_alternate=r.as_alternate,
                alternate_source=r.alternate_source,
                weight=r.weight,
            )
            for r in session.roll.all()
        ],
        votes=[
            SessionVoteOut(**_vote(v), seats=[_seat(d) for d in v.delegate_votes.all()])
            for v in session.votes.all()
        ],
    )


@router.get("/orgs/{slug}/bodies/{code}/sessions", response=list[SessionOut], summary="A council's sessions")
@paginate(Pagination)
def sessions(request: HttpRequest, slug: str, code: str) -> list[dict[str, Any]]:
    user, org, _ = _caller(request, slug)
    return [
        _session_out(s)
        for s in sessions_of_council(council=access_body(user, org, code)).select_related("council")
    ]


@router.post(
    "/orgs/{slug}/bodies/{code}/sessions",
    response={201: SessionDetailOut},
    summary="Open a session of a council you are a delegate on",
)
def open_session(request: HttpRequest, slug: str, code: str, data: SessionIn) -> Status[SessionDetailOut]:
    user, org, member = _caller(request, slug)
    council = access_body(user, org, code)
    with domain_errors():
        session = session_open(council=council, member=member, title=data.title, actor=_actor(member))
    return Status(201, _session_detail(session.pk))


@router.get(
    "/orgs/{slug}/sessions/{session_id}",
    response=SessionDetailOut,
    summary="A council session: its roll and every vote with every seat's choice",
)
def session(request: HttpRequest, slug: str, session_id: int) -> SessionDetailOut:
    user, org, _ = _caller(request, slug)
    return _session_detail(access_session(user, org, session_id).pk)


@router.post(
    "/orgs/{slug}/sessions/{session_id}/roll",
    response={201: SessionDetailOut},
    summary="Sign the roll: for your own seat, or as the alternate of an absent delegate",
)
def sign_roll(request: HttpRequest, slug: str, session_id: int) -> Status[SessionDetailOut]:
    user, org, member = _caller(request, slug)
    found = access_session(user, org, session_id)
    with domain_errors():
        session_roll_sign(session=found, member=member, actor=_actor(member))
    return Status(201, _session_detail(found.pk))


@router.post("/orgs/{slug}/sessions/{session_id}/close", response=SessionDetailOut, summary="Close a session")
def close_session(request: HttpRequest, slug: str, session_id: int) -> SessionDetailOut:
    user, org, member = _caller(request, slug)
    found = access_session(user, org, session_id)
    with domain_errors():
        session_close(session=found, member=member, actor=_actor(member))
    return _session_detail(found.pk)
