"""Telling members: a call reaching their unit, a shift about to start. Sent through the notifications
app after the transaction commits."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from commune.accounts.models import User
from commune.actions.models import ActionCall, ActionKind, Event, EventKind
from commune.federation.models import Member
from commune.notifications.services import notification_send
from commune.translation import deferred

#: A date, or a kind of action in the middle of a sentence, as the reader's language writes them, decided
#: when the text is read: a notification is composed once and read by each member in their own language.
date_words = lazy(formats.date_format, str)


def _lower_now(label: object) -> str:
    return str(label).lower()


_lower = lazy(_lower_now, str)


def call_link(call: ActionCall) -> str:
    return f"/o/{call.organisation.slug}/action/calls/{call.pk}/"


def event_link(event: Event) -> str:
    return f"/o/{event.organisation.slug}/action/events/{event.pk}/"


def call_announce(call: ActionCall) -> None:
    """Every current member of every unit the call reaches hears of it, with its dates and demands."""
    people = User.objects.filter(
        members__organisation_id=call.organisation_id,
        members__current_unit__path__startswith=call.reach.path,
    ).distinct()
    notification_send(
        people=people,
        kind="action.called",
        subject=deferred(
            gettext_lazy("%(body)s calls %(kind)s: %(title)s"),
            body=call.body.name,
            kind=_lower(ActionKind(call.kind).label),
            title=call.title,
        ),
        body=deferred(
            gettext_lazy(
                "From %(start)s to %(end)s, in %(reach)s.\nDemands: %(demands)s\nYour unit's assembly may endorse "
                "the call."
            ),
            start=date_words(call.starts_on, "DATE_FORMAT"),
            end=date_words(call.ends_on, "DATE_FORMAT"),
            reach=call.reach.name,
            demands=call.demands,
        ),
        link=call_link(call),
    )


def shift_remind(member: Member, event: Event, label: str, starts_at: datetime) -> None:
    when = date_words(timezone.localtime(starts_at), "DATETIME_FORMAT")
    notification_send(
        people=[member.person],
        kind="action.reminder",
        subject=deferred(
            gettext_lazy("Reminder: %(kind)s shift %(when)s: %(title)s"),
            kind=_lower(EventKind(event.kind).label),
            when=when,
            title=event.title,
        ),
        body=deferred(
            gettext_lazy("You signed up for “%(shift)s” at %(place)s, %(when)s."),
            shift=label,
            place=event.place,
            when=when,
        ),
        link=event_link(event),
    )
