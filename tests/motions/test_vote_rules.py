"""A vote's rule — majority, quorum, turnout and support — is fixed when it opens and stored with it: a
referral's aggregate too, and nothing a later constitution says changes a vote already under way."""

from __future__ import annotations

from typing import Any

import pytest

from commune.motions.models import Referral
from tests.clock import Clock
from tests.motions.conftest import Fed, all_vote, close, on_agenda, put, sitting
from tests.motions.test_pages import as_member, text_of, url

pytestmark = pytest.mark.django_db

UNITS = {"D0-U0": range(1, 6), "D0-U1": range(6, 11), "D1-U0": range(11, 16), "D1-U1": range(16, 21)}


def refer(fed: Fed, council: str, delegates: tuple[int, int], to: str, **motion: Any) -> dict[str, Any]:
    """The council's two delegates move a motion, refer it down by their vote in session, and the referral
    opens; returns the referral as the API shows it."""
    first, second = delegates
    motion_id = on_agenda(fed, first, council, supporter=second, **motion)
    session = sitting(fed, council, first, second)
    response = fed.api(first).post(
        f"/orgs/{fed.slug}/motions/{motion_id}/refer", {"session": session, "to": to, "referral_days": 7}
    )
    assert response.status_code == 201, response.json()
    all_vote(fed, response.json()["id"], {first: "yes", second: "yes"})
    assert close(fed, first, response.json()["id"])["carried"] is True
    referral = Referral.objects.get(motion_id=motion_id)
    return dict(fed.api(first).get(f"/orgs/{fed.slug}/referrals/{referral.pk}").json())


def unit_votes(referral: dict[str, Any]) -> dict[str, int]:
    return {v["body"]["code"]: v["id"] for v in referral["votes"]}


def test_a_constitutional_referral_to_the_assemblies_is_decided_by_the_constitutional_majority(
    fed: Fed,
) -> None:
    """Every unit votes on a constitutional motion under the two-thirds majority, and so does the
    membership's aggregate: 12 yes to 8 no summed across the units (60%) is more than half but short of
    two thirds, so the motion is not carried — and the API and the page say under which rule."""
    referral = refer(fed, "CONGRESS", (3, 11), "assemblies", constitutional=True)
    votes = unit_votes(referral)
    plan = {"D0-U0": {1: 5}, "D0-U1": {1: 5}, "D1-U0": {1: 2, 0: 3}, "D1-U1": {0: 5}}
    for code, members in UNITS.items():
        yes = plan[code].get(1, 0)
        all_vote(fed, votes[code], {n: ("yes" if i < yes else "no") for i, n in enumerate(members)})
        close(fed, members[0], votes[code])
    result = fed.api(20).get(f"/orgs/{fed.slug}/referrals/{referral['id']}").json()
    assert (result["summary"]["yes"], result["summary"]["no"]) == (12, 8)
    assert result["closed_at"] is not None
    assert result["carried"] is False
    assert "majority failed" in result["summary"]["explanation"]
    assert result["rule"]["name"] == "constitutional majority"
    assert (
        "Majority: at least 2/3 (66.67%) of the votes cast (yes or no; abstentions do not count) must be yes."
        in result["rule_in_words"]
    )
    assert all(v["rule"] == result["rule"] for v in result["votes"])
    page = text_of(as_member(fed, 20).get(url(fed, "motions:referral", referral_id=referral["id"])).content)
    assert "Not carried : 12 yes, 8 no" in page
    assert "Decided under the rule fixed when the question was referred: Constitutional majority." in page
    assert "Majority: at least 2/3 (66.67%) of the votes cast" in page


def test_a_constitutional_referendum_is_decided_by_the_constitutional_majority(
    fed: Fed, clock: Clock
) -> None:
    """The whole membership's secret ballot on a constitutional motion: 12 yes to 8 no is short of two
    thirds, for the ballot and for the referral alike."""
    referral = refer(fed, "CONGRESS", (3, 11), "referendum", constitutional=True)
    ballot = referral["votes"][0]["id"]
    all_vote(fed, ballot, {n: ("yes" if n <= 12 else "no") for n in range(1, 21)})
    assert close(fed, 1, ballot)["carried"] is False
    result = fed.api(1).get(f"/orgs/{fed.slug}/referrals/{referral['id']}").json()
    assert result["carried"] is False and result["summary"]["yes"] == 12
    assert result["rule"] == result["votes"][0]["rule"]
    assert result["rule"]["name"] == "constitutional majority"


def test_a_constitution_amended_while_votes_are_open_does_not_change_their_rules(fed: Fed) -> None:
    """A unit's vote and a referral to the assemblies open under the ordinary majority of one half; the
    membership then raises it to two thirds. Both are still decided under the rule they opened with:
    3 yes to 2 no in the unit and 6 yes to 4 no across the assemblies carry."""
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    unit_vote = put(fed, 1, motion, minutes=60 * 24 * 7)
    referral = refer(fed, "D1", (11, 16), "assemblies")
    opened_rule = referral["votes"][0]["rule"]
    assert opened_rule["name"] == "ordinary majority" and opened_rule["majority"] == "1/2"

    fed.rules(decisions__ordinary_majority="2/3")

    all_vote(fed, unit_vote, {1: "yes", 2: "yes", 3: "yes", 4: "no", 5: "no"})
    closed = close(fed, 1, unit_vote)
    assert (closed["rule"]["majority"], closed["carried"]) == ("1/2", True)
    votes = unit_votes(referral)
    all_vote(fed, votes["D1-U0"], {n: "yes" for n in UNITS["D1-U0"]})
    all_vote(fed, votes["D1-U1"], {16: "yes", 17: "no", 18: "no", 19: "no", 20: "no"})
    close(fed, 11, votes["D1-U0"])
    close(fed, 16, votes["D1-U1"])
    result = fed.api(11).get(f"/orgs/{fed.slug}/referrals/{referral['id']}").json()
    assert (result["summary"]["yes"], result["summary"]["no"], result["carried"]) == (6, 4, True)
    assert result["rule"] == opened_rule
    assert "Majority: more than 50% of the votes cast" in " ".join(result["rule_in_words"])
