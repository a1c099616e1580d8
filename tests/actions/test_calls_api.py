"""Calls to action through the API: made only on an adopted decision of the calling council or a body
above, within the caller's reach, federation-wide only by the body the constitution names, industrial
action only on a ballot that says so; endorsed by unit assemblies, with participation reported."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commune.actions.models import ActionCall, CallEndorsement, Participation
from commune.audit.models import LogEntry
from commune.governance.models import ExecutiveDecision
from commune.notifications.models import Notification
from tests.actions.conftest import Fed, adopted, balloted, call, establish
from tests.motions.conftest import all_vote, close, put

pytestmark = pytest.mark.django_db


def _nothing_called() -> None:
    assert ActionCall.objects.count() == 0
    assert not LogEntry.objects.filter(action="action.called").exists()


def test_a_council_calls_action_on_its_adopted_motion_and_it_reaches_every_unit_below(fed: Fed) -> None:
    """District 0 adopts a motion and calls a demonstration on it: both its units are reached, their
    members are told, and the log names the motion and the vote behind the call."""
    motion = adopted(fed, "D0", (3, 6))
    made = call(fed, 3, "D0", motion)
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["body"], body["reach"], body["authority_motion"]) == ("D0", "D0", motion)
    assert body["authority_vote"] is not None and body["industrial"] is False
    assert [u["unit"] for u in body["units"]] == ["D0-U0", "D0-U1"]
    told = Notification.objects.filter(kind="action.called").values_list("person__email", flat=True)
    assert sorted(told) == sorted(f"m{n}@tf.example" for n in range(1, 11))
    entry = LogEntry.objects.get(action="action.called")
    assert entry.payload["authority_motion"] == motion and entry.payload["units"] == 2
    assert fed.api(20).get(f"/orgs/{fed.slug}/action-calls/{body['id']}").status_code == 200


def test_a_call_without_an_authorising_decision_is_refused(fed: Fed) -> None:
    """A motion still gathering supporters, one not carried, one that does not exist, or a decision of a
    body beside the caller rather than above it: each is refused and nothing is called."""
    pending = (
        fed.api(3)
        .post(f"/orgs/{fed.slug}/bodies/D0/motions", {"title": "Act", "text": "We act."})
        .json()["id"]
    )
    refused = call(fed, 3, "D0", pending)
    assert refused.status_code == 409
    assert "has not been adopted" in refused.json()["detail"]
    assert call(fed, 3, "D0", 999_999).status_code == 400
    beside = adopted(fed, "D1", (11, 16))
    refused = call(fed, 3, "D0", beside)
    assert refused.status_code == 403
    assert "a decision of the calling council or of a body above it" in refused.json()["detail"]
    _nothing_called()


def test_a_decision_of_a_body_above_authorises_a_call_below_it(fed: Fed) -> None:
    """Congress's adopted motion authorises District 0 to call action in its own units."""
    motion = adopted(fed, "CONGRESS", (3, 11))
    made = call(fed, 6, "D0", motion)
    assert made.status_code == 201, made.json()
    assert made.json()["authority_body"] == "CONGRESS"


def test_a_body_whose_reach_does_not_cover_the_unit_is_refused(fed: Fed) -> None:
    """District 0 cannot call action in a unit of District 1, nor can a member who is not its delegate
    call action for it, nor can a unit call action at all."""
    motion = adopted(fed, "D0", (3, 6))
    refused = call(fed, 3, "D0", motion, reach="D1-U0")
    assert refused.status_code == 403
    assert "its reach is the units below it" in refused.json()["detail"]
    assert call(fed, 1, "D0", motion).status_code == 403
    assert call(fed, 1, "D0-U0", motion).status_code == 403
    _nothing_called()


def test_federation_wide_action_is_called_only_by_the_body_the_constitution_names(fed: Fed) -> None:
    """By default the highest council calls action across the federation. Once the membership names
    another body, Congress's federation-wide call is refused; its call within District 0 still stands."""
    motion = adopted(fed, "CONGRESS", (3, 11))
    assert call(fed, 3, "CONGRESS", motion).status_code == 201
    fed.rules(actions__federation_wide_body="D1")
    refused = call(fed, 3, "CONGRESS", motion)
    assert refused.status_code == 403
    assert "only by District 1, the body the constitution names" in refused.json()["detail"]
    assert call(fed, 3, "CONGRESS", motion, reach="D0").status_code == 201
    assert ActionCall.objects.count() == 2


