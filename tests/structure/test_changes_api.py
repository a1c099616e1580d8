"""Structural changes end to end through the REST API: each kind, made only by the decision of a council
whose reach covers it, applied once, with seats reapportioned and elections called."""

from __future__ import annotations

from commune.elections.models import Election
from commune.federation.models import Apportionment, Body, Member
from tests.structure.conftest import Fed, apply, decided, fed

__all__ = ["fed"]


def _members(fed: Fed, code: str) -> set[str]:
    return set(
        Member.objects.filter(current_unit__code=code, organisation=fed.org).values_list("number", flat=True)
    )


def test_a_unit_is_added_by_its_district_councils_motion_with_the_seats_reapportioned(fed: Fed) -> None:
    """Adding a depot: the district adopts the motion, the depot exists under it with the members it names,
    the district's seats are apportioned again and an election of the depot's delegates is called."""
    number = fed.members["m7"].number
    change = decided(
        fed,
        "D0",
        {
            "kind": "add",
            "parent": "D0",
            "code": "D0-NEW",
            "name": "New Depot",
            "unit_type": "depot",
            "offices": [{"title": "Secretary", "manages_roll": True}],
            "members": [number],
        },
    )
    response = apply(fed, change)
    assert response.status_code == 200, response.json()
    applied = response.json()
    assert applied["status"] == "applied"
    depot = Body.objects.get(organisation=fed.org, code="D0-NEW")
    assert depot.parent.code == "D0" and depot.member_count == 1
    assert _members(fed, "D0-NEW") == {number}
    latest = Apportionment.objects.filter(council__code="D0", council__organisation=fed.org).first()
    assert latest is not None
    assert {s.constituency.code for s in latest.shares.all()} == {"D0-U0", "D0-U1", "D0-NEW"}
    assert applied["outcome"]["elections_called"]
    assert Election.objects.filter(body=depot, kind="delegates", council__code="D0").exists()


def test_a_change_is_applied_once(fed: Fed) -> None:
    change = decided(fed, "D0", {"kind": "add", "parent": "D0", "code": "D0-NEW", "name": "New Depot"})
    assert apply(fed, change).status_code == 200
    again = apply(fed, change)
    assert again.status_code == 409
    assert "already applied" in again.json()["detail"]
    assert Body.objects.filter(organisation=fed.org, code="D0-NEW").count() == 1
