"""Referring a question down through the API: to a referendum on a secret ballot of the whole membership,
with the constitution's thresholds, and to every unit's assembly, aggregated."""

from __future__ import annotations

from typing import Any

import pytest

from commune.ballots.models import YesNoPaper, YesNoRegisterEntry
from tests.clock import Clock
from tests.motions.conftest import Fed, all_vote, close, on_agenda, sitting

pytestmark = pytest.mark.django_db


def refer(fed: Fed, to: str, **motion: Any) -> dict[str, Any]:
    """Congress (delegates m3 and m11) votes to refer a motion on its agenda down; returns the referral."""
    motion_id = on_agenda(fed, 3, "CONGRESS", supporter=11, **motion)
    session = sitting(fed, "CONGRESS", 3, 11)
    response = fed.api(3).post(
        f"/orgs/{fed.slug}/motions/{motion_id}/refer", {"session": session, "to": to, "referral_days": 7}
    )
    assert response.status_code == 201, response.json()
    all_vote(fed, response.json()["id"], {3: "yes", 11: "yes"})
    assert close(fed, 3, response.json()["id"])["carried"] is True
    detail = fed.api(3).get(f"/orgs/{fed.slug}/motions/{motion_id}").json()
    assert detail["status"] == "referred"
    return dict(fed.api(3).get(f"/orgs/{fed.slug}/referrals/{detail['referrals'][0]}").json())


def test_referendum_on_industrial_action_fails_the_tua_2016_turnout(fed: Fed, clock: Clock) -> None:
    """Nine of twenty members vote, all yes: the majority passes but the Trade Union Act 2016 preset's
    50% turnout does not, so the referendum is not carried, and the result says why."""
    referral = refer(fed, "referendum", industrial_action=True)
    assert referral["kind"] == "referendum" and len(referral["votes"]) == 1
    ballot = referral["votes"][0]
    assert ballot["mode"] == "secret" and ballot["electorate"] == 20
    assert ballot["rule"]["turnout"] == "1/2"
    all_vote(fed, ballot["id"], {n: "yes" for n in range(1, 10)})
    assert fed.api(1).post(f"/orgs/{fed.slug}/votes/{ballot['id']}/close").status_code == 409
    clock.advance(days=8)
    closed = close(fed, 1, ballot["id"])
    assert (closed["yes"], closed["carried"]) == (9, False)
    assert "turnout failed: 9 voting of 20 entitled" in closed["explanation"]
    result = fed.api(20).get(f"/orgs/{fed.slug}/referrals/{referral['id']}").json()
    assert result["carried"] is False and result["summary"]["yes"] == 9
    assert YesNoRegisterEntry.objects.filter(box__vote=ballot["id"]).count() == 9
    assert YesNoPaper.objects.filter(box__vote=ballot["id"]).count() == 9


def test_referendum_meeting_every_threshold_is_carried(fed: Fed, clock: Clock) -> None:
    """Ten of twenty vote, eight yes: turnout, quorum and majority all pass."""
    fed.rules(decisions__referendum_turnout_percent=40)
    referral = refer(fed, "referendum", industrial_action=True)
    ballot = referral["votes"][0]
    all_vote(fed, ballot["id"], {n: ("no" if n > 8 else "yes") for n in range(1, 11)})
    clock.advance(days=8)
    closed = close(fed, 12, ballot["id"])
    assert closed["carried"] is True
    assert "turnout passed" in closed["explanation"] and "quorum passed" in closed["explanation"]
    assert fed.api(1).get(f"/orgs/{fed.slug}/referrals/{referral['id']}").json()["carried"] is True


def test_referendum_without_industrial_action_uses_the_constitutions_turnout(fed: Fed, clock: Clock) -> None:
    """An ordinary referendum takes the constitution's referendum turnout, not the preset."""
    fed.rules(decisions__referendum_turnout_percent=25)
    ballot = refer(fed, "referendum")["votes"][0]
    assert ballot["rule"]["turnout"] == "1/4"
    all_vote(fed, ballot["id"], {n: "yes" for n in range(1, 5)})
    clock.advance(days=8)
    assert close(fed, 1, ballot["id"])["carried"] is False
    assert (
        fed.api(1).post(f"/orgs/{fed.slug}/votes/{ballot['id']}/ballots", {"choice": "yes"}).status_code
        == 409
    )


def test_referral_to_the_assemblies_is_decided_unit_by_unit_and_aggregated(fed: Fed) -> None:
    """Each of the four units votes; the referral closes with the last, showing every unit's result and
    the members' votes summed."""
    referral = refer(fed, "assemblies")
    assert [v["body"]["code"] for v in referral["votes"]] == ["D0-U0", "D0-U1", "D1-U0", "D1-U1"]
    first = {v["body"]["code"]: v["id"] for v in referral["votes"]}
    plans = {
        "D0-U0": range(1, 6),
        "D0-U1": range(6, 11),
        "D1-U0": range(11, 16),
        "D1-U1": range(16, 21),
    }
    for index, (code, members) in enumerate(plans.items()):
        choice = "no" if index == 3 else "yes"
        # A member of another unit cannot vote in this unit's assembly.
        assert (
            fed.api(1 if code != "D0-U0" else 6)
            .post(f"/orgs/{fed.slug}/votes/{first[code]}/ballots", {"choice": "yes"})
            .status_code
            == 403
        )
        all_vote(fed, first[code], dict.fromkeys(members, choice))
        close(fed, members[0], first[code])
    result = fed.api(1).get(f"/orgs/{fed.slug}/referrals/{referral['id']}").json()
    assert result["closed_at"] is not None and result["carried"] is True
    summary = result["summary"]
    assert (summary["yes"], summary["no"], summary["units_carried"], summary["units_not_carried"]) == (
        15,
        5,
        3,
        1,
    )
    assert [b["carried"] for b in summary["bodies"]] == [True, True, True, False]
