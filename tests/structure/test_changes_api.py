"""Structural changes end to end through the REST API: each kind, made only by the decision of a council
whose reach covers it, applied once, with seats reapportioned and elections called."""

from __future__ import annotations

from commune.elections.models import Election
from commune.federation.models import Apportionment, Body, Member
from tests.structure.conftest import Fed, apply, decided, fed, proposed

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


def test_units_merge_their_members_move_and_the_absorbed_unit_ceases(fed: Fed) -> None:
    """A merge by the district: the absorbed unit's members transfer (none lost), its delegate's seat ends,
    it is no longer a constituency, and the merged unit's delegates are elected afresh."""
    before = _members(fed, "D0-U0") | _members(fed, "D0-U1")
    change = decided(fed, "D0", {"kind": "merge", "into": "D0-U0", "units": ["D0-U1"], "name": "East Depot"})
    response = apply(fed, change)
    assert response.status_code == 200, response.json()
    assert _members(fed, "D0-U0") == before and not _members(fed, "D0-U1")
    absorbed = Body.objects.get(organisation=fed.org, code="D0-U1")
    assert absorbed.dissolved_by == change["id"] and absorbed.dissolved_at is not None
    assert not absorbed.delegations_sent.filter(ended_at__isnull=True).exists()
    survivor = Body.objects.get(organisation=fed.org, code="D0-U0")
    assert survivor.name == "East Depot" and survivor.member_count == len(before)
    latest = Apportionment.objects.filter(council__code="D0", council__organisation=fed.org).first()
    assert latest is not None
    assert [s.constituency.code for s in latest.shares.all()] == ["D0-U0"]
    assert Election.objects.filter(body=survivor, kind="delegates").exists()
    assert response.json()["outcome"]["members_moved"][fed.members["m6"].number] == ["D0-U1", "D0-U0"]


def test_a_unit_splits_taking_the_members_it_names(fed: Fed) -> None:
    moving = [fed.members["m12"].number, fed.members["m13"].number]
    staying = _members(fed, "D1-U0") - set(moving)
    change = decided(
        fed,
        "D1",
        {
            "kind": "split",
            "unit": "D1-U0",
            "new_units": [{"code": "D1-U9", "name": "Night Shift", "members": moving}],
        },
    )
    assert apply(fed, change).status_code == 200
    assert _members(fed, "D1-U9") == set(moving) and _members(fed, "D1-U0") == staying
    assert Body.objects.get(organisation=fed.org, code="D1-U9").parent.code == "D1"
    assert Election.objects.filter(body__code="D1-U9", body__organisation=fed.org, kind="delegates").exists()


def test_a_unit_moves_to_another_council_by_the_council_above_both(fed: Fed) -> None:
    """Moved from District 0 to District 1 by Congress: the seat it held on District 0 ends, both districts
    are apportioned again, and its delegates to District 1 are to be elected."""
    members = _members(fed, "D0-U1")
    change = decided(fed, "CONGRESS", {"kind": "move", "unit": "D0-U1", "to": "D1"})
    response = apply(fed, change)
    assert response.status_code == 200, response.json()
    unit = Body.objects.get(organisation=fed.org, code="D0-U1")
    assert unit.parent.code == "D1" and _members(fed, "D0-U1") == members
    assert not unit.delegations_sent.filter(ended_at__isnull=True, council__code="D0").exists()
    districts = {
        b.code: b.member_count for b in Body.objects.filter(organisation=fed.org, code__in=["D0", "D1"])
    }
    assert districts == {"D0": 5, "D1": 15}
    assert set(response.json()["outcome"]["apportionments"]) >= {"D0", "D1"}
    assert Election.objects.filter(body=unit, kind="delegates", council__code="D1").exists()


def test_a_unit_is_dissolved_and_its_members_move_to_the_unit_named(fed: Fed) -> None:
    members = _members(fed, "D1-U1") | _members(fed, "D1-U0")
    refused = fed.api(11).post(
        f"/orgs/{fed.slug}/bodies/D1/structure/changes", {"proposal": {"kind": "dissolve", "unit": "D1-U1"}}
    )
    assert refused.status_code == 400
    assert "nobody's membership ends" in refused.json()["detail"]
    change = decided(
        fed, "D1", {"kind": "dissolve", "unit": "D1-U1", "members_to": "D1-U0", "reason": "closed"}
    )
    assert apply(fed, change).status_code == 200
    assert _members(fed, "D1-U0") == members
    assert Body.objects.get(organisation=fed.org, code="D1-U1").dissolved_at is not None
    tree = fed.api(1).get(f"/orgs/{fed.slug}/bodies").json()
    assert "D1-U1" not in {b["code"] for b in tree["items"]}


