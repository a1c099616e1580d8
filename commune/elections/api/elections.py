"""API: elections of a body, nominations, endorsements and results (ballots: ``commune.elections.api.ballots``).

Every member of an organisation may read its elections. A member nominates, withdraws and seconds only as
themselves: no endpoint lets anyone add, strike or reorder another member's candidacy. Calling a body's
election and publishing its endorsements need a current office of that body.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from commune.accounts.access import request_person
from commune.api.answers import REFUSED, refusals
from commune.audit.services import Actor
from commune.elections.access import access_body_as_officer, access_candidacy, access_election
from commune.elections.errors import ElectionConflict, ElectionError
from commune.elections.models import Candidacy, CandidacyStatus, Election, ElectionStatus
from commune.elections.selectors import election_detail, elections_of_body, voter_status
from commune.elections.services import (
    Timeline,
    candidacy_nominate,
    candidacy_second,
    candidacy_withdraw,
    election_call,
    endorsement_publish,
    timeline_default,
)
from commune.federation.access import NotFound, access_body, access_organisation
from commune.federation.models import Member, Office

router = Router(tags=["elections"])


def _actor(member: Member, role: str = "") -> Actor:
    return Actor.of(
        member.person, role=f"member {member.number}, {role}" if role else f"member {member.number}"
    )


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ElectionOut(Schema):
    id: int
    title: str
    kind: str
    body: str
    body_name: str
    council: str | None
    office: str | None
    seats: int
    method: str
    status: str
    status_label: str
    electorate: str
    electorate_size: int
    weighted: bool
    allow_revote: bool
    seconders_required: int
    nominations_open_at: datetime
    nominations_close_at: datetime
    voting_open_at: datetime
    voting_close_at: datetime
    term_start: date
    term_end: date
    called_by: str
    ballots_counted: int
    merkle_root: str
    uncontested: bool
    failure_reason: str


def election_out(e: Election) -> ElectionOut:
    return ElectionOut(
        id=e.pk,
        title=e.title,
        kind=e.kind,
        body=e.body.code,
        body_name=e.body.name,
        council=e.council.code if e.council else None,
        office=e.office.title if e.office else None,
        seats=e.seats,
        method=e.method,
        status=e.status,
        status_label=e.get_status_display(),
        electorate=e.electorate_mode,
        electorate_size=e.electorate_size,
        weighted=e.weighted,
        allow_revote=e.allow_revote,
        seconders_required=e.seconders_required,
        nominations_open_at=e.nominations_open_at,
        nominations_close_at=e.nominations_close_at,
        voting_open_at=e.voting_open_at,
        voting_close_at=e.voting_close_at,
        term_start=e.term_start,
        term_end=e.term_end,
        called_by=e.called_by,
        ballots_counted=e.ballots_counted,
        merkle_root=e.merkle_root,
        uncontested=e.uncontested,
        failure_reason=e.failure_reason,
    )


class EndorsementOut(Schema):
    body: str
    body_name: str
    statement: str
    published_at: datetime


class CandidateOut(Schema):
    id: int
    name: str
    member_number: str
    statement: str
    tendency: str
    status: str
    seconders: int
    endorsements: list[EndorsementOut]
    outcome: str
    elected_order: int | None
    alternate_rank: int | None


def candidate_out(c: Candidacy) -> CandidateOut:
    return CandidateOut(
        id=c.pk,
        name=c.ballot_label or c.member.person.name,
        member_number=c.member.number,
        statement=c.statement,
        tendency=c.tendency,
        status=c.status,
        seconders=getattr(c, "seconder_count", 0),
        endorsements=[
            EndorsementOut(
                body=e.body.code, body_name=e.body.name, statement=e.statement, published_at=e.published_at
            )
            for e in c.endorsements.all()
        ]
        if hasattr(c, "seconder_count")
        else [],
        outcome=c.outcome,
        elected_order=c.elected_order,
        alternate_rank=c.alternate_rank,
    )


class YouOut(Schema):
    elector: bool
    weight: int
    voted: bool
    candidacy: int | None


class ElectionDetailOut(ElectionOut):
    candidates: list[CandidateOut]
    you: YouOut


class CallIn(_Strict):
    kind: Literal["delegates", "officer", "other"]
    office: str | None = Field(None, description="For an officer election: the office's title.")
    title: str = ""
    seats: int | None = Field(None, ge=1, le=500, description="For other elections: the number of seats.")
    nominations_open_at: datetime | None = None
    nominations_close_at: datetime | None = None
    voting_open_at: datetime | None = None
    voting_close_at: datetime | None = None


class NominationIn(_Strict):
    statement: str = ""
    tendency: str = Field("", max_length=120)


class EndorsementIn(_Strict):
    body: str = Field(description="The code of the endorsing body (you must hold one of its offices).")
    statement: str = ""


class ResultOut(Schema):
    election: int
    method: str
    seats: int
    uncontested: bool
    elected: list[str]
    alternates: list[str]
    ballots_counted: int
    merkle_root: str
    seed: int | None
    count: dict[str, Any]


def _timeline(data: CallIn) -> Timeline:
    given = [data.nominations_open_at, data.nominations_close_at, data.voting_open_at, data.voting_close_at]
    if all(t is None for t in given):
        return timeline_default(now=timezone.now())
    if any(t is None for t in given):
        raise ElectionError(_("give all four times of the timeline, or none for the default (a week each)"))
    return Timeline(*given)  # type: ignore[arg-type]


@router.get("/orgs/{slug}/bodies/{code}/elections", response=list[ElectionOut], summary="A body's elections")
def body_elections(request: HttpRequest, slug: str, code: str) -> list[ElectionOut]:
    org, _person = access_organisation(request_person(request), slug)
    body = access_body(request_person(request), org, code)
    return [election_out(e) for e in elections_of_body(body=body)]


@router.post(
    "/orgs/{slug}/bodies/{code}/elections",
    response={201: ElectionOut, **REFUSED},
    summary="Call an election of a body (an officer of the body)",
)
def election_call_endpoint(request: HttpRequest, slug: str, code: str, data: CallIn) -> Status[ElectionOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    body = access_body(user, org, code)
    term = access_body_as_officer(member, body)
    office = None
    if data.kind == "officer":
        office = Office.objects.filter(body=body, title=data.office or "").first()
        if office is None:
            raise ElectionError(
                _("%(body)s has no office called %(office)s")
                % {"body": body.name, "office": repr(data.office)}
            )
    election = election_call(
        body=body,
        kind=data.kind,
        timeline=_timeline(data),
        office=office,
        title=data.title,
        seats=data.seats,
        caller=member,
        actor=_actor(member, f"{term.office.title} of {body.name}"),
    )
    return Status(201, election_out(election))


def _detail(election: Election, member: Member) -> ElectionDetailOut:
    detail = election_detail(election_id=election.pk)
    assert detail is not None
    status = voter_status(election=detail, member=member)
    candidacies = list(detail.candidacies.all())
    mine = next(
        (c.pk for c in candidacies if c.member_id == member.pk and c.status == CandidacyStatus.STANDING), None
    )
    if detail.status not in (ElectionStatus.SCHEDULED, ElectionStatus.NOMINATIONS):
        candidacies = [c for c in candidacies if c.status == CandidacyStatus.STANDING]
    return ElectionDetailOut(
        **election_out(detail).model_dump(),
        candidates=[candidate_out(c) for c in candidacies],
        you=YouOut(elector=status.elector, weight=status.weight, voted=status.voted, candidacy=mine),
    )


@router.get(
    "/orgs/{slug}/elections/{election_id}",
    response=ElectionDetailOut,
    summary="An election and its candidates",
)
def election_get(request: HttpRequest, slug: str, election_id: int) -> ElectionDetailOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return _detail(access_election(user, org, election_id), member)


@router.post(
    "/orgs/{slug}/elections/{election_id}/nominations",
    response={201: CandidateOut, **REFUSED},
    summary="Stand for election (yourself only)",
)
def nominate(request: HttpRequest, slug: str, election_id: int, data: NominationIn) -> Status[CandidateOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    election = access_election(user, org, election_id)
    candidacy = candidacy_nominate(
        election=election,
        member=member,
        statement=data.statement,
        tendency=data.tendency,
        actor=_actor(member),
    )
    return Status(201, candidate_out(candidacy))


@router.delete(
    "/orgs/{slug}/elections/{election_id}/nominations/mine",
    response={200: CandidateOut, **REFUSED},
    summary="Withdraw your own nomination",
)
def withdraw(request: HttpRequest, slug: str, election_id: int) -> CandidateOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    election = access_election(user, org, election_id)
    candidacy = (
        Candidacy.objects.filter(election=election, member=member).select_related("member__person").first()
    )
    if candidacy is None:
        raise NotFound(_("you have not stood in this election"))
    return candidate_out(candidacy_withdraw(candidacy=candidacy, member=member, actor=_actor(member)))


@router.post(
    "/orgs/{slug}/elections/{election_id}/candidates/{candidacy_id}/seconds",
    response={201: CandidateOut, **REFUSED},
    summary="Second a candidate",
)
def second(request: HttpRequest, slug: str, election_id: int, candidacy_id: int) -> Status[CandidateOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    election = access_election(user, org, election_id)
    candidacy = access_candidacy(user, election, candidacy_id)
    candidacy_second(candidacy=candidacy, member=member, actor=_actor(member))
    return Status(201, candidate_out(candidacy))


@router.post(
    "/orgs/{slug}/elections/{election_id}/candidates/{candidacy_id}/endorsements",
    response={201: EndorsementOut, **REFUSED},
    summary="Publish a body's endorsement of a candidate (an officer of that body)",
)
def endorse(
    request: HttpRequest, slug: str, election_id: int, candidacy_id: int, data: EndorsementIn
) -> Status[EndorsementOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    election = access_election(user, org, election_id)
    candidacy = access_candidacy(user, election, candidacy_id)
    body = access_body(user, org, data.body)
    term = access_body_as_officer(member, body)
    e = endorsement_publish(
        candidacy=candidacy,
        body=body,
        statement=data.statement,
        actor=_actor(member, f"{term.office.title} of {body.name}"),
    )
    return Status(
        201,
        EndorsementOut(
            body=body.code, body_name=body.name, statement=e.statement, published_at=e.published_at
        ),
    )


@router.get(
    "/orgs/{slug}/elections/{election_id}/result",
    response={200: ResultOut, **refusals(409)},
    summary="The declared result, stage by stage",
)
def result(request: HttpRequest, slug: str, election_id: int) -> ResultOut:
    user = request_person(request)
    org, _person = access_organisation(user, slug)
    election = access_election(user, org, election_id)
    if election.status != ElectionStatus.DECLARED:
        raise ElectionConflict(_("the result is declared after voting closes and the count is done"))
    detail = election_detail(election_id=election.pk)
    assert detail is not None
    ranked: Callable[[Candidacy], int] = lambda c: c.elected_order or c.alternate_rank or 0  # noqa: E731
    cands = list(detail.candidacies.all())
    return ResultOut(
        election=election.pk,
        method=election.method,
        seats=election.seats,
        uncontested=election.uncontested,
        elected=[c.ballot_label for c in sorted((c for c in cands if c.outcome == "elected"), key=ranked)],
        alternates=[
            c.ballot_label for c in sorted((c for c in cands if c.outcome == "alternate"), key=ranked)
        ],
        ballots_counted=election.ballots_counted,
        merkle_root=election.merkle_root,
        seed=election.tie_seed,
        count=election.result or {},
    )
