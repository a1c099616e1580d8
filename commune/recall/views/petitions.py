"""Pages of recall: the petitions a member may sign, a petition with its count against its threshold,
signing it and taking one's signature back, opening one against a seat one helped elect, the secret
recall ballot, and the result with the countback that filled the seat.

Every current member may read every petition: recall is an act about a public office. No page lists
who signed, not even to the holder or an officer; each reader learns only whether *they* signed
(``docs/recall.md``). What a member may do is the services' to decide; their refusals come back as form
errors with the status the API gives them. Nothing here, or anywhere, pauses or voids a recall.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.ballots.selectors import paper_channel_of_box
from commune.federation.models import Member, Organisation
from commune.mandates.access import access_delegate
from commune.recall.access import access_recall_petition, recall_petition_electors
from commune.recall.errors import RecallError
from commune.recall.forms import RecallBallotForm, RecallOpenForm
from commune.recall.models import RecallPetition
from commune.recall.selectors import recall_ballot_bulletin
from commune.recall.selectors.pages import (
    holder_recalls_page,
    petition_page,
    recall_list_page,
    recallable_seats_page,
    result_page,
)
from commune.recall.services import (
    recall_ballot_cast,
    recall_ballot_close,
    recall_petition_open,
    recall_petition_sign,
    recall_signature_withdraw,
)
from commune.web.downloads import download
from commune.web.edge import elector_page, member_page, page_context, refusal, refusal_status


def _petition_response(
    request: HttpRequest,
    organisation: Organisation,
    member: Member,
    petition: RecallPetition,
    *,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "recall/detail.html",
        page_context(
            organisation, member, view=petition_page(petition=petition, member=member), refused=refused
        ),
        status=status,
    )


@member_page
def recall_list(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The petitions against holders the reader helped elect (those they may sign), then every other
    petition in the organisation."""
    return render(
        request,
        "recall/list.html",
        page_context(organisation, member, view=recall_list_page(member=member)),
    )


@member_page
def holder_recalls(
    request: HttpRequest, organisation: Organisation, member: Member, number: str
) -> HttpResponse:
    """Every petition to recall one member, and the seats of theirs the reader may petition against."""
    holder = access_delegate(request_person(request), organisation, number)
    return render(
        request,
        "recall/holder.html",
        page_context(organisation, member, view=holder_recalls_page(holder=holder, member=member)),
    )


@member_page
@require_http_methods(["GET", "POST"])
def recall_open(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Open a petition against a seat or office the reader's electorate conferred; they sign it first.
    ``?holder=<number>`` narrows the choice to that member's seats."""
    holder_number = request.GET.get("holder", "")
    holder = access_delegate(request_person(request), organisation, holder_number) if holder_number else None
    seats = recallable_seats_page(member=member, holder=holder)
    open_to = [s for s in seats if s.running is None]
    form = RecallOpenForm(
        request.POST if request.method == "POST" else None,
        seats=[(s.seat.pk, f"{s.seat.member.person.name}, {s.label}") for s in open_to],
        initial={"seat": open_to[0].seat.pk} if len(open_to) == 1 else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            seat = next(s.seat for s in open_to if s.seat.pk == form.cleaned_data["seat"])
            try:
                petition = recall_petition_open(
                    seat=seat, member=member, grounds=form.cleaned_data["grounds"]
                )
            except RecallError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(request, _("The petition is open, with your signature on it."))
                return redirect("recall:detail", slug=organisation.slug, petition_id=petition.pk)
        else:
            status = 400
    return render(
        request,
        "recall/open.html",
        page_context(organisation, member, seats=seats, open_to=open_to, holder=holder, form=form),
        status=status,
    )


@elector_page(recall_petition_electors)
def recall_detail(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """A petition: its count against its threshold, deadline and status, what happens at the threshold,
    and the reader's own signature."""
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    return _petition_response(request, organisation, member, petition)


@elector_page(recall_petition_electors)
@require_POST
def recall_sign(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """Sign a petition (its electorate only, once each, while it gathers)."""
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    try:
        signed = recall_petition_sign(petition=petition, member=member)
    except RecallError as exc:
        return _petition_response(
            request, organisation, member, petition, refused=refusal(exc), status=refusal_status(exc)
        )
    messages.success(
        request,
        _("You signed. Nobody else can see that you did.")
        if signed.status == "gathering"
        else _("You signed. Nobody else can see that you did. The petition has reached its threshold."),
    )
    return redirect("recall:detail", slug=organisation.slug, petition_id=petition.pk)


@elector_page(recall_petition_electors)
@require_POST
def recall_withdraw(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """Take back one's own signature, while the petition still gathers."""
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    try:
        recall_signature_withdraw(petition=petition, member=member)
    except RecallError as exc:
        return _petition_response(
            request, organisation, member, petition, refused=refusal(exc), status=refusal_status(exc)
        )
    messages.success(request, _("Your signature is taken back."))
    return redirect("recall:detail", slug=organisation.slug, petition_id=petition.pk)


@elector_page(recall_petition_electors)
@require_http_methods(["GET", "POST"])
def recall_ballot(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """The secret recall ballot: yes to recall, no to keep. The register notes that the reader voted,
    the box what was voted, and nothing links them."""
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    form = RecallBallotForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                recall_ballot_cast(petition=petition, member=member, choice=form.cleaned_data["choice"])
            except RecallError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(request, _("Your vote is in the box. Nobody can see how you voted."))
                return redirect("recall:ballot", slug=organisation.slug, petition_id=petition.pk)
        else:
            status = 400
    return render(
        request,
        "recall/ballot.html",
        page_context(
            organisation,
            member,
            view=petition_page(petition=petition, member=member),
            form=form,
            has_papers=paper_channel_of_box(box_id=getattr(getattr(petition, "ballot", None), "box_id", None))
            is not None,
        ),
        status=status,
    )


@member_page
@require_POST
def recall_ballot_count(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """Count the recall ballot once its week is up or everyone has voted; anyone may ask, nobody can
    have it counted earlier."""
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    try:
        recall_ballot_close(
            petition=petition, actor=Actor.of(request_person(request), role=f"member {member.number}")
        )
    except RecallError as exc:
        messages.error(request, _("The ballot was not counted: %(reason)s") % {"reason": refusal(exc)})
        return redirect("recall:ballot", slug=organisation.slug, petition_id=petition.pk)
    return redirect("recall:result", slug=organisation.slug, petition_id=petition.pk)


@member_page
def recall_result(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """The outcome: the ballot's figures against its majority, and the seat's replacement, with the
    countback's recount stage by stage."""
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    return render(
        request,
        "recall/result.html",
        page_context(organisation, member, view=result_page(petition=petition, member=member)),
    )


@member_page
def recall_ballot_bulletin_json(
    request: HttpRequest, organisation: Organisation, member: Member, petition_id: int
) -> HttpResponse:
    """A counted recall ballot's bulletin as a file anyone can re-count; missing until the count."""
    petition = access_recall_petition(request_person(request), organisation, petition_id)
    try:
        document = recall_ballot_bulletin(organisation=organisation, petition=petition)
    except RecallError as exc:
        raise Http404(str(exc)) from exc
    return download(document, filename=f"bulletin-{organisation.slug}-recall-{petition.pk}.json")
