"""Paper ballots in a recall ballot, through the API: the same channel as a motion's secret vote, with
the same guarantees (two tellers, a third for disputes, one vote per member across channels, every
paper reconciled), and papers returned after the ballot closed recorded as late, never counted."""

from __future__ import annotations

from typing import Any

import pytest

from commune.audit.models import LogEntry
from commune.ballots.models import BallotPaper, PaperStatus, TellerEntry
from commune.recall.models import RecallBallot
from tests.recall.conftest import Recall

pytestmark = pytest.mark.django_db

AGAINST_M1 = {"holder": "RC00001", "council": "D0", "grounds": "Voted against our mandate on pay."}
TELLERS = ("m20", "m21", "m22")


def _balloting(recall: Recall) -> int:
    recall.rules(procedure="recall-ballot")
    petition_id = recall.api("m7").post("/orgs/rc/recalls", AGAINST_M1).json()["id"]
    for key in ("m8", "m9"):
        recall.api(key).post(f"/orgs/rc/recalls/{petition_id}/signature")
    assert recall.api("m7").get(f"/orgs/rc/recalls/{petition_id}").json()["status"] == "balloting"
    return petition_id


def _desk(recall: Recall, key: str, petition_id: int, what: str, data: dict[str, Any]) -> Any:
    return recall.api(key).post(f"/orgs/rc/recalls/{petition_id}/ballot/papers/{what}", data)


def _enter(recall: Recall, key: str, petition_id: int, code: str, answer: str) -> Any:
    return _desk(recall, key, petition_id, "entries", {"code": code, "answers": [answer]})


