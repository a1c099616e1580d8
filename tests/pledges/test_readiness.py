"""Readiness: for each unit and council, pledges against membership, ballot turnout and earlier
campaigns, day by day, as tables and server-drawn SVG charts; and the cost of each page stays the same
however large the federation grows."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commune.pledges.models import PledgeCampaign
from tests.clock import let_time_pass
from tests.conftest import build_federation
from tests.pledges.conftest import Pledges, as_json, path


def _pledge(p: Pledges, campaign: PledgeCampaign, *numbers: int) -> None:
    for n in numbers:
        as_json(p.api(n).post(path(p, campaign, "/pledge")))


def test_readiness_shows_each_body_day_by_day_with_turnout_and_earlier_campaigns(pledges: Pledges) -> None:
    """D0-U0 adopted its own campaign by a secret ballot everyone voted in (assembly turnout 100 %) and
    five pledged in it; then District 0 launches one over both its units. Day by day, D0-U0 meets the
    district's 50 % on the second day and D0-U1 never does: the district is not ready, D0-U0 is."""
    p = pledges
    earlier = p.launch(by=1)
    _pledge(p, earlier, 1, 2, 3, 4, 5)
    let_time_pass(days=1)
    campaign = p.launch(p.fed.districts[0], by=3)
    _pledge(p, campaign, 1, 2, 3, 13)
    let_time_pass(days=1)
    _pledge(p, campaign, 4, 5, 6)
    out = as_json(p.api(1).get(path(p, campaign, "/readiness")))
    rows = {r["code"]: r for r in out["rows"]}
    assert list(rows) == ["D0", "D0-U0", "D0-U1"] and out["goal_percent"] == "50"
    assert [(r["ready"], r["pledged"]["text"]) for r in rows.values()] == [
        (False, "between 6 and 10"),
        (True, "6"),
        (False, "fewer than 5"),
    ]
    assert [d["pledged"]["text"] for d in rows["D0-U0"]["days"]] == ["fewer than 5", "6"]
    assert rows["D0-U0"]["assembly_turnout"] == "100.0" and rows["D0-U1"]["assembly_turnout"] is None
    assert rows["D0-U0"]["past_pledged"]["text"] == "5" and rows["D0-U1"]["past_pledged"] is None
    assert as_json(p.api(1).get(path(p, campaign, "/readiness?body=D0-U1")))["scope"] == "D0-U1"
    assert p.api(1).get(path(p, campaign, "/readiness?body=D1")).status_code == 404

    client = Client()
    client.force_login(p.fed.members["m1"].person)
    page = client.get(f"/o/{p.slug}/pledges/{campaign.pk}/readiness/").content.decode()
    assert page.count("<svg") == 2 and "<title id=" in page and "<desc id=" in page
    assert "Ready: D0-U0. Not yet: D0-U1." in page
    assert 'class="bar ready"' in page and 'class="goal"' in page
    assert "<caption" in page and "between 6 and 10" in page and "100.0&nbsp;%" in page


def _campaign(p: Pledges, pledgers: range) -> PledgeCampaign:
    campaign = p.launch(p.fed.districts[0], by=3, threshold=90)
    _pledge(p, campaign, *pledgers)
    return campaign


def _costs(p: Pledges, campaign: PledgeCampaign) -> list[int]:
    api = p.api(1)
    client = Client()
    client.force_login(p.fed.members["m1"].person)
    costs = []
    for fetch in (
        lambda: api.get(path(p, campaign)),
        lambda: api.get(path(p, campaign, "/readiness")),
        lambda: client.get(f"/o/{p.slug}/pledges/{campaign.pk}/"),
        lambda: client.get(f"/o/{p.slug}/pledges/{campaign.pk}/readiness/"),
        lambda: client.get(f"/o/{p.slug}/pledges/"),
    ):
        fetch()  # warm: sessions, tokens, the constitution
        with CaptureQueriesContext(connection) as queries:
            response: Any = fetch()
        assert response.status_code == 200
        costs.append(len(queries))
    return costs


def test_the_pages_cost_the_same_however_large_the_federation(db: None) -> None:
    """Two units of six members with four pledges, against three units of eight with twenty pledges over
    several days: every campaign endpoint and page runs the same number of queries."""
    small = Pledges(build_federation(units_per_district=2, members_per_unit=6, slug="plq1"))
    large = Pledges(build_federation(units_per_district=3, members_per_unit=8, slug="plq2"))
    small_costs = _costs(small, _campaign(small, range(1, 5)))
    campaign = _campaign(large, range(1, 11))
    let_time_pass(days=2)
    _pledge(large, campaign, *range(11, 21))
    let_time_pass(days=1, hours=1)
    assert _costs(large, campaign) == small_costs
