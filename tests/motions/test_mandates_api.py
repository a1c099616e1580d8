"""Mandates through the API: adopted only by the constituency's own vote; a binding mandate fixes the
seat's vote; a departure from an instructed mandate is published to exactly the constituents who gave it
and enters the delegate's compliance record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from commune.motions.models import DelegateVote
from commune.notifications.models import Notification
from tests.clock import let_vote_run
from tests.motions.conftest import Fed, all_vote, cast, close, on_agenda, put, sitting

pytestmark = pytest.mark.django_db


def give_mandate(
    fed: Fed, motion: int, kind: str, instruction: str, voters: dict[int, str]
) -> dict[str, Any]:
    """Member m1 proposes a mandate for D0-U0's delegates; the unit votes as given and the vote closes."""
    response = fed.api(1).post(
        f"/orgs/{fed.slug}/motions/{motion}/mandates",
        {"constituency": "D0-U0", "kind": kind, "instruction": instruction, "minutes": 30},
    )
    assert response.status_code == 201, response.json()
    mandate = response.json()
    all_vote(fed, mandate["vote"], voters)
    let_vote_run(mandate["vote"])
    decided = fed.api(2).post(f"/orgs/{fed.slug}/mandates/{mandate['id']}/decide")
    assert decided.status_code == 200, decided.json()
    return dict(decided.json())


def test_binding_mandate_casts_the_vote_as_instructed_and_refuses_any_other(fed: Fed) -> None:
    """D0-U0 binds its delegate to vote no; the delegate's yes is refused with the reason, their no is
    recorded as complying, and the compliance record shows it beside the mandate."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    mandate = give_mandate(fed, motion, "binding", "no", {n: "yes" for n in range(1, 6)})
    assert mandate["status"] == "adopted"
    session = sitting(fed, "D0", 3, 6)
    vote = put(fed, 6, motion, session=session)
    refused = cast(fed, 3, vote, "yes")
    assert refused.status_code == 403
    assert "binding mandate to vote no" in refused.json()["detail"]
    assert cast(fed, 3, vote, "abstain").status_code == 403
    assert DelegateVote.objects.filter(vote_id=vote).count() == 0
    cast_no = cast(fed, 3, vote, "no")
    assert cast_no.status_code == 201 and cast_no.json()["departed"] is False
    # D0-U1 gave no mandate: its delegate votes freely.
    assert cast(fed, 6, vote, "yes").status_code == 201
    record = fed.api(9).get(f"/orgs/{fed.slug}/delegates/{fed.members['m3'].number}/compliance").json()
    assert record["votes"] == 1 and record["departures"] == 0
    row = record["record"][0]
    assert (row["mandate_kind"], row["mandate_instruction"], row["choice"], row["compliance"]) == (
        "binding",
        "no",
        "no",
        "complied",
    )
    other = fed.api(9).get(f"/orgs/{fed.slug}/delegates/{fed.members['m6'].number}/compliance").json()
    assert other["record"][0]["compliance"] == "no mandate"


def test_only_the_constituencys_own_vote_adopts_its_mandate(fed: Fed) -> None:
    """Only D0-U0's members propose and vote on D0-U0's mandate; a vote that does not carry leaves the
    delegate free; no one outside the constituency can give it one."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    outsider = fed.api(6).post(
        f"/orgs/{fed.slug}/motions/{motion}/mandates",
        {"constituency": "D0-U0", "kind": "binding", "instruction": "no"},
    )
    assert outsider.status_code == 403
    wrong_council = fed.api(11).post(
        f"/orgs/{fed.slug}/motions/{motion}/mandates",
        {"constituency": "D1-U0", "kind": "binding", "instruction": "no"},
    )
    assert wrong_council.status_code == 400 and "sends no delegates" in wrong_council.json()["detail"]
    response = fed.api(1).post(
        f"/orgs/{fed.slug}/motions/{motion}/mandates",
        {"constituency": "D0-U0", "kind": "binding", "instruction": "no", "minutes": 30},
    )
    mandate = response.json()
    assert cast(fed, 6, mandate["vote"], "yes").status_code == 403
    assert fed.api(1).post(f"/orgs/{fed.slug}/mandates/{mandate['id']}/decide").status_code == 409
    all_vote(fed, mandate["vote"], {1: "no", 2: "no", 3: "no", 4: "yes", 5: "yes"})
    let_vote_run(mandate["vote"])
    rejected = fed.api(2).post(f"/orgs/{fed.slug}/mandates/{mandate['id']}/decide").json()
    assert rejected["status"] == "rejected"
    session = sitting(fed, "D0", 3)
    vote = put(fed, 3, motion, session=session)
    assert cast(fed, 3, vote, "yes").status_code == 201
    assert fed.api(1).get(f"/orgs/{fed.slug}/motions/{motion}/mandates").json()[0]["status"] == "rejected"


