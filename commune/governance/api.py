"""API: executives and their decisions, call-ins, constitutional amendments, the register of offices and
their pay, wage bands, tendencies.

Every current member of an organisation may read all of it. Writes go through the governance services,
which check who may do what; refusals are ``{"detail": ...}`` with 400 (a rule broken), 403 (not yours to
do, or nobody's: a reserved power) or 409 (not at that stage).
"""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import NotFound, access_body, access_organisation, can_manage_roll
from commune.federation.models import Body, BodyKind, Member
from commune.governance.access import (
    access_call_in,
    access_decision,
    access_executive,
    access_office,
    access_office_pay,
    access_proposal,
    access_tendency,
)
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import (
    CallIn,
    ConstitutionProposal,
    Executive,
    ExecutiveDecision,
    OfficePay,
    Tendency,
    WageBand,
)
from commune.governance.selectors import (
    call_in_detail,
    constitution_versions,
    executive_detail,
    executives_of_organisation,
    offices_register,
    tendencies_of_organisation,
)
from commune.governance.services import (
    call_in_open,
    call_in_settle,
    call_in_sign,
    constitution_amendment_enact,
    constitution_amendment_propose,
    executive_decision_record,
    executive_dissolution_propose,
    executive_propose,
    executive_settle,
    office_pay_propose,
    office_pay_settle,
    pay_cap,
    tendency_dissolution_vote,
    tendency_found,
    tendency_join,
    tendency_leave,
    tendency_members_count,
    wage_band_set,
)
from commune.motions.errors import MotionConflict, MotionError
from commune.motions.errors import NotEntitled as MotionNotEntitled

router = Router(tags=["governance"])


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the domain's refusals into 4xx responses with its message as ``detail``."""
    try:
        yield
    except (NotEntitled, MotionNotEntitled) as exc:
        raise HttpError(403, str(exc)) from exc
    except (GovernanceConflict, MotionConflict) as exc:
        raise HttpError(409, str(exc)) from exc
    except (GovernanceError, MotionError) as exc:
        raise HttpError(400, str(exc)) from exc


def _caller(request: HttpRequest, slug: str) -> tuple[Any, Any, Member]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return user, org, member


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# Executives ------------------------------------------------------------------------------------------


class ExecutiveIn(_Strict):
    kind: str = Field(description="executive, commission or officers")
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    remit: str = Field("", max_length=5000)
    powers: list[str] = Field(description="Named powers delegated, e.g. ['book-venues', 'negotiate-pay'].")
    members: list[str] = Field([], description="Member numbers to sit on it, from within the council.")


class ExecutiveOut(Schema):
    code: str
    name: str
    kind: str
    status: str
    council: str
    powers: list[str]
    remit: str
    motion: int = Field(description="The council's motion that creates it.")
    dissolution_motion: int | None
    established_at: datetime | None
    dissolved_at: datetime | None


class SeatOut(Schema):
    member: str
    name: str
    since: datetime


class DecisionOut(Schema):
    id: int
    executive: str
    power: str
    title: str
    text: str
    decided_by: str
    decided_at: datetime
    status: str
    reversed_by_motion: int | None
    reversed_at: datetime | None


class ExecutiveDetailOut(ExecutiveOut):
    seats: list[SeatOut]
    decisions: list[DecisionOut]


def _executive(e: Executive) -> dict[str, Any]:
    return {
        "code": e.code,
        "name": e.name,
        "kind": e.kind,
        "status": e.status,
        "council": e.council.code,
        "powers": list(e.powers),
        "remit": e.remit,
        "motion": e.motion_id,
        "dissolution_motion": e.dissolution_motion_id,
        "established_at": e.established_at,
        "dissolved_at": e.dissolved_at,
    }


def _decision(d: ExecutiveDecision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "executive": d.executive.code,
        "power": d.power,
        "title": d.title,
        "text": d.text,
        "decided_by": d.decided_by.number,
        "decided_at": d.decided_at,
        "status": d.status,
        "reversed_by_motion": d.reversed_by_id,
        "reversed_at": d.reversed_at,
    }


