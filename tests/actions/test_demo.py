"""The demo seeds collective action through the real services: Congress's strike call on the carried
referendum, endorsed by depots' assemblies, and a picket with shifts the demo's member can still join."""

from __future__ import annotations

import pytest

from commune.actions.models import ActionCall, CallEndorsement, Event, SignUp
from commune.federation.demo import EMAIL_DOMAIN
from commune.federation.models import Member
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_call_from_congress_endorsed_by_units_and_a_picket_with_shifts() -> None:
    org = seed_demo()
    call = ActionCall.objects.select_related("body", "reach", "authority_referral").get(organisation=org)
    assert call.kind == "strike" and call.body.parent_id is None and call.reach_id == call.body_id
    assert call.authority_referral is not None and call.authority_referral.carried
    endorsed = CallEndorsement.objects.filter(call=call, status="endorsed")
    assert endorsed.count() >= 2
    picket = Event.objects.get(call=call, kind="picket")
    assert [s.label for s in picket.shifts.all()] == ["Early shift at the gate", "Late shift at the gate"]
    member = Member.objects.get(person__email=f"member@{EMAIL_DOMAIN}")
    assert picket.body_id == member.current_unit_id
    assert not SignUp.objects.filter(member=member).exists()
    assert all(s.signups.count() < s.capacity for s in picket.shifts.all())
