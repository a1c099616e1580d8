"""Pages of a meeting: the page every member follows (on a phone too: check in, ask to speak, vote for the
chair; the chair's and tellers' controls), and the projector's view for the hall. Each follows the meeting's
live events; without script, each is right on reload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.elections.access import officer_of
from commune.errors import DomainError
from commune.federation.access import NotFound
from commune.federation.models import Member, Organisation
from commune.live.services import live_last_id
from commune.meetings import services
from commune.meetings.errors import MeetingError
from commune.meetings.minutes import minutes_of
from commune.meetings.models import SpeechKind
from commune.meetings.selectors import meeting_view, member_voted
from commune.meetings.services.live import meeting_topic
from commune.motions.access import access_session
from commune.motions.models import Choice, CouncilSession
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
    voted = on_roll is not None and view.vote is not None and member_voted(view.vote, member, on_roll)
    teller = not projector and (
        any(t.member_id == member.pk for t in view.tellers) or officer_of(member, session.council) is not None
    )
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
            voted=voted,
            teller=teller,
            choices=Choice.choices,
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
        raise MeetingError(_("no member is numbered %(number)s") % {"number": repr(number)})
    return found


def _do(
    act: str, request: HttpRequest, organisation: Organisation, member: Member, session: CouncilSession
) -> str:
    """Ask the act's service; say what was done."""
    actor = _actor(member)
    if act == "agenda":
        services.agenda_build(session=session, member=member, actor=actor)
        return _("Agenda built.")
    if act == "floor":
        position = int(request.POST.get("position") or 0)
        services.floor_set(session=session, member=member, position=position, actor=actor)
        return _("Item on the floor.")
    if act == "check-in":
        services.check_in(session=session, member=member, actor=actor)
        return _("You are on the roll.")
    if act == "desk":
        services.desk_check_in(
            session=session, teller=member, member=_named(organisation, request), actor=actor
        )
        return _("Checked in at the desk.")
    if act == "teller":
        services.teller_name(
            session=session, member=member, teller=_named(organisation, request), actor=actor
        )
        return _("Teller named.")
    if act == "chair":
        services.chair_vote(
            session=session, member=member, candidate=_named(organisation, request), actor=actor
        )
        return _("Your seat's vote for the chair is recorded.")
    if act == "speak":
        services.speech_request(
            session=session, member=member, kind=request.POST.get("kind", ""), actor=actor
        )
        return _("You are on the list of speakers.")
    if act == "next":
        services.speaker_next(session=session, member=member, actor=actor)
        return _("Next speaker called.")
    if act == "rule":
        services.ruling_make(session=session, member=member, text=request.POST.get("text", ""), actor=actor)
        return _("Your ruling is recorded.")
    if act in ("challenge", "overrule", "uphold"):
        ruling = int(request.POST.get("ruling") or 0)
        if act == "challenge":
            services.ruling_challenge(session=session, member=member, ruling_id=ruling, actor=actor)
            return _("The ruling is challenged: the meeting votes on it.")
        services.ruling_vote(
            session=session, member=member, ruling_id=ruling, overrule=act == "overrule", actor=actor
        )
        return _("Your seat's vote on the challenge is recorded.")
    if act == "vote-open":
        minutes = request.POST.get("minutes", "").strip()
        services.meeting_vote_open(
            session=session, member=member, minutes=int(minutes) if minutes else None, actor=actor
        )
        return _("The motion is put to the vote.")
    if act == "vote-close":
        services.meeting_vote_close(session=session, member=member, actor=actor)
        return _("The vote is closed and its result declared.")
    if act == "cast":
        cast = services.meeting_vote_cast(
            session=session,
            member=member,
            vote_id=int(request.POST.get("vote") or 0),
            choice=request.POST.get("choice", ""),
            reason=request.POST.get("reason", ""),
            actor=actor,
        )
        if cast.secret:
            return _(
                "Your vote is cast. It is secret: the register shows that you voted, and nothing links you to it."
            )
        return _("Your seat's vote is recorded.")
    if act == "hands":
        services.hand_count_enter(
            session=session,
            teller=member,
            vote_id=int(request.POST.get("vote") or 0),
            choices={c: request.POST.get(c, "").replace(",", " ").split() for c in Choice.values},
            actor=actor,
        )
        return _("Your count is entered.")
    if act == "hands-withdraw":
        services.hand_count_withdraw(
            session=session, teller=member, vote_id=int(request.POST.get("vote") or 0), actor=actor
        )
        return _("The count is withdrawn: count again.")
    if act == "minutes":
        services.minutes_adopt(session=session, member=member, actor=actor)
        return _("The minutes are adopted.")
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
        messages.error(request, _("Not done: %(reason)s") % {"reason": refusal(exc)})
    except ValueError:
        messages.error(request, _("Not done: that is not a number."))
    else:
        messages.success(request, done)
    return redirect("meetings:meeting", slug=organisation.slug, session_id=session.pk)


def _minutes(
    request: HttpRequest, organisation: Organisation, session_id: int
) -> tuple[CouncilSession, dict[str, Any], str]:
    session = access_session(request_person(request), organisation, session_id)
    record, adopted = minutes_of(session=session)
    line = (
        _("Adopted by %(session)s on %(date)s, put by %(name)s; digest %(digest)s.")
        % {
            "session": adopted.adopted_in.title,
            "date": date_format(timezone.localtime(adopted.adopted_at), "DATE_FORMAT"),
            "name": adopted.adopted_by.person.name,
            "digest": adopted.digest,
        }
        if adopted
        else ""
    )
    return session, record, line


@member_page
def minutes_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int
) -> HttpResponse:
    """The session's minutes, written from the record (fixed once the next meeting adopted them)."""
    session, record, adopted = _minutes(request, organisation, session_id)
    return render(
        request,
        "meetings/minutes.html",
        page_context(organisation, member, session=session, minutes=record, adopted=adopted),
    )


@member_page
def minutes_pdf_page(
    request: HttpRequest, organisation: Organisation, member: Member, session_id: int
) -> HttpResponse:
    """The same minutes as a PDF, to print, sign or file."""
    from commune.meetings.pdf import minutes_pdf

    session, record, adopted = _minutes(request, organisation, session_id)
    response = HttpResponse(minutes_pdf(record, adopted), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{session.pk}.pdf"'
    return response
