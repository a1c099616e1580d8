"""Organisations, the body tree, one body, representatives and the constitution, as a member sees them."""

from __future__ import annotations

from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation
from tests.referendum import constitution_amend


def test_organisations_lists_only_mine(member_api: ApiClient, other_federation: SmallFederation) -> None:
    """The list holds the organisations the caller is a current member of, and no others."""
    assert [o["slug"] for o in member_api.get("/api/orgs").json()] == ["tf"]


def test_an_organisation_with_its_size_and_my_place_in_it(member_api: ApiClient) -> None:
    """One organisation: its size, the constitution in force and the caller's membership."""
    body = member_api.get("/api/orgs/tf").json()
    assert body["name"] == "Test Federation tf"
    assert (body["members"], body["units"], body["councils"]) == (20, 4, 3)
    assert body["constitution_version"] == 1
    assert body["my_membership"] == {"number": "TF00001", "unit_code": "D0-U0", "unit_name": "Unit 0.0"}


def test_the_body_tree_in_order_with_seats(member_api: ApiClient) -> None:
    """Every body, depth-first from the top, with its parent, members, seats and seats held above."""
    page = member_api.get("/api/orgs/tf/bodies").json()
    assert page["count"] == 7
    rows = {b["code"]: b for b in page["items"]}
    assert [b["code"] for b in page["items"]] == ["CONGRESS", "D0", "D0-U0", "D0-U1", "D1", "D1-U0", "D1-U1"]
    assert rows["CONGRESS"] == {
        "code": "CONGRESS",
        "name": "Congress",
        "kind": "council",
        "unit_type": "",
        "parent_code": None,
        "depth": 0,
        "member_count": 20,
        "seats": 8,
        "seats_above": None,
    }
    # 10 members at 3 per seat: 4 seats, shared 2–2 between two units of 5; congress's 8 shared 4–4.
    assert (rows["D0"]["seats"], rows["D0"]["seats_above"], rows["D0"]["parent_code"]) == (4, 4, "CONGRESS")
    assert rows["D0-U1"] == rows["D0-U1"] | {
        "kind": "unit",
        "unit_type": "depot",
        "seats": None,
        "seats_above": 2,
    }
    assert rows["D0-U1"]["depth"] == 2 and rows["D0-U1"]["member_count"] == 5


def test_the_body_tree_is_paginated(member_api: ApiClient) -> None:
    """limit and offset walk the tree in order; the count is the whole tree's."""
    first = member_api.get("/api/orgs/tf/bodies", limit=3).json()
    second = member_api.get("/api/orgs/tf/bodies", limit=3, offset=3).json()
    last = member_api.get("/api/orgs/tf/bodies", limit=3, offset=6).json()
    assert first["count"] == second["count"] == last["count"] == 7
    codes = [b["code"] for page in (first, second, last) for b in page["items"]]
    assert codes == ["CONGRESS", "D0", "D0-U0", "D0-U1", "D1", "D1-U0", "D1-U1"]


def test_pagination_limits_are_enforced(member_api: ApiClient) -> None:
    """Asking for more than 500 at once, or a negative offset, is a 422 that says why."""
    too_many = member_api.get("/api/orgs/tf/bodies", limit=501)
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["detail"] and "500" in too_many.json()["detail"]
    assert member_api.get("/api/orgs/tf/bodies", offset=-1).status_code == 422
    assert member_api.get("/api/orgs/tf/bodies", limit="many").status_code == 422


def test_the_body_tree_filtered_by_kind(member_api: ApiClient) -> None:
    """?kind=council lists only councils; an unknown kind is a 422."""
    councils = member_api.get("/api/orgs/tf/bodies", kind="council").json()
    assert [b["code"] for b in councils["items"]] == ["CONGRESS", "D0", "D1"] and councils["count"] == 3
    assert member_api.get("/api/orgs/tf/bodies", kind="politburo").status_code == 422