def test_a_recall_ballot_takes_papers_with_the_guarantees_of_any_secret_vote(recall: Recall) -> None:
    """The unit's secretary (m2) adds papers to the recall ballot, naming three tellers; a member who is
    not an officer cannot. Papers go to every elector who has not voted online; a member who votes online
    has their paper cancelled (rejected when it comes back); a paper counted bars voting online and is
    counted once; tellers who disagree wait for a third; a lost paper is replaced. After the ballot
    closes a returned paper is recorded as late, before and after the count, and never counted; the
    papers reconcile: issued = counted + spoiled + rejected + late + not returned."""
    petition_id = _balloting(recall)
    base = f"/orgs/rc/recalls/{petition_id}/ballot"
    tellers = {"tellers": [recall.member(k).number for k in TELLERS]}
    assert recall.api("m7").post(f"{base}/papers", tellers).status_code == 403
    assert recall.api("m2").post(f"{base}/papers", tellers).status_code == 201
    assert recall.api("m2").post(f"{base}/papers", tellers).status_code == 409
    assert recall.api("m1").post(base, {"choice": "no"}).status_code == 204
    assert _desk(recall, "m1", petition_id, "issue", {"members": None}).status_code == 403
    issued = {
        p["member"]: p["code"] for p in _desk(recall, "m20", petition_id, "issue", {"members": None}).json()
    }
    code = {f"m{n}": issued[recall.member(f"m{n}").number] for n in range(2, 13)}
    assert len(issued) == 11 and recall.member("m1").number not in issued
    named = _desk(recall, "m20", petition_id, "issue", {"members": [recall.member("m1").number]})
    assert named.status_code == 409 and "already voted online" in named.json()["detail"]
    outsider = _desk(recall, "m20", petition_id, "issue", {"members": [recall.member("m13").number]})
    assert outsider.status_code == 403

    # One vote per member: online after a paper is out cancels it; a paper counted refuses online.
    assert recall.api("m2").post(base, {"choice": "yes"}).status_code == 204
    assert _enter(recall, "m20", petition_id, code["m2"], "no").json()["status"] == "rejected"
    assert _enter(recall, "m20", petition_id, code["m3"], "yes").json()["status"] == "entered"
    assert _enter(recall, "m20", petition_id, code["m3"], "yes").status_code == 409  # the same teller
    assert _enter(recall, "m21", petition_id, code["m3"], "yes").json()["status"] == "counted"
    assert recall.api("m3").post(base, {"choice": "no"}).status_code == 409
    again = _enter(recall, "m22", petition_id, code["m3"], "yes")
    assert again.status_code == 409 and "entered once" in again.json()["detail"]
    assert _enter(recall, "m7", petition_id, code["m4"], "yes").status_code == 403

    # Tellers who disagree: neither may settle it, a third does.
    _enter(recall, "m20", petition_id, code["m4"], "yes")
    assert _enter(recall, "m21", petition_id, code["m4"], "no").json()["status"] == "disputed"
    settle = {"code": code["m4"], "answers": ["yes"], "reason": "intention_clear"}
    assert _desk(recall, "m21", petition_id, "disputes", settle).status_code == 403
    assert _desk(recall, "m22", petition_id, "disputes", settle).json()["status"] == "counted"
    for key in ("m20", "m21"):
        _enter(recall, key, petition_id, code["m5"], "yes")

    # Lost and spoiled papers are replaced; the lost one, returned, is rejected.
    new_m6 = _desk(recall, "m20", petition_id, "replace", {"code": code["m6"], "spoiled": False}).json()
    assert new_m6["replaces"] == code["m6"]
    assert _enter(recall, "m20", petition_id, code["m6"], "yes").json()["status"] == "rejected"
    for key in ("m21", "m22"):
        _enter(recall, key, petition_id, new_m6["code"], "no")
    _desk(recall, "m20", petition_id, "replace", {"code": code["m7"], "spoiled": True})

    # A paper returned after the ballot closed is late, before and after the count.
    ballot = RecallBallot.objects.get(petition_id=petition_id)
    recall.clock.advance(seconds=(ballot.closes_at - recall.clock.now).total_seconds() + 60)
    late = _enter(recall, "m20", petition_id, code["m8"], "yes")
    assert late.status_code == 201 and late.json()["status"] == "late"
    assert _enter(recall, "m21", petition_id, code["m8"], "yes").status_code == 409
    assert _desk(recall, "m20", petition_id, "issue", {"members": None}).status_code == 409
    counted = recall.api("m7").post(f"{base}/count").json()
    assert (counted["ballot"]["yes"], counted["ballot"]["no"], counted["ballot"]["abstain"]) == (4, 2, 0)
    assert _enter(recall, "m21", petition_id, code["m9"], "yes").json()["status"] == "late"
    assert RecallBallot.objects.get(petition_id=petition_id).yes == 4

    state = recall.api("m5").get(f"{base}/papers").json()
    figures = state["reconciliation"]
    assert state["closed"] is True and figures["balanced"] is True
    assert {
        k: figures[k] for k in ("issued", "counted", "spoiled", "rejected", "late", "out", "cancelled")
    } == {
        "issued": 13,
        "counted": 4,
        "spoiled": 1,
        "rejected": 2,
        "late": 2,
        "out": 4,
        "cancelled": 0,
    }
    assert figures["lost"] == 1 and figures["replacements"] == 2
    assert figures["issued"] == sum(
        figures[k] for k in ("counted", "spoiled", "rejected", "late", "unreturned")
    )
    assert [d["resolved_by"] for d in state["disputes"]] == [recall.member("m22").person.name]
    assert not TellerEntry.objects.exists()
    assert BallotPaper.objects.filter(status=PaperStatus.LATE).count() == 2
    actions = set(LogEntry.objects.filter(action__startswith="recall.paper").values_list("action", flat=True))
    assert {
        "recall.papers_opened",
        "recall.papers_issued",
        "recall.paper_late",
        "recall.paper_disputed",
    } <= actions


def test_recall_papers_print_for_the_tellers_only(recall: Recall) -> None:
    """The tellers print the papers still out, one page each with its code; nobody else can."""
    petition_id = _balloting(recall)
    base = f"/orgs/rc/recalls/{petition_id}/ballot/papers"
    recall.api("m2").post(base, {"tellers": [recall.member(k).number for k in TELLERS]})
    issued = _desk(recall, "m20", petition_id, "issue", {"members": [recall.member("m5").number]}).json()
    document = recall.api("m21").get(f"{base}.pdf")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert issued[0]["code"].encode() in document.content
    assert recall.api("m5").get(f"{base}.pdf").status_code == 404


