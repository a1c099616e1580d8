"""Endpoints: motions, their amendments, and putting them to a vote, forwarding or referring them."""

# No postponed annotations here: ninja's @paginate reads the wrapped view's parameter types at runtime.

from datetime import timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.pagination import paginate

from commune.api.answers import REFUSED
from commune.api.pagination import Pagination
from commune.federation.access import NotFound, access_body
from commune.motions.access import access_amendment, access_motion, access_session
from commune.motions.api.common import _actor, _caller, _in, _ref, _session_of, _vote, router
from commune.motions.api.schemas import (
    AmendIn,
    AmendmentOut,
    DiffLineOut,
    MotionDetailOut,
    MotionOut,
    MotionsFilter,
    MoveIn,
    ProvenanceStepOut,
    PutIn,
    ReferIn,
    VoteOut,
)
from commune.motions.diff import text_diff, word_diff
from commune.motions.models import Amendment, Motion
from commune.motions.selectors import motion_detail, motions_of_body
from commune.motions.services import (
    amendment_propose,
    amendment_vote_open,
    motion_forward,
    motion_move,
    motion_refer_vote_open,
    motion_support,
    motion_vote_open,
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
        raise NotFound(_("no such motion"))
    m = detail.motion
    return MotionDetailOut(
        id=m.pk,
        title=m.title,
        text=m.text,
        original_text=m.original_text,
        status=m.status,
        body=_ref(m.body),
        moved_by=m.moved_by.person.name if m.moved_by else None,
        moved_on=m.moved_on,
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


@router.get(
    "/orgs/{slug}/bodies/{code}/motions",
    response=list[MotionOut],
    summary="The motions before a body",
    operation_id="commune_motions_api_motions",
)
@paginate(Pagination)
def motions(request: HttpRequest, slug: str, code: str, filters: Query[MotionsFilter]) -> QuerySet[Motion]:
    user, org, _ = _caller(request, slug)
    return motions_of_body(body=access_body(user, org, code), status=filters.status)


@router.post(
    "/orgs/{slug}/bodies/{code}/motions",
    response={201: MotionDetailOut, **REFUSED},
    summary="Move a motion in a body you sit in",
    operation_id="commune_motions_api_move",
)
def move(request: HttpRequest, slug: str, code: str, data: MoveIn) -> Status[MotionDetailOut]:
    user, org, member = _caller(request, slug)
    body = access_body(user, org, code)
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
    "/orgs/{slug}/motions/{motion_id}",
    response=MotionDetailOut,
    summary="A motion and its provenance",
    operation_id="commune_motions_api_motion",
)
def motion(request: HttpRequest, slug: str, motion_id: int) -> MotionDetailOut:
    user, org, _ = _caller(request, slug)
    return _motion_detail(access_motion(user, org, motion_id).pk)


@router.post(
    "/orgs/{slug}/motions/{motion_id}/support",
    response={200: MotionDetailOut, **REFUSED},
    summary="Support a motion",
    operation_id="commune_motions_api_support",
)
def support(request: HttpRequest, slug: str, motion_id: int) -> MotionDetailOut:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    motion_support(motion=found, member=member, actor=_actor(member))
    return _motion_detail(found.pk)


@router.post(
    "/orgs/{slug}/motions/{motion_id}/amendments",
    response={201: AmendmentOut, **REFUSED},
    summary="Propose an amendment: the whole text as amended, with your reason",
    operation_id="commune_motions_api_amend",
)
def amend(request: HttpRequest, slug: str, motion_id: int, data: AmendIn) -> Status[AmendmentOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    amendment = amendment_propose(
        motion=found, member=member, text=data.text, reason=data.reason, actor=_actor(member)
    )
    amendment.proposed_by = member
    return Status(201, _amendment(amendment))


@router.post(
    "/orgs/{slug}/motions/{motion_id}/amendments/{amendment_id}/votes",
    response={201: VoteOut, **REFUSED},
    summary="Put an amendment to the body's vote",
    operation_id="commune_motions_api_amendment_vote",
)
def amendment_vote(
    request: HttpRequest, slug: str, motion_id: int, amendment_id: int, data: PutIn
) -> Status[VoteOut]:
    user, org, member = _caller(request, slug)
    amendment = access_amendment(user, access_motion(user, org, motion_id), amendment_id)
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
    response={201: VoteOut, **REFUSED},
    summary="Put a motion on the agenda to the body's vote (a council: in a session)",
    operation_id="commune_motions_api_adopt_vote",
)
def adopt_vote(request: HttpRequest, slug: str, motion_id: int, data: PutIn) -> Status[VoteOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
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
    response={201: MotionDetailOut, **REFUSED},
    summary="Forward an adopted motion to the council above",
    operation_id="commune_motions_api_forward",
)
def forward(request: HttpRequest, slug: str, motion_id: int) -> Status[MotionDetailOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    forwarded = motion_forward(motion=found, member=member, actor=_actor(member))
    return Status(201, _motion_detail(forwarded.pk))


@router.post(
    "/orgs/{slug}/motions/{motion_id}/refer",
    response={201: VoteOut, **REFUSED},
    summary="Ask the council, in session, to refer a motion to the units' assemblies or to a referendum",
    operation_id="commune_motions_api_refer",
)
def refer(request: HttpRequest, slug: str, motion_id: int, data: ReferIn) -> Status[VoteOut]:
    user, org, member = _caller(request, slug)
    found = access_motion(user, org, motion_id)
    session = access_session(user, org, data.session)
    now = timezone.now()
    vote = motion_refer_vote_open(
        motion=found,
        member=member,
        session=session,
        kind=data.to,
        closes_at=now + timedelta(minutes=data.minutes),
        referral_closes_at=now + timedelta(days=data.referral_days),
        statutory=data.statutory.model_dump() if data.statutory else None,
        actor=_actor(member),
    )
    return Status(201, VoteOut(**_vote(vote)))
