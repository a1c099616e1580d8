"""Moving and resigning through the API: each request by its own member, each decision by the receiving
unit's roll officer, every other caller refused without learning whether the request exists."""

from __future__ import annotations

import pytest

from commune.federation.models import Member
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation, build_federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed() -> SmallFederation:
    return build_federation()


def _as(fed: SmallFederation, n: int) -> ApiClient:
    return ApiClient(fed.members[f"m{n}"].person)


def test_a_member_asks_and_the_receiving_roll_officer_admits_by_the_api(fed: SmallFederation) -> None:
    m6, m2 = _as(fed, 6), _as(fed, 2)
    asked = m6.post("/api/orgs/tf/transfers", {"to": "D0-U0", "statement": "New job"})
    assert asked.status_code == 201, asked.json()
    transfer = asked.json()
    assert (transfer["from_unit"], transfer["to_unit"], transfer["status"]) == ("D0-U1", "D0-U0", "pending")
    listing = m2.get("/api/orgs/tf/transfers").json()
    assert [t["id"] for t in listing["to_decide"]] == [transfer["id"]]
    assert m6.get("/api/orgs/tf/transfers").json()["mine"][0]["id"] == transfer["id"]
    admitted = m2.post(f"/api/orgs/tf/transfers/{transfer['id']}/admit", {})
    assert admitted.status_code == 200 and admitted.json()["decided_by"] == fed.members["m2"].number
    assert Member.objects.get(pk=fed.members["m6"].pk).current_unit_id == fed.units[0].pk


def test_others_cannot_see_decide_or_withdraw_a_request(fed: SmallFederation) -> None:
    """The member themself cannot admit their move; an officer of the sending unit and a bystander get the
    same 404 as for a request that does not exist; a refusal without a reason is a 400."""
    transfer = _as(fed, 1).post("/api/orgs/tf/transfers", {"to": "D0-U1"}).json()
    path = f"/api/orgs/tf/transfers/{transfer['id']}"
    assert _as(fed, 1).post(f"{path}/admit", {}).status_code == 403
    assert _as(fed, 2).post(f"{path}/admit", {}).status_code == 404
    assert _as(fed, 7).post(f"{path}/withdraw", {}).status_code == 404
    assert _as(fed, 7).post("/api/orgs/tf/transfers/999999/withdraw", {}).status_code == 404
    assert _as(fed, 2).get("/api/orgs/tf/transfers").json()["to_decide"] == []
    assert _as(fed, 1).post(f"{path}/withdraw", {}).json()["status"] == "withdrawn"
    back = _as(fed, 6).post("/api/orgs/tf/transfers", {"to": "D0-U0"}).json()
    assert _as(fed, 2).post(f"/api/orgs/tf/transfers/{back['id']}/refuse", {"reason": ""}).status_code == 400


def test_bad_requests_are_refused_clearly(fed: SmallFederation) -> None:
    m6 = _as(fed, 6)
    assert m6.post("/api/orgs/tf/transfers", {"to": "NOWHERE"}).status_code == 400
    assert m6.post("/api/orgs/tf/transfers", {"to": "D0-U1"}).status_code == 400
    assert m6.post("/api/orgs/tf/transfers", {"to": "D0-U0"}).status_code == 201
    assert m6.post("/api/orgs/tf/transfers", {"to": "D1-U0"}).status_code == 409


def test_resigning_needs_confirming_and_ends_access(fed: SmallFederation) -> None:
    m9 = _as(fed, 9)
    assert m9.post("/api/orgs/tf/resign", {"confirm": False}).status_code == 400
    assert Member.objects.get(pk=fed.members["m9"].pk).current_unit_id is not None
    done = m9.post("/api/orgs/tf/resign", {"confirm": True, "statement": "Retiring"})
    assert done.status_code == 200 and done.json()["member"] == fed.members["m9"].number
    assert Member.objects.get(pk=fed.members["m9"].pk).current_unit_id is None
    assert m9.post("/api/orgs/tf/resign", {"confirm": True}).status_code == 404