def test_where_the_constitution_requires_it_a_carried_referendum_makes_the_change(fed: Fed) -> None:
    """Congress refers the move to the members within its reach; once they carry it, it is applied, and its
    record names the referral."""
    from commune.motions.models import Motion, Referral, Vote
    from commune.motions.services import motion_support, vote_close
    from tests.clock import let_vote_run
    from tests.referendum import _council_decides, _everyone_votes_yes

    fed.rules(structure__referendum_required=True)
    change = proposed(fed, "CONGRESS", {"kind": "move", "unit": "D0-U1", "to": "D1"})
    motion = Motion.objects.get(pk=change["motion"])
    motion = motion_support(motion=motion, member=fed.members["m11"])
    _council_decides(motion.body, motion, fed.members["m3"], refer=True)
    assert apply(fed, change).status_code == 409  # the members have not yet decided
    referral = Referral.objects.get(motion=motion)
    ballot = _everyone_votes_yes(Vote.objects.get(referral=referral))
    if ballot.closed_at is None:
        let_vote_run(ballot)
        vote_close(vote=ballot)
    response = apply(fed, change)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "applied"
    assert response.json()["outcome"]["decided"]["referral"] == referral.pk
    assert Body.objects.get(organisation=fed.org, code="D0-U1").parent.code == "D1"


def test_a_merge_across_districts_ends_the_seats_its_members_held_for_the_district_they_left(
    fed: Fed,
) -> None:
    """Congress merges District 1's unit into one of District 0's: its delegate (m11), who sat on District 1
    for the unit and on Congress for District 1, no longer belongs to either, so both seats end; both
    districts and Congress are apportioned again."""
    from commune.federation.models import Delegation

    m11 = fed.members["m11"]
    assert Delegation.objects.filter(member=m11, ended_at__isnull=True).count() == 2
    change = decided(fed, "CONGRESS", {"kind": "merge", "into": "D0-U0", "units": ["D1-U0"]})
    response = apply(fed, change)
    assert response.status_code == 200, response.json()
    assert not Delegation.objects.filter(member=m11, ended_at__isnull=True).exists()
    assert set(response.json()["outcome"]["apportionments"]) == {"D0", "D1", "CONGRESS"}
    assert Body.objects.get(organisation=fed.org, code="D0").member_count == 15


def test_the_members_of_the_units_it_touches_are_told(fed: Fed) -> None:
    from commune.notifications.models import Notification

    change = decided(fed, "D0", {"kind": "merge", "into": "D0-U0", "units": ["D0-U1"]})
    apply(fed, change)
    told = set(
        Notification.objects.filter(kind="structure.applied").values_list(
            "person__members__number", flat=True
        )
    )
    assert told == _members(fed, "D0-U0") and len(told) == 10
    assert not Notification.objects.filter(
        kind="structure.applied", person=fed.members["m11"].person
    ).exists()


def test_a_ceasing_units_undecided_motions_are_named_in_the_record_not_dropped(fed: Fed) -> None:
    moved = fed.api(7).post(
        f"/orgs/{fed.slug}/bodies/D0-U1/motions",
        {"title": "A canteen", "text": "The depot shall have a canteen."},
    )
    assert moved.status_code == 201, moved.json()
    change = decided(fed, "D0", {"kind": "merge", "into": "D0-U0", "units": ["D0-U1"]})
    outcome = apply(fed, change).json()["outcome"]
    assert outcome["motions_left_undecided"] == [
        {"motion": moved.json()["id"], "title": "A canteen", "body": "D0-U1"}
    ]
    page = fed.api(1).get(f"/orgs/{fed.slug}/structure/changes/{change['id']}").json()
    assert page["outcome"]["motions_left_undecided"][0]["motion"] == moved.json()["id"]
