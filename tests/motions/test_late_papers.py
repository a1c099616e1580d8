"""A motion's secret vote with paper ballots: a paper returned after the vote closed is recorded as late,
never counted, and reconciled; a paper returned in time is still read by its second teller until the
count; the count is refused while a returned paper waits."""

from __future__ import annotations

import pytest

from commune.ballots.models import BallotPaper, PaperStatus
from tests.clock import let_time_pass_until
from tests.motions.conftest import Fed, cast, on_agenda, put

pytestmark = pytest.mark.django_db


def _desk(fed: Fed, n: int, vote: int, action: str, data: dict[str, object]) -> dict[str, object]:
    response = fed.api(n).post(f"/orgs/{fed.slug}/votes/{vote}/papers/{action}", data)
    return {"status_code": response.status_code, **response.json()} if response.content else {}


def test_a_paper_returned_after_the_vote_closed_is_late_and_not_counted(fed: Fed) -> None:
    unit = fed.small.units[0]  # m2 is its Secretary
    vote = put(fed, 1, on_agenda(fed, 1, unit.code, supporter=4), minutes=60)
    tellers = {"tellers": [fed.members[f"m{n}"].number for n in (3, 4, 5)]}
    assert fed.api(2).post(f"/orgs/{fed.slug}/votes/{vote}/papers", tellers).status_code == 201
    assert cast(fed, 1, vote, "no").status_code == 201
    issued = fed.api(3).post(f"/orgs/{fed.slug}/votes/{vote}/papers/issue", {"members": None}).json()
    code = {p["member"]: p["code"] for p in issued}
    m2, m3, m4 = (code[fed.members[f"m{n}"].number] for n in (2, 3, 4))
    for teller in (3, 4):
        _desk(fed, teller, vote, "entries", {"code": m2, "answers": ["yes"]})
    assert _desk(fed, 3, vote, "entries", {"code": m3, "answers": ["yes"]})["status"] == "entered"

    detail = fed.api(1).get(f"/orgs/{fed.slug}/votes/{vote}").json()
    let_time_pass_until(detail["closes_at"])
    late = _desk(fed, 3, vote, "entries", {"code": m4, "answers": ["yes"]})
    assert (late["status_code"], late["status"]) == (201, "late")
    again = _desk(fed, 4, vote, "entries", {"code": m4, "answers": ["yes"]})
    assert again["status_code"] == 409
    refused = fed.api(1).post(f"/orgs/{fed.slug}/votes/{vote}/close")
    assert refused.status_code == 409 and "second teller" in refused.json()["detail"]
    # Returned in time, its second reading is still taken after the close, and it counts.
    assert _desk(fed, 5, vote, "entries", {"code": m3, "answers": ["yes"]})["status"] == "counted"
    closed = fed.api(1).post(f"/orgs/{fed.slug}/votes/{vote}/close").json()
    assert (closed["yes"], closed["no"]) == (2, 1)

    figures = fed.api(2).get(f"/orgs/{fed.slug}/votes/{vote}/papers").json()["reconciliation"]
    assert (figures["counted"], figures["late"], figures["balanced"]) == (2, 1, True)
    assert figures["issued"] == figures["counted"] + figures["late"] + figures["unreturned"]
    assert BallotPaper.objects.get(code=m4).status == PaperStatus.LATE


def test_a_member_whose_paper_was_rejected_has_voted(fed: Fed) -> None:
    """As a returning officer treats a rejected paper: after a third teller rejects a member's paper, the
    member cannot vote online on the motion, nor be issued a new paper."""
    unit = fed.small.units[0]
    vote = put(fed, 1, on_agenda(fed, 1, unit.code, supporter=4), minutes=60)
    tellers = {"tellers": [fed.members[f"m{n}"].number for n in (3, 4, 5)]}
    assert fed.api(2).post(f"/orgs/{fed.slug}/votes/{vote}/papers", tellers).status_code == 201
    issue = f"/orgs/{fed.slug}/votes/{vote}/papers/issue"
    number = fed.members["m2"].number
    code = fed.api(3).post(issue, {"members": [number]}).json()[0]["code"]
    _desk(fed, 3, vote, "entries", {"code": code, "answers": ["yes"]})
    assert _desk(fed, 4, vote, "entries", {"code": code, "answers": ["no"]})["status"] == "disputed"
    settle = {"code": code, "answers": None, "reason": "identifying_mark"}
    assert _desk(fed, 5, vote, "disputes", settle)["status"] == "rejected"
    refused = cast(fed, 2, vote, "yes")
    assert refused.status_code == 409 and "already voted" in refused.json()["detail"]
    again = fed.api(3).post(issue, {"members": [number]})
    assert again.status_code == 409 and "returned and rejected" in again.json()["detail"]
