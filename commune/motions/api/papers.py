"""Endpoints: paper ballots beside voting online (issue, replace, enter, resolve, reconcile, print), and
statutory ballots (their notice of the result, and the scrutineer's report)."""

from django.http import HttpRequest, HttpResponse
from ninja import Status

from commune.accounts.access import request_person
from commune.api.answers import REFUSED, refusals
from commune.ballots.api import (
    PaperDisputeIn,
    PaperDisputeOut,
    PaperEntryIn,
    PaperOut,
    PaperReplaceIn,
    PapersIssueIn,
    PapersOpenIn,
    PapersOut,
    ReconciliationOut,
    paper_out,
    papers_issued_out,
    papers_out,
    papers_print,
    tellers_numbered,
)
from commune.motions.access import (
    access_statutory_ballot,
    access_statutory_scrutiny,
    access_vote,
    vote_electors,
)
from commune.motions.api.common import _actor, _caller, router
from commune.motions.api.schemas import ScrutinyOut, StatutoryOut
from commune.motions.models import StatutoryBallot, Vote
from commune.motions.selectors.statutory import (
    statutory_notice,
    statutory_notice_text,
    statutory_scrutineer_report,
    statutory_votes,
)
from commune.motions.selectors.statutory import (
    statutory_notice_pdf as notice_pdf,
)
from commune.motions.services.papers import (
    channel_votes,
    vote_paper_dispute_resolve,
    vote_paper_enter,
    vote_paper_replace,
    vote_papers_issue,
    vote_papers_open,
    vote_papers_pdf,
)
from commune.motions.services.statutory_terms import CONTRACT_STATEMENT
from commune.web.downloads import download


def _papers_out(vote: Vote) -> PapersOut:
    channel, _channel_votes = channel_votes(vote, lock=False)
    return papers_out(channel)


@router.post(
    "/orgs/{slug}/votes/{vote_id}/papers",
    response={201: PapersOut, **REFUSED},
    summary="Add paper ballots to a secret vote still open, with its tellers (an officer of the body)",
    operation_id="commune_motions_api_papers_open",
)
def papers_open(request: HttpRequest, slug: str, vote_id: int, data: PapersOpenIn) -> Status[PapersOut]:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    vote_papers_open(
        vote=found, member=member, tellers=tellers_numbered(org, data.tellers), actor=_actor(member)
    )
    return Status(201, _papers_out(found))


@router.get(
    "/orgs/{slug}/votes/{vote_id}/papers",
    response={200: PapersOut, **refusals(409)},
    summary="A vote's paper ballots reconciled (issued, returned, counted, spoiled, rejected) and the dispute queue",
    operation_id="commune_motions_api_papers",
)
def papers(request: HttpRequest, slug: str, vote_id: int) -> PapersOut:
    user, org, _member = _caller(request, slug, electorate=vote_electors(vote_id=vote_id))
    return _papers_out(access_vote(user, org, vote_id))


@router.post(
    "/orgs/{slug}/votes/{vote_id}/papers/issue",
    response={201: list[PaperOut], **REFUSED},
    summary="Issue ballot papers (a teller): to the members named, or to every elector without a vote or a paper",
    operation_id="commune_motions_api_papers_issue",
)
def papers_issue(
    request: HttpRequest, slug: str, vote_id: int, data: PapersIssueIn
) -> Status[list[PaperOut]]:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    return papers_issued_out(
        org,
        data,
        lambda ids: vote_papers_issue(vote=found, teller=member, member_ids=ids, actor=_actor(member)),
    )


@router.post(
    "/orgs/{slug}/votes/{vote_id}/papers/replace",
    response={201: PaperOut, **REFUSED},
    summary="Replace a spoiled or lost paper with a new one under a new code (a teller)",
    operation_id="commune_motions_api_paper_replace",
)
def paper_replace(request: HttpRequest, slug: str, vote_id: int, data: PaperReplaceIn) -> Status[PaperOut]:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    new = vote_paper_replace(
        vote=found, teller=member, code=data.code, spoiled=data.spoiled, actor=_actor(member)
    )
    return Status(201, paper_out(new))


@router.post(
    "/orgs/{slug}/votes/{vote_id}/papers/entries",
    response={201: PaperOut, **REFUSED},
    summary="Enter a returned paper as read (a teller): two tellers' readings must agree for it to count",
    operation_id="commune_motions_api_paper_enter",
)
def paper_enter(request: HttpRequest, slug: str, vote_id: int, data: PaperEntryIn) -> Status[PaperOut]:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    paper = vote_paper_enter(
        vote=found, teller=member, code=data.code, answers=data.answers, actor=_actor(member)
    )
    return Status(201, paper_out(paper))


