"""Endpoints: events on the federation's calendar, their shifts and sign-ups, attendance, and a person's
calendar address."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Schema, Status
from pydantic import Field

from commune.accounts.access import request_person
from commune.actions.access import access_call, access_event, access_shift
from commune.actions.api.common import Strict, actor, caller, members_numbered, router
from commune.actions.errors import ActionError
from commune.actions.models import Event
from commune.actions.selectors import calendar_entries, event_shifts
from commune.actions.services import (
    ShiftPlan,
    attendance_record,
    calendar_feed_reset,
    event_cancel,
    event_create,
    shift_sign_up,
    shift_withdraw,
)
from commune.api.answers import REFUSED
from commune.federation.access import access_body


class ShiftIn(Strict):
    label: str = Field(max_length=120)
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(ge=1, le=10000)


class EventIn(Strict):
    kind: str = Field(description="picket, demonstration or meeting")
    title: str = Field(max_length=200)
    place: str = Field(max_length=300)
    description: str = Field("", max_length=10000)
    starts_at: datetime
    ends_at: datetime
    call: int | None = Field(None, description="The call to action it is part of.")
    shifts: list[ShiftIn] = Field([], max_length=50)


class ShiftOut(Schema):
    id: int
    label: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    mine: bool


class EventOut(Schema):
    id: int
    kind: str
    title: str
    place: str
    description: str
    starts_at: datetime
    ends_at: datetime
    body: str
    call: int | None
    organised_by: str
    cancelled_at: datetime | None


class EventDetailOut(EventOut):
    shifts: list[ShiftOut]


class SignUpOut(Schema):
    shift: int
    member: str
    signed_at: datetime


class AttendanceIn(Strict):
    attended: dict[str, bool] = Field(description="Member number → whether they came.")


class AttendanceOut(Schema):
    shift: int
    attended: list[str]
    absent: list[str]


class FeedOut(Schema):
    url: str = Field(
        description="The secret address of your calendar; shown once. Resetting makes a new one."
    )


def event_out(e: Event) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "title": e.title,
        "place": e.place,
        "description": e.description,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "body": e.body.code,
        "call": e.call_id,
        "organised_by": e.organised_by.number,
        "cancelled_at": e.cancelled_at,
    }


def _detail(event: Event, member: Any) -> dict[str, Any]:
    return {
        **event_out(event),
        "shifts": [
            {
                "id": line.shift.pk,
                "label": line.shift.label,
                "starts_at": line.shift.starts_at,
                "ends_at": line.shift.ends_at,
                "capacity": line.shift.capacity,
                "taken": line.taken,
                "mine": line.mine,
            }
            for line in event_shifts(event=event, member=member)
        ],
    }


@router.get(
    "/orgs/{slug}/events",
    response=list[EventOut],
    summary="The federation's calendar: events not yet over",
    operation_id="commune_actions_api_events",
)
def events(request: HttpRequest, slug: str, past: bool = False) -> list[dict[str, Any]]:
    _, org, _ = caller(request, slug)
    entries = calendar_entries(organisation=org, since=None if past else timezone.now(), cancelled=True)
    return [event_out(e) for e in entries.events]


@router.post(
    "/orgs/{slug}/bodies/{code}/events",
    response={201: EventDetailOut, **REFUSED},
    summary="Put a picket, demonstration or meeting on the calendar for a body's members, with its shifts",
    operation_id="commune_actions_api_create_event",
)
def create_event(request: HttpRequest, slug: str, code: str, data: EventIn) -> Status[dict[str, Any]]:
    user, org, member = caller(request, slug)
    body = access_body(user, org, code)
    call = access_call(user, org, data.call) if data.call else None
    event = event_create(
        member=member,
        body=body,
        kind=data.kind,
        title=data.title,
        place=data.place,
        description=data.description,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        call=call,
        shifts=[ShiftPlan(s.label, s.starts_at, s.ends_at, s.capacity) for s in data.shifts],
        actor=actor(member),
    )
    return Status(201, _detail(access_event(user, org, event.pk), member))


@router.get(
    "/orgs/{slug}/events/{event_id}",
    response=EventDetailOut,
    summary="An event and its shifts",
    operation_id="commune_actions_api_event",
)
def event(request: HttpRequest, slug: str, event_id: int) -> dict[str, Any]:
    user, org, member = caller(request, slug)
    return _detail(access_event(user, org, event_id), member)


@router.post(
    "/orgs/{slug}/events/{event_id}/cancel",
    response={200: EventDetailOut, **REFUSED},
    summary="Cancel an event (its organiser, or whoever may organise its body's events)",
    operation_id="commune_actions_api_cancel_event",
)
def cancel_event(request: HttpRequest, slug: str, event_id: int) -> dict[str, Any]:
    user, org, member = caller(request, slug)
    cancelled = event_cancel(event=access_event(user, org, event_id), member=member, actor=actor(member))
    return _detail(access_event(user, org, cancelled.pk), member)


@router.post(
    "/orgs/{slug}/shifts/{shift_id}/signups",
    response={201: SignUpOut, **REFUSED},
    summary="Sign up for a shift",
    operation_id="commune_actions_api_sign_up",
)
def sign_up(request: HttpRequest, slug: str, shift_id: int) -> Status[dict[str, Any]]:
    user, org, member = caller(request, slug)
    signup = shift_sign_up(shift=access_shift(user, org, shift_id), member=member, actor=actor(member))
    return Status(201, {"shift": shift_id, "member": member.number, "signed_at": signup.signed_at})


@router.post(
    "/orgs/{slug}/shifts/{shift_id}/withdraw",
    response={204: None, **REFUSED},
    summary="Take your name off a shift",
    operation_id="commune_actions_api_withdraw",
)
def withdraw(request: HttpRequest, slug: str, shift_id: int) -> Status[None]:
    user, org, member = caller(request, slug)
    shift_withdraw(shift=access_shift(user, org, shift_id), member=member, actor=actor(member))
    return Status(204, None)


@router.post(
    "/orgs/{slug}/shifts/{shift_id}/attendance",
    response={200: AttendanceOut, **REFUSED},
    summary="Record who came to a shift (those who run the event)",
    operation_id="commune_actions_api_attendance",
)
def attendance(request: HttpRequest, slug: str, shift_id: int, data: AttendanceIn) -> dict[str, Any]:
    user, org, member = caller(request, slug)
    shift = access_shift(user, org, shift_id)
    people = {m.number: m for m in members_numbered(org, list(data.attended))}
    if not people:
        raise ActionError("name at least one member signed up for the shift")
    attendance_record(
        shift=shift,
        member=member,
        attended={people[n].pk: came for n, came in data.attended.items()},
        actor=actor(member),
    )
    return {
        "shift": shift.pk,
        "attended": sorted(n for n, came in data.attended.items() if came),
        "absent": sorted(n for n, came in data.attended.items() if not came),
    }


@router.post(
    "/me/calendar-feed",
    response={201: FeedOut},
    summary="Make (or reset) your secret calendar address: the old one stops working",
    operation_id="commune_actions_api_calendar_feed",
)
def calendar_feed(request: HttpRequest) -> Status[dict[str, Any]]:
    token = calendar_feed_reset(person=request_person(request))
    return Status(201, {"url": request.build_absolute_uri(reverse("actions_feed", kwargs={"token": token}))})