def test_a_council_with_its_seats_and_delegates(member_api: ApiClient) -> None:
    """A council shows where it sits, its constituencies, their seats, delegates and vacancies."""
    body = member_api.get("/api/orgs/tf/bodies/D0").json()
    assert body["parent_code"] == "CONGRESS"
    assert [a["code"] for a in body["ancestors"]] == ["CONGRESS"]
    assert [(c["code"], c["member_count"]) for c in body["children"]] == [("D0-U0", 5), ("D0-U1", 5)]
    apportionment = body["apportionment"]
    assert apportionment["total_seats"] == 4 and apportionment["reason"] == "founding"
    seats = {c["code"]: c for c in apportionment["constituencies"]}
    assert (seats["D0-U0"]["seats"], seats["D0-U0"]["members"], seats["D0-U0"]["vacant"]) == (2, 5, 1)
    assert [d["name"] for d in seats["D0-U0"]["delegates"]] == ["Member 003"]
    assert seats["D0-U0"]["delegates"][0]["source"] == "test election"
    assert seats["D0-U1"]["delegates"] == [] and seats["D0-U1"]["vacant"] == 2


def test_a_unit_with_its_officers(member_api: ApiClient) -> None:
    """A unit has no seats of its own; it shows its ancestors and its elected officers. Codes are not
    case-sensitive."""
    body = member_api.get("/api/orgs/tf/bodies/d0-u0").json()
    assert body["code"] == "D0-U0" and body["kind"] == "unit"
    assert [a["code"] for a in body["ancestors"]] == ["CONGRESS", "D0"]
    assert body["children"] == [] and body["apportionment"] is None
    assert [(o["office"], o["name"]) for o in body["officers"]] == [("Secretary", "Member 002")]


def test_who_represents_me_all_the_way_up(member_api: ApiClient) -> None:
    """From the caller's unit: the district council (the unit's delegates), then congress (the district's)."""
    body = member_api.get("/api/orgs/tf/representatives").json()
    assert body["body"]["code"] == "D0-U0"
    levels = [(lv["council"]["code"], lv["constituency"]["code"], lv["seats"]) for lv in body["levels"]]
    assert levels == [("D0", "D0-U0", 2), ("CONGRESS", "D0", 4)]
    assert [[d["name"] for d in lv["delegates"]] for lv in body["levels"]] == [["Member 003"], ["Member 003"]]


def test_who_represents_another_body(member_api: ApiClient) -> None:
    """?body=CODE asks the same question for any body of the organisation."""
    body = member_api.get("/api/orgs/tf/representatives", body="D1-U1").json()
    assert [(lv["council"]["code"], lv["delegates"]) for lv in body["levels"]] == [
        ("D1", []),
        ("CONGRESS", []),
    ]
    top = member_api.get("/api/orgs/tf/representatives", body="CONGRESS").json()
    assert top["levels"] == []
    assert member_api.get("/api/orgs/tf/representatives", body="NOWHERE").status_code == 404


def test_the_constitution_in_force_and_its_history(
    federation: SmallFederation, member_api: ApiClient
) -> None:
    """The current version is the newest adopted; the history lists every version, newest first."""
    first = member_api.get("/api/orgs/tf/constitution").json()
    assert first["number"] == 1 and first["adopted_by"] == "founding"
    assert first["rules"]["recall"]["procedure"] == "recall-ballot"
    rules = dict(first["rules"])
    rules["recall"] = rules["recall"] | {"procedure": "immediate"}
    adopted_by = constitution_amend(federation.org, rules).adopted_by
    current = member_api.get("/api/orgs/tf/constitution").json()
    assert (current["number"], current["adopted_by"]) == (2, adopted_by)
    assert current["rules"]["recall"]["procedure"] == "immediate"
    history = member_api.get("/api/orgs/tf/constitution/versions").json()
    assert [(v["number"], v["adopted_by"]) for v in history] == [(2, adopted_by), (1, "founding")]
    assert history[0]["adopted_at"] >= history[1]["adopted_at"]


def test_an_offset_too_large_for_the_database_is_a_422(member_api: ApiClient) -> None:
    """An offset past any list (here past the database's integers) is refused as invalid, not a crash."""
    response = member_api.get("/api/orgs/tf/bodies", offset=10**27)
    assert response.status_code == 422
    assert "offset" in response.json()["detail"]
    assert member_api.get("/api/orgs/tf/bodies", offset=2**31 - 1).json()["items"] == []
