"""Nobody votes on a figure that bounds their own pay (docs/principles.md, bureaucrats in "warm corners").

An office holder seated on the council that sets the wage bands cannot cast their seat's vote on them; the
holder of an office cannot move, nor vote on, the motion setting that office's pay. Each is tried through
the API as the officer would, with the rights their seat and their membership really give them."""

from __future__ import annotations

from typing import Any

import pytest

from commune.federation.models import Member, Office
from commune.federation.services import delegation_seat
from commune.governance.models import OfficePay
from commune.motions.models import DelegateVote, OpenChoice
from tests.clock import Clock, current_term, wait_for_session
from tests.provenance.federation import ElectedFederation, build_elected_federation
from tests.records import recorded_update
from tests.wages import wage_bands_adopt

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> ElectedFederation:
    return build_elected_federation(clock)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return dict(response.json())


def test_an_officer_on_the_council_cannot_vote_on_the_wage_bands(fed: ElectedFederation) -> None:
    """The unit's Secretary (m2), seated on Congress for District 0, signs Congress's roll but cannot cast
    the seat's vote on a motion raising the wage bands; the two delegates who hold no office vote."""
    slug, api = fed.slug, fed.api
    start, end = current_term()
    for member, district in ((fed.m(2), "D0"), (fed.m(11), "D1")):
        delegation_seat(
            council=fed.small.congress,
            constituency=fed.body(district),
            member=member,
            term_start=start,
            term_end=end,
            source="test election",
        )
    proposal = _ok(api(3).post(f"/orgs/{slug}/wage-bands", {"bands": {"A": "5000.00"}}), 201)
    motion = proposal["motion"]
    if _ok(api(3).get(f"/orgs/{slug}/motions/{motion}"))["status"] == "proposed":
        _ok(api(11).post(f"/orgs/{slug}/motions/{motion}/support"))
    session = _ok(api(3).post(f"/orgs/{slug}/bodies/CONGRESS/sessions", {"title": "Wages"}), 201)["id"]
    wait_for_session(session)
    for n in (2, 3, 11):
        _ok(api(n).post(f"/orgs/{slug}/sessions/{session}/roll"), 201)
    vote = _ok(api(3).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 60, "session": session}), 201)

    refused = api(2).post(f"/orgs/{slug}/votes/{vote['id']}/ballots", {"choice": "yes"})
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "holds the office of Secretary of Unit 0.0, whose pay the cap bounds" in detail
    assert "nobody votes on the figures the cap on their own pay is computed from" in detail
    assert not DelegateVote.objects.filter(vote_id=vote["id"], delegation__member=fed.m(2)).exists()
    for n in (3, 11):
        _ok(api(n).post(f"/orgs/{slug}/votes/{vote['id']}/ballots", {"choice": "yes"}), 201)
    assert DelegateVote.objects.filter(vote_id=vote["id"]).count() == 2


def test_an_officer_neither_moves_nor_votes_on_their_own_pay(fed: ElectedFederation) -> None:
    """The Secretary of Unit 0.0 (m2) cannot move a motion setting the Secretary's pay, nor vote on the one
    m1 moves in the unit's assembly; the other members vote on it."""
    slug, api = fed.slug, fed.api
    wage_bands_adopt(fed.small.org, {"A": "500.00"})
    recorded_update(Member.objects.filter(organisation=fed.small.org), wage_band="A")
    secretary = Office.objects.get(body__code="D0-U0", body__organisation=fed.small.org, title="Secretary")

    own = api(2).post(f"/orgs/{slug}/offices/{secretary.pk}/pay", {"weekly": "450.00"})
    assert own.status_code == 403
    assert own.json()["detail"].endswith(
        "holds the office of Secretary of Unit 0.0: nobody moves their own pay"
    )
    assert not OfficePay.objects.exists()

    pay = _ok(api(1).post(f"/orgs/{slug}/offices/{secretary.pk}/pay", {"weekly": "450.00"}), 201)
    motion = pay["motion"]
    if _ok(api(1).get(f"/orgs/{slug}/motions/{motion}"))["status"] == "proposed":
        _ok(api(3).post(f"/orgs/{slug}/motions/{motion}/support"))
    vote = _ok(api(1).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 60}), 201)["id"]
    refused = api(2).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "yes"})
    assert refused.status_code == 403
    assert refused.json()["detail"].endswith(
        "holds the office of Secretary of Unit 0.0: nobody votes on their own pay"
    )
    assert not OpenChoice.objects.filter(vote_id=vote, member=fed.m(2)).exists()
    _ok(api(1).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "yes"}), 201)
