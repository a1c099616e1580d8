"""Calendars as iCalendar (RFC 5545) files, for any calendar application to subscribe to.

Each event, call and shift keeps the same ``UID`` in every feed and every fetch, so a subscribed calendar
updates an entry in place (and shows it cancelled) instead of adding copies.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as VEvent

from commune.actions.models import ActionCall, Event, SignUp
from commune.actions.selectors import CalendarEntries

PRODUCT = "-//Commune//Collective action//EN"


def _uid(kind: str, pk: int, slug: str) -> str:
    return f"{kind}-{pk}@{slug}.commune"


def _event(event: Event, base: str) -> VEvent:
    entry = VEvent()
    entry.add("uid", _uid("event", event.pk, event.organisation.slug))
    entry.add("dtstamp", event.created_at)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", f"{event.get_kind_display()}: {event.title}")
    entry.add("location", event.place)
    shifts = "\n".join(
        _("Shift %(label)s: %(start)s–%(end)s, %(capacity)s places")
        % {
            "label": s.label,
            "start": f"{s.starts_at:%H:%M}",
            "end": f"{s.ends_at:%H:%M}",
            "capacity": s.capacity,
        }
        for s in event.shifts.all()
    )
    entry.add("description", "\n\n".join(p for p in (event.description, shifts) if p))
    entry.add("url", f"{base}/o/{event.organisation.slug}/action/events/{event.pk}/")
    entry.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    return entry


def _call(call: ActionCall, base: str) -> VEvent:
    entry = VEvent()
    entry.add("uid", _uid("call", call.pk, call.organisation.slug))
    entry.add("dtstamp", call.called_at)
    entry.add("dtstart", call.starts_on)
    entry.add("dtend", call.ends_on + timedelta(days=1))
    entry.add(
        "summary",
        _("%(kind)s called by %(body)s: %(title)s")
        % {"kind": call.get_kind_display(), "body": call.body.name, "title": call.title},
    )
    entry.add(
        "description",
        _("In %(reach)s.\nDemands: %(demands)s") % {"reach": call.reach.name, "demands": call.demands},
    )
    entry.add("url", f"{base}/o/{call.organisation.slug}/action/calls/{call.pk}/")
    entry.add("transp", "TRANSPARENT")
    return entry


def _shift(signup: SignUp, base: str) -> VEvent:
    shift, event = signup.shift, signup.shift.event
    entry = VEvent()
    entry.add("uid", _uid("signup", signup.pk, event.organisation.slug))
    entry.add("dtstamp", signup.signed_at)
    entry.add("dtstart", shift.starts_at)
    entry.add("dtend", shift.ends_at)
    entry.add("summary", _("My shift: %(label)s (%(event)s)") % {"label": shift.label, "event": event.title})
    entry.add("location", event.place)
    entry.add("url", f"{base}/o/{event.organisation.slug}/action/events/{event.pk}/")
    entry.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{shift.label} at {event.place}")
    alarm.add("trigger", timedelta(hours=-1))
    entry.add_component(alarm)
    return entry


def calendar_ical(entries: CalendarEntries, *, name: str, base: str, language: str = "") -> bytes:
    """The entries as one iCalendar file named ``name``; links start with ``base`` (scheme and host).

    Its words (a kind of action, "My shift") are in ``language``: the one its reader saved on their account.
    A calendar application fetching a feed sends no language of its own, and every feed is fetched by one
    known reader (signed in, or by their secret address), so the browser's language is never the right one;
    with none saved, the words are in the site's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _calendar_ical(entries, name=name, base=base)


def _calendar_ical(entries: CalendarEntries, *, name: str, base: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in entries.events:
        calendar.add_component(_event(event, base))
    for call in entries.calls:
        calendar.add_component(_call(call, base))
    for signup in entries.my_shifts:
        calendar.add_component(_shift(signup, base))
    return bytes(calendar.to_ical())
