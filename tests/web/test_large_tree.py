"""The federation tree stays fast and constant in queries for a federation of 2,000 bodies."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commune.accounts.services import user_create
from commune.audit.capture import power_rows_saved
from commune.federation.models import Body, BodyKind, body_path
from commune.federation.services import (
    body_create,
    council_apportion,
    member_admit,
    member_counts_refresh,
    organisation_found,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

DISTRICTS = 20
UNITS_PER_DISTRICT = 99  # with the congress and the districts: 2,001 bodies


def _large_federation() -> tuple[str, Client]:
    """Built with bulk inserts (as a roll import would), since 2,000 logged creations would dominate the run."""
    org = organisation_found(name="Large Federation", slug="large")
    congress = body_create(organisation=org, kind="council", code="CONGRESS", name="Congress", seats_fixed=60)
    districts = [
        body_create(
            organisation=org,
            kind="council",
            code=f"D{d:02d}",
            name=f"District {d}",
            parent=congress,
            members_per_seat=50,
        )
        for d in range(DISTRICTS)
    ]
    units = Body.objects.bulk_create(
        Body(
            organisation=org,
            kind=BodyKind.UNIT,
            code=f"D{d:02d}-U{u:03d}",
            name=f"Unit {d}.{u}",
            parent=district,
            depth=2,
            path="/",
            unit_type="workplace",
        )
        for d, district in enumerate(districts)
        for u in range(UNITS_PER_DISTRICT)
    )
    for unit in units:
        unit.path = body_path(unit.parent.path, unit.pk)  # type: ignore[union-attr]
    Body.objects.bulk_update(units, ["path"], batch_size=500)
    power_rows_saved(units)
    member_counts_refresh(organisation=org)
    person = user_create(email="reader@large.example", name="Reader", password=PASSWORD)
    member_admit(unit=Body.objects.get(code="D07-U042"), person=person, number="L1")
    for council in [*districts, congress]:
        council_apportion(council=council, reason="founding")
    client = Client()
    client.force_login(person)
    return reverse("federation:tree", kwargs={"slug": org.slug}), client


def test_a_tree_of_2000_bodies_renders_whole_in_a_few_queries() -> None:
    """Every one of 2,001 bodies is on the page, in at most 10 queries. (Latency at scale is measured in
    benchmarks/pages.py, not asserted here.)"""
    url, client = _large_federation()
    assert Body.objects.count() == 1 + DISTRICTS + DISTRICTS * UNITS_PER_DISTRICT
    client.get(url)  # warm the template cache, as a running server has
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="unit') == DISTRICTS * UNITS_PER_DISTRICT
    assert html.count("<details") == html.count("</details>") == DISTRICTS + 1
    assert len(captured) <= 10
