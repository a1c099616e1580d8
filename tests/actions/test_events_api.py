"""Events through the API: organised by those the body gave that work, shifts signed up for by members
within it up to their capacity, attendance recorded by those who run it, reminders the day before, and
the calendar as iCalendar feeds: the federation's, a unit's and a member's own behind a secret address."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from commune.actions.models import Event, SignUp
from commune.actions.services import actions_run_due
from commune.audit.models import LogEntry
from commune.cli.main import main as commune
from commune.notifications.models import Notification
from tests.actions.conftest import Fed
from tests.clock import let_time_pass_until
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def picket(fed: Fed, n: int = 2, code: str = "D0-U0", capacity: int = 1) -> Any:
    """A picket at the depot gate in three days' time, with an early and a late shift."""
    return fed.api(n).post(
        f"/orgs/{fed.slug}/bodies/{code}/events",
        {
            "kind": "picket",
            "title": "Picket at the depot gate",
            "place": "Main gate, Fiveways depot",
            "starts_at": _at(3, 5).isoformat(),
            "ends_at": _at(3, 13).isoformat(),
            "shifts": [
                {
                    "label": "Early",
                    "starts_at": _at(3, 5).isoformat(),
                    "ends_at": _at(3, 9).isoformat(),
                    "capacity": capacity,
                },
                {
                    "label": "Late",
                    "starts_at": _at(3, 9).isoformat(),
                    "ends_at": _at(3, 13).isoformat(),
                    "capacity": 5,
                },
            ],
        },
    )


def test_a_unit_officer_puts_a_picket_on_the_calendar_and_an_ordinary_member_cannot(fed: Fed) -> None:
    """The Secretary of D0-U0 organises it, logged with its shifts; a member without that work, or an
    officer of another unit, is refused; a shift outside the event is refused."""
    assert picket(fed, n=1).status_code == 403
    assert picket(fed, n=2, code="D1-U0").status_code == 403
    made = picket(fed)
    assert made.status_code == 201, made.json()
    assert [s["label"] for s in made.json()["shifts"]] == ["Early", "Late"]
    assert LogEntry.objects.get(action="event.created").payload["shifts"][0] == {
        "label": "Early",
        "capacity": 1,
    }
    assert [e["title"] for e in fed.api(20).get(f"/orgs/{fed.slug}/events").json()] == [
        "Picket at the depot gate"
    ]


def test_shift_sign_up_holds_capacity_and_is_for_members_within_the_body(fed: Fed) -> None:
    """The early shift takes one: the first member gets it, the second is refused as full, a member of
    another unit is refused, and nobody signs up twice."""
    early = picket(fed).json()["shifts"][0]["id"]
    signup = f"/orgs/{fed.slug}/shifts/{early}/signups"
    assert fed.api(11).post(signup).status_code == 403
    assert fed.api(1).post(signup).status_code == 201
    full = fed.api(4).post(signup)
    assert full.status_code == 409 and "is full" in full.json()["detail"]
    assert fed.api(1).post(signup).status_code == 409
    assert SignUp.objects.count() == 1
    shifts = fed.api(1).get(f"/orgs/{fed.slug}/events/{Event.objects.get().pk}").json()["shifts"]
    assert (shifts[0]["taken"], shifts[0]["mine"]) == (1, True)
    assert fed.api(1).post(f"/orgs/{fed.slug}/shifts/{early}/withdraw").status_code == 204
    assert fed.api(4).post(signup).status_code == 201


def test_members_are_reminded_once_the_day_before_and_attendance_is_recorded_by_those_who_run_it(
    fed: Fed,
) -> None:
    """Nothing is due three days ahead; within a day of the shift the scheduler reminds each member on it
    once, however often it runs; once it starts, the organiser records who came, and nobody else."""
    shifts = picket(fed).json()["shifts"]
    for n in (1, 4):
        assert fed.api(n).post(f"/orgs/{fed.slug}/shifts/{shifts[1]['id']}/signups").status_code == 201
    assert actions_run_due().done == []
    let_time_pass_until(_at(2, 10))
    # The scheduler's pass, which `commune serve` runs beside the web workers, sends the reminders.
    assert commune(["election", "run-due"]) == 0
    assert actions_run_due().done == []
    reminded = Notification.objects.filter(kind="action.reminder")
    assert sorted(reminded.values_list("person__email", flat=True)) == ["m1@tf.example", "m4@tf.example"]
    attendance = f"/orgs/{fed.slug}/shifts/{shifts[1]['id']}/attendance"
    came = {fed.members["m1"].number: True, fed.members["m4"].number: False}
    assert fed.api(2).post(attendance, {"attended": came}).status_code == 409
    let_time_pass_until(_at(3, 10))
    assert fed.api(1).post(attendance, {"attended": came}).status_code == 403
    recorded = fed.api(2).post(attendance, {"attended": came})
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["attended"] == [fed.members["m1"].number]
    assert SignUp.objects.get(member=fed.members["m1"]).attended is True


def _events_in(content: bytes) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(content).walk("VEVENT"))


def test_calendars_are_served_as_icalendar_to_members_and_by_a_secret_address_that_can_be_reset(
    fed: Fed,
) -> None:
    """The federation's feed opens to a signed-in member and to nobody anonymous; a member's own address
    carries their shifts, works without signing in, and stops working once reset."""
    early = picket(fed).json()["shifts"][0]["id"]
    fed.api(1).post(f"/orgs/{fed.slug}/shifts/{early}/signups")
    anonymous = Client()
    assert anonymous.get(f"/o/{fed.slug}/action/calendar.ics").status_code == 404
    browser = Client()
    assert browser.login(email="m1@tf.example", password=PASSWORD)
    feed = browser.get(f"/o/{fed.slug}/action/calendar.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert _events_in(feed.content) == ["Picket: Picket at the depot gate"]
    url = fed.api(1).post("/me/calendar-feed").json()["url"]
    mine = anonymous.get(url)
    assert mine.status_code == 200
    assert _events_in(mine.content) == [
        "My shift: Early (Picket at the depot gate)",
        "Picket: Picket at the depot gate",
    ]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    unit = anonymous.get(f"/o/{fed.slug}/action/units/D0-U0/calendar.ics?token={token}")
    assert _events_in(unit.content) == ["Picket: Picket at the depot gate"]
    assert (
        _events_in(anonymous.get(f"/o/{fed.slug}/action/units/D1-U0/calendar.ics?token={token}").content)
        == []
    )
    fed.api(1).post("/me/calendar-feed")
    assert anonymous.get(url).status_code == 404
    assert anonymous.get("/action/feeds/guess.ics").status_code == 404
