"""Pages of mandates: a delegate's compliance record (their votes beside their constituents' mandates,
every departure with its reason), the mandates given on an item and proposing one to one's constituency,
a mandate with the constituency's vote that decides it, and a delegate casting their seat's vote.

The compliance record is what members use to judge their delegates, so any member may read anyone's.
A seat's vote is cast only here, through ``delegate_vote_cast``, which refuses a vote against a binding
mandate and publishes a departure from an instructed one.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.federation.models import BodyKind, Member, Organisation
from commune.mandates.access import access_delegate, access_mandate
from commune.mandates.forms import MandateForm, SeatVoteForm
from commune.mandates.selectors import mandates_of_motion
from commune.mandates.selectors.pages import constituencies_of_member, delegate_page, seat_vote_page
from commune.mandates.services import delegate_vote_cast, mandate_decide, mandate_propose
from commune.motions.access import access_motion, access_vote
from commune.motions.errors import MotionError
from commune.motions.models import CouncilSession, VoteMode
from commune.motions.views.common import actor_of
from commune.web.edge import member_page, page_context, refusal, refusal_status


@member_page
def delegate_detail(
    request: HttpRequest, organisation: Organisation, member: Member, number: str
) -> HttpResponse:
    """A delegate's compliance record: each vote cast for their seats beside the mandate in force, with
    departures and their reasons marked."""
    delegate = access_delegate(request_person(request), organisation, number)
    return render(
        request,
        "mandates/delegate.html",
        page_context(organisation, member, view=delegate_page(delegate=delegate), delegate=delegate),
    )


@member_page
@require_http_methods(["GET", "POST"])
def motion_mandates(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int
) -> HttpResponse:
    """The mandates given, or being voted on, for an item before a council; and a member of one of its
    constituencies proposes one to that constituency's own vote."""
    motion = access_motion(request_person(request), organisation, motion_id)
    if motion.body.kind != BodyKind.COUNCIL:
        raise Http404("mandates are given to delegates on a council's items")
    constituencies = constituencies_of_member(member=member, motion=motion)
    form = MandateForm(
        request.POST if request.method == "POST" else None,
        constituencies=[(b.code, b.name) for b in constituencies],
    )
    status = 200
    if request.method == "POST" and constituencies:
        if form.is_valid():
            constituency = next(b for b in constituencies if b.code == form.cleaned_data["constituency"])
            session = (
                CouncilSession.objects.filter(council=constituency, closed_at__isnull=True).first()
                if constituency.kind == BodyKind.COUNCIL
                else None
            )
            try:
                mandate = mandate_propose(
                    constituency=constituency,
                    motion=motion,
                    member=member,
                    kind=form.cleaned_data["kind"],
                    instruction=form.cleaned_data["instruction"],
                    note=form.cleaned_data["note"],
                    closes_at=timezone.now() + timedelta(minutes=form.cleaned_data["minutes"]),
                    session=session,
                    actor=actor_of(member),
                )
            except MotionError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _("The mandate is put to the vote of %(constituency)s.")
                    % {"constituency": constituency.name},
                )
                return redirect("mandates:mandate", slug=organisation.slug, mandate_id=mandate.pk)
        else:
            status = 400
    return render(
        request,
        "mandates/of_motion.html",
        page_context(
            organisation,
            member,
            motion=motion,
            mandates=list(mandates_of_motion(motion_id=motion.pk)),
            form=form if constituencies else None,
        ),
        status=status,
    )


@member_page
def mandate_detail(
    request: HttpRequest, organisation: Organisation, member: Member, mandate_id: int
) -> HttpResponse:
    """A mandate and the constituency's vote that adopts it or not."""
    mandate = access_mandate(request_person(request), organisation, mandate_id)
    return render(request, "mandates/mandate.html", page_context(organisation, member, mandate=mandate))


@member_page
@require_POST
def mandate_decide_page(
    request: HttpRequest, organisation: Organisation, member: Member, mandate_id: int
) -> HttpResponse:
    """Count the constituency's vote on a mandate (once its time is up or all have voted); carried, the
    mandate is in force."""
    mandate = access_mandate(request_person(request), organisation, mandate_id)
    try:
        decided = mandate_decide(mandate=mandate, actor=actor_of(member))
    except MotionError as exc:
        messages.error(request, _("The vote was not counted: %(reason)s") % {"reason": refusal(exc)})
    else:
        messages.success(
            request, _("The mandate is decided: %(status)s.") % {"status": decided.get_status_display()}
        )
    return redirect("mandates:mandate", slug=organisation.slug, mandate_id=mandate.pk)


@member_page
@require_http_methods(["GET", "POST"])
def seat_vote(request: HttpRequest, organisation: Organisation, member: Member, vote_id: int) -> HttpResponse:
    """A delegate on the roll casts their seat's vote, with their constituency's mandate beside the form.
    A vote against a binding mandate is refused; departing from an instructed one needs a reason."""
    vote = access_vote(request_person(request), organisation, vote_id)
    if vote.mode != VoteMode.COUNCIL:
        return redirect("motions:vote", slug=organisation.slug, vote_id=vote.pk)
    form = SeatVoteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                cast = delegate_vote_cast(
                    vote=vote, member=member, actor=actor_of(member), **form.cleaned_data
                )
            except MotionError as exc:
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _(
                        "The seat's vote is recorded. Your departure and your reason are published to your constituents."
                    )
                    if cast.departed
                    else _("The seat's vote is recorded."),
                )
                return redirect("motions:vote", slug=organisation.slug, vote_id=vote.pk)
        else:
            status = 400
    return render(
        request,
        "mandates/seat_vote.html",
        page_context(
            organisation, member, vote=vote, view=seat_vote_page(vote=vote, member=member), form=form
        ),
        status=status,
    )
