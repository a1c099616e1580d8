"""The demo's pledge campaign: launched by the district on the strike motion it adopted, met in two depots
and half-way in two (the demo member's among them), with the demo member free to pledge."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.audit.verification import chain_verify
from commune.federation.demo import demo_sign_ins
from commune.federation.models import Member
from commune.motions.models import MotionStatus
from commune.notifications.models import Notification
from commune.pledges.models import CampaignStatus, PledgeCampaign, PledgeDay, PledgeUnit
from commune.pledges.services import pledge_made
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_campaign_met_in_some_depots_and_half_way_in_others() -> None:
    org = seed_demo()
    campaign = PledgeCampaign.objects.select_related("motion", "body").get(organisation=org)
    assert campaign.status == CampaignStatus.GATHERING and campaign.motion is not None
    assert campaign.motion.status == MotionStatus.ADOPTED and campaign.motion.body_id == campaign.body_id
    units = list(PledgeUnit.objects.filter(campaign=campaign))
    met = [u for u in units if u.met_at is not None]
    waiting = [u for u in units if u.met_at is None]
    assert len(met) == 2 and len(waiting) == 2
    assert all(0 < u.pledges < u.required for u in waiting if u.required is not None)
    assert all(u.required is not None and 0 < 2 * u.pledges < 2 * u.required for u in waiting)
    assert PledgeDay.objects.filter(unit__campaign=campaign).values("day").distinct().count() >= 2
    told = Notification.objects.filter(kind="pledges.unit_met")
    assert told.count() == sum(Member.objects.filter(current_unit_id=u.unit_id).count() for u in met)

    member = Member.objects.select_related("current_unit").get(person__email=demo_sign_ins()[0].email)
    assert member.current_unit_id in {u.unit_id for u in waiting}
    assert not pledge_made(campaign=campaign, member=member)
    client = Client()
    client.force_login(member.person)
    page = client.get(f"/o/{org.slug}/pledges/{campaign.pk}/")
    assert page.status_code == 200 and b"I pledge to" in page.content
    readiness = client.get(f"/o/{org.slug}/pledges/{campaign.pk}/readiness/")
    assert readiness.status_code == 200 and readiness.content.count(b"<svg") == 2
    assert chain_verify(organisation_id=org.pk).problem is None
