"""API: paper ballots in an election (add them, issue, replace, enter, resolve, reconcile, print); a
paper lists the candidates, and the tellers enter the number written against each (``docs/elections.md``)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from commune.accounts.access import request_person
from commune.api.answers import REFUSED, refusals
from commune.audit.services import Actor
from commune.ballots.api import (
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
from commune.elections.access import access_election
from commune.elections.models import Election
from commune.elections.services.papers import (
    election_channel,
    election_paper_dispute_resolve,
    election_paper_enter,
    election_paper_replace,
    election_papers_issue,
    election_papers_open,
    election_papers_pdf,
    paper_candidates,
)
from commune.federation.access import access_organisation
from commune.federation.models import Member

router = Router(tags=["ballots"])

_PREFERENCES = Field(
    min_length=1,
    max_length=500,
    description="For each candidate in the order printed on the paper, the number written against it (1 for "
    "the first preference), or null where nothing is.",
)


class PaperPreferencesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=40)
    preferences: list[int | None] = _PREFERENCES


class PaperPreferencesDisputeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=40)
    preferences: list[int | None] | None = Field(
        None, min_length=1, max_length=500, description="As read (see entries); none to reject the paper."
    )
    reason: Literal["mark_clear", "intention_clear", "unreadable", "identifying_mark", "not_genuine"] = Field(
        description="Why: the first two count the paper as read, the others reject it."
    )


class PaperCandidateOut(Schema):
    id: int
    name: str


class ElectionPapersOut(PapersOut):
    candidates: list[PaperCandidateOut] = Field(description="As printed on the papers, in order.")


def _election(request: HttpRequest, slug: str, election_id: int) -> tuple[Election, Member, Actor]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return access_election(user, org, election_id), member, Actor.of(user, role=f"member {member.number}")


def _marks(preferences: list[int | None]) -> list[str]:
    return ["" if p is None else str(p) for p in preferences]


def _state(election: Election) -> ElectionPapersOut:
    channel = election_channel(election)
    candidates = [
        PaperCandidateOut(id=c.pk, name=c.ballot_label or c.member.person.name)
        for c in paper_candidates(channel)
    ]
    return ElectionPapersOut(**papers_out(channel).dict(), candidates=candidates)


@router.post(
    "/orgs/{slug}/elections/{election_id}/papers",
    response={201: ElectionPapersOut, **REFUSED},
    summary="Add paper ballots to an election while voting is open, with its tellers (an officer of the body)",
    operation_id="commune_elections_api_papers_open",
)
def papers_open(
    request: HttpRequest, slug: str, election_id: int, data: PapersOpenIn
) -> Status[ElectionPapersOut]:
    election, member, actor = _election(request, slug, election_id)
    tellers = tellers_numbered(election.organisation, data.tellers)
    election_papers_open(election=election, member=member, tellers=tellers, actor=actor)
    return Status(201, _state(election))


@router.get(
    "/orgs/{slug}/elections/{election_id}/papers",
    response={200: ElectionPapersOut, **refusals(409)},
    summary="An election's paper ballots reconciled (issued, returned, counted, spoiled, rejected, late), the "
    "dispute queue and the candidates as printed",
    operation_id="commune_elections_api_papers",
)
def papers(request: HttpRequest, slug: str, election_id: int) -> ElectionPapersOut:
    election, _member, _actor = _election(request, slug, election_id)
    return _state(election)


@router.post(
    "/orgs/{slug}/elections/{election_id}/papers/issue",
    response={201: list[PaperOut], **REFUSED},
    summary="Issue election papers (a teller): to the electors named, or to every elector without a vote or a "
    "paper",
    operation_id="commune_elections_api_papers_issue",
)
def papers_issue(
    request: HttpRequest, slug: str, election_id: int, data: PapersIssueIn
) -> Status[list[PaperOut]]:
    election, member, actor = _election(request, slug, election_id)
    return papers_issued_out(
        election.organisation,
        data,
        lambda ids: election_papers_issue(election=election, teller=member, member_ids=ids, actor=actor),
    )


@router.post(
    "/orgs/{slug}/elections/{election_id}/papers/replace",
    response={201: PaperOut, **REFUSED},
    summary="Replace a spoiled or lost election paper with a new one under a new code (a teller)",
    operation_id="commune_elections_api_paper_replace",
)
def paper_replace(
    request: HttpRequest, slug: str, election_id: int, data: PaperReplaceIn
) -> Status[PaperOut]:
    election, member, actor = _election(request, slug, election_id)
    new = election_paper_replace(
        election=election, teller=member, code=data.code, spoiled=data.spoiled, actor=actor
    )
    return Status(201, paper_out(new))


@router.post(
    "/orgs/{slug}/elections/{election_id}/papers/entries",
    response={201: PaperOut, **REFUSED},
    summary="Enter a returned election paper as read (a teller): two tellers' readings must give the same "
    "ranking for it to count; one returned after voting closed is recorded as late",
    operation_id="commune_elections_api_paper_enter",
)
def paper_enter(
    request: HttpRequest, slug: str, election_id: int, data: PaperPreferencesIn
) -> Status[PaperOut]:
    election, member, actor = _election(request, slug, election_id)
    paper = election_paper_enter(
        election=election, teller=member, code=data.code, preferences=_marks(data.preferences), actor=actor
    )
    return Status(201, paper_out(paper))


@router.post(
    "/orgs/{slug}/elections/{election_id}/papers/disputes",
    response={201: PaperOut, **REFUSED},
    summary="Resolve a dispute between two tellers' readings of an election paper (a third teller)",
    operation_id="commune_elections_api_paper_dispute_resolve",
)
def paper_dispute(
    request: HttpRequest, slug: str, election_id: int, data: PaperPreferencesDisputeIn
) -> Status[PaperOut]:
    election, member, actor = _election(request, slug, election_id)
    paper = election_paper_dispute_resolve(
        election=election,
        teller=member,
        code=data.code,
        preferences=None if data.preferences is None else _marks(data.preferences),
        reason=data.reason,
        actor=actor,
    )
    return Status(201, paper_out(paper))


@router.get(
    "/orgs/{slug}/elections/{election_id}/papers.pdf",
    response={200: None, **REFUSED},
    summary="Print the election papers still out (a teller): one page each, listing the candidates",
    operation_id="commune_elections_api_papers_pdf",
)
def papers_pdf(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    election, member, _actor = _election(request, slug, election_id)
    return papers_print(
        election_channel(election),
        member,
        lambda: election_papers_pdf(
            election=election, title=f"{election.organisation.name}: {election.title}"
        ),
        filename=f"papers-{slug}-election-{election_id}.pdf",
    )
