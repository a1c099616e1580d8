"""The members' directory: each member chooses who sees their contact details, most private by default;
officers see their own unit's and no other; nobody can use it to find out who belongs."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commune.federation.services import delegation_seat
from commune.membership.errors import ContactInvalid
from commune.membership.selectors import directory_for
from commune.membership.services import contact_details_set
from tests.api.conftest import ApiClient
from tests.clock import current_term
from tests.conftest import SmallFederation, build_federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed() -> SmallFederation:
    """m2 keeps D0-U0's roll; m3 sits on District 0 for D0-U0."""
    return build_federation()


def _seen_by(fed: SmallFederation, n: int) -> set[str]:
    return {d.member.number for d in directory_for(reader=fed.members[f"m{n}"])}


def _give(fed: SmallFederation, n: int, visible_to: str) -> str:
    contact_details_set(member=fed.members[f"m{n}"], phone="0161 555 0100", email="", visible_to=visible_to)
    return fed.members[f"m{n}"].number


def test_by_default_only_the_roll_officer_of_the_members_unit_sees(fed: SmallFederation) -> None:
    number = _give(fed, 1, "officers")
    assert number in _seen_by(fed, 2)  # D0-U0's roll officer
    assert number in _seen_by(fed, 1)  # themself
    for other in (4, 6, 11):  # a fellow member, another unit's member
        assert number not in _seen_by(fed, other)


def test_unit_means_the_unit_and_no_further(fed: SmallFederation) -> None:
    """Details shown to the unit are seen by a fellow member of D0-U0, never by a member of D0-U1."""
    number = _give(fed, 1, "unit")
    assert number in _seen_by(fed, 4)
    assert number not in _seen_by(fed, 6) and number not in _seen_by(fed, 11)


def test_an_officer_of_one_unit_sees_nothing_of_anothers(fed: SmallFederation) -> None:
    """m2 keeps D0-U0's roll: m6 of D0-U1 gave details to officers only, and m2 does not see them."""
    number = _give(fed, 6, "officers")
    assert number not in _seen_by(fed, 2)


def test_councils_means_the_delegates_on_the_councils_the_member_sits_on(fed: SmallFederation) -> None:
    """m6 sits on District 0 beside m3: with councils, m3 sees m6's details; m4 (m3's unit) does not."""
    start, end = current_term()
    delegation_seat(
        council=fed.districts[0],
        constituency=fed.units[1],
        member=fed.members["m6"],
        term_start=start,
        term_end=end,
        source="test election",
    )
    number = _give(fed, 6, "councils")
    assert number in _seen_by(fed, 3)
    assert number not in _seen_by(fed, 4) and number not in _seen_by(fed, 7)


def test_the_api_lists_only_what_the_reader_may_see_and_cannot_be_probed(fed: SmallFederation) -> None:
    """Through the API a member of another unit gets a directory without the member; there is no endpoint
    taking a membership number; bad details are refused and change nothing."""
    m1 = ApiClient(fed.members["m1"].person)
    assert m1.post("/api/orgs/tf/directory/me", {"phone": "call me", "visible_to": "unit"}).status_code == 400
    assert m1.post("/api/orgs/tf/directory/me", {"phone": "1", "visible_to": "everyone"}).status_code == 400
    set_ = m1.post("/api/orgs/tf/directory/me", {"phone": "0161 555 0100", "visible_to": "unit"})
    assert set_.status_code == 200 and set_.json()["visible_to"] == "unit"
    outsider: Any = ApiClient(fed.members["m6"].person).get("/api/orgs/tf/directory").json()
    assert outsider["mine"] is None and outsider["visible"] == []
    fellow = ApiClient(fed.members["m4"].person).get("/api/orgs/tf/directory").json()
    assert [e["member"] for e in fellow["visible"]] == [fed.members["m1"].number]
    assert (
        ApiClient(fed.members["m6"].person)
        .get(f"/api/orgs/tf/directory/{fed.members['m1'].number}")
        .status_code
        == 404
    )
    with pytest.raises(ContactInvalid):
        contact_details_set(member=fed.members["m1"], phone="", email="nope", visible_to="unit")


def test_the_directory_costs_the_same_however_many_are_listed(fed: SmallFederation) -> None:
    _give(fed, 1, "unit")
    with CaptureQueriesContext(connection) as one:
        directory_for(reader=fed.members["m2"])
    for n in (3, 4, 5):
        _give(fed, n, "unit")
    with CaptureQueriesContext(connection) as four:
        assert len(directory_for(reader=fed.members["m2"])) == 4
    assert len(four) == len(one)


def test_the_page_saves_ones_own_details_and_lists_only_what_one_may_see(fed: SmallFederation) -> None:
    m1, m6 = Client(), Client()
    m1.force_login(fed.members["m1"].person)
    m6.force_login(fed.members["m6"].person)
    assert m1.post("/o/tf/directory/", {"phone": "x", "visible_to": "unit"}).status_code == 400
    saved = m1.post("/o/tf/directory/", {"phone": "0161 555 0199", "visible_to": "unit"})
    assert saved.status_code == 200 and b"are saved" in saved.content
    assert b"0161 555 0199" not in m6.get("/o/tf/directory/").content
    fellow = Client()
    fellow.force_login(fed.members["m4"].person)
    assert b"0161 555 0199" in fellow.get("/o/tf/directory/").content
