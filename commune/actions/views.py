"""Pages of collective action: the federation's calendar with its iCalendar feeds, a call with each unit's
endorsement, participation and strike pay, and an event with its shifts to sign up for.

Every current member may read them. What a member may do is decided by the services; their refusals come
back as messages on the page, with the status the API would give. The feeds are read by calendar
applications, which cannot sign in: they carry the reader's secret calendar token instead.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.accounts.models import User
from commune.actions.access import access_call, access_claim, access_endorsement, access_event, access_shift
from commune.actions.errors import ActionError
from commune.actions.ical import calendar_ical
from commune.actions.models import ActionNotice, CalendarFeed
from commune.actions.selectors import (
    CalendarEntries,
    calendar_entries,
    call_record,
    days_to_claim,
    event_shifts,
    personal_entries,
    strike_pay_desk,
    strike_pay_totals,
)
from commune.actions.services import (
    calendar_feed_reset,
    endorsement_propose,
    endorsement_settle,
    feed_token_digest,
    may_run,
    shift_sign_up,
    shift_withdraw,
    strike_pay_claim,
    strike_pay_decide,
    strike_pay_pay,
)
from commune.audit.services import Actor
from commune.federation.access import NotFound, access_body, access_organisation
from commune.federation.models import Member, Organisation
from commune.governance.access import access_executive
from commune.web.edge import member_page, page_context, refusal, refusal_status


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _posted_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ActionError(_("%(text)s is not a day (YYYY-MM-DD)") % {"text": repr(text)}) from exc


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError as exc:
        raise Http404(f"no such {name}") from exc


@member_page
@require_GET
def calendar_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """What is coming: events and calls across the federation, the strike pay per unit, and the feeds."""
    entries = calendar_entries(organisation=organisation, since=timezone.now())
    return render(
        request,
        "actions/calendar.html",
        page_context(
            organisation,
            member,
            entries=entries,
            totals=strike_pay_totals(organisation=organisation),
            has_feed=CalendarFeed.objects.filter(person=member.person).exists(),
        ),
    )


@member_page
@require_POST
def feed_reset_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Make a new secret calendar address, shown once on the page; the old one stops working."""
    token = calendar_feed_reset(person=member.person)
    url = request.build_absolute_uri(reverse("actions_feed", kwargs={"token": token}))
    entries = calendar_entries(organisation=organisation, since=timezone.now())
    return render(
        request,
        "actions/calendar.html",
        page_context(
            organisation,
            member,
            entries=entries,
            totals=strike_pay_totals(organisation=organisation),
            has_feed=True,
            feed_url=url,
        ),
    )


@member_page
@require_http_methods(["GET", "POST"])
def call_page(request: HttpRequest, organisation: Organisation, member: Member, call_id: int) -> HttpResponse:
    """A call: its authority, and each unit it reaches; a member moves their unit's endorsement here."""
    person = request_person(request)
    call = access_call(person, organisation, call_id)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "endorse" and member.current_unit is not None:
                endorsement = endorsement_propose(
                    call=call, unit=member.current_unit, member=member, actor=_actor(member)
                )
                messages.success(request, _("Your assembly's motion to endorse the call is moved."))
                return redirect("motions:detail", slug=organisation.slug, motion_id=endorsement.motion_id)
            if action == "claim":
                days = [_posted_day(d) for d in request.POST.getlist("day")]
                strike_pay_claim(call=call, member=member, days=days, actor=_actor(member))
                messages.success(request, _("Your claim is made. The strike fund's executive decides it."))
                return redirect("actions:strike_pay", slug=organisation.slug)
            if action == "settle":
                endorsement_settle(
                    endorsement=access_endorsement(person, organisation, _posted_id(request, "endorsement")),
                    actor=_actor(member),
                )
                messages.success(request, _("The assembly's vote is applied."))
                return redirect("actions:call", slug=organisation.slug, call_id=call.pk)
            raise Http404(_("no such action"))
        except ActionError as exc:
            messages.error(request, refusal(exc))
            status = refusal_status(exc)
    record = call_record(call=call)
    reached = next((u for u in record.units if u.unit.pk == member.current_unit_id), None)
    return render(
        request,
        "actions/call.html",
        page_context(
            organisation,
            member,
            record=record,
            call=call,
            reached=reached,
            days_to_claim=days_to_claim(call=call, member=member),
            call_notice=ActionNotice.objects.filter(call=call).first(),
        ),
        status=status,
    )


