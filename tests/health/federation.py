"""A small federation with a known record, built through the real services and API, for health tests.

From ``tests.conftest.build_federation`` (slug ``hl``): m1–m5 in D0-U0, m6–m10 in D0-U1, m11–m20 in
District 1; m2 is D0-U0's secretary; m3 holds hand-made seats on District 0 (for D0-U0) and on Congress
(for District 0). Then, starting 2 March 2026:

* March: D0-U0 elects two delegates to District 0 with 4 of its 5 electors voting (m4, m5 win); D0-U1
  with 2 of 5 (m7, m8 win). m1 moves a motion in D0-U0, whose assembly adopts it by secret ballot with all
  5 voting, and forwards it to District 0; m4 moves a motion in District 0 itself.
* April: D0-U0 instructs its delegates to vote yes (3 of 5 vote on the mandate), D0-U1 binds its
  delegates to vote yes (5 of 5). In District 0, m4, m7 and m8 vote yes as mandated; m5 departs, no.
* May: D0-U0's electorate petitions to recall m5, reaches the threshold (2 of 5) and recalls them by
  ballot; a petition against m8 in D0-U1 gathers one signature and is still open. m4 also takes a seat
  on Congress and the office of treasurer of D0-U0: three at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from commune.elections.models import ElectedSeat
from commune.federation.services import delegation_seat, office_create, office_fill
from commune.recall.models import RecallPetition
from commune.recall.services import (
    recall_ballot_cast,
    recall_ballot_close,
    recall_petition_open,
    recall_petition_sign,
)
from tests.clock import Clock, let_vote_run, wait_for_session
from tests.conftest import build_federation
from tests.provenance.federation import ElectedFederation, elect

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return dict(response.json())


def _mandate(
    fed: ElectedFederation, mover: int, motion: int, unit: str, kind: str, voters: list[int]
) -> None:
    slug = fed.slug
    mandate = _ok(
        fed.api(mover).post(
            f"/orgs/{slug}/motions/{motion}/mandates",
            {"constituency": unit, "kind": kind, "instruction": "yes", "minutes": 30},
        ),
        201,
    )
    for n in voters:
        _ok(fed.api(n).post(f"/orgs/{slug}/votes/{mandate['vote']}/ballots", {"choice": "yes"}), 201)
    fed.clock.advance(minutes=31)
    assert _ok(fed.api(mover).post(f"/orgs/{slug}/mandates/{mandate['id']}/decide"))["status"] == "adopted"


def build_health_federation(clock: Clock) -> ElectedFederation:
    clock.now = START
    # The whole record is dated in 2026 by this clock, so the hand-made seats are too.
    small = build_federation(slug="hl", term=(date(2026, 1, 1), date(2026, 12, 31)))
    fed = ElectedFederation(small=small, clock=clock)
    api, slug = fed.api, fed.slug
    u00, u01 = fed.small.units[0], fed.small.units[1]
    fed.elections["D0-U0"] = elect(fed, u00, [4, 5, 1], {1: [4, 5], 2: [4], 3: [5, 4], 4: [5]})
    fed.elections["D0-U1"] = elect(fed, u01, [7, 8, 9], {6: [7, 8], 7: [8, 7]})

    motion = _ok(
        api(1).post(f"/orgs/{slug}/bodies/D0-U0/motions", {"title": "Strike fund", "text": "Open one."}), 201
    )
    _ok(api(2).post(f"/orgs/{slug}/motions/{motion['id']}/support"))
    unit_vote = _ok(api(1).post(f"/orgs/{slug}/motions/{motion['id']}/votes", {"minutes": 60}), 201)["id"]
    for n, choice in {1: "yes", 2: "yes", 3: "yes", 4: "no", 5: "abstain"}.items():
        _ok(api(n).post(f"/orgs/{slug}/votes/{unit_vote}/ballots", {"choice": choice}), 201)
    let_vote_run(unit_vote)
    _ok(api(2).post(f"/orgs/{slug}/votes/{unit_vote}/close"))
    council_motion = _ok(api(1).post(f"/orgs/{slug}/motions/{motion['id']}/forward"), 201)["id"]
    _ok(
        api(4).post(f"/orgs/{slug}/bodies/D0/motions", {"title": "Meet monthly", "text": "We meet monthly."}),
        201,
    )

    clock.now = datetime(2026, 4, 6, 9, 0, tzinfo=UTC)
    _mandate(fed, 1, council_motion, "D0-U0", "instructed", [1, 2, 3])
    _mandate(fed, 6, council_motion, "D0-U1", "binding", [6, 7, 8, 9, 10])
    session = _ok(api(4).post(f"/orgs/{slug}/bodies/D0/sessions", {"title": "District 0 meets"}), 201)["id"]
    wait_for_session(session)
    for n in (4, 5, 7, 8):
        _ok(api(n).post(f"/orgs/{slug}/sessions/{session}/roll"), 201)
    council_vote = _ok(
        api(4).post(f"/orgs/{slug}/motions/{council_motion}/votes", {"minutes": 60, "session": session}), 201
    )["id"]
    for n, choice in {4: "yes", 5: "no", 7: "yes", 8: "yes"}.items():
        reason = "The district cannot afford it yet." if n == 5 else ""
        _ok(
            api(n).post(f"/orgs/{slug}/votes/{council_vote}/ballots", {"choice": choice, "reason": reason}),
            201,
        )
    let_vote_run(council_vote)
    _ok(api(4).post(f"/orgs/{slug}/votes/{council_vote}/close"))

    clock.now = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    seat_of = {s.member_id: s for s in ElectedSeat.objects.filter(election__in=fed.elections.values())}
    petition = recall_petition_open(seat=seat_of[fed.m(5).pk], member=fed.m(1))
    petition = recall_petition_sign(petition=petition, member=fed.m(2))
    for n, choice in {1: "yes", 2: "yes", 3: "yes", 4: "yes", 5: "no"}.items():
        recall_ballot_cast(petition=petition, member=fed.m(n), choice=choice)
    assert recall_ballot_close(petition=petition).status == "recalled"
    recall_petition_open(seat=seat_of[fed.m(8).pk], member=fed.m(6))
    assert RecallPetition.objects.filter(status="gathering").count() == 1

    delegation_seat(
        council=fed.small.congress,
        constituency=fed.small.districts[0],
        member=fed.m(4),
        term_start=date(2026, 5, 4),
        term_end=date(2027, 5, 3),
        source="test election",
    )
    office_fill(
        office=office_create(body=u00, title="Treasurer"),
        member=fed.m(4),
        term_start=date(2026, 5, 4),
        term_end=date(2027, 5, 3),
        source="test election",
    )
    clock.now = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)
    return fed


__all__ = ["START", "build_health_federation", "timedelta"]
