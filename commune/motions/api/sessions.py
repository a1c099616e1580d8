"""Endpoints: council sessions and their roll."""

# No postponed annotations here: ninja's @paginate reads the wrapped view's parameter types at runtime.

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from ninja.pagination import paginate

from commune.api.answers import REFUSED
from commune.api.pagination import Pagination
from commune.federation.access import NotFound, access_body
from commune.motions.access import access_session
from commune.motions.api.common import _actor, _caller, _ref, _seat, _vote, router
from commune.motions.api.schemas import RollEntryOut, SessionDetailOut, SessionIn, SessionOut, SessionVoteOut
from commune.motions.models import CouncilSession
from commune.motions.selectors import session_detail, sessions_of_council
from commune.motions.services import session_close, session_open, session_roll_sign


def _session_out(session: CouncilSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "council": _ref(session.council),
        "title": session.title,
        "opened_at": session.opened_at,
        "starts_at": session.starts_at,
        "notice_hours": session.notice_hours,
        "opened_by": session.opened_by,
        "closed_at": session.closed_at,
    }


def _session_detail(session_id: int) -> SessionDetailOut:
    session = session_detail(session_id=session_id)
    if session is None:
        raise NotFound(_("no such session"))
    return SessionDetailOut(
        **_session_out(session),
        roll=[
            RollEntryOut(
                # At a general assembly each member present sits for themselves, for the unit.
                constituency=r.delegation.constituency.code if r.delegation else session.council.code,
                delegate=r.delegation.member.person.name if r.delegation else r.attended_by.person.name,
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


@router.get(
    "/orgs/{slug}/bodies/{code}/sessions",
    response=list[SessionOut],
    summary="A council's sessions",
    operation_id="commune_motions_api_sessions",
)
@paginate(Pagination)
def sessions(request: HttpRequest, slug: str, code: str) -> list[dict[str, Any]]:
    user, org, _member = _caller(request, slug)
    return [
        _session_out(s)
        for s in sessions_of_council(council=access_body(user, org, code)).select_related("council")
    ]


@router.post(
    "/orgs/{slug}/bodies/{code}/sessions",
    response={201: SessionDetailOut, **REFUSED},
    summary="Call a session of a council you are a delegate on, with the constitution's notice",
    operation_id="commune_motions_api_open_session",
)
def open_session(request: HttpRequest, slug: str, code: str, data: SessionIn) -> Status[SessionDetailOut]:
    user, org, member = _caller(request, slug)
    council = access_body(user, org, code)
    session = session_open(
        council=council, member=member, title=data.title, starts_at=data.starts_at, actor=_actor(member)
    )
    return Status(201, _session_detail(session.pk))


@router.get(
    "/orgs/{slug}/sessions/{session_id}",
    response=SessionDetailOut,
    summary="A council session: its roll and every vote with every seat's choice",
    operation_id="commune_motions_api_session",
)
def session(request: HttpRequest, slug: str, session_id: int) -> SessionDetailOut:
    user, org, _member = _caller(request, slug)
    return _session_detail(access_session(user, org, session_id).pk)


@router.post(
    "/orgs/{slug}/sessions/{session_id}/roll",
    response={201: SessionDetailOut, **REFUSED},
    summary="Sign the roll: for your own seat, or as the alternate of an absent delegate",
    operation_id="commune_motions_api_sign_roll",
)
def sign_roll(request: HttpRequest, slug: str, session_id: int) -> Status[SessionDetailOut]:
    user, org, member = _caller(request, slug)
    found = access_session(user, org, session_id)
    session_roll_sign(session=found, member=member, actor=_actor(member))
    return Status(201, _session_detail(found.pk))


@router.post(
    "/orgs/{slug}/sessions/{session_id}/close",
    response={200: SessionDetailOut, **REFUSED},
    summary="Close a session",
    operation_id="commune_motions_api_close_session",
)
def close_session(request: HttpRequest, slug: str, session_id: int) -> SessionDetailOut:
    user, org, member = _caller(request, slug)
    found = access_session(user, org, session_id)
    session_close(session=found, member=member, actor=_actor(member))
    return _session_detail(found.pk)
