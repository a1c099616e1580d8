"""Pages of votes: putting a motion or an amendment to the vote, a vote with its rule and result, the
ballot of an assembly vote or referendum, its bulletin, and closing it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.federation.models import Member, Organisation
from commune.live.services import live_last_id
from commune.motions.access import (
    access_amendment,
    access_vote,
    vote_electors,
)
from commune.motions.errors import MotionError
from commune.motions.forms import ChoiceForm
from commune.motions.models import Motion, Vote, VoteMode, VotePurpose
from commune.motions.selectors import vote_bulletin
from commune.motions.selectors.pages import (
    motion_page,
    vote_page,
)
from commune.motions.services import (
    amendment_vote_open,
    assembly_vote_cast,
    motion_vote_open,
    vote_close,
)
from commune.motions.services.live import vote_topic
from commune.motions.views.common import (
    _closes_at,
    _motion,
    _to_motion,
    actor_of,
)
from commune.web.downloads import download
from commune.web.edge import elector_page, member_page, page_context, refusal, refusal_status


@member_page
@require_POST
def motion_put_page(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int
) -> HttpResponse:
    """Put the motion to its body's vote (a council: in its open session)."""
    motion = _motion(request, organisation, motion_id)
    return _put_to_vote(
        request,
        organisation,
        member,
        motion,
        "motion",
        lambda **when: motion_vote_open(motion=motion, member=member, actor=actor_of(member), **when),
    )


def _put_to_vote(
    request: HttpRequest,
    organisation: Organisation,
    member: Member,
    motion: Motion,
    what: str,
    vote_open: Callable[..., Vote],
) -> HttpResponse:
    """Open a vote on the motion or one of its amendments for as long as the form asks, in the body's open
    session if it sits in one; a refusal goes back to the motion page with the reason."""
    view = motion_page(motion_id=motion.pk, member=member)
    duration = _closes_at(request)
    if view is None or duration is None:
        messages.error(request, _("Choose how long voting stays open."))
        return _to_motion(organisation, motion.pk)
    try:
        vote = vote_open(closes_at=timezone.now() + duration, session=view.open_session)
    except MotionError as exc:
        refused = (
            _("The motion was not put to the vote: %(reason)s")
            if what == "motion"
            else _("The amendment was not put to the vote: %(reason)s")
        )
        messages.error(request, refused % {"reason": refusal(exc)})
        return _to_motion(organisation, motion.pk)
    messages.success(
        request,
        _("The motion is put to the vote.") if what == "motion" else _("The amendment is put to the vote."),
    )
    return redirect("motions:vote", slug=organisation.slug, vote_id=vote.pk)


@member_page
@require_POST
def amendment_put_page(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int, amendment_id: int
) -> HttpResponse:
    """Put an amendment to the body's vote."""
    motion = _motion(request, organisation, motion_id)
    amendment = access_amendment(request_person(request), motion, amendment_id)
    return _put_to_vote(
        request,
        organisation,
        member,
        motion,
        "amendment",
        lambda **when: amendment_vote_open(
            amendment=amendment, member=member, actor=actor_of(member), **when
        ),
    )


@elector_page(vote_electors)
@never_cache
@require_http_methods(["GET", "POST"])
def vote_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, vote_id: int
) -> HttpResponse:
    """A vote: the question, who votes and how (secret, open or on the record), its thresholds in plain
    words, and once closed its result. For an assembly vote or a referendum it is the ballot too."""
    vote = access_vote(request_person(request), organisation, vote_id)
    form = ChoiceForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assembly_vote_cast(vote=vote, member=member, choice=form.cleaned_data["choice"])
            except MotionError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                secret = vote.mode == VoteMode.SECRET
                messages.success(
                    request,
                    _(
                        "Your vote is cast. It is secret: the register shows that you voted, and nothing links you to it."
                    )
                    if secret
                    else _("Your vote is cast. It is on the record."),
                )
                return redirect("motions:vote", slug=organisation.slug, vote_id=vote.pk)
        else:
            status = 400
    view = vote_page(vote_id=vote.pk, member=member)
    if view is None:
        raise Http404("no such vote")
    # While it is open the page follows the vote's events from the one it was rendered at (live.js).
    live_src = f"/live/vote/{vote.pk}/?since={live_last_id(vote_topic(vote.pk))}" if view.is_open else ""
    return render(
        request,
        "motions/vote.html",
        page_context(organisation, member, view=view, vote=view.vote, form=form, live_src=live_src),
        status=status,
    )


@member_page
def vote_bulletin_json(
    request: HttpRequest, organisation: Organisation, member: Member, vote_id: int
) -> HttpResponse:
    """A counted secret vote's bulletin as a file anyone can re-count; missing until the count."""
    vote = access_vote(request_person(request), organisation, vote_id)
    try:
        document = vote_bulletin(organisation=organisation, vote=vote)
    except MotionError as exc:
        raise Http404(str(exc)) from exc
    return download(document, filename=f"bulletin-{organisation.slug}-vote-{vote.pk}.json")


@member_page
@require_POST
def vote_close_page(
    request: HttpRequest, organisation: Organisation, member: Member, vote_id: int
) -> HttpResponse:
    """Count a vote whose time is up or in which everyone entitled has voted; any member may ask."""
    vote = access_vote(request_person(request), organisation, vote_id)
    if vote.purpose == VotePurpose.MANDATE:
        # Counting a mandate vote also puts the mandate in force, which the mandate's page does.
        return redirect("mandates:mandate", slug=organisation.slug, mandate_id=vote.mandate.pk)
    try:
        closed = vote_close(vote=vote, actor=actor_of(member))
    except MotionError as exc:
        messages.error(request, _("The vote was not counted: %(reason)s") % {"reason": refusal(exc)})
    else:
        messages.success(request, _("Carried.") if closed.carried else _("Not carried."))
    return redirect("motions:vote", slug=organisation.slug, vote_id=vote.pk)