def _executive_detail(executive: Executive) -> dict[str, Any]:
    detail = executive_detail(executive=executive)
    return {
        **_executive(executive),
        "seats": [
            {"member": s.member.number, "name": s.member.person.name, "since": s.started_at}
            for s in detail["seats"]
        ],
        "decisions": [_decision(d) for d in detail["decisions"]],
    }


@router.get(
    "/orgs/{slug}/executives", response=list[ExecutiveOut], summary="Executives, commissions, officers"
)
def executives(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = _caller(request, slug)
    return [_executive(e) for e in executives_of_organisation(organisation=org)]


@router.post(
    "/orgs/{slug}/bodies/{code}/executives",
    response={201: ExecutiveDetailOut},
    summary="Move a council motion establishing an executive with stated powers (council delegates only)",
)
def propose_executive(
    request: HttpRequest, slug: str, code: str, data: ExecutiveIn
) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    council = access_body(user, org, code)
    numbers = list(dict.fromkeys(data.members))
    members = list(
        Member.objects.select_related("current_unit", "person").filter(organisation=org, number__in=numbers)
    )
    if len(members) != len(numbers):
        missing = sorted(set(numbers) - {m.number for m in members})
        raise HttpError(400, f"no such member: {', '.join(missing)}")
    with domain_errors():
        executive = executive_propose(
            council=council,
            member=member,
            kind=data.kind,
            code=data.code,
            name=data.name,
            remit=data.remit,
            powers=data.powers,
            members=members,
            actor=_actor(member),
        )
    return Status(201, _executive_detail(executive))


@router.get(
    "/orgs/{slug}/executives/{code}", response=ExecutiveDetailOut, summary="An executive and its record"
)
def executive(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _executive_detail(access_executive(user, org, code))


@router.post(
    "/orgs/{slug}/executives/{code}/settle",
    response=ExecutiveDetailOut,
    summary="Apply the council's decided motion: establish or dissolve the executive",
)
def settle_executive(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        settled = executive_settle(executive=access_executive(user, org, code), actor=_actor(member))
    return _executive_detail(settled)


@router.post(
    "/orgs/{slug}/executives/{code}/dissolution",
    response={201: ExecutiveDetailOut},
    summary="Move a motion in the executive's council to dissolve it (council delegates only)",
)
def dissolve_executive(request: HttpRequest, slug: str, code: str) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        executive = executive_dissolution_propose(
            executive=access_executive(user, org, code), member=member, actor=_actor(member)
        )
    return Status(201, _executive_detail(executive))


class DecisionIn(_Strict):
    power: str = Field(max_length=60)
    title: str = Field(max_length=200)
    text: str = Field(max_length=20000)


@router.post(
    "/orgs/{slug}/executives/{code}/decisions",
    response={201: DecisionOut},
    summary="Record a decision of the executive under one of its powers (its members only)",
)
def decide(request: HttpRequest, slug: str, code: str, data: DecisionIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        decision = executive_decision_record(
            executive=access_executive(user, org, code),
            member=member,
            power=data.power,
            title=data.title,
            text=data.text,
            actor=_actor(member),
        )
    return Status(201, _decision(decision))


@router.get("/orgs/{slug}/decisions/{decision_id}", response=DecisionOut, summary="An executive decision")
def decision(request: HttpRequest, slug: str, decision_id: int) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _decision(access_decision(user, org, decision_id))


class CallInIn(_Strict):
    reason: str = Field(max_length=5000)


class CallInOut(Schema):
    id: int
    decision: int
    council: str
    status: str
    reason: str
    threshold: int
    signers: list[str]
    motion: int | None = Field(description="The council's motion to reverse it, once the threshold is met.")
    settled_at: datetime | None


def _call_in(call_in: CallIn) -> dict[str, Any]:
    detail = call_in_detail(call_in=call_in)
    return {
        "id": call_in.pk,
        "decision": call_in.decision_id,
        "council": call_in.council.code,
        "status": call_in.status,
        "reason": call_in.reason,
        "threshold": call_in.threshold,
        "signers": detail["signers"],
        "motion": call_in.motion_id,
        "settled_at": call_in.settled_at,
    }


@router.post(
    "/orgs/{slug}/decisions/{decision_id}/call-in",
    response={201: CallInOut},
    summary="Call an executive decision in (delegates of its council)",
)
def call_in(request: HttpRequest, slug: str, decision_id: int, data: CallInIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        opened = call_in_open(
            decision=access_decision(user, org, decision_id),
            member=member,
            reason=data.reason,
            actor=_actor(member),
        )
    return Status(201, _call_in(access_call_in(user, org, opened.pk)))


@router.get("/orgs/{slug}/call-ins/{call_in_id}", response=CallInOut, summary="A call-in")
def call_in_get(request: HttpRequest, slug: str, call_in_id: int) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _call_in(access_call_in(user, org, call_in_id))


@router.post(
    "/orgs/{slug}/call-ins/{call_in_id}/signatures",
    response={201: CallInOut},
    summary="Sign a call-in (delegates of the council)",
)
def call_in_signature(request: HttpRequest, slug: str, call_in_id: int) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        signed = call_in_sign(
            call_in=access_call_in(user, org, call_in_id), member=member, actor=_actor(member)
        )
    return Status(201, _call_in(access_call_in(user, org, signed.pk)))


@router.post(
    "/orgs/{slug}/call-ins/{call_in_id}/settle",
    response=CallInOut,
    summary="Apply the council's vote on a call-in: reverse the decision or let it stand",
)
def call_in_apply(request: HttpRequest, slug: str, call_in_id: int) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        settled = call_in_settle(call_in=access_call_in(user, org, call_in_id), actor=_actor(member))
    return _call_in(access_call_in(user, org, settled.pk))


# The constitution ------------------------------------------------------------------------------------


class ProposalIn(_Strict):
    changes: dict[str, Any] = Field(description="Rules to change: {'offices.max_consecutive_terms': 2, …}.")
    reason: str = Field("", max_length=5000)


class ChangeOut(Schema):
    rule: str
    before: Any
    after: Any


class ProposalOut(Schema):
    id: int
    status: str
    body: str
    motion: int
    base_version: int
    changes: list[ChangeOut]
    reason: str
    enacted_as: int | None = Field(description="The version number it became.")


def _proposal(p: ConstitutionProposal) -> dict[str, Any]:
    from commune.governance.diff import rules_changes

    return {
        "id": p.pk,
        "status": p.status,
        "body": p.motion.body.code,
        "motion": p.motion_id,
        "base_version": p.base_version.number,
        "changes": [
            {"rule": k, "before": a, "after": b} for k, a, b in rules_changes(p.base_version.rules, p.rules)
        ],
        "reason": p.reason,
        "enacted_as": p.enacted_as.number if p.enacted_as else None,
    }


@router.post(
    "/orgs/{slug}/bodies/{code}/constitution-proposals",
    response={201: ProposalOut},
    summary="Propose an amendment to the constitution, as a constitutional motion in a body you sit in",
)
def propose_amendment(request: HttpRequest, slug: str, code: str, data: ProposalIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    body = access_body(user, org, code)
    with domain_errors():
        proposal = constitution_amendment_propose(
            body=body, member=member, changes=data.changes, reason=data.reason, actor=_actor(member)
        )
    return Status(201, _proposal(access_proposal(user, org, proposal.pk)))


@router.get("/orgs/{slug}/constitution-proposals/{proposal_id}", response=ProposalOut, summary="A proposal")
def proposal(request: HttpRequest, slug: str, proposal_id: int) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _proposal(access_proposal(user, org, proposal_id))


class VersionOut(Schema):
    number: int
    adopted_at: datetime
    adopted_by: str
    referendum: int | None
    motion: int | None
    vote: int | None = Field(description="The referendum ballot behind it; none for the founding text.")
    yes: int | None
    no: int | None
    abstain: int | None
    electorate: int | None
    changes: list[ChangeOut] = Field(description="What it changed from the version before.")


@router.post(
    "/orgs/{slug}/constitution-proposals/{proposal_id}/enact",
    response={201: VersionOut},
    summary="Enact a proposal the membership carried by referendum",
)
def enact(request: HttpRequest, slug: str, proposal_id: int) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        version = constitution_amendment_enact(
            proposal=access_proposal(user, org, proposal_id), actor=_actor(member)
        )
    entry = next(v for v in constitution_versions(organisation=org) if v.number == version.number)
    return Status(201, _version(entry))


def _version(v: Any) -> dict[str, Any]:
    return {
        "number": v.number,
        "adopted_at": v.adopted_at,
        "adopted_by": v.adopted_by,
        "referendum": v.referendum_id,
        "motion": v.motion_id,
        "vote": v.vote_id,
        "yes": v.yes,
        "no": v.no,
        "abstain": v.abstain,
        "electorate": v.electorate,
        "changes": [{"rule": k, "before": a, "after": b} for k, a, b in v.changes],
    }


@router.get(
    "/orgs/{slug}/constitution/history",
    response=list[VersionOut],
    summary="Every version of the constitution, with the vote behind it and what it changed",
)
def history(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = _caller(request, slug)
    return [_version(v) for v in constitution_versions(organisation=org)]


# Offices, pay, wage bands ----------------------------------------------------------------------------


class RegisterEntryOut(Schema):
    kind: str
    title: str
    body_code: str
    body_name: str
    holder_name: str
    holder_number: str
    term_start: date | None
    term_end: date | None
    weekly_pay: Decimal | None
    how_elected: str
    election_id: int | None
    motion_id: int | None


@router.get("/orgs/{slug}/offices", response=list[RegisterEntryOut], summary="The public register of offices")
def register(request: HttpRequest, slug: str) -> list[Any]:
    _, org, _ = _caller(request, slug)
    return offices_register(organisation=org)


class WageBandIn(_Strict):
    code: str = Field(max_length=40)
    weekly: Decimal = Field(ge=0, max_digits=10, decimal_places=2)


class WageBandOut(Schema):
    code: str
    weekly: Decimal


class WagesOut(Schema):
    bands: list[WageBandOut]
    median_weekly: Decimal | None
    pay_cap_multiple: Decimal | None
    pay_cap_weekly: Decimal | None
    members_counted: int


def _wages(org: Any) -> dict[str, Any]:
    bands = [{"code": b.code, "weekly": b.weekly} for b in WageBand.objects.filter(organisation=org)]
    try:
        cap = pay_cap(organisation=org)
    except GovernanceError:
        return {
            "bands": bands,
            "median_weekly": None,
            "pay_cap_multiple": None,
            "pay_cap_weekly": None,
            "members_counted": 0,
        }
    return {
        "bands": bands,
        "median_weekly": cap.median_weekly,
        "pay_cap_multiple": cap.multiple,
        "pay_cap_weekly": cap.cap_weekly,
        "members_counted": cap.members_counted,
    }


@router.get(
    "/orgs/{slug}/wage-bands", response=WagesOut, summary="Wage bands, the median wage and the pay cap"
)
def wages(request: HttpRequest, slug: str) -> dict[str, Any]:
    _, org, _ = _caller(request, slug)
    return _wages(org)


@router.post(
    "/orgs/{slug}/wage-bands",
    response=WagesOut,
    summary="Set a wage band's weekly figure (officers who manage a roll)",
)
def set_wage_band(request: HttpRequest, slug: str, data: WageBandIn) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    units = Body.objects.filter(organisation=org, kind=BodyKind.UNIT, offices__manages_roll=True).distinct()
    if not any(can_manage_roll(user, unit) for unit in units):
        raise HttpError(403, "only an elected officer who manages a unit's roll may set wage bands")
    with domain_errors():
        wage_band_set(organisation=org, code=data.code, weekly=data.weekly, actor=_actor(member))
    return _wages(org)


class PayIn(_Strict):
    weekly: Decimal = Field(ge=0, max_digits=10, decimal_places=2)


class PayOut(Schema):
    id: int
    office: int
    office_title: str
    body: str
    weekly: Decimal
    status: str
    motion: int
    cap_when_set: Decimal | None
    in_force_from: datetime | None


def _pay(p: OfficePay) -> dict[str, Any]:
    return {
        "id": p.pk,
        "office": p.office_id,
        "office_title": p.office.title,
        "body": p.office.body.code,
        "weekly": p.weekly,
        "status": p.status,
        "motion": p.motion_id,
        "cap_when_set": p.cap_when_set,
        "in_force_from": p.in_force_from,
    }


@router.post(
    "/orgs/{slug}/offices/{office_id}/pay",
    response={201: PayOut},
    summary="Move a motion in the office's own body setting its weekly pay (refused above the cap)",
)
def propose_pay(request: HttpRequest, slug: str, office_id: int, data: PayIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        pay = office_pay_propose(
            office=access_office(user, org, office_id),
            member=member,
            weekly=data.weekly,
            actor=_actor(member),
        )
    return Status(201, _pay(pay))


@router.post(
    "/orgs/{slug}/office-pay/{pay_id}/settle",
    response=PayOut,
    summary="Put the pay in force once the body adopted it",
)
def settle_pay(request: HttpRequest, slug: str, pay_id: int) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        pay = office_pay_settle(pay=access_office_pay(user, org, pay_id), actor=_actor(member))
    return _pay(pay)


# Tendencies ------------------------------------------------------------------------------------------


class TendencyIn(_Strict):
    name: str = Field(max_length=120)
    platform: str = Field(max_length=20000)


class TendencyOut(Schema):
    slug: str
    name: str
    platform: str
    founded_by: str
    founded_at: datetime
    members: int
    dissolved_at: datetime | None


def _tendency(t: Tendency) -> dict[str, Any]:
    members = getattr(t, "members", None)
    return {
        "slug": t.slug,
        "name": t.name,
        "platform": t.platform,
        "founded_by": t.founded_by.person.name,
        "founded_at": t.founded_at,
        "members": members if members is not None else tendency_members_count(t),
        "dissolved_at": t.dissolved_at,
    }


@router.get("/orgs/{slug}/tendencies", response=list[TendencyOut], summary="The organisation's tendencies")
def tendencies(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = _caller(request, slug)
    return [_tendency(t) for t in tendencies_of_organisation(organisation=org)]


@router.post("/orgs/{slug}/tendencies", response={201: TendencyOut}, summary="Found a tendency")
def found(request: HttpRequest, slug: str, data: TendencyIn) -> Status[dict[str, Any]]:
    _, org, member = _caller(request, slug)
    with domain_errors():
        tendency = tendency_found(
            organisation=org, member=member, name=data.name, platform=data.platform, actor=_actor(member)
        )
    return Status(201, _tendency(tendency))


def _tendency_fresh(user: Any, org: Any, slug: str) -> dict[str, Any]:
    tendency = tendencies_of_organisation(organisation=org).filter(slug=slug).first()
    if tendency is None:
        raise NotFound("no such tendency")
    return _tendency(tendency)


@router.get("/orgs/{slug}/tendencies/{tendency}", response=TendencyOut, summary="A tendency")
def tendency_get(request: HttpRequest, slug: str, tendency: str) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _tendency_fresh(user, org, tendency)


@router.post("/orgs/{slug}/tendencies/{tendency}/join", response=TendencyOut, summary="Join a tendency")
def join(request: HttpRequest, slug: str, tendency: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        tendency_join(tendency=access_tendency(user, org, tendency), member=member, actor=_actor(member))
    return _tendency_fresh(user, org, tendency)


@router.post("/orgs/{slug}/tendencies/{tendency}/leave", response=TendencyOut, summary="Leave a tendency")
def leave(request: HttpRequest, slug: str, tendency: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        tendency_leave(tendency=access_tendency(user, org, tendency), member=member, actor=_actor(member))
    return _tendency_fresh(user, org, tendency)


@router.post(
    "/orgs/{slug}/tendencies/{tendency}/dissolution-votes",
    response={201: TendencyOut},
    summary="Vote to dissolve your own tendency (more than half its members dissolve it)",
)
def vote_dissolve(request: HttpRequest, slug: str, tendency: str) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    with domain_errors():
        tendency_dissolution_vote(
            tendency=access_tendency(user, org, tendency), member=member, actor=_actor(member)
        )
    return Status(201, _tendency_fresh(user, org, tendency))
