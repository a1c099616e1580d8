"""Pages of motions: a body's agenda and motions, moving, supporting and amending a motion, its page with
its provenance, putting it to the vote, forwarding it up and referring it down; a vote with its rule and
result, and the ballot of an assembly vote or referendum; a council's sessions, a session's roll and
recorded votes; a referral's results across the units.

Every current member may read all of it. What a member may do is decided by the services; their refusals
come back as form errors or messages. A delegate casts their seat's vote on the mandates page
(``commune.mandates.views``), since that is where it is checked against their constituency's mandate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_body
from commune.federation.models import BodyKind, Member, Organisation
from commune.live.services import live_last_id
from commune.motions.access import (
    access_amendment,
    access_motion,
    access_referral,
    access_session,
    access_vote,
    vote_electors,
)
from commune.motions.errors import MotionError, TermsError
from commune.motions.forms import AmendForm, ChoiceForm, MoveForm, PutForm, ReferForm, SessionForm
from commune.motions.models import Motion, Vote, VoteMode, VotePurpose
from commune.motions.selectors import vote_bulletin
from commune.motions.selectors.pages import (
    body_motions,
    motion_page,
    referral_page,
    session_page,
    vote_page,
)
from commune.motions.services import (
    amendment_propose,
    amendment_vote_open,
    assembly_vote_cast,
    motion_forward,
    motion_move,
    motion_refer_vote_open,
    motion_support,
    motion_vote_open,
    session_close,
    session_open,
    session_roll_sign,
    vote_close,
)
from commune.motions.services.ballot_notice import ballot_waits_for_notice
from commune.motions.services.live import vote_topic
from commune.motions.thresholds import rule_explained
from commune.web.downloads import download
from commune.web.edge import elector_page, member_page, page_context, refusal, refusal_status

DECIDED_PER_PAGE = 30
#: A council votes in session, so a question put to it stays open for the sitting, not for days.
COUNCIL_VOTE_MINUTES = 60


def actor_of(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _motion(request: HttpRequest, organisation: Organisation, motion_id: int) -> Motion:
    return access_motion(request_person(request), organisation, motion_id)


def _to_motion(organisation: Organisation, motion_id: int) -> HttpResponse:
    return redirect("motions:detail", slug=organisation.slug, motion_id=motion_id)


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


def _closes_at(request: HttpRequest) -> timedelta | None:
    form = PutForm(request.POST)
    return timedelta(minutes=form.cleaned_data["minutes"]) if form.is_valid() else None


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


@member_page
@require_http_methods(["GET", "POST"])
def sessions_page(
    request: HttpRequest, organisation: Organisation, member: Member, code: str
) -> HttpResponse:
    """A council's sessions; a delegate seated on it opens one here. A unit's are its general assembly's
    sittings, which any of its members calls."""
    council = access_body(request_person(request), organisation, code)
    form = SessionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            session = session_open(
                council=council, member=member, title=form.cleaned_data["title"], actor=actor_of(member)
            )
        except MotionError as exc:
            form.add_error(None, refusal(exc))
            status = refusal_status(exc)
        else:
            called = (
                _(
                    "%(session)s is called, and every member of the unit told. It sits from %(when)s UTC: check "
                    "in then to take part."
                )
                if council.kind == BodyKind.UNIT
                else _(
                    "%(session)s is called, and every delegate told. It sits from %(when)s UTC: sign the roll then "
                    "to take your seat."
                )
            )
            messages.success(
                request,
                called % {"session": session.title, "when": date_format(session.starts_at, "d F Y, H:i")},
            )
            return redirect("motions:session", slug=organisation.slug, session_id=session.pk)
    view = body_motions(body=council, member=member)
    return render(
        request,
        "motions/sessions.html",
        page_context(organisation, member, body=council, view=view, form=form),
        status=status,
    )


@member_page
def session_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int
) -> HttpResponse:
    """A council session: the agenda, the roll of seats present (delegate or alternate, with weights),
    and every vote with every seat's choice beside its constituency's mandate."""
    session = access_session(request_person(request), organisation, session_id)
    view = session_page(session_id=session.pk, member=member)
    if view is None:
        raise Http404("no such session")
    rules = {v.pk: rule_explained(v.rule) for v in view.session.votes.all()}
    return render(
        request,
        "motions/session.html",
        page_context(organisation, member, view=view, session=view.session, rules=rules),
    )


@member_page
@require_POST
def session_roll_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int
) -> HttpResponse:
    """Sign the roll: for one's own seat, or as the alternate of an absent delegate."""
    session = access_session(request_person(request), organisation, session_id)
    try:
        entry = session_roll_sign(session=session, member=member, actor=actor_of(member))
    except MotionError as exc:
        messages.error(request, _("You are not on the roll: %(reason)s") % {"reason": refusal(exc)})
    else:
        messages.success(
            request,
            _("You are on the roll as the alternate of an absent delegate.")
            if entry.as_alternate
            else _("You are on the roll."),
        )
    return redirect("motions:session", slug=organisation.slug, session_id=session.pk)


@member_page
@require_POST
def session_close_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int
) -> HttpResponse:
    session = access_session(request_person(request), organisation, session_id)
    try:
        session_close(session=session, member=member, actor=actor_of(member))
    except MotionError as exc:
        messages.error(request, _("The session was not closed: %(reason)s") % {"reason": refusal(exc)})
    else:
        messages.success(request, _("The session is closed."))
    return redirect("motions:session", slug=organisation.slug, session_id=session.pk)


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
