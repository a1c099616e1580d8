"""Endpoints: votes (reading, casting, closing) and questions referred down."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Status

from commune.accounts.access import BearerToken, request_caller
from commune.accounts.models import User
from commune.api.answers import REFUSED, refusals
from commune.api.auth import CHECKED_BY_ENDPOINT
from commune.federation.access import NotFound
from commune.motions.access import access_referral, access_vote, access_vote_caster, vote_electors
from commune.motions.api.common import _actor, _caller, _ref, _seat, _vote, router
from commune.motions.api.schemas import CastIn, CastOut, MemberChoiceOut, ReferralOut, VoteDetailOut, VoteOut
from commune.motions.models import Referral, StatutoryBallot, VoteMode
from commune.motions.selectors import referral_detail, vote_bulletin, vote_detail
from commune.motions.services import (
    vote_cast,
    vote_cast_by_caller,
    vote_cast_by_caller_on_loop,
    vote_conclude,
)
from commune.motions.thresholds import rule_explained
from commune.statements import LoopStatements
from commune.web.downloads import download


def _vote_detail_out(vote_id: int) -> VoteDetailOut:
    vote = vote_detail(vote_id=vote_id)
    if vote is None:
        raise NotFound(_("no such vote"))
    return VoteDetailOut(
        **_vote(vote),
        seats=[_seat(d) for d in vote.delegate_votes.all()],
        members=[
            MemberChoiceOut(member=c.member.person.name, choice=c.choice) for c in vote.open_choices.all()
        ],
    )


@router.get(
    "/orgs/{slug}/votes/{vote_id}",
    response=VoteDetailOut,
    summary="A vote, with every recorded choice",
    operation_id="commune_motions_api_vote",
)
def vote(request: HttpRequest, slug: str, vote_id: int) -> VoteDetailOut:
    user, org, _ = _caller(request, slug, electorate=vote_electors(vote_id=vote_id))
    return _vote_detail_out(access_vote(user, org, vote_id).pk)


def cast_answer(
    request: HttpRequest, caller: User | BearerToken, slug: str, vote_id: int, data: CastIn
) -> CastOut:
    """A member's vote, or a seat's, as the API answers it (also on the lean path, ``commune.api.casting``).

    A member's vote in an assembly's vote is first tried as one statement with the caller's access
    (``vote_cast_by_caller``); anything that statement does not record takes the access and the service
    apart, which say why."""
    cast = vote_cast_by_caller(caller=caller, slug=slug, vote_id=vote_id, choice=data.choice)
    if cast is not None:
        found, member = cast
        request.user = member.person
        return _cast_out(found.pk, found.mode, data)
    found, member = access_vote_caster(caller, slug, vote_id)
    request.user = member.person
    recorded = vote_cast(
        vote=found, member=member, choice=data.choice, reason=data.reason, actor=_actor(member)
    )
    # Built from the service's own typed values without validating them again: every cast builds one.
    # (The operation's answer is still validated against its schema by django-ninja.)
    return CastOut.model_construct(
        vote=found.pk, choice=recorded.choice, secret=recorded.secret, departed=recorded.departed
    )


def _cast_out(vote_id: int, mode: str, data: CastIn) -> CastOut:
    """The answer to a member's vote recorded in one statement, in the vote ``vote_id`` of ``mode``."""
    return CastOut.model_construct(
        vote=vote_id, choice=data.choice, secret=mode == VoteMode.SECRET, departed=False
    )


async def cast_answer_on_loop(
    statements: LoopStatements, caller: BearerToken, slug: str, vote_id: int, data: CastIn
) -> CastOut | None:
    """``cast_answer``'s first step, the member's vote in one statement, on an event loop's own connections
    (``commune.api.casting.LoopCasts``): its answer, or ``None``, having written nothing, for
    ``cast_answer`` to give it."""
    cast = await vote_cast_by_caller_on_loop(
        statements=statements, caller=caller, slug=slug, vote_id=vote_id, choice=data.choice
    )
    return None if cast is None else _cast_out(vote_id, cast.mode, data)


@router.post(
    "/orgs/{slug}/votes/{vote_id}/ballots",
    response={201: CastOut, **REFUSED},
    summary="Vote: as a member of the assembly or membership, or for your seat on the council's roll",
    operation_id="commune_motions_api_cast",
    auth=CHECKED_BY_ENDPOINT,
)
def cast(request: HttpRequest, slug: str, vote_id: int, data: CastIn) -> Status[CastOut]:
    return Status(201, cast_answer(request, request_caller(request), slug, vote_id, data))


@router.post(
    "/orgs/{slug}/votes/{vote_id}/close",
    response={200: VoteDetailOut, **REFUSED},
    summary="Close and count a vote whose time is up or in which everyone entitled has voted",
    operation_id="commune_motions_api_close",
)
def close(request: HttpRequest, slug: str, vote_id: int) -> VoteDetailOut:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    vote_conclude(vote=found, actor=_actor(member))
    return _vote_detail_out(found.pk)


@router.get(
    "/orgs/{slug}/votes/{vote_id}/bulletin",
    response={200: None, **refusals(409)},
    summary="Download a counted secret vote's bulletin (JSON): every paper shuffled at the seal, its weight, "
    "the totals and the declared result, to re-count",
    operation_id="commune_motions_api_vote_bulletin",
)
def bulletin(request: HttpRequest, slug: str, vote_id: int) -> HttpResponse:
    user, org, _ = _caller(request, slug)
    document = vote_bulletin(organisation=org, vote=access_vote(user, org, vote_id))
    return download(document, filename=f"bulletin-{slug}-vote-{vote_id}.json")


def _referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        id=referral.pk,
        kind=referral.kind,
        council=_ref(referral.council),
        motion=referral.motion_id,
        decided_by_vote=referral.decided_by_id,
        opened_at=referral.opened_at,
        closes_at=referral.closes_at,
        rule=referral.rule,
        rule_in_words=rule_explained(referral.rule),
        closed_at=referral.closed_at,
        carried=referral.carried,
        votes=[VoteOut(**_vote(v)) for v in referral.votes.all()],
        summary=referral.summary,
        statutory_ballot=StatutoryBallot.objects.filter(referral=referral)
        .values_list("pk", flat=True)
        .first(),
    )


@router.get(
    "/orgs/{slug}/referrals/{referral_id}",
    response=ReferralOut,
    summary="A question referred down: each body's vote and, once closed, the aggregate",
    operation_id="commune_motions_api_referral",
)
def referral(request: HttpRequest, slug: str, referral_id: int) -> ReferralOut:
    user, org, _ = _caller(request, slug)
    found = referral_detail(referral_id=access_referral(user, org, referral_id).pk)
    assert found is not None
    return _referral_out(found)
