"""A member's data export carries their part in collective action: the shifts they signed up for and
whether they came, the days they were reported taking part, their strike-pay claims and how each stands, and
whether they have a calendar address (never its token); never another member's; in the same number of
queries however much they have done."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commune.accounts.personal_data import personal_data_export
from commune.actions.models import CalendarFeed
from tests.actions.conftest import Fed, adopted, call
from tests.actions.test_events_api import _at, picket
from tests.clock import let_time_pass_until

pytestmark = pytest.mark.django_db


def _section(fed: Fed, n: int) -> dict[str, Any]:
    return dict(personal_data_export(person=fed.members[f"m{n}"].person)["sections"]["actions"])


def _called_and_reported(fed: Fed, *numbers: int) -> tuple[int, str]:
    """District 0 calls action; the Secretary of D0-U0 reports ``numbers`` out today."""
    made = call(fed, 3, "D0", adopted(fed, "D0", (3, 6))).json()
    reported = fed.api(2).post(
        f"/orgs/{fed.slug}/action-calls/{made['id']}/participation",
        {
            "unit": "D0-U0",
            "day": timezone.localdate().isoformat(),
            "members": [fed.members[f"m{n}"].number for n in numbers],
        },
    )
    assert reported.status_code == 201, reported.json()
    return int(made["id"]), made["starts_on"]


def _sign_up(fed: Fed, n: int, shift: int) -> None:
    assert fed.api(n).post(f"/orgs/{fed.slug}/shifts/{shift}/signups").status_code == 201


def test_the_export_holds_the_members_shifts_days_claims_and_never_the_calendar_token(fed: Fed) -> None:
    call_id, day = _called_and_reported(fed, 1, 4)
    claims = f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims"
    assert fed.api(1).post(claims, {"days": [day]}).status_code == 201
    shifts = picket(fed).json()["shifts"]
    _sign_up(fed, 1, shifts[1]["id"])
    address = fed.api(1).post("/me/calendar-feed").json()["url"]
    token = address.rsplit("/", 1)[-1].removesuffix(".ics")  # the address's secret part
    assert len(token) >= 32
    let_time_pass_until(_at(3, 10))
    came = {fed.members["m1"].number: True}
    assert (
        fed.api(2)
        .post(f"/orgs/{fed.slug}/shifts/{shifts[1]['id']}/attendance", {"attended": came})
        .status_code
        == 200
    )
    own = _section(fed, 1)
    (signup,) = own["shift_signups"]
    assert (signup["event"], signup["shift"], signup["attended"]) == (
        "Picket at the depot gate",
        "Late",
        True,
    )
    (taken,) = own["participation"]
    assert (taken["call"], taken["unit"], taken["day"]) == ("End split shifts", "D0-U0", day)
    (claim,) = own["strike_pay_claims"]
    assert (claim["days"], claim["status"], claim["amount"]) == ([day], "claimed", None)
    assert own["calendar_feed"]["exists"] is True
    everything = json.dumps(personal_data_export(person=fed.members["m1"].person))
    digest = CalendarFeed.objects.get(person=fed.members["m1"].person).digest
    assert token not in everything and digest not in everything


def test_another_members_part_never_appears(fed: Fed) -> None:
    """m4 was reported out with m1, claimed strike pay and signed up for the early shift; m1 did none of
    that but the day reported: m1's export shows that day alone."""
    call_id, day = _called_and_reported(fed, 1, 4)
    claims = f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims"
    assert fed.api(4).post(claims, {"days": [day]}).status_code == 201
    _sign_up(fed, 4, picket(fed).json()["shifts"][0]["id"])
    fed.api(4).post("/me/calendar-feed")
    own = _section(fed, 1)
    assert len(own["participation"]) == 1
    assert own["shift_signups"] == [] and own["strike_pay_claims"] == []
    assert own["calendar_feed"] == {"exists": False, "created_at": None}
    assert len(_section(fed, 4)["strike_pay_claims"]) == 1


def test_the_actions_section_costs_the_same_for_one_record_as_for_five(fed: Fed) -> None:
    shifts = picket(fed, capacity=5).json()["shifts"]
    _sign_up(fed, 1, shifts[0]["id"])
    with CaptureQueriesContext(connection) as one:
        assert len(_section(fed, 1)["shift_signups"]) == 1
    _sign_up(fed, 1, shifts[1]["id"])
    call_id, day = _called_and_reported(fed, 1)
    assert (
        fed.api(1)
        .post(f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims", {"days": [day]})
        .status_code
        == 201
    )
    fed.api(1).post("/me/calendar-feed")
    with CaptureQueriesContext(connection) as five:
        own = _section(fed, 1)
    assert len(own["shift_signups"]) == 2 and own["participation"] and own["strike_pay_claims"]
    assert own["calendar_feed"]["exists"] is True
    assert len(five) == len(one)
