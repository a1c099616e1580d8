"""Pages of a council's sessions: the list, a session with its recorded votes, its roll, and closing it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.federation.access import access_body
from commune.federation.models import BodyKind, Member, Organisation
from commune.motions.access import (
    access_session,
)
from commune.motions.errors import MotionError
from commune.motions.forms import SessionForm
from commune.motions.selectors.pages import (
    body_motions,
    session_page,
)
from commune.motions.services import (
    session_close,
    session_open,
    session_roll_sign,
)
from commune.motions.thresholds import rule_explained
from commune.motions.views.common import (
    actor_of,
)
from commune.web.edge import member_page, page_context, refusal, refusal_status


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
