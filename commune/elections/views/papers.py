"""Pages of an election's paper ballots: the papers reconciled and the dispute queue (every member who
may see the election), and the tellers' desk, where a returned paper's preferences are entered (a number
field per candidate, in the order printed) and disputes resolved, and the papers still out printed as a
PDF (the tellers only), as for a recall ballot. Plain forms: they work without script; a refusal comes
back on the field it concerns, with what the teller typed still in place."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from commune.accounts.access import request_person
from commune.ballots.errors import PaperError, PaperRefused
from commune.ballots.models import PaperChannel
from commune.ballots.papers import RESOLUTIONS
from commune.ballots.views import paper_act_done, paper_desk_context, papers_print_page, teller_actor
from commune.elections.access import access_election
from commune.elections.errors import ElectionError
from commune.elections.forms import PaperReadingForm
from commune.elections.models import Candidacy, Election
from commune.elections.services.papers import (
    election_channel,
    election_paper_dispute_resolve,
    election_paper_enter,
    election_papers_pdf,
    paper_candidates,
)
from commune.federation.models import Member, Organisation
from commune.web.edge import member_page, page_context, refusal


def _found(
    request: HttpRequest, organisation: Organisation, election_id: int
) -> tuple[Election, PaperChannel, list[Candidacy]]:
    election = access_election(request_person(request), organisation, election_id)
    try:
        channel = election_channel(election)
    except ElectionError as exc:
        raise Http404(str(exc)) from exc
    return election, channel, paper_candidates(channel)


def _verb(outcome: str) -> str:
    if outcome == "count":
        return pgettext("verb, count the paper", "Count")
    return pgettext("verb, reject the paper", "Reject")


def _reasons() -> list[tuple[str, str]]:
    return [(key, f"{_verb(outcome)}: {_(words)}") for key, (outcome, words) in RESOLUTIONS.items()]


def _page(
    request: HttpRequest,
    organisation: Organisation,
    member: Member,
    election: Election,
    channel: PaperChannel,
    candidates: list[Candidacy],
    *,
    entry: PaperReadingForm | None = None,
    resolve: PaperReadingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "elections/papers.html",
        page_context(
            organisation,
            member,
            election=election,
            candidates=candidates,
            **paper_desk_context(channel, member),
            entry=entry or PaperReadingForm(candidates=candidates, prefix="entry"),
            resolve=resolve or PaperReadingForm(candidates=candidates, reasons=_reasons(), prefix="resolve"),
        ),
        status=status,
    )


@member_page
def election_papers_page(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """The election's papers reconciled and its disputes; the tellers' desk for its tellers."""
    election, channel, candidates = _found(request, organisation, election_id)
    return _page(request, organisation, member, election, channel, candidates)


def _teller_act(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int, resolving: bool
) -> HttpResponse:
    election, channel, candidates = _found(request, organisation, election_id)
    if request.method != "POST":
        return redirect("elections:papers", slug=organisation.slug, election_id=election.pk)
    form = PaperReadingForm(
        request.POST,
        candidates=candidates,
        reasons=_reasons() if resolving else (),
        prefix="resolve" if resolving else "entry",
    )
    forms = {"resolve" if resolving else "entry": form}
    if not form.is_valid():
        return _page(request, organisation, member, election, channel, candidates, **forms, status=400)
    actor = teller_actor(member)
    code, preferences = form.cleaned_data["code"], form.preferences()
    try:
        if resolving:
            reason = form.cleaned_data["reason"]
            reject = RESOLUTIONS[reason][0] == "reject"
            paper = election_paper_dispute_resolve(
                election=election,
                teller=member,
                code=code,
                preferences=None if reject else preferences,
                reason=reason,
                actor=actor,
            )
        else:
            paper = election_paper_enter(
                election=election, teller=member, code=code, preferences=preferences, actor=actor
            )
    except PaperRefused as exc:
        # Who may act, not what was typed: said at the top of the page, which has no desk for them.
        messages.error(request, refusal(exc))
        return redirect("elections:papers", slug=organisation.slug, election_id=election.pk)
    except (PaperError, ElectionError) as exc:
        # A refusal of the paper named by its code goes on the code; one of the whole act above the form.
        field = "code" if isinstance(exc, PaperError) and "preference" not in str(exc) else None
        form.add_error(field, refusal(exc))
        return _page(request, organisation, member, election, channel, candidates, **forms, status=400)
    paper_act_done(request, paper)
    return redirect("elections:papers", slug=organisation.slug, election_id=election.pk)


@member_page
@require_http_methods(["GET", "POST"])
def election_papers_enter(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """A teller enters a returned paper as they read it."""
    return _teller_act(request, organisation, member, election_id, resolving=False)


@member_page
@require_http_methods(["GET", "POST"])
def election_papers_resolve(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """A third teller resolves a dispute."""
    return _teller_act(request, organisation, member, election_id, resolving=True)


@member_page
def election_papers_print(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """The papers still out, to print (the tellers only: they name each member beside a code)."""
    election, channel, _candidates = _found(request, organisation, election_id)
    return papers_print_page(
        channel,
        member,
        lambda: election_papers_pdf(election=election, title=f"{organisation.name}: {election.title}"),
        filename=f"papers-{organisation.slug}-election-{election.pk}.pdf",
    )
