"""API: mandates given by constituencies on items before the council above, and each delegate's
compliance record (their votes beside their mandates).

A mandate is proposed to the constituency's own vote and exists only if that vote carries it
(``POST /orgs/{slug}/votes/{id}/close`` closes it, as any vote). No endpoint sets a mandate directly.

Recall (``/orgs/{slug}/recalls``): petitions, signatures, the secret recall ballot and the result; see
``docs/recall.md``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_body, access_organisation
from commune.federation.models import Member
from commune.mandates.access import (
    access_delegate,
    access_mandate,
    access_recall_petition,
    access_recallable_seat,
)
from commune.mandates.errors import RecallConflict, RecallError, RecallNotEntitled
from commune.mandates.models import Mandate, RecallPetition
from commune.mandates.selectors import (
    compliance_record,
    mandates_of_motion,
    recall_ballot_voted,
    recall_petitions_against,
    recall_petitions_of_electorate,
    recall_petitions_of_organisation,
)
from commune.mandates.services import (
    mandate_decide,
    mandate_propose,
    recall_ballot_cast,
    recall_ballot_close,
    recall_may_take_part,
    recall_petition_open,
    recall_petition_sign,
    recall_signature_withdraw,
    recall_signed,
)
from commune.motions.access import access_motion, access_session
from commune.motions.api import domain_errors

router = Router(tags=["mandates"])


class MandateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    constituency: str = Field(description="The code of the body whose delegates the mandate instructs.")
    kind: Literal["binding", "instructed", "free"]
    instruction: Literal["yes", "no", "abstain", ""] = ""
    note: str = Field("", max_length=2000)
    minutes: int = Field(60 * 24, ge=1, le=60 * 24 * 60, description="How long the constituency votes.")
    session: int | None = Field(None, description="For a council constituency: the session it votes in.")


class MandateOut(Schema):
    id: int
    constituency: str
    council: str
    motion: int
    motion_title: str
    kind: str
    instruction: str
    note: str
    proposed_by: str
    proposed_at: datetime
    status: str
    vote: int = Field(description="The constituency's vote that decides it.")
    decided_at: datetime | None


class ComplianceRowOut(Schema):
    vote: int
    question: str
    motion: int
    motion_title: str
    council: str
    constituency: str
    session: int | None
    cast_at: datetime
    choice: str
    cast_by: str
    as_alternate: bool
    mandate_kind: str = Field(description="binding, instructed, free, or blank when none was given.")
    mandate_instruction: str
    compliance: Literal["complied", "departed", "free", "no mandate"]
    departure_reason: str


class ComplianceOut(Schema):
    member: str
    name: str
    votes: int
    departures: int
    record: list[ComplianceRowOut]


def _out(m: Mandate) -> MandateOut:
    return MandateOut(
        id=m.pk,
        constituency=m.constituency.code,
        council=m.council.code,
        motion=m.motion_id,
        motion_title=m.motion.title,
        kind=m.kind,
        instruction=m.instruction,
        note=m.note,
        proposed_by=m.proposed_by.person.name,
        proposed_at=m.proposed_at,
        status=m.status,
        vote=m.vote_id,
        decided_at=m.decided_at,
    )


def _in(minutes: int) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


@router.post(
    "/orgs/{slug}/motions/{motion_id}/mandates",
    response={201: MandateOut},
    summary="Propose to your constituency's own vote a mandate for its delegates on an agenda item",
)
def propose(request: HttpRequest, slug: str, motion_id: int, data: MandateIn) -> Status[MandateOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    motion = access_motion(user, org, motion_id)
    constituency = access_body(user, org, data.constituency)
    session = access_session(user, org, data.session) if data.session is not None else None
    with domain_errors():
        mandate = mandate_propose(
            constituency=constituency,
            motion=motion,
            member=member,
            kind=data.kind,
            instruction=data.instruction,
            note=data.note,
            closes_at=_in(data.minutes),
            session=session,
            actor=Actor.of(user, role=f"member {member.number}"),
        )
    return Status(201, _out(access_mandate(user, org, mandate.pk)))


@router.get(
    "/orgs/{slug}/motions/{motion_id}/mandates",
    response=list[MandateOut],
    summary="The mandates given (or being voted on) for an item",
)
def of_motion(request: HttpRequest, slug: str, motion_id: int) -> list[MandateOut]:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    motion = access_motion(user, org, motion_id)
    return [_out(m) for m in mandates_of_motion(motion_id=motion.pk)]


@router.get("/orgs/{slug}/mandates/{mandate_id}", response=MandateOut, summary="A mandate")
def mandate(request: HttpRequest, slug: str, mandate_id: int) -> MandateOut:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    return _out(access_mandate(user, org, mandate_id))


@router.post(
    "/orgs/{slug}/mandates/{mandate_id}/decide",
    response=MandateOut,
    summary="Close the constituency's vote on a mandate (once its time is up or all have voted)",
)
def decide(request: HttpRequest, slug: str, mandate_id: int) -> MandateOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    found = access_mandate(user, org, mandate_id)
    with domain_errors():
        mandate_decide(mandate=found, actor=Actor.of(user, role=f"member {member.number}"))
    return _out(access_mandate(user, org, found.pk))


def _compliance(kind: str, departed: bool) -> Literal["complied", "departed", "free", "no mandate"]:
    if not kind:
        return "no mandate"
    if kind == "free":
        return "free"
    return "departed" if departed else "complied"


@router.get(
    "/orgs/{slug}/delegates/{number}/compliance",
    response=ComplianceOut,
    summary="A delegate's compliance record: every vote cast for their seats beside the mandate in force",
)
def compliance(request: HttpRequest, slug: str, number: str) -> ComplianceOut:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    delegate = access_delegate(user, org, number)
    rows = [
        ComplianceRowOut(
            vote=d.vote_id,
            question=d.vote.question,
            motion=d.vote.motion_id,
            motion_title=d.vote.motion.title,
            council=d.delegation.council.code,
            constituency=d.delegation.constituency.code,
            session=d.vote.session_id,
            cast_at=d.cast_at,
            choice=d.choice,
            cast_by=d.cast_by.person.name,
            as_alternate=d.as_alternate,
            mandate_kind=d.mandate_kind,
            mandate_instruction=d.mandate_instruction,
            compliance=_compliance(d.mandate_kind, d.departed),
            departure_reason=d.departure_reason,
        )
        for d in compliance_record(member=delegate)
    ]
    return ComplianceOut(
        member=delegate.number,
        name=delegate.person.name,
        votes=len(rows),
        departures=sum(1 for r in rows if r.compliance == "departed"),
        record=rows,
    )


# --- Recall ---------------------------------------------------------------------------------------------
#
# Open a petition, sign it, take one's own signature back, read it, vote in its recall ballot, read the
# result. There is deliberately no endpoint to pause, void, delay or withdraw a petition or ballot: only
# the electorate's signatures and votes decide a recall. Signers' names are never served (docs/recall.md).


@contextmanager
def recall_errors() -> Iterator[None]:
    """Turn recall refusals into 4xx responses with the domain's message as ``detail``."""
    try:
        yield
    except RecallNotEntitled as exc:
        raise HttpError(403, str(exc)) from exc
    except RecallConflict as exc:
        raise HttpError(409, str(exc)) from exc
    except RecallError as exc:
        raise HttpError(400, str(exc)) from exc


class RecallOpenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    holder: str = Field(description="The membership number of the delegate or officer to recall.")
    council: str | None = Field(None, description="For a delegate: the code of the council they sit on.")
    body: str | None = Field(None, description="For an officer: the code of the body whose office it is.")
    office: str | None = Field(None, description="For an officer: the office's title.")
    grounds: str = Field("", max_length=4000, description="Why, in the petitioners' words.")


class RecallBallotIn(Schema):
    model_config = ConfigDict(extra="forbid")

    choice: Literal["yes", "no", "abstain"] = Field(description="yes: recall them; no: keep them.")


class RecallSeatOut(Schema):
    kind: Literal["delegate", "officer"]
    council: str | None
    constituency: str | None
    office: str | None
    body: str
    election: int = Field(description="The election whose electorate may recall the holder.")
    term_end: date


class RecallBallotOut(Schema):
    question: str
    opened_at: datetime
    closes_at: datetime
    closed: bool
    electorate: int
    majority: str
    yes: int | None = Field(description="Once counted; none while the ballot is open.")
    no: int | None
    abstain: int | None
    carried: bool | None
    explanation: str
    you_voted: bool


class RecallReplacementOut(Schema):
    method: str = Field(description="countback, by-election, by-election-seated, vacant, or blank.")
    member: str | None
    name: str | None
    by_election: int | None
    note: str
    countback: dict[str, Any] | None = Field(description="The countback's recount, stage by stage.")


