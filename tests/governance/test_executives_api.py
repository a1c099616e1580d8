"""Executives through the API: created only by a council's adopted motion with stated powers, acting only
within them, called in and reversed by the council, dissolved by it; reserved powers held by nobody."""

from __future__ import annotations

from typing import Any

import pytest

from commune.audit.models import LogEntry
from commune.federation.models import ConstitutionVersion
from commune.governance.models import ExecutiveDecision
from tests.governance.conftest import Fed, adopt_in_council
from tests.referendum import constitution_amend

pytestmark = pytest.mark.django_db

CHARTER = {
    "kind": "commission",
    "code": "STRIKE",
    "name": "Strike Commission",
    "remit": "Run the strike's logistics.",
    "powers": ["book-venues", "print-leaflets"],
    "members": [],
}


def establish(fed: Fed, **overrides: Any) -> dict[str, Any]:
    """District 0 (delegates m3, m6) establishes the Strike Commission with m1 and m7 on it."""
    charter = {**CHARTER, "members": [fed.members["m1"].number, fed.members["m7"].number], **overrides}
    response = fed.api(3).post(f"/orgs/{fed.slug}/bodies/D0/executives", charter)
    assert response.status_code == 201, response.json()
    proposed = response.json()
    assert proposed["status"] == "proposed" and proposed["seats"] == []
    assert adopt_in_council(fed, "D0", proposed["motion"], (3, 6))["carried"] is True
    settled = fed.api(6).post(f"/orgs/{fed.slug}/executives/{charter['code']}/settle")
    assert settled.status_code == 200, settled.json()
    return dict(settled.json())


def decide(fed: Fed, n: int, power: str, code: str = "STRIKE") -> Any:
    return fed.api(n).post(
        f"/orgs/{fed.slug}/executives/{code}/decisions",
        {"power": power, "title": f"Use {power}", "text": "Book the hall for Saturday."},
    )


def test_an_executive_exists_only_once_its_council_adopts_the_motion_stating_its_powers(fed: Fed) -> None:
    """Proposed, it can decide nothing; adopted by the council and settled, its named members sit on it
    and its powers are those the motion stated."""
    response = fed.api(3).post(
        f"/orgs/{fed.slug}/bodies/D0/executives", {**CHARTER, "members": [fed.members["m1"].number]}
    )
    assert response.status_code == 201
    motion = fed.api(3).get(f"/orgs/{fed.slug}/motions/{response.json()['motion']}").json()
    assert "Powers delegated: to book venues and to print leaflets." in motion["text"]
    assert fed.api(3).post(f"/orgs/{fed.slug}/executives/STRIKE/settle").status_code == 409
    assert decide(fed, 1, "book-venues").status_code == 409
    assert adopt_in_council(fed, "D0", response.json()["motion"], (3, 6))["carried"] is True
    settled = fed.api(20).post(f"/orgs/{fed.slug}/executives/STRIKE/settle").json()
    assert settled["status"] == "active" and [s["member"] for s in settled["seats"]] == [
        fed.members["m1"].number
    ]
    assert LogEntry.objects.filter(action="executive.established").count() == 1


def test_a_council_that_votes_the_charter_down_creates_nothing(fed: Fed) -> None:
    """Not carried, the executive is marked not adopted and never sits."""
    response = fed.api(3).post(f"/orgs/{fed.slug}/bodies/D0/executives", CHARTER)
    assert adopt_in_council(fed, "D0", response.json()["motion"], (3, 6), choice="no")["carried"] is False
    settled = fed.api(3).post(f"/orgs/{fed.slug}/executives/STRIKE/settle").json()
    assert settled["status"] == "not_adopted"
    assert decide(fed, 1, "book-venues").status_code == 409


def test_decisions_are_recorded_with_their_power_and_refused_outside_it(fed: Fed) -> None:
    """A member of the commission decides under a delegated power; a power not delegated, or a person
    not on the commission, is refused and nothing is recorded."""
    establish(fed)
    made = decide(fed, 1, "book-venues")
    assert made.status_code == 201 and made.json()["power"] == "book-venues"
    outside = decide(fed, 7, "negotiate-pay")
    assert outside.status_code == 403
    assert "delegated only book-venues, print-leaflets" in outside.json()["detail"]
    assert decide(fed, 2, "book-venues").status_code == 403
    assert ExecutiveDecision.objects.count() == 1


