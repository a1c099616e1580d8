"""Telling members: a call reaching their unit, a shift about to start. Sent through the notifications
app after the transaction commits."""

from __future__ import annotations

from commune.accounts.models import User
from commune.actions.models import ActionCall, Event
from commune.federation.models import Member
from commune.notifications.services import notification_send


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
        subject=f"{call.body.name} calls {call.get_kind_display().lower()}: {call.title}",
        body=f"From {call.starts_on:%-d %B %Y} to {call.ends_on:%-d %B %Y}, in {call.reach.name}.\n"
        f"Demands: {call.demands}\nYour unit's assembly may endorse the call.",
        link=call_link(call),
    )


def shift_remind(member: Member, event: Event, label: str, when: str) -> None:
    notification_send(
        people=[member.person],
        kind="action.reminder",
        subject=f"Reminder: {event.get_kind_display().lower()} shift {when}: {event.title}",
        body=f"You signed up for “{label}” at {event.place}, {when}.",
        link=event_link(event),
    )
