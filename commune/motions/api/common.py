"""The router every endpoint of the motions API registers on, and what the endpoints share."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_organisation
from commune.federation.models import Member
from commune.motions.access import access_session
from commune.motions.api.schemas import BodyRefOut, SeatVoteOut
from commune.motions.models import CouncilSession, Vote
from commune.motions.thresholds import rule_explained

router = Router(tags=["motions"])


def _caller(
    request: HttpRequest, slug: str, *, electorate: QuerySet[Any] | None = None
) -> tuple[Any, Any, Member]:
    """The caller, the organisation and their membership: a current one, or (with ``electorate``, the
    member ids of a process's electorate fixed when it opened) one that has ended since on that roll."""
    user = request_person(request)
    org, member = access_organisation(user, slug, electorate=electorate)
    return user, org, member


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _in(minutes: int) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


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
        "rule_in_words": rule_explained(vote.rule),
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


def _session_of(user: Any, org: Any, session_id: int | None) -> CouncilSession | None:
    return access_session(user, org, session_id) if session_id is not None else None