def test_a_body_outside_a_council_cannot_be_created(fed: Fed) -> None:
    """A unit cannot create an executive, nor can a member who is not a delegate of the council, nor an
    executive (it holds no 'create-bodies' power and no charter may grant one)."""
    by_unit = fed.api(1).post(f"/orgs/{fed.slug}/bodies/D0-U0/executives", CHARTER)
    assert by_unit.status_code == 400 and "only a council" in by_unit.json()["detail"]
    by_member = fed.api(1).post(f"/orgs/{fed.slug}/bodies/D0/executives", CHARTER)
    assert (
        by_member.status_code == 403 and "only delegates seated on District 0" in by_member.json()["detail"]
    )
    charter = fed.api(3).post(
        f"/orgs/{fed.slug}/bodies/D0/executives", {**CHARTER, "powers": ["create-bodies"]}
    )
    assert charter.status_code == 403
    establish(fed)
    assert decide(fed, 1, "create-bodies").status_code == 403
    assert fed.api(1).post(f"/orgs/{fed.slug}/executives/STRIKE/executives", CHARTER).status_code in (
        404,
        405,
    )


@pytest.mark.parametrize(
    ("power", "words"),
    [
        ("appoint-delegates", "election of its own constituency"),
        ("refuse-credentials", "credentials are not any body's to refuse"),
        ("suspend-delegates", "recall"),
        ("impose-candidates", "any member of a constituency may stand"),
        ("ban-tendencies", "only by their own members"),
        ("override-council", "cannot overrule it"),
        ("amend-constitution", "referendum of the membership"),
    ],
)
def test_reserved_powers_are_nobodys_to_grant_or_use(fed: Fed, power: str, words: str) -> None:
    """No charter may delegate a reserved power, and no executive decision may claim one."""
    charter = fed.api(3).post(
        f"/orgs/{fed.slug}/bodies/D0/executives", {**CHARTER, "code": "X", "powers": ["book-venues", power]}
    )
    assert charter.status_code == 403 and words in charter.json()["detail"]
    establish(fed)
    used = decide(fed, 1, power)
    assert used.status_code == 403 and words in used.json()["detail"]


def test_a_charter_names_only_powers_the_constitution_lists(fed: Fed) -> None:
    """A power the constitution does not list cannot be chartered, and the refusal names the list."""
    refused = fed.api(3).post(
        f"/orgs/{fed.slug}/bodies/D0/executives", {**CHARTER, "powers": ["negotiate-pay"]}
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "no council can delegate the power 'negotiate-pay': the constitution lists the only powers a council "
        "may delegate (book-venues, call-action, make-hardship-grants, manage-fund-account, organise-pickets, "
        "pay-strike-pay, print-leaflets, publish-statements), and 'negotiate-pay' is not among them; only a "
        "referendum of the membership can add a power"
    )


def test_a_power_the_constitution_no_longer_lists_cannot_be_used(fed: Fed) -> None:
    """The membership takes printing leaflets off the list by referendum: the commission chartered with it
    keeps the word in its charter but can no longer decide under it; its other power still works."""
    establish(fed)
    rules = dict(ConstitutionVersion.objects.get(organisation=fed.org, number=1).rules)
    powers = {k: v for k, v in rules["executives"]["delegable_powers"].items() if k != "print-leaflets"}
    constitution_amend(fed.org, {**rules, "executives": {**rules["executives"], "delegable_powers": powers}})
    refused = decide(fed, 1, "print-leaflets")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith(
        "no executive may use the power 'print-leaflets': the constitution lists the only powers"
    )
    assert decide(fed, 1, "book-venues").status_code == 201
    assert [d.power for d in ExecutiveDecision.objects.all()] == ["book-venues"]


def test_members_of_an_executive_come_from_within_its_council(fed: Fed) -> None:
    """District 0 cannot seat a member of District 1 on its commission."""
    response = fed.api(3).post(
        f"/orgs/{fed.slug}/bodies/D0/executives", {**CHARTER, "members": [fed.members["m12"].number]}
    )
    assert response.status_code == 400 and "not a member within District 0" in response.json()["detail"]


