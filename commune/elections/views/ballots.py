"""Pages of the secret ballot: the ranking ballot, the receipt with the tracker, and the bulletin with its
tracker look-up and downloads.

The receipt is the response to the cast itself, never a page to come back to: the tracker is shown once
and kept nowhere on the server beside the voter's name (a session would do exactly that), and the response
is marked not to be cached.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from commune.accounts.access import request_person
from commune.ballots.trackers import tracker_normalise
from commune.elections.access import access_election, election_electors
from commune.elections.errors import ElectionError
from commune.elections.forms import RankingForm
from commune.elections.models import Election
from commune.elections.selectors import bulletin_blt_text, bulletin_document
from commune.elections.selectors.pages import ballot_page, bulletin_is_published, bulletin_page
from commune.elections.services.casting import ballot_cast
from commune.elections.services.papers import election_papers_desk
from commune.federation.models import Member, Organisation
from commune.web.downloads import download
from commune.web.edge import elector_page, member_page, page_context

BALLOTS_PER_PAGE = 100


def _election(request: HttpRequest, organisation: Organisation, election_id: int) -> Election:
    return access_election(request_person(request), organisation, election_id)


@elector_page(election_electors)
@never_cache
@require_http_methods(["GET", "POST"])
def ballot(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """The ballot: a numbered choice beside each candidate. Casting answers with the receipt."""
    election = _election(request, organisation, election_id)
    view = ballot_page(election=election, member=member)
    form = RankingForm(request.POST if request.method == "POST" else None, candidates=view.candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                receipt = ballot_cast(
                    election_id=election.pk,
                    member=member,
                    ranking=form.cleaned_data["ranking"],
                    email_receipt=form.cleaned_data["email_receipt"],
                )
            except ElectionError as exc:
                form.add_error(None, f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            else:
                return render(
                    request,
                    "ballots/receipt.html",
                    page_context(
                        organisation,
                        member,
                        election=election,
                        receipt=receipt,
                        emailed_to=member.person.email if form.cleaned_data["email_receipt"] else "",
                    ),
                )
        status = 400
    return render(
        request,
        "ballots/ballot.html",
        page_context(
            organisation,
            member,
            election=election,
            view=view,
            form=form,
            papers_desk=election_papers_desk(election=election, member=member),
        ),
        status=status,
    )


@member_page
def bulletin(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """Every published ballot with its tracker, a page at a time; the Merkle root; a tracker look-up."""
    election = _election(request, organisation, election_id)
    context = page_context(organisation, member, election=election, published=bulletin_is_published(election))
    if context["published"]:
        context["bulletin"] = bulletin_page(
            election=election,
            page_number=request.GET.get("page"),
            per_page=BALLOTS_PER_PAGE,
            tracker=tracker_normalise(request.GET.get("tracker", "")[:80]),
        )
    return render(request, "ballots/bulletin.html", context)


def _published(request: HttpRequest, organisation: Organisation, election_id: int) -> Election:
    election = _election(request, organisation, election_id)
    if not bulletin_is_published(election):
        raise Http404("the bulletin is published when voting closes")
    return election


@member_page
def bulletin_json(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """The bulletin as a file anyone can check and re-count (``commune retally``)."""
    election = _published(request, organisation, election_id)
    return download(
        bulletin_document(election=election), filename=f"bulletin-{organisation.slug}-{election.pk}.json"
    )


@member_page
def bulletin_blt(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """The bulletin's ballots in BLT, the format of OpenSTV, Droop and ``commune tally``."""
    election = _published(request, organisation, election_id)
    return download(
        bulletin_blt_text(election=election), filename=f"bulletin-{organisation.slug}-{election.pk}.blt"
    )
