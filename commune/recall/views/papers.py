"""Pages of a recall ballot's paper ballots: the papers reconciled and the dispute queue (every member),
and the tellers' desk, where returned papers are entered and disputes resolved, and the papers still out
printed as a PDF (the tellers only), as for a statutory ballot."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commune.accounts.access import request_person
from commune.ballots.errors import PaperError
from commune.ballots.models import PaperChannel
from commune.ballots.views import paper_desk_context, papers_print_page, teller_actor, yes_no_paper_act
from commune.federation.models import Member, Organisation
from commune.recall.access import access_recall_petition
from commune.recall.errors import RecallError
from commune.recall.models import RecallBallot, RecallPetition
from commune.recall.services.papers import (
    recall_channel,
    recall_paper_dispute_resolve,
    recall_paper_enter,
    recall_papers_pdf,
)
from commune.web.edge import member_page, page_context


def _found(
    request: HttpRequest, organisation: Organisation, petition_id: int
) -> tuple[RecallPetition, RecallBallot, PaperChannel]:
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    ballot = RecallBallot.objects.filter(petition=petition).first()
    try:
        if ballot is None:
            raise Http404("no recall ballot")
        return petition, ballot, recall_channel(ballot)
    except RecallError as exc:
        raise Http404(str(exc)) from exc


@member_page
def recall_papers_page(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """The recall ballot's papers reconciled and its disputes; the tellers' desk for its tellers."""
    petition, ballot, channel = _found(request, organisation, petition_id)
    return render(
        request,
        "recall/papers.html",
        page_context(
            organisation,
            member,
            petition=petition,
            ballot=ballot,
            questions=[ballot.question],
            **paper_desk_context(channel, member),
        ),
    )


def _teller_act(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int, resolve: bool
) -> HttpResponse:
    petition, _ballot, _channel = _found(request, organisation, petition_id)
    actor = teller_actor(member)
    yes_no_paper_act(
        request,
        questions=1,
        resolving=resolve,
        enter=lambda code, answers: recall_paper_enter(
            petition=petition, teller=member, code=code, answers=answers, actor=actor
        ),
        resolve=lambda code, answers, reason: recall_paper_dispute_resolve(
            petition=petition, teller=member, code=code, answers=answers, reason=reason, actor=actor
        ),
        refusals=(PaperError, RecallError),
    )
    return redirect("recall:papers", slug=organisation.slug, petition_id=petition.pk)


@member_page
@require_POST
def recall_papers_enter(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """A teller enters a returned paper as they read it."""
    return _teller_act(request, organisation, member, petition_id, resolve=False)


@member_page
@require_POST
def recall_papers_resolve(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """A third teller resolves a dispute."""
    return _teller_act(request, organisation, member, petition_id, resolve=True)


@member_page
def recall_papers_print(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """The papers still out, to print (the tellers only: they name each member beside a code)."""
    _petition, ballot, channel = _found(request, organisation, petition_id)
    return papers_print_page(
        channel,
        member,
        lambda: recall_papers_pdf(ballot=ballot, title=f"{organisation.name}: recall ballot"),
        filename=f"papers-{organisation.slug}-recall-{petition_id}.pdf",
    )
