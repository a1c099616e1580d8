"""Endpoints: paper ballots in a recall ballot (add them, issue, replace, enter, resolve, reconcile,
print), as for a motion's secret vote (``docs/recall.md``)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Status

from commune.accounts.access import request_person
from commune.api.answers import REFUSED, refusals
from commune.audit.services import Actor
from commune.ballots.api import (
    PaperDisputeIn,
    PaperOut,
    PaperReplaceIn,
    PapersIssueIn,
    PapersOpenIn,
    PapersOut,
    paper_out,
    papers_issued_out,
    papers_out,
    papers_print,
    tellers_numbered,
)
from commune.federation.access import access_organisation
from commune.federation.models import Member
from commune.recall.access import access_recall_petition, recall_petition_electors
from commune.recall.api.common import router
from commune.recall.api.schemas import RecallPaperEntryIn
from commune.recall.errors import RecallConflict
from commune.recall.models import RecallBallot, RecallPetition
from commune.recall.services.papers import (
    recall_channel,
    recall_paper_dispute_resolve,
    recall_paper_enter,
    recall_paper_replace,
    recall_papers_issue,
    recall_papers_open,
    recall_papers_pdf,
)


def _petition(request: HttpRequest, slug: str, petition_id: int) -> tuple[RecallPetition, Member, Actor]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    petition = access_recall_petition(user, org, petition_id)
    return petition, member, Actor.of(user, role=f"member {member.number}")


def _ballot(petition: RecallPetition) -> RecallBallot:
    ballot = RecallBallot.objects.filter(petition=petition).first()
    if ballot is None:
        raise RecallConflict(_("this petition has no recall ballot"))
    return ballot


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot/papers",
    response={201: PapersOut, **REFUSED},
    summary="Add paper ballots to a recall ballot still open, with its tellers (an officer of the body)",
    operation_id="commune_recall_api_papers_open",
)
def papers_open(request: HttpRequest, slug: str, petition_id: int, data: PapersOpenIn) -> Status[PapersOut]:
    petition, member, actor = _petition(request, slug, petition_id)
    tellers = tellers_numbered(petition.organisation, data.tellers)
    channel = recall_papers_open(petition=petition, member=member, tellers=tellers, actor=actor)
    return Status(201, papers_out(channel))


@router.get(
    "/orgs/{slug}/recalls/{petition_id}/ballot/papers",
    response={200: PapersOut, **refusals(409)},
    summary="A recall ballot's paper ballots reconciled (issued, returned, counted, spoiled, rejected, late) "
    "and the dispute queue",
    operation_id="commune_recall_api_papers",
)
def papers(request: HttpRequest, slug: str, petition_id: int) -> PapersOut:
    user = request_person(request)
    org, _member = access_organisation(
        user, slug, electorate=recall_petition_electors(petition_id=petition_id)
    )
    return papers_out(recall_channel(_ballot(access_recall_petition(user, org, petition_id))))


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot/papers/issue",
    response={201: list[PaperOut], **REFUSED},
    summary="Issue recall ballot papers (a teller): to the members named, or to every elector without a vote "
    "or a paper",
    operation_id="commune_recall_api_papers_issue",
)
def papers_issue(
    request: HttpRequest, slug: str, petition_id: int, data: PapersIssueIn
) -> Status[list[PaperOut]]:
    petition, member, actor = _petition(request, slug, petition_id)
    return papers_issued_out(
        petition.organisation,
        data,
        lambda ids: recall_papers_issue(petition=petition, teller=member, member_ids=ids, actor=actor),
    )


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot/papers/replace",
    response={201: PaperOut, **REFUSED},
    summary="Replace a spoiled or lost recall ballot paper with a new one under a new code (a teller)",
    operation_id="commune_recall_api_paper_replace",
)
def paper_replace(
    request: HttpRequest, slug: str, petition_id: int, data: PaperReplaceIn
) -> Status[PaperOut]:
    petition, member, actor = _petition(request, slug, petition_id)
    new = recall_paper_replace(
        petition=petition, teller=member, code=data.code, spoiled=data.spoiled, actor=actor
    )
    return Status(201, paper_out(new))


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot/papers/entries",
    response={201: PaperOut, **REFUSED},
    summary="Enter a returned recall ballot paper as read (a teller): two tellers' readings must agree for it "
    "to count; one returned after the ballot closed is recorded as late",
    operation_id="commune_recall_api_paper_enter",
)
def paper_enter(
    request: HttpRequest, slug: str, petition_id: int, data: RecallPaperEntryIn
) -> Status[PaperOut]:
    petition, member, actor = _petition(request, slug, petition_id)
    paper = recall_paper_enter(
        petition=petition, teller=member, code=data.code, answers=data.answers, actor=actor
    )
    return Status(201, paper_out(paper))


@router.post(
    "/orgs/{slug}/recalls/{petition_id}/ballot/papers/disputes",
    response={201: PaperOut, **REFUSED},
    summary="Resolve a dispute between two tellers' readings of a recall ballot paper (a third teller)",
    operation_id="commune_recall_api_paper_dispute_resolve",
)
def paper_dispute(
    request: HttpRequest, slug: str, petition_id: int, data: PaperDisputeIn
) -> Status[PaperOut]:
    petition, member, actor = _petition(request, slug, petition_id)
    if data.answers is not None and len(data.answers) != 1:
        raise RecallConflict(_("a recall paper asks one question: give one answer"))
    paper = recall_paper_dispute_resolve(
        petition=petition,
        teller=member,
        code=data.code,
        answers=data.answers,
        reason=data.reason,
        actor=actor,
    )
    return Status(201, paper_out(paper))


@router.get(
    "/orgs/{slug}/recalls/{petition_id}/ballot/papers.pdf",
    response={200: None, **REFUSED},
    summary="Print the recall ballot papers still out (a teller): one page each, with its code and question",
    operation_id="commune_recall_api_papers_pdf",
)
def papers_pdf(request: HttpRequest, slug: str, petition_id: int) -> HttpResponse:
    petition, member, _actor = _petition(request, slug, petition_id)
    ballot = _ballot(petition)
    return papers_print(
        recall_channel(ballot),
        member,
        lambda: recall_papers_pdf(ballot=ballot, title=f"{petition.organisation.name}: recall ballot"),
        filename=f"papers-{slug}-recall-{petition_id}.pdf",
    )
