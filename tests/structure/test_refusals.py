"""Nothing structural happens without the decision: each way of trying, by a faction, an officer or the
operator's code, is refused and changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commune.elections.models import ElectionKind
from commune.elections.services import election_call, timeline_default
from commune.federation.errors import FederationError
from commune.federation.models import Body
from commune.federation.services import body_create, unit_dissolve, unit_move
from commune.structure.models import StructuralChange
from tests.motions.conftest import all_vote, close, put, sitting
from tests.structure.conftest import Fed, apply, decided, fed, proposed

__all__ = ["fed"]

MOVE = {"kind": "move", "unit": "D0-U1", "to": "D1"}


def _shape(fed: Fed) -> list[tuple[str, int | None, bool, int]]:
    return [
        (b.code, b.parent_id, b.dissolved_at is None, b.member_count)
        for b in Body.objects.filter(organisation=fed.org).order_by("code")
    ]


def test_a_change_whose_motion_is_undecided_is_not_applied(fed: Fed) -> None:
    shape = _shape(fed)
    change = proposed(fed, "CONGRESS", MOVE)
    response = apply(fed, change)
    assert response.status_code == 409
    assert "has not yet decided" in response.json()["detail"]
    assert _shape(fed) == shape


def test_no_service_changes_the_shape_without_a_standing_decision(fed: Fed) -> None:
    """The federation's own writes refuse without a decision, with one of another organisation or one not
    yet adopted: a programmer, or an operator's script, cannot move, dissolve or add a unit by calling them."""
    shape = _shape(fed)
    unit, d1 = (Body.objects.get(organisation=fed.org, code=c) for c in ("D0-U1", "D1"))
    undecided = proposed(fed, "CONGRESS", MOVE)
    for decision in (None, 999_999, undecided["id"]):
        with pytest.raises(FederationError):
            unit_move(unit=unit, to_council=d1, decision=decision)  # type: ignore[arg-type]
        with pytest.raises(FederationError):
            unit_dissolve(unit=unit, decision=decision, reason="x")  # type: ignore[arg-type]
    with pytest.raises(FederationError):
        body_create(
            organisation=fed.org, kind="unit", code="SNEAK", name="Sneak", parent=d1, decision=undecided["id"]
        )
    assert _shape(fed) == shape


def test_a_council_decides_only_within_its_reach(fed: Fed) -> None:
    """District 0 can neither move its unit under District 1 nor touch District 1's units; nor can anyone
    but its own delegates move a change there."""
    for proposal in (
        MOVE,
        {"kind": "merge", "into": "D0-U0", "units": ["D1-U0"]},
        {"kind": "add", "parent": "D1", "code": "X1", "name": "X"},
    ):
        response = fed.api(3).post(f"/orgs/{fed.slug}/bodies/D0/structure/changes", {"proposal": proposal})
        assert response.status_code == 403, response.json()
        assert "District 0" in response.json()["detail"]
    not_a_delegate = fed.api(1).post(
        f"/orgs/{fed.slug}/bodies/D0/structure/changes",
        {"proposal": {"kind": "add", "parent": "D0", "code": "X1", "name": "X"}},
    )
    assert not_a_delegate.status_code == 403
    assert not StructuralChange.objects.exists()


def test_a_change_the_council_did_not_carry_changes_nothing_and_is_spent(fed: Fed) -> None:
    shape = _shape(fed)
    change = decided(fed, "CONGRESS", MOVE, choice="no")
    response = apply(fed, change)
    assert response.status_code == 200 and response.json()["status"] == "not_adopted"
    assert apply(fed, change).status_code == 409
    assert _shape(fed) == shape


def test_a_motion_adopted_as_amended_is_not_this_change(fed: Fed) -> None:
    """The council amended the motion's text before adopting it: what it adopted is not the proposal, so
    the proposal is not applied."""
    shape = _shape(fed)
    change = proposed(fed, "CONGRESS", MOVE)
    motion = change["motion"]
    fed.api(11).post(f"/orgs/{fed.slug}/motions/{motion}/support")
    amended = fed.api(11).post(
        f"/orgs/{fed.slug}/motions/{motion}/amendments",
        {"text": "Congress decides: Unit 0.1 stays where it is.", "reason": "no"},
    )
    assert amended.status_code == 201, amended.json()
    session = sitting(fed, "CONGRESS", 3, 11)
    vote = (
        fed.api(3)
        .post(
            f"/orgs/{fed.slug}/motions/{motion}/amendments/{amended.json()['id']}/votes",
            {"minutes": 60, "session": session},
        )
        .json()["id"]
    )
    all_vote(fed, vote, {3: "yes", 11: "yes"})
    close(fed, 3, vote)
    vote = put(fed, 3, motion, session=session)
    all_vote(fed, vote, {3: "yes", 11: "yes"})
    close(fed, 3, vote)
    response = apply(fed, change)
    assert response.status_code == 400
    assert "amended" in response.json()["detail"]
    assert _shape(fed) == shape


def test_where_the_constitution_requires_a_referendum_the_councils_vote_is_not_enough(fed: Fed) -> None:
    fed.rules(structure__referendum_required=True)
    shape = _shape(fed)
    change = decided(fed, "CONGRESS", MOVE)
    assert change["referendum_required"] is True
    response = apply(fed, change)
    assert response.json()["status"] == "not_adopted"
    assert _shape(fed) == shape


def test_a_change_waits_for_an_election_it_would_cut_short(fed: Fed) -> None:
    """A unit whose delegates are being elected is not dissolved under the election: the change is refused,
    naming the election, until it closes."""
    unit = Body.objects.get(organisation=fed.org, code="D1-U1")
    election = election_call(
        body=unit, kind=ElectionKind.DELEGATES, timeline=timeline_default(now=timezone.now())
    )
    change = decided(fed, "D1", {"kind": "dissolve", "unit": "D1-U1", "members_to": "D1-U0"})
    response = apply(fed, change)
    assert response.status_code == 409
    assert f"election #{election.pk}" in response.json()["detail"]
    assert Body.objects.get(pk=unit.pk).dissolved_at is None
