"""A statutory industrial-action ballot through the API: two questions on one paper, papers and online
together, two tellers, a scrutineer who reads and never writes, the notice of the result. Each refusal
is what a faction that wants to win the ballot would try."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from commune.accounts.models import User
from commune.ballots.models import BallotPaper, PaperStatus, TellerEntry
from commune.notifications.models import Notification
from tests.clock import Clock
from tests.motions.conftest import Api, Fed, all_vote, cast, close, on_agenda, put, sitting

pytestmark = pytest.mark.django_db

TELLERS = (12, 13, 14)


def number(fed: Fed, n: int) -> str:
    return fed.members[f"m{n}"].number


@pytest.fixture
def scrutineer(db: None) -> User:
    return User.objects.create_user(
        email="scrutineer@example.org", password="a long passphrase", name="Ada Scrutineer"
    )


def statutory(fed: Fed, **terms: Any) -> dict[str, Any]:
    """Congress refers an industrial-action motion to a statutory ballot asking both questions; returns the
    referral, with its statutory ballot's id."""
    motion_id = on_agenda(fed, 3, "CONGRESS", supporter=11, industrial_action=True)
    session = sitting(fed, "CONGRESS", 3, 11)
    body = {
        "strike": True,
        "short_of_strike": True,
        "employer": "Metro Transit Ltd",
        "employer_email": "hr@metro.example",
        "scrutineer_email": "scrutineer@example.org",
        "tellers": [number(fed, n) for n in TELLERS],
        **terms,
    }
    response = fed.api(3).post(
        f"/orgs/{fed.slug}/motions/{motion_id}/refer",
        {"session": session, "to": "referendum", "referral_days": 7, "statutory": body},
    )
    assert response.status_code == 201, response.json()
    all_vote(fed, response.json()["id"], {3: "yes", 11: "yes"})
    assert close(fed, 3, response.json()["id"])["carried"] is True
    detail = fed.api(3).get(f"/orgs/{fed.slug}/motions/{motion_id}").json()
    return dict(fed.api(3).get(f"/orgs/{fed.slug}/referrals/{detail['referrals'][0]}").json())


def papers(fed: Fed, n: int, vote: int, action: str, data: dict[str, Any]) -> Any:
    return fed.api(n).post(f"/orgs/{fed.slug}/votes/{vote}/papers/{action}", data)


def enter(fed: Fed, vote: int, code: str, answers: list[str], tellers: tuple[int, ...] = TELLERS[:2]) -> Any:
    response = None
    for teller in tellers:
        response = papers(fed, teller, vote, "entries", {"code": code, "answers": answers})
        assert response.status_code == 201, response.json()
    return response