class RecallPetitionOut(Schema):
    id: int
    holder: str
    holder_name: str
    seat: RecallSeatOut
    grounds: str
    status: str
    status_label: str
    opened_at: datetime
    deadline: datetime
    electorate: int
    threshold_percent: str
    signatures_required: int
    signatures: int
    procedure: str
    replacement_rule: str
    threshold_reached_at: datetime | None
    decided_at: datetime | None
    you_may_take_part: bool = Field(description="Whether you are in the electorate that may sign and vote.")
    you_signed: bool = Field(description="Whether you signed (only ever your own signature).")
    ballot: RecallBallotOut | None
    replacement: RecallReplacementOut | None


class RecallSummaryOut(Schema):
    id: int
    holder: str
    holder_name: str
    seat: RecallSeatOut
    status: str
    signatures: int
    signatures_required: int
    deadline: datetime


def _recall_seat(p: RecallPetition) -> RecallSeatOut:
    seat = p.seat
    if seat.delegation is not None:
        d = seat.delegation
        return RecallSeatOut(
            kind="delegate",
            council=d.council.code,
            constituency=d.constituency.code,
            office=None,
            body=p.body.code,
            election=seat.election_id,
            term_end=d.term_end,
        )
    term = seat.office_term
    assert term is not None
    return RecallSeatOut(
        kind="officer",
        council=None,
        constituency=None,
        office=term.office.title,
        body=term.office.body.code,
        election=seat.election_id,
        term_end=term.term_end,
    )


def _recall_ballot(p: RecallPetition, member: Member) -> RecallBallotOut | None:
    ballot = getattr(p, "ballot", None)
    if ballot is None:
        return None
    closed = ballot.closed_at is not None
    return RecallBallotOut(
        question=ballot.question,
        opened_at=ballot.opened_at,
        closes_at=ballot.closes_at,
        closed=closed,
        electorate=ballot.electorate,
        majority=p.ballot_majority,
        yes=ballot.yes if closed else None,
        no=ballot.no if closed else None,
        abstain=ballot.abstain if closed else None,
        carried=ballot.carried,
        explanation=ballot.explanation,
        you_voted=recall_ballot_voted(petition=p, member=member),
    )


def _recall_replacement(p: RecallPetition) -> RecallReplacementOut | None:
    if p.status != "recalled":
        return None
    return RecallReplacementOut(
        method=p.replacement_outcome,
        member=p.replaced_by.number if p.replaced_by else None,
        name=p.replaced_by.person.name if p.replaced_by else None,
        by_election=p.by_election_id,
        note=p.replacement_note,
        countback=p.countback,
    )


def _recall_out(p: RecallPetition, member: Member) -> RecallPetitionOut:
    return RecallPetitionOut(
        id=p.pk,
        holder=p.holder.number,
        holder_name=p.holder.person.name,
        seat=_recall_seat(p),
        grounds=p.grounds,
        status=p.status,
        status_label=p.get_status_display(),
        opened_at=p.opened_at,
        deadline=p.deadline,
        electorate=p.electorate_size,
        threshold_percent=str(p.threshold_percent),
        signatures_required=p.signatures_required,
        signatures=p.signatures,
        procedure=p.procedure,
        replacement_rule=p.replacement,
        threshold_reached_at=p.threshold_reached_at,
        decided_at=p.decided_at,
        you_may_take_part=recall_may_take_part(seat=p.seat, member=member),
        you_signed=recall_signed(petition=p, member=member),
        ballot=_recall_ballot(p, member),
        replacement=_recall_replacement(p),
    )