def test_industrial_action_needs_a_motion_that_calls_it_carried_by_a_ballot(fed: Fed) -> None:
    """A strike on a motion that does not call industrial action is refused; so is one on a council's vote
    alone, since the constitution's preset asks for a ballot of the members; a carried referendum on a
    motion calling industrial action authorises it."""
    plain = adopted(fed, "D0", (3, 6))
    refused = call(fed, 3, "D0", plain, kind="strike")
    assert refused.status_code == 403 and "does not call industrial action" in refused.json()["detail"]
    by_council = adopted(fed, "D0", (3, 6), industrial=True)
    refused = call(fed, 3, "D0", by_council, kind="strike")
    assert refused.status_code == 403 and "not carried by a ballot of the members" in refused.json()["detail"]
    _nothing_called()
    ballot = balloted(fed)
    made = call(fed, 3, "D0", ballot, kind="strike")
    assert made.status_code == 201, made.json()
    assert made.json()["authority_referral"] is not None and made.json()["industrial"] is True


def test_an_executive_calls_action_only_under_the_power_its_council_delegated(fed: Fed) -> None:
    """A commission holding the power to call action calls it, as a decision its council may call in; a
    commission without that power, or a member not on it, is refused."""
    motion = adopted(fed, "D0", (3, 6))
    establish(fed, "PICKETS", ["organise-pickets"])
    refused = call(fed, 1, "D0", motion, executive="PICKETS")
    assert refused.status_code == 403 and "has no power to call action" in refused.json()["detail"]
    establish(fed, "ACTION", ["call-action"])
    assert call(fed, 2, "D0", motion, executive="ACTION").status_code == 403
    made = call(fed, 1, "D0", motion, executive="ACTION")
    assert made.status_code == 201, made.json()
    decision = ExecutiveDecision.objects.get(pk=made.json()["executive_decision"])
    assert decision.power == "call-action" and decision.executive.code == "ACTION"


def test_a_unit_assembly_endorses_a_call_by_its_own_vote_and_its_officer_reports_who_took_part(
    fed: Fed,
) -> None:
    """D0-U0's assembly adopts the endorsement; a unit the call does not reach cannot endorse it; only the
    unit's officer reports participation, only for its own members and the call's days."""
    made = call(fed, 3, "D0", adopted(fed, "D0", (3, 6))).json()
    api = fed.api
    assert (
        api(11)
        .post(f"/orgs/{fed.slug}/action-calls/{made['id']}/endorsements", {"unit": "D1-U0"})
        .status_code
        == 403
    )
    proposed = api(1).post(f"/orgs/{fed.slug}/action-calls/{made['id']}/endorsements", {"unit": "D0-U0"})
    assert proposed.status_code == 201, proposed.json()
    endorsement = proposed.json()
    settle = f"/orgs/{fed.slug}/action-endorsements/{endorsement['id']}/settle"
    assert api(1).post(settle).status_code == 409
    assert api(2).post(f"/orgs/{fed.slug}/motions/{endorsement['motion']}/support").status_code == 200
    vote = put(fed, 1, endorsement["motion"])
    all_vote(fed, vote, {n: "yes" for n in range(1, 6)})
    close(fed, 1, vote)
    assert api(4).post(settle).json()["status"] == "endorsed"
    assert CallEndorsement.objects.get().status == "endorsed"

    today = timezone.localdate().isoformat()
    report = f"/orgs/{fed.slug}/action-calls/{made['id']}/participation"
    numbers = [fed.members[f"m{n}"].number for n in (1, 4)]
    assert api(1).post(report, {"unit": "D0-U0", "day": today, "members": numbers}).status_code == 403
    stranger = [fed.members["m7"].number]
    assert api(2).post(report, {"unit": "D0-U0", "day": today, "members": stranger}).status_code == 400
    later = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert api(2).post(report, {"unit": "D0-U0", "day": later, "members": numbers}).status_code == 400
    reported = api(2).post(report, {"unit": "D0-U0", "day": today, "members": numbers})
    assert reported.status_code == 201 and reported.json()["reported"] == 2
    again = api(2).post(report, {"unit": "D0-U0", "day": today, "members": numbers})
    assert again.json()["reported"] == 0 and Participation.objects.count() == 2
    units = api(9).get(f"/orgs/{fed.slug}/action-calls/{made['id']}").json()["units"]
    assert units[0]["taking_part"] == {today: 2} and units[0]["endorsement"]["status"] == "endorsed"
    assert units[1]["taking_part"] == {} and units[1]["endorsement"] is None