def test_the_recall_paper_desk_works_without_script(recall: Recall) -> None:
    """The ballot's page links to its papers; every member reads the papers reconciled; a teller enters
    papers and a third resolves a dispute through the page's forms; a member who is not a teller sees no
    desk and is refused; only tellers print."""
    from django.test import Client
    from django.urls import reverse

    petition_id = _balloting(recall)
    recall.api("m2").post(
        f"/orgs/rc/recalls/{petition_id}/ballot/papers",
        {"tellers": [recall.member(k).number for k in TELLERS]},
    )
    code = _desk(recall, "m20", petition_id, "issue", {"members": [recall.member("m5").number]}).json()[0][
        "code"
    ]
    kwargs = {"slug": "rc", "petition_id": petition_id}
    desk: dict[str, Client] = {}
    for key in (*TELLERS, "m5"):
        desk[key] = Client()
        desk[key].force_login(recall.member(key).person)
    ballot_page = desk["m5"].get(reverse("recall:ballot", kwargs=kwargs)).content.decode()
    assert reverse("recall:papers", kwargs=kwargs) in ballot_page
    page = desk["m5"].get(reverse("recall:papers", kwargs=kwargs)).content.decode()
    assert "The papers reconcile" in page and "Tellers' desk" not in page
    assert "Tellers' desk" in desk["m20"].get(reverse("recall:papers", kwargs=kwargs)).content.decode()
    enter_url = reverse("recall:papers_enter", kwargs=kwargs)
    for key, answer in (("m20", "yes"), ("m21", "no")):
        desk[key].post(enter_url, {"code": code, "answer_1": answer})
    refused = desk["m5"].post(enter_url, {"code": code, "answer_1": "yes"}, follow=True)
    assert "Only the tellers named" in refused.content.decode()
    resolved = desk["m22"].post(
        reverse("recall:papers_resolve", kwargs=kwargs),
        {"code": code, "answer_1": "yes", "reason": "intention_clear"},
        follow=True,
    )
    assert f"Paper {code}: returned and counted." in resolved.content.decode()
    assert BallotPaper.objects.get(code=code).status == PaperStatus.COUNTED
    assert desk["m5"].get(reverse("recall:papers_print", kwargs=kwargs)).status_code == 404
    assert desk["m21"].get(reverse("recall:papers_print", kwargs=kwargs)).status_code == 200


def test_a_paper_rejected_on_a_dispute_counts_as_the_member_having_voted(recall: Recall) -> None:
    """As a returning officer treats a rejected paper: a member whose paper a third teller rejected is on
    the ballot's register, so cannot vote online, nor be issued a new paper."""
    petition_id = _balloting(recall)
    base = f"/orgs/rc/recalls/{petition_id}/ballot"
    recall.api("m2").post(f"{base}/papers", {"tellers": [recall.member(k).number for k in TELLERS]})
    number = recall.member("m5").number
    code = _desk(recall, "m20", petition_id, "issue", {"members": [number]}).json()[0]["code"]
    _enter(recall, "m20", petition_id, code, "yes")
    assert _enter(recall, "m21", petition_id, code, "no").json()["status"] == "disputed"
    settle = {"code": code, "answers": None, "reason": "not_genuine"}
    assert _desk(recall, "m22", petition_id, "disputes", settle).json()["status"] == "rejected"
    refused = recall.api("m5").post(base, {"choice": "no"})
    assert refused.status_code == 409 and "already voted" in refused.json()["detail"]
    again = _desk(recall, "m20", petition_id, "issue", {"members": [number]})
    assert again.status_code == 409 and "returned and rejected" in again.json()["detail"]
    everyone = _desk(recall, "m20", petition_id, "issue", {"members": None}).json()
    assert number not in {p["member"] for p in everyone}