def _recall_summary(p: RecallPetition) -> RecallSummaryOut:
    return RecallSummaryOut(
        id=p.pk,
        holder=p.holder.number,
        holder_name=p.holder.person.name,
        seat=_recall_seat(p),
        status=p.status,
        signatures=p.signatures,
        signatures_required=p.signatures_required,
        deadline=p.deadline,
    )


def _recall_reread(user: Any, org: Any, petition_id: int, member: Member) -> RecallPetitionOut:
    return _recall_out(access_recall_petition(user, org, petition_id), member)


@router.post(
    "/orgs/{slug}/recalls",
    response={201: RecallPetitionOut},
    summary="Open a petition to recall a delegate or officer your electorate elected (you sign it first)",
)
def recall_open(request: HttpRequest, slug: str, data: RecallOpenIn) -> Status[RecallPetitionOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    seat = access_recallable_seat(
        user, org, holder=data.holder, council=data.council, body=data.body, office=data.office
    )
    with recall_errors():
        petition = recall_petition_open(seat=seat, member=member, grounds=data.grounds)
    return Status(201, _recall_reread(user, org, petition.pk, member))


@router.get(
    "/orgs/{slug}/recalls",
    response=list[RecallSummaryOut],
    summary="Every recall petition in the organisation, newest first (counts, never signers' names)",
)
def recall_list(request: HttpRequest, slug: str) -> list[RecallSummaryOut]:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    return [_recall_summary(p) for p in recall_petitions_of_organisation(organisation_id=org.pk)]


@router.get(
    "/orgs/{slug}/recalls/mine",
    response=list[RecallSummaryOut],
    summary="Recall petitions against holders your electorates elected: those you may sign",
)
def recall_mine(request: HttpRequest, slug: str) -> list[RecallSummaryOut]:
    user = request_person(request)
    _, member = access_organisation(user, slug)
    return [_recall_summary(p) for p in recall_petitions_of_electorate(member=member)]


@router.get(
    "/orgs/{slug}/delegates/{number}/recalls",
    response=list[RecallSummaryOut],
    summary="Recall petitions against one member, from any seat or office",
)
def recall_against(request: HttpRequest, slug: str, number: str) -> list[RecallSummaryOut]:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    holder = access_delegate(user, org, number)
    return [_recall_summary(p) for p in recall_petitions_against(member=holder)]


@router.get(
    "/orgs/{slug}/recalls/{petition_id}",
    response=RecallPetitionOut,
    summary="A recall petition: its count, threshold, deadline and status; its ballot and replacement",
)
def recall_detail(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return _recall_out(access_recall_petition(user, org, petition_id), member)


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/signature",
    response=RecallPetitionOut,
    summary="Sign a recall petition (members of the holder's electorate, once each)",
)
def recall_sign(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    with recall_errors():
        recall_petition_sign(petition=petition, member=member)
    return _recall_reread(user, org, petition_id, member)


@router.delete(
    "/orgs/{slug}/recalls/{petition_id}/signature",
    response=RecallPetitionOut,
    summary="Take back your own signature, while the petition is still gathering signatures",
)
def recall_unsign(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    with recall_errors():
        recall_signature_withdraw(petition=petition, member=member)
    return _recall_reread(user, org, petition_id, member)


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot",
    response={204: None},
    summary="Vote in the secret recall ballot (the register notes that you voted, never how)",
)
def recall_ballot_vote(
    request: HttpRequest, slug: str, petition_id: int, data: RecallBallotIn
) -> Status[None]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    with recall_errors():
        recall_ballot_cast(petition=petition, member=member, choice=data.choice)
    return Status(204, None)


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot/count",
    response=RecallPetitionOut,
    summary="Count the recall ballot once its time is up or everyone has voted (never earlier)",
)
def recall_ballot_count(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    with recall_errors():
        recall_ballot_close(petition=petition, actor=Actor.of(user, role=f"member {member.number}"))
    return _recall_reread(user, org, petition_id, member)


@router.get(
    "/orgs/{slug}/recalls/{petition_id}/result",
    response=RecallPetitionOut,
    summary="The outcome: the ballot's count and the replacement (the countback's recount stage by stage)",
)
def recall_result(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    if petition.decided_at is None:
        raise HttpError(409, "this recall is not decided yet")
    return _recall_out(petition, member)
