"""Democracy health read from a federation whose record is known (``tests/health/federation.py``): every
figure below is counted by hand from that record."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commune.federation.models import Body
from commune.health.selectors import organisation_health
from tests.clock import Clock
from tests.health.federation import build_health_federation

pytestmark = pytest.mark.django_db


def test_health_counts_turnout_origins_compliance_recall_tenure_and_holdings(clock: Clock) -> None:
    """Elections 6 of 10 electors (80 % and 40 %); assemblies 13 of 15; one motion line from a unit and one
    from a council; 3 of 4 mandated votes followed, 1 departure; 2 petitions, 1 at threshold, 1 recall;
    medians of tenure in days; m4 flagged for holding three seats and offices at once."""
    fed = build_health_federation(clock)
    health = organisation_health(organisation=fed.small.org)
    t = health.totals
    assert (t.elections, t.election_voted, t.election_electors, t.election_turnout) == (
        2,
        6,
        10,
        Decimal("60.0"),
    )
    assert (t.assembly_votes, t.assembly_cast, t.assembly_electorate) == (3, 13, 15)
    assert t.assembly_turnout == Decimal("86.7")
    assert (t.motions_from_units, t.motions_from_councils, t.from_units_share) == (1, 1, Decimal("50.0"))
    assert (t.council_votes, t.instructed_votes, t.followed, t.departures) == (4, 4, 3, 1)
    assert t.compliance == Decimal("75.0")
    assert (t.petitions_opened, t.petitions_reached_threshold, t.recalled, t.lapsed) == (2, 1, 1, 0)

    months = {m.month.isoformat(): m.counts for m in health.months}
    assert list(months) == ["2026-03-01", "2026-04-01", "2026-05-01"]
    assert (months["2026-03-01"].election_turnout, months["2026-03-01"].assembly_turnout) == (
        Decimal("60.0"),
        Decimal("100.0"),
    )
    assert (months["2026-04-01"].assembly_cast, months["2026-04-01"].assembly_electorate) == (8, 10)
    assert months["2026-04-01"].compliance == Decimal("75.0")
    assert months["2026-05-01"].petitions_opened == 2 and months["2026-05-01"].recalled == 1

    bodies = {b.code: b.counts for b in health.bodies}
    assert list(bodies) == ["CONGRESS", "D0", "D0-U0", "D0-U1", "D1", "D1-U0", "D1-U1"]
    u00, u01 = bodies["D0-U0"], bodies["D0-U1"]
    assert (u00.election_turnout, u01.election_turnout) == (Decimal("80.0"), Decimal("40.0"))
    assert (u00.assembly_cast, u00.assembly_electorate) == (
        8,
        10,
    )  # the motion (5 of 5), the mandate (3 of 5)
    assert (u00.followed, u00.instructed_votes, u00.departures) == (1, 2, 1)  # m5 departed
    assert (u01.followed, u01.instructed_votes) == (2, 2)
    assert bodies["D0"].motions_from_councils == 1 and u00.motions_from_units == 1
    assert bodies["D1-U0"].election_turnout is None

    # Today is 14 May 2026. Seats held: m3 on Congress since 1 Jan (133 days), m4 on Congress since 4 May
    # (10), m4 on District 0 since 4 March (71), m7 and m8 since 6 March (69): median 69. Ended: m3's
    # hand-made District 0 seat, 1 Jan to 4 March (62), m5's, 4 March to the recall on 4 May (61).
    seats, offices = health.tenure
    assert (seats.current, seats.current_median_days, seats.ended, seats.ended_median_days) == (
        5,
        Decimal("69.0"),
        2,
        Decimal("61.5"),
    )
    assert (offices.current, offices.current_median_days, offices.ended) == (2, Decimal("71.5"), 0)
    assert health.holdings == {1: 4, 3: 1}  # m2, m3, m7, m8 hold one each; m4 holds three
    assert [(h.number, h.seats, h.offices) for h in health.flagged] == [("HL00004", 2, 1)]


def test_a_body_reads_its_own_subtree_through_the_api_and_the_page(clock: Clock) -> None:
    """D0-U1 alone: 2 of 5 electors, 5 of 5 in its assembly, both mandated votes followed, one petition
    not at threshold, its two delegates 69 days in post; the page draws the charts and the tables, and a
    body that does not exist answers 404 on both."""
    fed = build_health_federation(clock)
    response = fed.api(9).get(f"/orgs/{fed.slug}/health?body=D0-U1")
    assert response.status_code == 200, response.json()
    data: dict[str, Any] = response.json()
    assert data["body"] == "D0-U1" and [b["code"] for b in data["bodies"]] == ["D0-U1"]
    totals = data["totals"]
    assert (totals["election_voted"], totals["election_electors"], totals["election_turnout"]) == (
        2,
        5,
        "40.0",
    )
    assert (totals["assembly_cast"], totals["assembly_electorate"]) == (5, 5)
    assert (totals["followed"], totals["instructed_votes"], totals["compliance"]) == (2, 2, "100.0")
    assert (totals["petitions_opened"], totals["petitions_reached_threshold"]) == (1, 0)
    assert totals["motions_from_units"] == 0 and totals["from_units_share"] is None
    assert data["tenure"][0]["current"] == 2 and data["tenure"][0]["current_median_days"] == "69.0"
    assert data["holdings"] == {"limit": 2, "distribution": {"1": 2}, "flagged": []}
    assert fed.api(9).get(f"/orgs/{fed.slug}/health?body=NOPE").status_code == 404
    whole = fed.api(9).get(f"/orgs/{fed.slug}/health").json()
    assert whole["body"] == "" and whole["holdings"]["flagged"][0]["number"] == "HL00004"

    browser = Client()
    browser.force_login(fed.m(9).person)
    page = browser.get(f"/o/{fed.slug}/health/?body=D0")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 6 and 'role="img"' in html
    assert "Turnout in elections, by month (%)" in html and "March 2026" in html
    assert "Member 004" in html and "Holding more than 2 at once" in html
    assert f'href="/o/{fed.slug}/health/"' in html  # the navigation links the page
    assert browser.get(f"/o/{fed.slug}/health/?body=NOPE").status_code == 404
    assert Body.objects.filter(code="D0").exists()