def test_a_bad_mandate_request_is_refused(fed: Fed) -> None:
    """A binding mandate must say how to vote, and a mandate applies only to an item on the agenda."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    no_instruction = fed.api(1).post(
        f"/orgs/{fed.slug}/motions/{motion}/mandates", {"constituency": "D0-U0", "kind": "binding"}
    )
    assert no_instruction.status_code == 400
    unit_motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    not_above = fed.api(1).post(
        f"/orgs/{fed.slug}/motions/{unit_motion}/mandates",
        {"constituency": "D0-U0", "kind": "free"},
    )
    assert not_above.status_code == 400


def test_departure_from_an_instructed_mandate_is_published_to_exactly_the_constituents(
    fed: Fed, django_capture_on_commit_callbacks: Any
) -> None:
    """The delegate may vote against an instructed mandate only with a reason; the departure reaches the
    five members of D0-U0 who gave the mandate (in the app and by email) and nobody else, and enters the
    delegate's compliance record."""
    motion = on_agenda(fed, 3, "D0", supporter=6)
    give_mandate(fed, motion, "instructed", "yes", {1: "yes", 2: "yes", 3: "no", 4: "yes", 5: "abstain"})
    session = sitting(fed, "D0", 3, 6)
    vote = put(fed, 3, motion, session=session)
    without_reason = cast(fed, 3, vote, "no")
    assert without_reason.status_code == 400 and "give your reason" in without_reason.json()["detail"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        departed = cast(fed, 3, vote, "no", reason="The district's finances cannot bear it this year.")
    assert departed.status_code == 201 and departed.json()["departed"] is True

    notified = set(
        Notification.objects.filter(kind="mandate.departed").values_list("person__email", flat=True)
    )
    assert notified == {f"m{n}@tf.example" for n in range(1, 6)}
    assert {tuple(m.to) for m in mail.outbox} == {(f"m{n}@tf.example",) for n in range(1, 6)}
    assert "cannot bear it" in mail.outbox[0].body

    inbox = fed.api(1).get("/notifications").json()
    [departed] = [n for n in inbox["items"] if n["kind"] == "mandate.departed"]
    assert "departed from your mandate" in departed["subject"]
    # m6, D0-U1's delegate, was told of the session and the vote, and of nothing departing from D0-U0's mandate.
    assert not [
        n for n in fed.api(6).get("/notifications").json()["items"] if n["kind"] == "mandate.departed"
    ]
    note_id = departed["id"]
    unread = fed.api(1).get("/notifications?unread=true").json()["count"]
    assert fed.api(6).post(f"/notifications/{note_id}/read").status_code == 404
    assert fed.api(1).post(f"/notifications/{note_id}/read").json()["read_at"] is not None
    assert fed.api(1).get("/notifications?unread=true").json()["count"] == unread - 1

    record = fed.api(20).get(f"/orgs/{fed.slug}/delegates/{fed.members['m3'].number}/compliance").json()
    assert record["departures"] == 1
    assert record["record"][0]["departure_reason"].startswith("The district's finances")
    assert record["record"][0]["compliance"] == "departed"
    session_view = fed.api(20).get(f"/orgs/{fed.slug}/sessions/{session}").json()
    assert session_view["votes"][0]["seats"][0]["departed"] is True
    assert cast(fed, 6, vote, "yes").status_code == 201
    assert close(fed, 6, vote)["carried"] is False  # 1 of 2 seats: not more than half