def test_a_hybrid_statutory_ballot_is_counted_reconciled_and_its_result_noticed(
    fed: Fed, clock: Clock, scrutineer: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Two questions, each its own secret vote; members vote online or on paper, never both; a spoiled
    paper is replaced under a new code; two tellers who disagree send a paper to a third; the count
    reconciles every paper, and the notice gives the members and the employer the statutory figures."""
    referral = statutory(fed)
    strike, short = (v["id"] for v in referral["votes"])
    assert [v["question"].split(" (")[0] for v in referral["votes"]] == [
        "Are you prepared to take part in a strike?",
        "Are you prepared to take part in industrial action short of a strike?",
    ]
    assert all(v["rule"]["turnout"] == "1/2" for v in referral["votes"])
    ballot_id = referral["statutory_ballot"]
    # Five vote online on the strike question (and not on the other); the other fifteen are sent papers.
    for n in range(1, 6):
        assert cast(fed, n, strike, "yes").status_code == 201
    issued = papers(fed, 12, strike, "issue", {"members": None})
    assert issued.status_code == 201, issued.json()
    codes = {p["member"]: p["code"] for p in issued.json()}
    assert len(codes) == 15 and number(fed, 1) not in codes
    pdf = fed.api(12).get(f"/orgs/{fed.slug}/votes/{strike}/papers.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        pdf.content.startswith(b"%PDF")
        and pdf.content.count(b"/Type /Page\n") + pdf.content.count(b"/Type /Page ") >= 15
    )
    # m6 spoils theirs: a new paper, a new code; the old code can never be counted.
    replaced = papers(fed, 12, strike, "replace", {"code": codes[number(fed, 6)], "spoiled": True})
    assert replaced.status_code == 201 and replaced.json()["code"] != codes[number(fed, 6)]
    old, codes[number(fed, 6)] = codes[number(fed, 6)], replaced.json()["code"]
    assert papers(fed, 12, strike, "entries", {"code": old, "answers": ["yes", "yes"]}).status_code == 409
    # Papers come back: m6..m9 yes/no, m10 void on the second question.
    for n in range(6, 10):
        assert enter(fed, strike, codes[number(fed, n)], ["yes", "no"]).json()["status"] == "counted"
    assert enter(fed, strike, codes[number(fed, 10)], ["no", "void"]).json()["status"] == "counted"
    # Tellers 12 and 13 read m15's paper differently: it waits on the dispute queue for a third.
    code15 = codes[number(fed, 15)]
    assert (
        papers(fed, 12, strike, "entries", {"code": code15, "answers": ["yes", "yes"]}).json()["status"]
        == "entered"
    )
    assert (
        papers(fed, 13, strike, "entries", {"code": code15, "answers": ["no", "yes"]}).json()["status"]
        == "disputed"
    )
    resolve = {"code": code15, "answers": ["yes", "yes"], "reason": "mark_clear"}
    assert papers(fed, 13, strike, "disputes", resolve).status_code == 403
    assert papers(fed, 14, strike, "disputes", resolve).json()["status"] == "counted"
    # m11 votes online after being sent a paper: the paper is cancelled, and rejected when it comes back.
    assert cast(fed, 11, strike, "no").status_code == 201
    rejected = papers(fed, 12, strike, "entries", {"code": codes[number(fed, 11)], "answers": ["yes", "yes"]})
    assert rejected.json()["status"] == "rejected" and "voted online" in rejected.json()["reason"]
    reconciliation = fed.api(20).get(f"/orgs/{fed.slug}/votes/{strike}/papers").json()["reconciliation"]
    assert reconciliation == {
        **reconciliation,
        "issued": 16,
        "returned": 8,
        "counted": 6,
        "spoiled": 1,
        "rejected": 1,
        "pending": 0,
        "unreturned": 8,
        "balanced": True,
    }
    clock.advance(days=8)
    closed = close(fed, 1, strike)
    # Online: five yes and m11's no; on paper: m6-m9, m15 yes, m10 no. Twelve of twenty took part.
    assert (closed["yes"], closed["no"], closed["abstain"], closed["carried"]) == (10, 2, 0, True)
    with django_capture_on_commit_callbacks(execute=True):
        closed_short = close(fed, 1, short)
    # Only the six papers answered it: 30% turnout, short of the 50% the law asks.
    assert (closed_short["yes"], closed_short["no"], closed_short["abstain"]) == (1, 4, 1)
    assert closed_short["carried"] is False and "turnout failed" in closed_short["explanation"]
    # Every teller's reading is gone; the notice is out, to the members and to the employer.
    assert not TellerEntry.objects.exists()
    statutory_ballot = fed.api(20).get(f"/orgs/{fed.slug}/statutory-ballots/{ballot_id}").json()
    notice = statutory_ballot["notice"]
    assert statutory_ballot["notice_sent_at"] is not None and notice["counted"] is True
    first = notice["questions"][0]
    assert (first["entitled"], first["votes_cast"], first["yes"], first["no"]) == (20, 12, 10, 2)
    assert first["spoiled_or_invalid"] == 1 and first["turnout_threshold_met"] is True
    text = fed.api(20).get(f"/orgs/{fed.slug}/statutory-ballots/{ballot_id}/notice.txt").content.decode()
    for words in (
        "Entitled to vote:                 20",
        "At least 50% voted:               yes",
        "Metro Transit Ltd",
    ):
        assert words in text
    assert any(m.to == ["hr@metro.example"] and "Entitled to vote" in m.body for m in mail.outbox)
    assert Notification.objects.filter(kind="statutory.notice").count() == 20
    notice_pdf = fed.api(20).get(f"/orgs/{fed.slug}/statutory-ballots/{ballot_id}/notice.pdf")
    assert notice_pdf.content.startswith(b"%PDF")
    # The scrutineer's report: read by someone who is not a member, balanced, with the dispute and who
    # settled it.
    report = Api(scrutineer).get(f"/orgs/{fed.slug}/statutory-ballots/{ballot_id}/scrutiny").json()
    assert report["reconciliation"]["balanced"] is True
    assert report["disputes"][0]["resolution"] == "read again by a third teller: the mark is clear"
    assert report["findings"][0].startswith("Every paper issued is accounted for")


def test_one_vote_per_member_across_channels(fed: Fed, scrutineer: User) -> None:
    """No paper is issued to a member who voted online; a member whose paper was counted cannot vote
    online; a code is counted once, and a teller cannot read the same paper twice."""
    referral = statutory(fed)
    strike, short = (v["id"] for v in referral["votes"])
    assert cast(fed, 1, short, "yes").status_code == 201
    refused = papers(fed, 12, strike, "issue", {"members": [number(fed, 1)]})
    assert refused.status_code == 409 and "already voted online" in refused.json()["detail"]
    code = papers(fed, 12, strike, "issue", {"members": [number(fed, 2)]}).json()[0]["code"]
    assert papers(fed, 12, strike, "issue", {"members": [number(fed, 2)]}).status_code == 409
    assert papers(fed, 12, strike, "entries", {"code": code, "answers": ["yes", "no"]}).status_code == 201
    again = papers(fed, 12, strike, "entries", {"code": code, "answers": ["yes", "no"]})
    assert again.status_code == 409 and "second teller" in again.json()["detail"]
    assert (
        papers(fed, 13, strike, "entries", {"code": code, "answers": ["yes", "no"]}).json()["status"]
        == "counted"
    )
    for vote in (strike, short):
        assert cast(fed, 2, vote, "no").status_code == 409
    for teller in TELLERS:
        twice = papers(
            fed, teller, strike, "entries", {"code": code.lower().replace("-", " "), "answers": ["no", "no"]}
        )
        assert twice.status_code == 409 and "entered once" in twice.json()["detail"]
    assert BallotPaper.objects.get(code=code).status == PaperStatus.COUNTED


def test_only_tellers_issue_and_enter_papers_and_the_count_waits_for_disputes(
    fed: Fed, clock: Clock, scrutineer: User
) -> None:
    """A member who is not a teller can neither issue nor enter a paper; a paper waiting for its second
    teller keeps the vote from being counted until it is read again."""
    referral = statutory(fed)
    strike = referral["votes"][0]["id"]
    assert papers(fed, 1, strike, "issue", {"members": None}).status_code == 403
    code = papers(fed, 12, strike, "issue", {"members": [number(fed, 4)]}).json()[0]["code"]
    assert papers(fed, 1, strike, "entries", {"code": code, "answers": ["yes", "yes"]}).status_code == 403
    assert papers(fed, 12, strike, "entries", {"code": code, "answers": ["yes", "yes"]}).status_code == 201
    clock.advance(days=8)
    waiting = fed.api(1).post(f"/orgs/{fed.slug}/votes/{strike}/close")
    assert waiting.status_code == 409 and "second teller" in waiting.json()["detail"]


def test_the_scrutineer_reads_everything_and_writes_nothing(fed: Fed, scrutineer: User) -> None:
    """The scrutineer, not a member, reads the report; every write they try is refused and changes nothing;
    a person who is neither the scrutineer nor a member reads nothing."""
    referral = statutory(fed)
    strike = referral["votes"][0]["id"]
    code = papers(fed, 12, strike, "issue", {"members": [number(fed, 4)]}).json()[0]["code"]
    as_scrutineer = Api(scrutineer)
    assert (
        as_scrutineer.get(
            f"/orgs/{fed.slug}/statutory-ballots/{referral['statutory_ballot']}/scrutiny"
        ).status_code
        == 200
    )
    for path, data in [
        (f"/orgs/{fed.slug}/votes/{strike}/papers/issue", {"members": None}),
        (f"/orgs/{fed.slug}/votes/{strike}/papers/entries", {"code": code, "answers": ["yes", "yes"]}),
        (f"/orgs/{fed.slug}/votes/{strike}/papers/replace", {"code": code, "spoiled": False}),
        (
            f"/orgs/{fed.slug}/votes/{strike}/papers/disputes",
            {"code": code, "answers": None, "reason": "not_genuine"},
        ),
        (f"/orgs/{fed.slug}/votes/{strike}/ballots", {"choice": "yes"}),
        (f"/orgs/{fed.slug}/votes/{strike}/close", {}),
    ]:
        assert as_scrutineer.post(path, data).status_code == 404, path
    assert as_scrutineer.get(f"/orgs/{fed.slug}/votes/{strike}/papers.pdf").status_code == 404
    assert BallotPaper.objects.get(code=code).status == PaperStatus.OUT
    outsider = User.objects.create_user(
        email="outsider@example.org", password="another passphrase", name="Out"
    )
    assert (
        Api(outsider)
        .get(f"/orgs/{fed.slug}/statutory-ballots/{referral['statutory_ballot']}/scrutiny")
        .status_code
        == 404
    )


def test_a_statutory_ballot_needs_an_independent_scrutineer_and_three_tellers(
    fed: Fed, scrutineer: User
) -> None:
    """The council cannot name one of the members as scrutineer, nor fewer than three tellers, nor hold an
    ordinary motion's referendum as a statutory ballot."""
    motion_id = on_agenda(fed, 3, "CONGRESS", supporter=11, industrial_action=True)
    session = sitting(fed, "CONGRESS", 3, 11)
    terms = {
        "employer": "Metro",
        "scrutineer_email": fed.members["m20"].person.email,
        "tellers": [number(fed, n) for n in TELLERS],
    }
    refer = {"session": session, "to": "referendum", "statutory": terms}
    refused = fed.api(3).post(f"/orgs/{fed.slug}/motions/{motion_id}/refer", refer)
    assert refused.status_code == 400 and "independent" in refused.json()["detail"]
    terms.update(
        scrutineer_email="scrutineer@example.org", tellers=[number(fed, 12), number(fed, 12), number(fed, 13)]
    )
    assert fed.api(3).post(f"/orgs/{fed.slug}/motions/{motion_id}/refer", refer).status_code == 400
    terms.update(tellers=[number(fed, n) for n in TELLERS])
    assert (
        fed.api(3)
        .post(f"/orgs/{fed.slug}/motions/{motion_id}/refer", {**refer, "to": "assemblies"})
        .status_code
        == 400
    )


def test_any_secret_vote_can_take_papers_for_members_without_a_device(fed: Fed) -> None:
    """An officer of a unit adds paper ballots to its assembly's secret vote; a member who is not an
    officer cannot; a paper counted and an online vote land in the same box, once each."""
    unit = fed.small.units[0]  # m2 is its Secretary
    vote = put(fed, 1, on_agenda(fed, 1, unit.code, supporter=4), minutes=60)
    tellers = {"tellers": [number(fed, n) for n in (3, 4, 5)]}
    assert fed.api(1).post(f"/orgs/{fed.slug}/votes/{vote}/papers", tellers).status_code == 403
    assert fed.api(2).post(f"/orgs/{fed.slug}/votes/{vote}/papers", tellers).status_code == 201
    assert fed.api(2).post(f"/orgs/{fed.slug}/votes/{vote}/papers", tellers).status_code == 409
    assert cast(fed, 1, vote, "no").status_code == 201
    issued = papers(fed, 3, vote, "issue", {"members": None}).json()
    assert sorted(p["member"] for p in issued) == [number(fed, n) for n in (2, 3, 4, 5)]
    for p in issued:
        enter(fed, vote, p["code"], ["yes"], tellers=(4, 5) if p["member"] == number(fed, 3) else (3, 4))
    assert cast(fed, 2, vote, "yes").status_code == 409
    closed = close(fed, 1, vote)
    assert (closed["yes"], closed["no"], closed["carried"]) == (4, 1, True)


def test_the_ballots_pages_work_without_script(fed: Fed, clock: Clock, scrutineer: User) -> None:
    """The ballot's page shows the papers reconciled; tellers enter papers and resolve disputes through its
    forms; the scrutineer reads their report page and no other; outsiders and anonymous visitors get
    nothing."""
    from django.test import Client
    from django.urls import reverse

    referral = statutory(fed)
    strike = referral["votes"][0]["id"]
    ballot = referral["statutory_ballot"]
    code = papers(fed, 12, strike, "issue", {"members": [number(fed, 4)]}).json()[0]["code"]
    kwargs = {"slug": fed.slug, "ballot_id": ballot}
    desk: dict[int, Client] = {}
    for n in (12, 13, 14, 1):
        desk[n] = Client()
        desk[n].force_login(fed.members[f"m{n}"].person)
    page = desk[1].get(reverse("motions:statutory", kwargs=kwargs)).content.decode()
    assert "The papers reconcile" in page and "Tellers' desk" not in page
    assert "Tellers' desk" in desk[12].get(reverse("motions:statutory", kwargs=kwargs)).content.decode()
    enter_url = reverse("motions:statutory_enter", kwargs=kwargs)
    for n, second in ((12, "yes"), (13, "no")):
        desk[n].post(enter_url, {"code": code, "answer_1": "yes", "answer_2": second})
    answer = desk[1].post(enter_url, {"code": code, "answer_1": "yes", "answer_2": "yes"}, follow=True)
    assert "Only the tellers named" in answer.content.decode()
    resolved = desk[14].post(
        reverse("motions:statutory_resolve", kwargs=kwargs),
        {"code": code, "answer_1": "yes", "answer_2": "no", "reason": "intention_clear"},
        follow=True,
    )
    assert f"Paper {code}: returned and counted." in resolved.content.decode()
    assert BallotPaper.objects.get(code=code).status == PaperStatus.COUNTED
    as_scrutineer = Client()
    as_scrutineer.force_login(scrutineer)
    report = as_scrutineer.get(reverse("motions:statutory_scrutiny", kwargs=kwargs))
    assert report.status_code == 200 and "the voter&#x27;s intention is clear" in report.content.decode()
    assert as_scrutineer.get(reverse("motions:statutory", kwargs=kwargs)).status_code == 404
    assert as_scrutineer.post(enter_url, {"code": code}).status_code == 404
    assert Client().get(reverse("motions:statutory_scrutiny", kwargs=kwargs)).status_code == 302
    notice = desk[1].get(reverse("motions:statutory_notice", kwargs={**kwargs, "fmt": "txt"}))
    assert "has not yet been counted" in notice.content.decode()
    assert (
        desk[1].get(reverse("motions:statutory_notice", kwargs={**kwargs, "fmt": "doc"})).status_code == 404
    )
    assert desk[1].get(reverse("motions:statutory_papers", kwargs=kwargs)).status_code == 404
    assert desk[12].get(reverse("motions:statutory_papers", kwargs=kwargs)).content.startswith(b"%PDF")


def test_a_paper_rejected_on_a_dispute_counts_as_the_member_having_voted(fed: Fed, scrutineer: User) -> None:
    """As a returning officer treats a rejected paper: the member whose paper a third teller rejected is on
    the register of both questions, so cannot vote online on either, nor be issued a new paper."""
    referral = statutory(fed)
    strike, short = (v["id"] for v in referral["votes"])
    code = papers(fed, 12, strike, "issue", {"members": [number(fed, 2)]}).json()[0]["code"]
    papers(fed, 12, strike, "entries", {"code": code, "answers": ["yes", "no"]})
    assert papers(fed, 13, strike, "entries", {"code": code, "answers": ["no", "no"]}).json()["status"] == (
        "disputed"
    )
    settle = {"code": code, "answers": None, "reason": "identifying_mark"}
    assert papers(fed, 14, strike, "disputes", settle).json()["status"] == "rejected"
    for vote in (strike, short):
        refused = cast(fed, 2, vote, "yes")
        assert refused.status_code == 409 and "already voted" in refused.json()["detail"]
    again = papers(fed, 12, strike, "issue", {"members": [number(fed, 2)]})
    assert again.status_code == 409 and "returned and rejected" in again.json()["detail"]
    assert BallotPaper.objects.filter(member=fed.members["m2"]).count() == 1


def test_the_notice_lists_the_papers_returned_late_as_the_reconciliation_does(
    fed: Fed, clock: Clock, scrutineer: User
) -> None:
    """A paper returned after the ballot closed is in the notice's paper figures, as in the reconciliation:
    in the API, the text sent to the members and the employer, and the ballot's page."""
    from django.test import Client
    from django.urls import reverse

    referral = statutory(fed)
    strike, short = (v["id"] for v in referral["votes"])
    ballot_id = referral["statutory_ballot"]
    issued = papers(fed, 12, strike, "issue", {"members": [number(fed, 2), number(fed, 3)]}).json()
    code = {p["member"]: p["code"] for p in issued}
    enter(fed, strike, code[number(fed, 2)], ["yes", "yes"])
    clock.advance(days=8)
    late = papers(fed, 12, strike, "entries", {"code": code[number(fed, 3)], "answers": ["yes", "yes"]})
    assert late.json()["status"] == "late"
    close(fed, 1, strike)
    close(fed, 1, short)
    notice = fed.api(20).get(f"/orgs/{fed.slug}/statutory-ballots/{ballot_id}").json()["notice"]
    reconciliation = fed.api(20).get(f"/orgs/{fed.slug}/votes/{strike}/papers").json()["reconciliation"]
    assert notice["papers"]["late"] == reconciliation["late"] == 1
    assert notice["papers"]["returned"] == notice["papers"]["counted"] + notice["papers"]["late"] == 2
    text = fed.api(20).get(f"/orgs/{fed.slug}/statutory-ballots/{ballot_id}/notice.txt").content.decode()
    assert "1 returned after the ballot closed and not counted" in text
    browser = Client()
    browser.force_login(fed.members["m20"].person)
    page = browser.get(reverse("motions:statutory", kwargs={"slug": fed.slug, "ballot_id": ballot_id}))
    assert "1 returned after the ballot closed and not counted" in page.content.decode()
