"""The pledge pages without script: launching on an adopted motion, pledging and withdrawing by plain
forms, and every refusal shown on the page with the status the API gives it."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from commune.pledges.models import PledgeCampaign
from commune.pledges.services import pledge_made
from tests.pledges.conftest import Pledges, adopted_in_assembly


def _client(p: Pledges, n: int) -> Client:
    client = Client()
    client.force_login(p.fed.members[f"m{n}"].person)
    return client


def test_a_member_launches_pledges_and_withdraws_on_the_pages(pledges: Pledges) -> None:
    p = pledges
    motion = adopted_in_assembly(p.fed.units[0], p.member(1))
    client = _client(p, 1)
    form = {
        "body": "D0-U0",
        "motion": str(motion.pk),
        "action": "walk out at noon",
        "text": "",
        "condition": "unit-percent",
        "threshold": "50",
        "deadline": (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
    }
    refused = client.post(f"/o/{p.slug}/pledges/", {**form, "motion": ""})
    assert refused.status_code == 403 and b"motion" in refused.content
    assert client.post(f"/o/{p.slug}/pledges/", {**form, "threshold": "abc"}).status_code == 400
    launched = client.post(f"/o/{p.slug}/pledges/", form)
    campaign = PledgeCampaign.objects.get()
    assert launched.status_code == 302 and launched["Location"] == f"/o/{p.slug}/pledges/{campaign.pk}/"

    page = client.get(launched["Location"]).content.decode()
    assert "I pledge to walk out at noon" in page and f"motion {motion.pk}" in page
    assert client.post(f"/o/{p.slug}/pledges/{campaign.pk}/pledge/").status_code == 302
    assert pledge_made(campaign=campaign, member=p.member(1))
    page = client.get(launched["Location"]).content.decode()
    assert "You pledged" in page and "Withdraw my pledge" in page
    twice = client.post(f"/o/{p.slug}/pledges/{campaign.pk}/pledge/")
    assert twice.status_code == 409 and b"already pledged" in twice.content
    assert client.post(f"/o/{p.slug}/pledges/{campaign.pk}/withdraw/").status_code == 302
    assert not pledge_made(campaign=campaign, member=p.member(1))

    outsider = _client(p, 13)
    assert "your unit is not one of them" in outsider.get(launched["Location"]).content.decode()
    assert outsider.post(f"/o/{p.slug}/pledges/{campaign.pk}/pledge/").status_code == 403
    assert _client(p, 13).get(f"/o/{p.slug}/pledges/{campaign.pk + 1}/").status_code == 404
    assert client.get(f"/o/{p.slug}/pledges/").status_code == 200