@member_page
@require_http_methods(["GET", "POST"])
def event_page(
    request: HttpRequest, organisation: Organisation, member: Member, event_id: int
) -> HttpResponse:
    """An event, its place and its shifts; a member signs up or withdraws here."""
    person = request_person(request)
    event = access_event(person, organisation, event_id)
    status = 200
    if request.method == "POST":
        shift = access_shift(person, organisation, _posted_id(request, "shift"))
        if shift.event_id != event.pk:
            raise Http404(_("no such shift"))
        try:
            if request.POST.get("action") == "withdraw":
                shift_withdraw(shift=shift, member=member, actor=_actor(member))
                messages.success(request, _("You are off “%(shift)s”.") % {"shift": shift.label})
            else:
                shift_sign_up(shift=shift, member=member, actor=_actor(member))
                messages.success(
                    request,
                    _("You are signed up for “%(shift)s”. You will be reminded the day before.")
                    % {"shift": shift.label},
                )
            return redirect("actions:event", slug=organisation.slug, event_id=event.pk)
        except ActionError as exc:
            messages.error(request, refusal(exc))
            status = refusal_status(exc)
    runs = may_run(member, event)
    return render(
        request,
        "actions/event.html",
        page_context(
            organisation,
            member,
            event=event,
            shifts=event_shifts(event=event, member=member, with_names=runs),
            runs=runs,
            now=timezone.now(),
        ),
        status=status,
    )


@member_page
@require_http_methods(["GET", "POST"])
def strike_pay_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """A member's own claims, and, for a member of an executive holding the power to pay strike pay, the
    claims within its council's reach to approve, refuse or pay (never their own)."""
    person = request_person(request)
    status = 200
    if request.method == "POST":
        claim = access_claim(person, organisation, _posted_id(request, "claim"))
        action = request.POST.get("action")
        try:
            if action == "decide":
                executive = access_executive(person, organisation, request.POST.get("executive", ""))
                refusal_reason = request.POST.get("refusal", "").strip()
                strike_pay_decide(
                    claim=claim,
                    executive=executive,
                    member=member,
                    amount=None if refusal_reason else _posted_amount(request.POST.get("amount", "")),
                    refusal=refusal_reason,
                    actor=_actor(member),
                )
                messages.success(request, _("Claim %(claim)s is decided.") % {"claim": claim.pk})
            elif action == "pay":
                strike_pay_pay(
                    claim=claim,
                    member=member,
                    reference=request.POST.get("reference", ""),
                    actor=_actor(member),
                )
                messages.success(request, _("Claim %(claim)s is paid.") % {"claim": claim.pk})
            else:
                raise Http404(_("no such action"))
            return redirect("actions:strike_pay", slug=organisation.slug)
        except ActionError as exc:
            messages.error(request, refusal(exc))
            status = refusal_status(exc)
    return render(
        request,
        "actions/strike_pay.html",
        page_context(
            organisation,
            member,
            desk=strike_pay_desk(member=member),
            totals=strike_pay_totals(organisation=organisation),
        ),
        status=status,
    )


def _posted_amount(text: str) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation as exc:
        raise ActionError(_("%(text)s is not a sum of money") % {"text": repr(text)}) from exc


def _feed_reader(request: HttpRequest) -> User | None:
    """Who reads a feed: the signed-in person, or the owner of the secret token in ``?token=``."""
    if request.user.is_authenticated:
        return request_person(request)
    token = request.GET.get("token", "")
    feed = (
        CalendarFeed.objects.select_related("person").filter(digest=feed_token_digest(token)).first()
        if token
        else None
    )
    return feed.person if feed else None


def _ics(entries: CalendarEntries, name: str, request: HttpRequest, reader: User | None) -> HttpResponse:
    """The feed in the language its reader saved (``calendar_ical``)."""
    response = HttpResponse(
        calendar_ical(
            entries,
            name=name,
            base=f"{request.scheme}://{request.get_host()}",
            language=reader.language if reader else "",
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def organisation_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The federation's calendar as iCalendar, for its members."""
    reader = _feed_reader(request)
    try:
        organisation, _member = access_organisation(reader, slug) if reader else (None, None)
    except NotFound as exc:
        raise Http404(_("no such calendar")) from exc
    if organisation is None:
        raise Http404(_("no such calendar"))
    return _ics(calendar_entries(organisation=organisation), organisation.name, request, reader)


@require_GET
def unit_feed(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One unit's calendar as iCalendar: its events, those of the bodies above it, the calls reaching it."""
    reader = _feed_reader(request)
    try:
        if reader is None:
            raise NotFound(_("no such calendar"))
        organisation, _member = access_organisation(reader, slug)
        unit = access_body(reader, organisation, code)
    except NotFound as exc:
        raise Http404(_("no such calendar")) from exc
    if not unit.is_unit:
        raise Http404(_("no such calendar"))
    return _ics(
        calendar_entries(organisation=organisation, unit=unit),
        f"{unit.name} ({organisation.name})",
        request,
        reader,
    )


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own calendar, by their secret address: what reaches their units, and their shifts."""
    feed = CalendarFeed.objects.select_related("person").filter(digest=feed_token_digest(token)).first()
    if feed is None:
        raise Http404(_("no such calendar"))
    members = list(
        Member.objects.filter(person=feed.person, current_unit__isnull=False).select_related("current_unit")
    )
    with translation.override(feed.person.language or settings.LANGUAGE_CODE):
        name = _("%(name)s: action calendar") % {"name": feed.person.name}
    return _ics(personal_entries(members=members), name, request, feed.person)
