"""Pages of a meeting: the page every member follows (on a phone too: check in, ask to speak, vote for the
chair; the chair's and tellers' controls), and the projector's view for the hall. Each follows the meeting's
live events; without script, each is right on reload."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.errors import DomainError
from commune.federation.access import NotFound
from commune.federation.models import Member, Organisation
from commune.live.services import live_last_id
from commune.meetings import services
from commune.meetings.errors import MeetingError
from commune.meetings.models import SpeechKind
from commune.meetings.selectors import meeting_view
from commune.meetings.services.live import meeting_topic
from commune.motions.access import access_session
from commune.motions.models import CouncilSession
from commune.motions.services.live import vote_topic
from commune.web.edge import member_page, page_context, refusal


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _render(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int, template: str
) -> HttpResponse:
    session = access_session(request_person(request), organisation, session_id)
    view = meeting_view(session=session)
    live_src = (
        f"/live/meeting/{session.pk}/?since={live_last_id(meeting_topic(session.pk))}"
        if session.closed_at is None
        else ""
    )
    vote_src = (
        f"/live/vote/{view.vote.pk}/?since={live_last_id(vote_topic(view.vote.pk))}"
        if view.vote is not None and view.vote.closed_at is None
        else ""
    )
    # The projector's view is the hall's, not the person's who opened it: it shows no one's forms.
    projector = template.endswith("projector.html")
    on_roll = None if projector else next((r for r in view.roll if r.attended_by_id == member.pk), None)
    return render(
        request,
        template,
        page_context(
            organisation,
            member,
            view=view,
            session=session,
            live_src=live_src,
            vote_src=vote_src,
            on_roll=on_roll,
            is_chair=view.chair is not None and view.chair.pk == member.pk,
            kinds=SpeechKind.choices,
            server_now=timezone.now(),
        ),
    )


@member_page
def meeting_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int
) -> HttpResponse:
    return _render(request, organisation, member, session_id, "meetings/meeting.html")


@member_page
def projector_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int
) -> HttpResponse:
    return _render(request, organisation, member, session_id, "meetings/projector.html")


def _named(organisation: Organisation, request: HttpRequest) -> Member:
    number = request.POST.get("member", "").strip()
    found = Member.objects.select_related("person").filter(organisation=organisation, number=number).first()
    if found is None:
        raise MeetingError(f"no member is numbered {number!r}")
    return found


def _do(
    act: str, request: HttpRequest, organisation: Organisation, member: Member, session: CouncilSession
) -> str:
    """Ask the act's service; say what was done."""
    actor = _actor(member)
    if act == "agenda":
        services.agenda_build(session=session, member=member, actor=actor)
        return "Agenda built."
    if act == "floor":
        position = int(request.POST.get("position") or 0)
        services.floor_set(session=session, member=member, position=position, actor=actor)
        return "Item on the floor."
    if act == "check-in":
        services.check_in(session=session, member=member, actor=actor)
        return "You are on the roll."
    if act == "desk":
        services.desk_check_in(
            session=session, teller=member, member=_named(organisation, request), actor=actor
        )
        return "Checked in at the desk."
    if act == "teller":
        services.teller_name(
            session=session, member=member, teller=_named(organisation, request), actor=actor
        )
        return "Teller named."
    if act == "chair":
        services.chair_vote(
            session=session, member=member, candidate=_named(organisation, request), actor=actor
        )
        return "Your seat's vote for the chair is recorded."
    if act == "speak":
        services.speech_request(
            session=session, member=member, kind=request.POST.get("kind", ""), actor=actor
        )
        return "You are on the list of speakers."
    if act == "next":
        services.speaker_next(session=session, member=member, actor=actor)
        return "Next speaker called."
    if act == "rule":
        services.ruling_make(session=session, member=member, text=request.POST.get("text", ""), actor=actor)
        return "Your ruling is recorded."
    if act in ("challenge", "overrule", "uphold"):
        ruling = int(request.POST.get("ruling") or 0)
        if act == "challenge":
            services.ruling_challenge(session=session, member=member, ruling_id=ruling, actor=actor)
            return "The ruling is challenged: the meeting votes on it."
        services.ruling_vote(
            session=session, member=member, ruling_id=ruling, overrule=act == "overrule", actor=actor
        )
        return "Your seat's vote on the challenge is recorded."
    raise Http404("no such act")


@member_page
@require_POST
def meeting_act_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int, act: str
) -> HttpResponse:
    """One act of the meeting from its page's forms, each through its service."""
    session = access_session(request_person(request), organisation, session_id)
    try:
        done = _do(act, request, organisation, member, session)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, f"Not done: {refusal(exc)}")
    except ValueError:
        messages.error(request, "Not done: that is not a number.")
    else:
        messages.success(request, done)
    return redirect("meetings:meeting", slug=organisation.slug, session_id=session.pk)
