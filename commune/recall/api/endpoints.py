"""Endpoints: recall petitions, signatures, the secret recall ballot and the result."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Status

from commune.accounts.access import request_person
from commune.api.answers import REFUSED, refusals
from commune.audit.services import Actor
from commune.federation.access import access_organisation
from commune.federation.models import Member
from commune.mandates.access import access_delegate
from commune.recall.access import access_recall_petition, access_recallable_seat, recall_petition_electors
from commune.recall.api.common import router
from commune.recall.api.schemas import (
    RecallBallotIn,
    RecallBallotOut,
    RecallOpenIn,
    RecallPetitionOut,
    RecallReplacementOut,
    RecallSeatOut,
    RecallSummaryOut,
)
from commune.recall.errors import RecallConflict
from commune.recall.models import RecallPetition
from commune.recall.selectors import (
    recall_ballot_bulletin,
    recall_ballot_voted,
    recall_petitions_against,
    recall_petitions_of_electorate,
    recall_petitions_of_organisation,
)
from commune.recall.services import (
    recall_ballot_cast,
    recall_ballot_close,
    recall_may_take_part,
    recall_petition_open,
    recall_petition_sign,
    recall_signature_withdraw,
    recall_signed,
)
from commune.web.downloads import download

# Open a petition, sign it, take one's own signature back, read it, vote in its recall ballot, read the
# result. There is deliberately no endpoint to pause, void, delay or withdraw a petition or ballot: only
# the electorate's signatures and votes decide a recall. Signers' names are never served (docs/recall.md).


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
        you_may_take_part=recall_may_take_part(member=member, petition=p),
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
    response={201: RecallPetitionOut, **REFUSED},
    summary="Open a petition to recall a delegate or officer your electorate elected (you sign it first)",
    operation_id="commune_mandates_api_recall_open",
)
def recall_open(request: HttpRequest, slug: str, data: RecallOpenIn) -> Status[RecallPetitionOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    seat = access_recallable_seat(
        user, org, holder=data.holder, council=data.council, body=data.body, office=data.office
    )
    petition = recall_petition_open(seat=seat, member=member, grounds=data.grounds)
    return Status(201, _recall_reread(user, org, petition.pk, member))


@router.get(
    "/orgs/{slug}/recalls",
    response=list[RecallSummaryOut],
    summary="Every recall petition in the organisation, newest first (counts, never signers' names)",
    operation_id="commune_mandates_api_recall_list",
)
def recall_list(request: HttpRequest, slug: str) -> list[RecallSummaryOut]:
    user = request_person(request)
    org, _member = access_organisation(user, slug)
    return [_recall_summary(p) for p in recall_petitions_of_organisation(organisation_id=org.pk)]


@router.get(
    "/orgs/{slug}/recalls/mine",
    response=list[RecallSummaryOut],
    summary="Recall petitions against holders your electorates elected: those you may sign",
    operation_id="commune_mandates_api_recall_mine",
)
def recall_mine(request: HttpRequest, slug: str) -> list[RecallSummaryOut]:
    user = request_person(request)
    _, member = access_organisation(user, slug)
    return [_recall_summary(p) for p in recall_petitions_of_electorate(member=member)]


@router.get(
    "/orgs/{slug}/delegates/{number}/recalls",
    response=list[RecallSummaryOut],
    summary="Recall petitions against one member, from any seat or office",
    operation_id="commune_mandates_api_recall_against",
)
def recall_against(request: HttpRequest, slug: str, number: str) -> list[RecallSummaryOut]:
    user = request_person(request)
    org, _member = access_organisation(user, slug)
    holder = access_delegate(user, org, number)
    return [_recall_summary(p) for p in recall_petitions_against(member=holder)]


@router.get(
    "/orgs/{slug}/recalls/{petition_id}",
    response=RecallPetitionOut,
    summary="A recall petition: its count, threshold, deadline and status; its ballot and replacement",
    operation_id="commune_mandates_api_recall_detail",
)
def recall_detail(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(
        user, slug, electorate=recall_petition_electors(petition_id=petition_id)
    )
    return _recall_out(access_recall_petition(user, org, petition_id), member)


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/signature",
    response={200: RecallPetitionOut, **REFUSED},
    summary="Sign a recall petition (members of the holder's electorate, once each)",
    operation_id="commune_mandates_api_recall_sign",
)
def recall_sign(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(
        user, slug, electorate=recall_petition_electors(petition_id=petition_id)
    )
    petition = access_recall_petition(user, org, petition_id)
    recall_petition_sign(petition=petition, member=member)
    return _recall_reread(user, org, petition_id, member)


@router.delete(
    "/orgs/{slug}/recalls/{petition_id}/signature",
    response={200: RecallPetitionOut, **REFUSED},
    summary="Take back your own signature, while the petition is still gathering signatures",
    operation_id="commune_mandates_api_recall_unsign",
)
def recall_unsign(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(
        user, slug, electorate=recall_petition_electors(petition_id=petition_id)
    )
    petition = access_recall_petition(user, org, petition_id)
    recall_signature_withdraw(petition=petition, member=member)
    return _recall_reread(user, org, petition_id, member)


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot",
    response={204: None, **REFUSED},
    summary="Vote in the secret recall ballot (the register notes that you voted, never how)",
    operation_id="commune_mandates_api_recall_ballot_vote",
)
def recall_ballot_vote(
    request: HttpRequest, slug: str, petition_id: int, data: RecallBallotIn
) -> Status[None]:
    user = request_person(request)
    org, member = access_organisation(
        user, slug, electorate=recall_petition_electors(petition_id=petition_id)
    )
    petition = access_recall_petition(user, org, petition_id)
    recall_ballot_cast(petition=petition, member=member, choice=data.choice)
    return Status(204, None)


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot/count",
    response={200: RecallPetitionOut, **REFUSED},
    summary="Count the recall ballot once its time is up or everyone has voted (never earlier)",
    operation_id="commune_mandates_api_recall_ballot_count",
)
def recall_ballot_count(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    recall_ballot_close(petition=petition, actor=Actor.of(user, role=f"member {member.number}"))
    return _recall_reread(user, org, petition_id, member)


@router.get(
    "/orgs/{slug}/recalls/{petition_id}/result",
    response={200: RecallPetitionOut, **refusals(409)},
    summary="The outcome: the ballot's count and the replacement (the countback's recount stage by stage)",
    operation_id="commune_mandates_api_recall_result",
)
def recall_result(request: HttpRequest, slug: str, petition_id: int) -> RecallPetitionOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    if petition.decided_at is None:
        raise RecallConflict(_("this recall is not decided yet"))
    return _recall_out(petition, member)


@router.get(
    "/orgs/{slug}/recalls/{petition_id}/ballot/bulletin",
    response={200: None, **refusals(409)},
    summary="Download a counted recall ballot's bulletin (JSON): every paper shuffled at the seal, its weight, "
    "the totals and the declared result, to re-count",
    operation_id="commune_mandates_api_recall_ballot_bulletin",
)
def recall_ballot_bulletin_download(request: HttpRequest, slug: str, petition_id: int) -> HttpResponse:
    user = request_person(request)
    org, _member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    return download(
        recall_ballot_bulletin(organisation=org, petition=petition),
        filename=f"bulletin-{slug}-recall-{petition_id}.json",
    )
