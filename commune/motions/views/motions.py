"""Pages of motions: a body's agenda and motions, moving, supporting and amending a motion, its page
with its provenance, forwarding it up and referring it down, and a referral's results across the units."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.federation.access import access_body
from commune.federation.models import BodyKind, Member, Organisation
from commune.motions.access import (
    access_referral,
)
from commune.motions.errors import MotionError, TermsError
from commune.motions.forms import AmendForm, MoveForm, PutForm, ReferForm
from commune.motions.models import Motion
from commune.motions.selectors.pages import (
    body_motions,
    motion_page,
    referral_page,
)
from commune.motions.services import (
    amendment_propose,
    motion_forward,
    motion_move,
    motion_refer_vote_open,
    motion_support,
)
from commune.motions.services.ballot_notice import ballot_waits_for_notice
from commune.motions.thresholds import rule_explained
from commune.motions.views.common import (
    COUNCIL_VOTE_MINUTES,
    DECIDED_PER_PAGE,
    _motion,
    _to_motion,
    actor_of,
)
from commune.web.edge import member_page, page_context, refusal, refusal_status


@member_page
def body_motions_page(
    request: HttpRequest, organisation: Organisation, member: Member, code: str
) -> HttpResponse:
    """A body's agenda, the motions gathering supporters, and those decided; a council's sessions."""
    body = access_body(request_person(request), organisation, code)
    view = body_motions(body=body, member=member)
    return render(
        request,
        "motions/body.html",
        page_context(
            organisation,
            member,
            body=body,
            view=view,
            decided=Paginator(view.decided, DECIDED_PER_PAGE).get_page(request.GET.get("page")),
        ),
    )


@member_page
@require_http_methods(["GET", "POST"])
def motion_move_page(
    request: HttpRequest, organisation: Organisation, member: Member, code: str
) -> HttpResponse:
    """Move a motion in a body one sits in: a unit's members, a council's delegates."""
    body = access_body(request_person(request), organisation, code)
    form = MoveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                motion = motion_move(body=body, member=member, actor=actor_of(member), **form.cleaned_data)
            except MotionError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _("Your motion “%(title)s” is moved in %(body)s.")
                    % {"title": motion.title, "body": body.name},
                )
                return _to_motion(organisation, motion.pk)
        else:
            status = 400
    return render(
        request, "motions/move.html", page_context(organisation, member, body=body, form=form), status=status
    )


@member_page
def motion_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int
) -> HttpResponse:
    """A motion: its text, where it came from and how each body decided it, its amendments with what
    they change, its votes and referrals, and what the reader may do with it."""
    motion = _motion(request, organisation, motion_id)
    view = motion_page(motion_id=motion.pk, member=member)
    if view is None:
        raise Http404("no such motion")
    council = view.motion.body.kind == BodyKind.COUNCIL
    return render(
        request,
        "motions/detail.html",
        page_context(
            organisation,
            member,
            view=view,
            motion=view.motion,
            put_form=PutForm(initial={"minutes": COUNCIL_VOTE_MINUTES if council else 60 * 24}),
            refer_form=ReferForm(),
        ),
    )


@member_page
@require_POST
def motion_support_page(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int
) -> HttpResponse:
    motion = _motion(request, organisation, motion_id)
    try:
        supported = motion_support(motion=motion, member=member, actor=actor_of(member))
    except MotionError as exc:
        messages.error(request, _("Your support was not recorded: %(reason)s") % {"reason": refusal(exc)})
    else:
        messages.success(
            request,
            _("You support this motion. It is now on the agenda.")
            if supported.status == "on_agenda"
            else _("You support this motion."),
        )
    return _to_motion(organisation, motion.pk)


@member_page
@require_http_methods(["GET", "POST"])
def motion_amend_page(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int
) -> HttpResponse:
    """Propose an amendment: the whole text as amended, and why."""
    motion = _motion(request, organisation, motion_id)
    form = AmendForm(request.POST if request.method == "POST" else None, initial={"text": motion.text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                amendment_propose(motion=motion, member=member, actor=actor_of(member), **form.cleaned_data)
            except MotionError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(request, _("Your amendment is proposed; it can now be put to the vote."))
                return _to_motion(organisation, motion.pk)
        else:
            status = 400
    return render(
        request,
        "motions/amend.html",
        page_context(organisation, member, motion=motion, form=form),
        status=status,
    )


@member_page
@require_POST
def motion_forward_page(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int
) -> HttpResponse:
    """Forward an adopted motion to the council above, where it lands on the agenda."""
    motion = _motion(request, organisation, motion_id)
    try:
        forwarded = motion_forward(motion=motion, member=member, actor=actor_of(member))
    except MotionError as exc:
        messages.error(request, _("The motion was not forwarded: %(reason)s") % {"reason": refusal(exc)})
        return _to_motion(organisation, motion.pk)
    messages.success(
        request, _("The motion is forwarded and on the agenda of %(body)s.") % {"body": forwarded.body.name}
    )
    return _to_motion(organisation, forwarded.pk)


@member_page
@require_POST
def motion_refer_page(
    request: HttpRequest, organisation: Organisation, member: Member, motion_id: int
) -> HttpResponse:
    """Ask the council, in its open session, to refer the motion down."""
    motion = _motion(request, organisation, motion_id)
    view = motion_page(motion_id=motion.pk, member=member)
    form = ReferForm(request.POST)
    statutory = request.POST.get("statutory") == "on"
    if view is not None and statutory and not form.is_valid():
        return _refer_again(request, organisation, member, motion, form)
    if view is None or not form.is_valid():
        messages.error(request, _("Choose to whom to refer it, and for how many days."))
        return _to_motion(organisation, motion.pk)
    if view.open_session is None:
        messages.error(
            request, _("%(body)s refers a question only by its vote in session.") % {"body": motion.body.name}
        )
        return _to_motion(organisation, motion.pk)
    now = timezone.now()
    try:
        vote = motion_refer_vote_open(
            motion=motion,
            member=member,
            session=view.open_session,
            kind=form.cleaned_data["to"],
            closes_at=now + timedelta(minutes=COUNCIL_VOTE_MINUTES),
            referral_closes_at=now + timedelta(days=form.cleaned_data["referral_days"]),
            statutory=form.statutory_terms(),
            actor=actor_of(member),
        )
    except TermsError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, refusal(exc))
        return _refer_again(request, organisation, member, motion, form)
    except MotionError as exc:
        messages.error(request, _("The question was not put: %(reason)s") % {"reason": refusal(exc)})
        return _to_motion(organisation, motion.pk)
    messages.success(request, _("The council now votes on referring it down."))
    return redirect("motions:vote", slug=organisation.slug, vote_id=vote.pk)


def _refer_again(
    request: HttpRequest, organisation: Organisation, member: Member, motion: Motion, form: ReferForm
) -> HttpResponse:
    """The refer form again, with what was entered and each refusal beside its field."""
    return render(
        request,
        "motions/refer.html",
        page_context(organisation, member, motion=motion, refer_form=form, body=motion.body),
        status=400,
    )


@member_page
def referral_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, referral_id: int
) -> HttpResponse:
    """A question a council referred down: each unit's vote, and once all have closed, the membership's
    decision summed across them (or the referendum's result)."""
    referral = access_referral(request_person(request), organisation, referral_id)
    found = referral_page(referral_id=referral.pk)
    if found is None:
        raise Http404("no such referral")
    votes = list(found.votes.all())
    return render(
        request,
        "motions/referral.html",
        page_context(
            organisation,
            member,
            referral=found,
            votes=votes,
            rule=rule_explained(found.rule),
            ballot_waits=ballot_waits_for_notice(found),
        ),
    )