def test_the_council_calls_a_decision_in_and_reverses_it(fed: Fed) -> None:
    """The first delegate's call-in waits for the threshold; the second signature puts a motion to
    reverse it on the council's agenda; carried, the decision is marked reversed by that motion."""
    establish(fed)
    decision = decide(fed, 1, "book-venues").json()
    assert (
        fed.api(1)
        .post(f"/orgs/{fed.slug}/decisions/{decision['id']}/call-in", {"reason": "not ours"})
        .status_code
        == 403
    )
    opened = fed.api(3).post(
        f"/orgs/{fed.slug}/decisions/{decision['id']}/call-in", {"reason": "Too costly."}
    )
    assert opened.status_code == 201
    call_in = opened.json()
    assert (call_in["status"], call_in["threshold"], call_in["motion"]) == ("gathering", 2, None)
    assert fed.api(3).post(f"/orgs/{fed.slug}/call-ins/{call_in['id']}/signatures").status_code == 409
    signed = fed.api(6).post(f"/orgs/{fed.slug}/call-ins/{call_in['id']}/signatures").json()
    assert signed["status"] == "before_council" and signed["signers"] == [
        fed.members["m3"].number,
        fed.members["m6"].number,
    ]
    motion = fed.api(3).get(f"/orgs/{fed.slug}/motions/{signed['motion']}").json()
    assert motion["status"] == "on_agenda" and motion["body"]["code"] == "D0"
    assert fed.api(3).post(f"/orgs/{fed.slug}/call-ins/{call_in['id']}/settle").status_code == 409
    assert adopt_in_council(fed, "D0", signed["motion"], (3, 6))["carried"] is True
    settled = fed.api(1).post(f"/orgs/{fed.slug}/call-ins/{call_in['id']}/settle").json()
    assert settled["status"] == "reversed"
    after = fed.api(1).get(f"/orgs/{fed.slug}/decisions/{decision['id']}").json()
    assert (after["status"], after["reversed_by_motion"]) == ("reversed", signed["motion"])
    assert LogEntry.objects.filter(action="executive_decision.reversed").count() == 1


def test_a_decision_the_council_lets_stand_is_upheld(fed: Fed) -> None:
    """Not carried, the call-in closes and the decision stands."""
    establish(fed)
    decision = decide(fed, 1, "book-venues").json()
    call_in = fed.api(3).post(f"/orgs/{fed.slug}/decisions/{decision['id']}/call-in", {"reason": "r"}).json()
    signed = fed.api(6).post(f"/orgs/{fed.slug}/call-ins/{call_in['id']}/signatures").json()
    adopt_in_council(fed, "D0", signed["motion"], (3, 6), choice="no")
    assert fed.api(3).post(f"/orgs/{fed.slug}/call-ins/{call_in['id']}/settle").json()["status"] == "upheld"
    assert fed.api(3).get(f"/orgs/{fed.slug}/decisions/{decision['id']}").json()["status"] == "standing"


def test_an_executive_cannot_overrule_its_council(fed: Fed) -> None:
    """Its members cannot call in, settle against the vote, or claim an overriding power; another
    council's delegates cannot call its decisions in."""
    establish(fed)
    decision = decide(fed, 1, "book-venues").json()
    assert decide(fed, 7, "override-council").status_code == 403
    assert (
        fed.api(11)
        .post(f"/orgs/{fed.slug}/decisions/{decision['id']}/call-in", {"reason": "not our council"})
        .status_code
        == 403
    )


def test_the_council_dissolves_its_executive_by_its_own_vote(fed: Fed) -> None:
    """A delegate moves the dissolution; once adopted and settled the seats end and it decides nothing."""
    establish(fed)
    assert fed.api(1).post(f"/orgs/{fed.slug}/executives/STRIKE/dissolution").status_code == 403
    moved = fed.api(3).post(f"/orgs/{fed.slug}/executives/STRIKE/dissolution")
    assert moved.status_code == 201
    assert decide(fed, 1, "book-venues").status_code == 201  # still in being until the council decides
    adopt_in_council(fed, "D0", moved.json()["dissolution_motion"], (3, 6))
    dissolved = fed.api(3).post(f"/orgs/{fed.slug}/executives/STRIKE/settle").json()
    assert dissolved["status"] == "dissolved" and dissolved["seats"] == []
    assert decide(fed, 1, "book-venues").status_code == 409
    listed = fed.api(20).get(f"/orgs/{fed.slug}/executives").json()
    assert [(e["code"], e["status"]) for e in listed] == [("STRIKE", "dissolved")]


def test_executives_of_another_organisation_are_not_found(fed: Fed) -> None:
    """The same 404 for missing and for another organisation's."""
    establish(fed)
    assert fed.api(1).get(f"/orgs/{fed.slug}/executives/NOPE").status_code == 404
    assert fed.api(1).get(f"/orgs/{fed.slug}/decisions/999999").status_code == 404
