"""Strike pay on a picket shift's attendance: a member whose attendance at a shift of the action's picket was
recorded claims that day with the attendance cited; a day without it is claimable only on an officer's
report, and marked so; the totals per unit are as before, and the claimant still decides nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from commune.audit.models import LogEntry
from tests.actions.conftest import Fed, adopted, call, establish
from tests.actions.test_events_api import _at
from tests.clock import let_time_pass_until
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _picket_on_the_call(fed: Fed) -> tuple[int, int, str]:
    """District 0 calls a demonstration for five days from today; the Secretary of D0-U0 puts a picket on
    its fourth day with one shift, which m1 and m4 sign up for; on the day, m1 is recorded as having come
    and m4 as not. Returns the call's id, the shift's id and the day."""
    authority = adopted(fed, "D0", (3, 6))
    ends_on = timezone.localdate() + timedelta(days=4)
    made = call(fed, 3, "D0", authority, ends_on=ends_on.isoformat()).json()
    event = fed.api(2).post(
        f"/orgs/{fed.slug}/bodies/D0-U0/events",
        {
            "kind": "picket",
            "title": "Picket at the depot gate",
            "place": "Main gate",
            "starts_at": _at(3, 5).isoformat(),
            "ends_at": _at(3, 13).isoformat(),
            "call": made["id"],
            "shifts": [
                {
                    "label": "Early",
                    "starts_at": _at(3, 5).isoformat(),
                    "ends_at": _at(3, 9).isoformat(),
                    "capacity": 5,
                }
            ],
        },
    )
    assert event.status_code == 201, event.json()
    shift = event.json()["shifts"][0]["id"]
    for n in (1, 4):
        assert fed.api(n).post(f"/orgs/{fed.slug}/shifts/{shift}/signups").status_code == 201
    let_time_pass_until(_at(3, 10))
    came = {fed.members["m1"].number: True, fed.members["m4"].number: False}
    assert (
        fed.api(2).post(f"/orgs/{fed.slug}/shifts/{shift}/attendance", {"attended": came}).status_code == 200
    )
    return int(made["id"]), int(shift), timezone.localdate().isoformat()


def test_a_recorded_shift_attendance_is_cited_and_a_claim_without_it_is_marked(fed: Fed) -> None:
    call_id, shift, day = _picket_on_the_call(fed)
    claims = f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims"
    # m1 came to the shift: no officer reported them, and the attendance alone lets them claim the day.
    made = fed.api(1).post(claims, {"days": [day]})
    assert made.status_code == 201, made.json()
    assert (made.json()["attendance"], made.json()["without_attendance"]) == ({day: [shift]}, [])
    assert fed.api(1).post(claims, {"days": [day]}).status_code == 409
    # m4 signed up and did not come: neither attended nor reported, refused.
    refused = fed.api(4).post(claims, {"days": [day]})
    assert refused.status_code == 403
    assert "attendance at a shift" in refused.json()["detail"]
    # Once an officer reports m4 taking part, the claim is made, and marked as without attendance.
    reported = fed.api(2).post(
        f"/orgs/{fed.slug}/action-calls/{call_id}/participation",
        {"unit": "D0-U0", "day": day, "members": [fed.members["m4"].number]},
    )
    assert reported.status_code == 201, reported.json()
    marked = fed.api(4).post(claims, {"days": [day]})
    assert marked.status_code == 201, marked.json()
    assert (marked.json()["attendance"], marked.json()["without_attendance"]) == ({}, [day])
    logged = LogEntry.objects.filter(action="strike_pay.claimed").order_by("pk")
    assert [e.payload["without_attendance"] for e in logged] == [[], [day]]
    assert logged[0].payload["attendance"] == {day: [shift]}
    # The totals per unit count both claims, as before; the claimant decides nothing.
    establish(fed, "FUND", ["pay-strike-pay"])
    decide = f"/orgs/{fed.slug}/strike-pay-claims/{made.json()['id']}/decision"
    assert fed.api(1).post(decide, {"executive": "FUND", "amount": "40.00"}).status_code == 403
    assert fed.api(7).post(decide, {"executive": "FUND", "amount": "40.00"}).status_code == 200
    totals = fed.api(20).get(f"/orgs/{fed.slug}/strike-pay").json()
    assert totals == [{"unit": "D0-U0", "name": "Unit 0.0", "claims": 2, "approved": "40.00", "paid": "0"}]


def test_the_call_page_offers_the_attended_day_and_the_desk_marks_a_claim_without_attendance(
    fed: Fed,
) -> None:
    call_id, _, day = _picket_on_the_call(fed)
    page = Client()
    assert page.login(email="m1@tf.example", password=PASSWORD)
    offered = page.get(f"/o/{fed.slug}/action/calls/{call_id}/").content.decode()
    assert f'value="{day}"' in offered and "shift attended" in offered
    fed.api(2).post(
        f"/orgs/{fed.slug}/action-calls/{call_id}/participation",
        {"unit": "D0-U0", "day": day, "members": [fed.members["m4"].number]},
    )
    assert (
        fed.api(4)
        .post(f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims", {"days": [day]})
        .status_code
        == 201
    )
    establish(fed, "FUND", ["pay-strike-pay"])
    desk = Client()
    assert desk.login(email="m7@tf.example", password=PASSWORD)
    text = desk.get(f"/o/{fed.slug}/action/strike-pay/").content.decode()
    assert "No shift attendance is recorded for" in text