@router.post(
    "/orgs/{slug}/votes/{vote_id}/papers/disputes",
    response={201: PaperOut, **REFUSED},
    summary="Resolve a dispute between two tellers' readings (a third teller), counting or rejecting the paper",
    operation_id="commune_motions_api_paper_dispute_resolve",
)
def paper_dispute(request: HttpRequest, slug: str, vote_id: int, data: PaperDisputeIn) -> Status[PaperOut]:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    paper = vote_paper_dispute_resolve(
        vote=found,
        teller=member,
        code=data.code,
        answers=data.answers,
        reason=data.reason,
        actor=_actor(member),
    )
    return Status(201, paper_out(paper))


@router.get(
    "/orgs/{slug}/votes/{vote_id}/papers.pdf",
    response={200: None, **REFUSED},
    summary="Print the papers still out (a teller): one page each, with its code, questions and return instructions",
    operation_id="commune_motions_api_papers_pdf",
)
def papers_pdf(request: HttpRequest, slug: str, vote_id: int) -> HttpResponse:
    user, org, member = _caller(request, slug)
    found = access_vote(user, org, vote_id)
    channel, _channel_votes = channel_votes(found, lock=False)

    def document() -> bytes:
        statutory = (
            StatutoryBallot.objects.filter(paper_channel=channel).select_related("referral__motion").first()
        )
        if statutory is None:
            return vote_papers_pdf(vote=found, title=f"{org.name}: {found.body.name} votes")
        return vote_papers_pdf(
            vote=found,
            title=f"{org.name}: ballot on {statutory.referral.motion.title}",
            instructions=f"{statutory.return_instructions}\n\n{CONTRACT_STATEMENT}",
        )

    return papers_print(channel, member, document, filename=f"papers-{slug}-vote-{vote_id}.pdf")


def _statutory_out(ballot: StatutoryBallot) -> StatutoryOut:
    return StatutoryOut(
        id=ballot.pk,
        referral=ballot.referral_id,
        votes=[v.pk for v in statutory_votes(ballot)],
        employer=ballot.employer,
        scrutineer=ballot.scrutineer.name,
        important_public_services=ballot.important_public_services,
        notice_sent_at=ballot.notice_sent_at,
        notice=statutory_notice(ballot=ballot),
    )


@router.get(
    "/orgs/{slug}/statutory-ballots/{ballot_id}",
    response=StatutoryOut,
    summary="A statutory industrial-action ballot: its questions and, once counted, the notice of its result",
    operation_id="commune_motions_api_statutory_ballot",
)
def statutory_ballot(request: HttpRequest, slug: str, ballot_id: int) -> StatutoryOut:
    user, org, _member = _caller(request, slug)
    return _statutory_out(access_statutory_ballot(user, org, ballot_id))


@router.get(
    "/orgs/{slug}/statutory-ballots/{ballot_id}/notice.txt",
    response={200: None},
    summary="The notice of the result as text, as sent to the members and the employer",
    operation_id="commune_motions_api_statutory_notice",
)
def statutory_notice_download(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    user, org, _member = _caller(request, slug)
    ballot = access_statutory_ballot(user, org, ballot_id)
    text = statutory_notice_text(statutory_notice(ballot=ballot))
    return download(text, filename=f"notice-{slug}-ballot-{ballot_id}.txt")


@router.get(
    "/orgs/{slug}/statutory-ballots/{ballot_id}/notice.pdf",
    response={200: None},
    summary="The notice of the result as a PDF",
    operation_id="commune_motions_api_statutory_notice_pdf",
)
def statutory_notice_pdf(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    user, org, _member = _caller(request, slug)
    ballot = access_statutory_ballot(user, org, ballot_id)
    return download(
        notice_pdf(statutory_notice(ballot=ballot)), filename=f"notice-{slug}-ballot-{ballot_id}.pdf"
    )


@router.get(
    "/orgs/{slug}/statutory-ballots/{ballot_id}/scrutiny",
    response=ScrutinyOut,
    summary="The scrutineer's report: every paper reconciled, the disputes, the figures and the notice (read only)",
    operation_id="commune_motions_api_statutory_scrutiny",
)
def statutory_scrutiny(request: HttpRequest, slug: str, ballot_id: int) -> ScrutinyOut:
    # The scrutineer is not a member: no membership is asked for, only that they are this ballot's
    # scrutineer (or a member of its organisation).
    ballot = access_statutory_scrutiny(request_person(request), ballot_id, slug=slug)
    report = statutory_scrutineer_report(ballot=ballot)
    return ScrutinyOut(
        ballot=report["ballot"],
        scrutineer=report["scrutineer"],
        reconciliation=ReconciliationOut(**report["reconciliation"]),
        disputes=[PaperDisputeOut(**d) for d in report["disputes"]],
        notice=report["notice"],
        findings=report["findings"],
    )
