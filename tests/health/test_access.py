"""Health is for the organisation's own members: anyone else gets the same 404 as for a missing one."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import SmallFederation, build_federation
from tests.provenance.federation import Api

pytestmark = pytest.mark.django_db


def test_only_current_members_read_an_organisations_health(federation: SmallFederation) -> None:
    """A member of another organisation gets 404 from the API and the page; anonymous visitors are sent
    to sign in; a member reads an organisation with no record as empty figures."""
    other = build_federation(slug="ot", units_per_district=1, members_per_unit=3)
    outsider = Api(other.members["m1"].person)
    assert outsider.get("/orgs/tf/health").status_code == 404
    assert outsider.get("/orgs/nowhere/health").status_code == 404
    browser = Client()
    assert browser.get("/o/tf/health/").status_code == 302
    browser.force_login(other.members["m1"].person)
    assert browser.get("/o/tf/health/").status_code == 404
    data = Api(federation.member).get("/orgs/tf/health").json()
    assert data["totals"]["election_turnout"] is None and data["months"] == []
    assert data["holdings"]["distribution"] == {"1": 1, "2": 1}  # m2: an office; m3: two seats
