"""The degenerations docs/principles.md records, each attempted through the public REST API against a federation
whose seats were all won in elections, and each refused or surfaced to the members it concerns.

Failures whose means do not exist in the API at all (there is no endpoint to appoint a delegate, create a
body or write the constitution) are shown by trying the nearest request a client could make and finding
it refused and nothing changed.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from commune.audit.guard import guard_remove
from commune.audit.models import LogEntry
from commune.elections.models import Candidacy, ElectionStatus
from commune.elections.services import elections_run_due
from commune.federation.constitution import DEFAULT_DELEGABLE_POWERS
from commune.federation.models import Body, ConstitutionVersion, Delegation, Member, Office
from commune.governance.models import Executive, ExecutiveDecision, OfficePay
from commune.motions.models import DelegateVote, Motion
from tests.clock import Clock, let_vote_run, wait_for_session
from tests.provenance.federation import (
    ElectedFederation,
    build_elected_federation,
    decide_forwarded_motion,
    elect,
)
from tests.records import recorded_update
from tests.wages import wage_bands_adopt

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> ElectedFederation:
    return build_elected_federation(clock)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return dict(response.json())


def _ok_list(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.json()
    return list(response.json())


def _live_seats(fed: ElectedFederation, council: str) -> set[tuple[str, str]]:
    return set(
        Delegation.objects.filter(
            council__code=council, council__organisation=fed.small.org, ended_at=None
        ).values_list("member__number", "constituency__code")
    )


def test_appointment_from_above_is_refused(fed: ElectedFederation) -> None:
    """A delegate of District 0 cannot seat anyone for Unit 0.0: no endpoint seats a delegate, and only the
    unit's own officer may call the election that fills its seats. Every live seat came from an election."""
    before = _live_seats(fed, "D0")
    for path in (f"/organisations/{fed.slug}/bodies/D0/delegates", f"/orgs/{fed.slug}/bodies/D0/delegates"):
        attempt = fed.api(4).post(path, {"member": "PV00009", "constituency": "D0-U0"})
        assert attempt.status_code in (404, 405)
    call = fed.api(4).post(
        f"/orgs/{fed.slug}/bodies/D0-U0/elections", {"kind": "delegates", "title": "Our choice for you"}
    )
    assert call.status_code == 404
    assert (
        _live_seats(fed, "D0")
        == before
        == {
            ("PV00004", "D0-U0"),
            ("PV00005", "D0-U0"),
            ("PV00007", "D0-U1"),
            ("PV00008", "D0-U1"),
        }
    )
    seats = Delegation.objects.filter(council__code="D0", council__organisation=fed.small.org, ended_at=None)
    assert all(hasattr(seat, "elected_by") for seat in seats.select_related("elected_by"))


def test_an_elected_delegates_credentials_cannot_be_refused(fed: ElectedFederation) -> None:
    """The delegate who opened the session cannot keep an elected delegate off the roll: the elected
    delegate signs in as of right, and no request strikes them off."""
    session = _ok(fed.api(4).post(f"/orgs/{fed.slug}/bodies/D0/sessions", {"title": "D0 meets"}), 201)["id"]
    wait_for_session(session)
    _ok(fed.api(8).post(f"/orgs/{fed.slug}/sessions/{session}/roll"), 201)
    for path in (
        f"/orgs/{fed.slug}/sessions/{session}/roll",
        f"/orgs/{fed.slug}/sessions/{session}/roll/PV00008",
    ):
        assert fed.api(4).delete(path).status_code in (404, 405)
    roll = _ok(fed.api(4).get(f"/orgs/{fed.slug}/sessions/{session}"))["roll"]
    assert [entry["constituency"] for entry in roll] == ["D0-U1"]
    assert "Member 008" in str(roll)


def _forwarded_to_district(fed: ElectedFederation) -> int:
    """D0-U0 adopts m1's motion (all five yes) and m1 forwards it to District 0's agenda; its id there."""
    slug, api = fed.slug, fed.api
    motion = _ok(api(1).post(f"/orgs/{slug}/bodies/D0-U0/motions", {"title": "Levy", "text": "A levy."}), 201)
    _ok(api(2).post(f"/orgs/{slug}/motions/{motion['id']}/support"))
    vote = _ok(api(1).post(f"/orgs/{slug}/motions/{motion['id']}/votes", {"minutes": 60}), 201)["id"]
    for n in range(1, 6):
        _ok(api(n).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "yes"}), 201)
    let_vote_run(vote)
    _ok(api(1).post(f"/orgs/{slug}/votes/{vote}/close"))
    return int(_ok(api(1).post(f"/orgs/{slug}/motions/{motion['id']}/forward"), 201)["id"])


def test_a_council_vote_needs_its_council(clock: Clock, fed: ElectedFederation) -> None:
    """docs/principles.md, debarring by snap vote: a delegate of D0-U0 cannot call District 0 to sit at once,
    sign its roll alone, put a forwarded motion and close the vote a moment later. The session waits out the
    constitution's notice, of which every delegate of both constituencies is told; no vote opens without a
    quorum of seats on the roll; every delegate is told when it opens; and it closes no sooner than its
    minimum time, nor before the other constituency's delegates can vote."""
    slug, api = fed.slug, fed.api
    motion = _forwarded_to_district(fed)
    snap = api(4).post(
        f"/orgs/{slug}/bodies/D0/sessions",
        {"title": "Snap sitting", "starts_at": (clock.now + timedelta(minutes=1)).isoformat()},
    )
    assert snap.status_code == 400 and "48 hours' notice" in snap.json()["detail"]
    called = _ok(api(4).post(f"/orgs/{slug}/bodies/D0/sessions", {"title": "D0 sits"}), 201)
    assert called["notice_hours"] == 48
    early = api(4).post(f"/orgs/{slug}/sessions/{called['id']}/roll")
    assert early.status_code == 409 and "roll opens then" in early.json()["detail"]
    for n in (4, 5, 7, 8):
        told = _ok(api(n).get("/notifications"))["items"]
        assert any(note["kind"] == "session.called" for note in told), n

    wait_for_session(called)
    _ok(api(4).post(f"/orgs/{slug}/sessions/{called['id']}/roll"), 201)
    alone = api(4).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 60, "session": called["id"]})
    assert alone.status_code == 409 and "not quorate" in alone.json()["detail"]
    _ok(api(5).post(f"/orgs/{slug}/sessions/{called['id']}/roll"), 201)
    rushed = api(4).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 1, "session": called["id"]})
    assert rushed.status_code == 400 and "at least 10 minutes" in rushed.json()["detail"]
    vote = _ok(
        api(4).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 60, "session": called["id"]}), 201
    )["id"]
    for n in (7, 8):
        assert any(note["kind"] == "vote.opened" for note in _ok(api(n).get("/notifications"))["items"])
    for n in (4, 5):
        _ok(api(n).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "yes"}), 201)
    clock.advance(seconds=1)
    snap_close = api(4).post(f"/orgs/{slug}/votes/{vote}/close")
    assert snap_close.status_code == 409 and "at least 10 minutes" in snap_close.json()["detail"]

    clock.advance(minutes=5)
    for n in (7, 8):
        _ok(api(n).post(f"/orgs/{slug}/sessions/{called['id']}/roll"), 201)
        _ok(api(n).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "no"}), 201)
    let_vote_run(vote)
    closed = _ok(api(4).post(f"/orgs/{slug}/votes/{vote}/close"))
    assert (closed["yes"], closed["no"], closed["carried"]) == (2, 2, False)


def test_an_imposed_candidate_list_is_refused(clock: Clock, fed: ElectedFederation) -> None:
    """No one can stand another member or strike them: a nomination naming someone else is refused, and a
    higher body's delegate cannot withdraw a candidate; the ballot keeps everyone who stood."""
    call = fed.api(2).post(f"/orgs/{fed.slug}/bodies/D0-U0/elections", {"kind": "delegates"})
    election = _ok(call, 201)["id"]
    elections_run_due()
    _ok(fed.api(1).post(f"/orgs/{fed.slug}/elections/{election}/nominations", {"statement": "me"}), 201)
    imposed = fed.api(4).post(
        f"/orgs/{fed.slug}/elections/{election}/nominations", {"member": "PV00009", "statement": "loyal"}
    )
    assert imposed.status_code == 422
    struck = fed.api(4).delete(f"/orgs/{fed.slug}/elections/{election}/nominations/mine")
    assert struck.status_code in (400, 404, 409)
    standing = Candidacy.objects.filter(election_id=election, status="standing")
    assert list(standing.values_list("member__number", flat=True)) == ["PV00001"]


def test_a_body_cannot_be_created_outside_a_council(fed: ElectedFederation) -> None:
    """No request creates a body: a 'commission' posted straight to the organisation is refused and no body
    appears; the federation is exactly the bodies its founding created."""
    before = set(Body.objects.filter(organisation=fed.small.org).values_list("code", flat=True))
    for path in (f"/organisations/{fed.slug}/bodies", f"/orgs/{fed.slug}/bodies"):
        attempt = fed.api(4).post(
            path, {"code": "CHEKA", "name": "Extraordinary Commission", "kind": "council"}
        )
        assert attempt.status_code in (404, 405)
    assert set(Body.objects.filter(organisation=fed.small.org).values_list("code", flat=True)) == before
    assert "CHEKA" not in before


def test_a_delegate_cannot_defy_a_binding_mandate(fed: ElectedFederation) -> None:
    """Unit 0.0 binds its delegates to vote no; its delegate's yes is refused with the reason, and the vote
    on the record is the one the constituency instructed."""
    slug, api = fed.slug, fed.api
    motion = _ok(api(4).post(f"/orgs/{slug}/bodies/D0/motions", {"title": "Merge", "text": "Merge."}), 201)[
        "id"
    ]
    _ok(api(7).post(f"/orgs/{slug}/motions/{motion}/support"))
    mandate = _ok(
        api(1).post(
            f"/orgs/{slug}/motions/{motion}/mandates",
            {"constituency": "D0-U0", "kind": "binding", "instruction": "no", "minutes": 30},
        ),
        201,
    )
    for n in range(1, 6):
        _ok(api(n).post(f"/orgs/{slug}/votes/{mandate['vote']}/ballots", {"choice": "yes"}), 201)
    let_vote_run(mandate["vote"])
    assert _ok(api(2).post(f"/orgs/{slug}/mandates/{mandate['id']}/decide"))["status"] == "adopted"
    session = _ok(api(4).post(f"/orgs/{slug}/bodies/D0/sessions", {"title": "D0 meets"}), 201)["id"]
    wait_for_session(session)
    for n in (4, 5):  # D0-U0's two seats, half the council: a quorum
        _ok(api(n).post(f"/orgs/{slug}/sessions/{session}/roll"), 201)
    vote = _ok(api(4).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 60, "session": session}), 201)[
        "id"
    ]
    defied = api(4).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "yes"})
    assert defied.status_code == 403 and "binding" in defied.json()["detail"]
    _ok(api(4).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "no"}), 201)
    [cast] = DelegateVote.objects.filter(vote_id=vote)
    assert (cast.choice, cast.mandate_kind, cast.departed) == ("no", "binding", False)


def test_the_constitution_cannot_be_written_from_above(fed: ElectedFederation) -> None:
    """No request writes the constitution directly: posting or putting new rules is refused, and the
    version in force is still the founding one."""
    versions = list(
        ConstitutionVersion.objects.filter(organisation=fed.small.org).values_list("pk", flat=True)
    )
    client, headers = fed.api(4).client, fed.api(4).headers
    path = f"/api/orgs/{fed.slug}/constitution"
    assert fed.api(4).post(f"/orgs/{fed.slug}/constitution", {"rules": {}}).status_code == 405
    assert client.put(path, {}, content_type="application/json", **headers).status_code == 405
    assert (
        list(ConstitutionVersion.objects.filter(organisation=fed.small.org).values_list("pk", flat=True))
        == versions
    )


def test_a_decisions_provenance_is_complete_back_to_the_constituencies(fed: ElectedFederation) -> None:
    """The council's decision on a motion from a unit names, through the API, every seat that voted, the
    election behind each with its bulletin, the constituency that elected it and the apportionment of its
    seats — and every link is recorded in the log."""
    decision = decide_forwarded_motion(fed)
    tree = _ok(fed.api(13).get(f"/orgs/{fed.slug}/decisions/vote/{decision.council_vote}/provenance"))
    assert tree["complete"] is True, tree["gaps"]
    [council] = [c for c in tree["root"]["children"] if c["kind"] == "body"]
    for seat in council["children"]:
        [election] = seat["children"]
        assert election["facts"]["status"] == ElectionStatus.DECLARED
        kinds = {c["kind"]: c for c in election["children"]}
        assert kinds["bulletin"]["facts"]["merkle_root"]
        assert kinds["constituency"]["facts"]["code"] == seat["facts"]["constituency"]
        [apportionment] = kinds["constituency"]["children"]
        assert apportionment["log"] is not None
    assert len(council["children"]) == 4


def test_a_tampered_log_entry_behind_a_decision_is_found(fed: ElectedFederation) -> None:
    """Rewriting the log to say a delegate voted otherwise is found: the log's verification names the very
    entry the decision's provenance cites for that seat."""
    decision = decide_forwarded_motion(fed)
    tree = _ok(fed.api(13).get(f"/orgs/{fed.slug}/decisions/vote/{decision.council_vote}/provenance"))
    [council] = [c for c in tree["root"]["children"] if c["kind"] == "body"]
    [seat] = [s for s in council["children"] if s["facts"]["member_number"] == "PV00005"]
    assert _ok(fed.api(13).get(f"/orgs/{fed.slug}/log/verify"))["ok"] is True

    guard_remove(connection)  # what a database owner bent on tampering would do first
    entry = LogEntry.objects.get(organisation=fed.small.org, seq=seat["log"]["seq"])
    LogEntry.objects.filter(pk=entry.pk).update(payload={**entry.payload, "choice": "yes"})

    verdict = _ok(fed.api(13).get(f"/orgs/{fed.slug}/log/verify"))
    assert verdict["ok"] is False
    assert verdict["problem"]["seq"] == seat["log"]["seq"]
    assert "changed" in verdict["problem"]["reason"]


# Executives, tendencies, terms, pay and the constitution -------------------------------------------------


def _council_adopts(fed: ElectedFederation, code: str, motion: int, delegates: tuple[int, ...]) -> None:
    """The council sits with ``delegates`` (supporting the motion onto its agenda if it needs it), and they
    all vote yes on the record."""
    slug, api = fed.slug, fed.api
    if _ok(api(delegates[0]).get(f"/orgs/{slug}/motions/{motion}"))["status"] == "proposed":
        _ok(api(delegates[1]).post(f"/orgs/{slug}/motions/{motion}/support"))
    session = _ok(api(delegates[0]).post(f"/orgs/{slug}/bodies/{code}/sessions", {"title": "sits"}), 201)[
        "id"
    ]
    wait_for_session(session)
    for n in delegates:
        _ok(api(n).post(f"/orgs/{slug}/sessions/{session}/roll"), 201)
    vote = _ok(api(delegates[0]).post(f"/orgs/{slug}/motions/{motion}/votes", {"session": session}), 201)[
        "id"
    ]
    for n in delegates:
        _ok(api(n).post(f"/orgs/{slug}/votes/{vote}/ballots", {"choice": "yes"}), 201)
    let_vote_run(vote)
    assert _ok(api(delegates[0]).post(f"/orgs/{slug}/votes/{vote}/close"))["carried"] is True
    _ok(api(delegates[0]).post(f"/orgs/{slug}/sessions/{session}/close"))


def _strike_commission(fed: ElectedFederation, code: str = "STRIKE") -> dict[str, Any]:
    """District 0's elected delegates (m4, m5, m7, m8) establish a commission with two stated powers and
    m1 and m6 on it."""
    charter = {
        "kind": "commission",
        "code": code,
        "name": "Strike Commission",
        "powers": ["book-venues", "print-leaflets"],
        "members": [fed.m(1).number, fed.m(6).number],
    }
    proposed = _ok(fed.api(4).post(f"/orgs/{fed.slug}/bodies/D0/executives", charter), 201)
    _council_adopts(fed, "D0", proposed["motion"], (4, 5, 7, 8))
    established = _ok(fed.api(4).post(f"/orgs/{fed.slug}/executives/{code}/settle"))
    assert established["status"] == "active"
    return established


def _decide(fed: ElectedFederation, n: int, power: str, title: str = "Book the hall") -> Any:
    return fed.api(n).post(
        f"/orgs/{fed.slug}/executives/STRIKE/decisions", {"power": power, "title": title, "text": title + "."}
    )


def test_a_tendency_cannot_be_banned(fed: ElectedFederation) -> None:
    """docs/principles.md, "the banning of factions (1921)": a council delegate outside a tendency cannot dissolve
    it, no charter can give an executive the power to ban one and no executive decision can claim it; the
    tendency stays in the public list with its members and platform."""
    slug = fed.slug
    tendency = _ok(
        fed.api(1).post(
            f"/orgs/{slug}/tendencies", {"name": "Workers' Opposition", "platform": "Unions run."}
        ),
        201,
    )["slug"]
    _ok(fed.api(2).post(f"/orgs/{slug}/tendencies/{tendency}/join"))
    _ok(fed.api(1).post(f"/orgs/{slug}/tendencies/{tendency}/applications/{fed.m(2).number}/admit"))
    by_delegate = fed.api(4).post(f"/orgs/{slug}/tendencies/{tendency}/dissolution-votes")
    assert by_delegate.status_code == 403
    assert "only the members of Workers' Opposition can dissolve it" in by_delegate.json()["detail"]
    charter = fed.api(4).post(
        f"/orgs/{slug}/bodies/D0/executives",
        {"kind": "commission", "code": "ORG", "name": "Orgburo", "powers": ["ban-tendencies"]},
    )
    assert charter.status_code == 403 and "only by their own members" in charter.json()["detail"]
    _strike_commission(fed)
    for power in ("ban-tendencies", "dissolve-tendencies"):
        used = _decide(fed, 1, power, "Ban the Workers' Opposition")
        assert used.status_code == 403 and "only by their own members" in used.json()["detail"]
    assert fed.api(3).delete(f"/orgs/{slug}/tendencies/{tendency}").status_code in (404, 405)
    listed = _ok(fed.api(20).get(f"/orgs/{slug}/tendencies/{tendency}"))
    assert (listed["members"], listed["dissolved_at"], listed["platform"]) == (2, None, "Unions run.")
    assert ExecutiveDecision.objects.filter(executive__code="STRIKE").count() == 0


def test_a_tendency_belongs_to_its_members(fed: ElectedFederation) -> None:
    """docs/principles.md, "the banning of factions (1921)", from inside: officers and delegates of other
    bodies cannot join a two-member tendency by themselves, so cannot outvote its founders; a dissolution is
    decided by those who were its members when it was proposed, newcomers admitted since have no vote; and
    once its members dissolve it, its founder refounds it under its name, which nobody else can."""
    slug, api = fed.slug, fed.api
    tendency = _ok(
        api(1).post(f"/orgs/{slug}/tendencies", {"name": "Left Opposition", "platform": "Soviets first."}),
        201,
    )["slug"]
    base = f"/orgs/{slug}/tendencies/{tendency}"
    _ok(api(6).post(f"{base}/join"))
    _ok(api(1).post(f"{base}/applications/{fed.m(6).number}/admit"))
    for outsider in (2, 4, 7):  # the unit's Secretary and two District 0 delegates
        assert _ok(api(outsider).post(f"{base}/join"))["members"] == 2
    taking = api(4).post(f"{base}/applications/{fed.m(7).number}/admit")
    assert taking.status_code == 403 and "only its members admit" in taking.json()["detail"]
    for outsider in (2, 4, 7):
        refused = api(outsider).post(f"{base}/dissolution-votes")
        assert (
            refused.status_code == 403 and "only the members of Left Opposition" in refused.json()["detail"]
        )

    _ok(api(6).post(f"{base}/dissolution-votes"), 201)  # proposed: m1 and m6 decide it
    _ok(api(6).post(f"{base}/applications/{fed.m(4).number}/admit"))
    newcomer = api(4).post(f"{base}/dissolution-votes")
    assert newcomer.status_code == 403 and "when its dissolution was proposed" in newcomer.json()["detail"]
    assert _ok(api(20).get(base))["dissolved_at"] is None

    assert _ok(api(1).post(f"{base}/dissolution-votes"), 201)["dissolved_at"] is not None
    assert api(4).post(f"{base}/refound").status_code == 403
    refounded = _ok(api(1).post(f"{base}/refound"))
    assert (refounded["name"], refounded["dissolved_at"], refounded["members"]) == (
        "Left Opposition",
        None,
        1,
    )


def test_an_executive_cannot_override_its_council_and_the_council_reverses_it(fed: ElectedFederation) -> None:
    """docs/principles.md, the Cheka "over-riding the Soviets" and soviets "subordinated to the Politburo": the
    commission's decision claiming to override its council, or using a power the council never delegated,
    is refused and not recorded; a decision within its powers is called in by two of District 0's
    delegates, the council votes to reverse it, and the decision's record shows it reversed by that
    motion."""
    slug, api = fed.slug, fed.api
    _strike_commission(fed)
    overriding = _decide(fed, 1, "override-council", "District 0's vote does not bind us")
    assert overriding.status_code == 403 and "cannot overrule it" in overriding.json()["detail"]
    undelegated = _decide(fed, 6, "negotiate-pay", "Settle the pay claim")
    assert undelegated.status_code == 403
    assert "District 0 delegated only book-venues, print-leaflets" in undelegated.json()["detail"]
    decision = _ok(_decide(fed, 1, "book-venues", "Hire the Grand Hall"), 201)
    assert decision["power"] == "book-venues"
    assert api(1).post(f"/orgs/{slug}/decisions/{decision['id']}/call-in", {"reason": "x"}).status_code == 403
    call_in = _ok(
        api(5).post(f"/orgs/{slug}/decisions/{decision['id']}/call-in", {"reason": "Too dear."}), 201
    )
    assert (call_in["status"], call_in["threshold"]) == ("gathering", 2)
    signed = _ok(api(8).post(f"/orgs/{slug}/call-ins/{call_in['id']}/signatures"), 201)
    assert signed["status"] == "before_council" and signed["signers"] == [fed.m(5).number, fed.m(8).number]
    _council_adopts(fed, "D0", signed["motion"], (4, 5, 7, 8))
    assert _ok(api(1).post(f"/orgs/{slug}/call-ins/{call_in['id']}/settle"))["status"] == "reversed"
    record = _ok(api(2).get(f"/orgs/{slug}/executives/STRIKE"))
    assert [(d["title"], d["status"], d["reversed_by_motion"]) for d in record["decisions"]] == [
        ("Hire the Grand Hall", "reversed", signed["motion"])
    ]


def _reversed_by_district_0(fed: ElectedFederation, decision: dict[str, Any]) -> int:
    """Two of District 0's delegates call the decision in and the council reverses it; the motion's id."""
    slug, api = fed.slug, fed.api
    call_in = _ok(
        api(5).post(f"/orgs/{slug}/decisions/{decision['id']}/call-in", {"reason": "Too dear."}), 201
    )
    signed = _ok(api(8).post(f"/orgs/{slug}/call-ins/{call_in['id']}/signatures"), 201)
    _council_adopts(fed, "D0", signed["motion"], (4, 5, 7, 8))
    assert _ok(api(1).post(f"/orgs/{slug}/call-ins/{call_in['id']}/settle"))["status"] == "reversed"
    return int(signed["motion"])


def test_a_reversal_binds_the_executive(fed: ElectedFederation) -> None:
    """docs/principles.md, "The executive over its council": once District 0 has reversed the commission's
    decision, the commission cannot take it again, word for word or with its case, spacing and punctuation
    changed, under the same power; the refusal names the reversal. A different decision still stands."""
    _strike_commission(fed)
    decision = _ok(_decide(fed, 1, "book-venues", "Hire the Grand Hall"), 201)
    motion = _reversed_by_district_0(fed, decision)
    again = _decide(fed, 6, "book-venues", "Hire the Grand Hall")
    assert again.status_code == 403, again.json()
    assert again.json()["detail"] == (
        f"District 0 reversed this decision: decision {decision['id']} of Strike Commission, “Hire the Grand "
        f"Hall”, under the power to book venues, reversed by motion {motion}. Its reversal binds: Strike "
        "Commission cannot take it again, or one to the same effect, without the council's consent (a motion "
        "of the council adopting it)"
    )
    reworded = fed.api(1).post(
        f"/orgs/{fed.slug}/executives/STRIKE/decisions",
        {"power": "book-venues", "title": "The hall, again", "text": "  hire THE grand hall!! "},
    )
    assert reworded.status_code == 403 and "Its reversal binds" in reworded.json()["detail"]
    other = _ok(_decide(fed, 1, "book-venues", "Hire the Miners' Welfare"), 201)
    statuses = [
        (d["title"], d["status"])
        for d in _ok(fed.api(2).get(f"/orgs/{fed.slug}/executives/STRIKE"))["decisions"]
    ]
    assert statuses == [("Hire the Miners' Welfare", "standing"), ("Hire the Grand Hall", "reversed")]
    assert other["power"] == "book-venues"


def test_a_reversed_decision_is_taken_again_only_with_the_councils_consent(fed: ElectedFederation) -> None:
    """The commission's own member cannot move the consent; a delegate of District 0 can, and only once the
    council adopts that motion (naming the reversed decision) may the commission take the decision again."""
    slug = fed.slug
    _strike_commission(fed)
    decision = _ok(_decide(fed, 1, "book-venues", "Hire the Grand Hall"), 201)
    reversed_by = _reversed_by_district_0(fed, decision)
    consent_path = f"/orgs/{slug}/decisions/{decision['id']}/retake-consent"
    assert fed.api(1).post(consent_path, {"reason": "We found the money."}).status_code == 403
    consent = _ok(fed.api(4).post(consent_path, {"reason": "The union paid for it."}), 201)
    motion = _ok(fed.api(4).get(f"/orgs/{slug}/motions/{consent['motion']}"))
    assert f"decision {decision['id']} of Strike Commission" in motion["text"]
    assert f"which it reversed by motion {reversed_by}" in motion["text"]
    assert _decide(fed, 1, "book-venues", "Hire the Grand Hall").status_code == 403  # not yet adopted
    _council_adopts(fed, "D0", consent["motion"], (4, 5, 7, 8))
    again = _ok(_decide(fed, 1, "book-venues", "Hire the Grand Hall"), 201)
    assert again["status"] == "standing"


POWERS_BY_ANOTHER_NAME = (
    "appoint-officers",
    "set-officer-pay",
    "create-commissions",
    "overrule-council",
    "suspend-delegate",
    "ban-tendency",
    "amend-rules",
    "all-powers",
)


@pytest.mark.parametrize("power", POWERS_BY_ANOTHER_NAME)
def test_a_power_by_another_name_is_refused(fed: ElectedFederation, power: str) -> None:
    """docs/principles.md, "Powers by another name": District 0's delegates cannot charter a commission with a
    power the constitution does not list, whatever it is called; the refusal names the list, no motion is
    moved and no executive exists to decide anything under it. Nor can the list be amended to hold it,
    however innocently it is described."""
    slug = fed.slug
    motions_before = Motion.objects.count()
    charter = fed.api(4).post(
        f"/orgs/{slug}/bodies/D0/executives",
        {"kind": "commission", "code": "SIDE", "name": "Side Door", "powers": ["book-venues", power]},
    )
    assert charter.status_code == 403, charter.json()
    detail = charter.json()["detail"]
    assert detail.startswith(f"no council can delegate the power '{power}': the constitution lists the only")
    assert f"({', '.join(sorted(DEFAULT_DELEGABLE_POWERS))}), and '{power}' is not among them" in detail
    assert Motion.objects.count() == motions_before
    assert not Executive.objects.filter(organisation=fed.small.org).exists()
    listing = fed.api(4).post(
        f"/orgs/{slug}/bodies/D0/constitution-proposals",
        {
            "changes": {
                "executives.delegable_powers": {**DEFAULT_DELEGABLE_POWERS, power: "help with the work"}
            }
        },
    )
    assert listing.status_code == 400
    assert f"'{power}' cannot be delegated, whatever it is called" in listing.json()["detail"]
    assert Motion.objects.count() == motions_before


def test_a_fourth_consecutive_term_is_refused(fed: ElectedFederation) -> None:
    """docs/principles.md, the old guard's "enormous undivided prestige": Unit 0.0 elects m4 to District 0 in
    three elections a year apart; with the limit at three, m4's nomination for the fourth is refused with
    the count and the limit, and any other member may stand."""
    unit = fed.small.units[0]
    elections = [fed.elections["D0-U0"].pk]
    for _ in range(2):
        fed.clock.advance(days=362)
        elections.append(elect(fed, unit, [4, 5, 1], {1: [4, 5], 2: [4], 3: [5, 4], 4: [4], 5: [1]}).pk)
    terms = Delegation.objects.filter(member=fed.m(4), constituency=unit).select_related("elected_by")
    assert sorted(t.elected_by.election_id for t in terms) == elections
    fed.clock.advance(days=362)
    election = _ok(fed.api(2).post(f"/orgs/{fed.slug}/bodies/D0-U0/elections", {"kind": "delegates"}), 201)[
        "id"
    ]
    elections_run_due()
    refused = fed.api(4).post(f"/orgs/{fed.slug}/elections/{election}/nominations", {"statement": "again"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Member 004 has held this seat for 3 consecutive terms; the constitution allows 3"
    )
    _ok(fed.api(1).post(f"/orgs/{fed.slug}/elections/{election}/nominations", {"statement": "me"}), 201)
    standing = Candidacy.objects.filter(election_id=election, status="standing")
    assert list(standing.values_list("member__number", flat=True)) == [fed.m(1).number]


def test_pay_above_the_cap_is_refused(fed: ElectedFederation) -> None:
    """docs/principles.md, bureaucrats who "creep into warm corners": with the members' median wage at 600 a week
    and the cap at one times it, a motion to pay the Secretary 650 is refused with the figures, no motion
    is moved, and the public register shows no pay for the office."""
    slug = fed.slug
    wage_bands_adopt(fed.small.org, {"A": "500.00", "B": "700.00"})
    for n in range(1, 21):  # the bands the roll carries for each member
        recorded_update(Member.objects.filter(pk=fed.m(n).pk), wage_band="A" if n <= 10 else "B")
    office = Office.objects.get(body__code="D0-U0", body__organisation=fed.small.org, title="Secretary")
    motions_before = Motion.objects.count()
    refused = fed.api(1).post(f"/orgs/{slug}/offices/{office.pk}/pay", {"weekly": "650.00"})
    assert refused.status_code == 400
    detail = refused.json()["detail"]
    assert detail.startswith("£650.00 a week is above the cap for the pay of Secretary of Unit 0.0")
    assert "at most 1 × the members' median wage of £600.00 a week = £600.00" in detail
    assert "(median of 20 members' wage bands)" in detail
    assert Motion.objects.count() == motions_before and not OfficePay.objects.exists()
    [secretary] = [e for e in _ok_list(fed.api(20).get(f"/orgs/{slug}/offices")) if e["title"] == "Secretary"]
    assert secretary["weekly_pay"] is None


def test_the_basis_of_the_pay_cap_belongs_to_the_members(fed: ElectedFederation) -> None:
    """docs/principles.md, officers on better pay: the unit's Secretary cannot raise the members' wage bands,
    which the cap on their own pay is computed from — not through the old direct request, nor by moving the
    motion that sets them — and the cap stays where it was. The bands change only by the motion of the body
    the constitution names (Congress, its highest council), adopted by its vote and on the log."""
    slug = fed.slug
    wage_bands_adopt(fed.small.org, {"A": "500.00"})
    recorded_update(Member.objects.filter(organisation=fed.small.org), wage_band="A")
    before = _ok(fed.api(20).get(f"/orgs/{slug}/wage-bands"))
    assert Decimal(before["pay_cap_weekly"]) == Decimal(500)

    direct = fed.api(2).post(f"/orgs/{slug}/wage-bands", {"code": "A", "weekly": "5000.00"})
    assert direct.status_code == 422
    moved = fed.api(2).post(f"/orgs/{slug}/wage-bands", {"bands": {"A": "5000.00"}})
    assert moved.status_code == 403
    assert "holds the office of Secretary of Unit 0.0" in moved.json()["detail"]
    assert "cap on their own pay" in moved.json()["detail"]
    outside = fed.api(4).post(f"/orgs/{slug}/wage-bands", {"bands": {"A": "5000.00"}})
    assert outside.status_code == 403  # a district delegate does not sit on Congress
    assert _ok(fed.api(20).get(f"/orgs/{slug}/wage-bands")) == before

    proposal = wage_bands_adopt(fed.small.org, {"A": "550.00"})
    after = _ok(fed.api(20).get(f"/orgs/{slug}/wage-bands"))
    assert Decimal(after["pay_cap_weekly"]) == Decimal(550)
    [entry] = LogEntry.objects.filter(organisation=fed.small.org, action="wage_band.set").order_by("-seq")[:1]
    assert entry.payload["motion"] == proposal.motion_id
    assert entry.payload["adopted_by_vote"] == Motion.objects.get(pk=proposal.motion_id).adopted_by_id


def test_an_executive_cannot_change_the_constitution(fed: ElectedFederation) -> None:
    """docs/principles.md, the state "fused with the party"; statutes worded at the top: no charter may give an
    executive the power to amend the constitution and no executive decision may claim it; a proposal moved
    in District 0 cannot be enacted before the membership carries it by referendum; the version in force
    stays the founding one."""
    slug = fed.slug
    charter = fed.api(4).post(
        f"/orgs/{slug}/bodies/D0/executives",
        {"kind": "executive", "code": "POLIT", "name": "Political Bureau", "powers": ["amend-constitution"]},
    )
    assert charter.status_code == 403 and "referendum of the membership" in charter.json()["detail"]
    _strike_commission(fed)
    claimed = _decide(fed, 1, "amend-constitution", "Terms are unlimited")
    assert claimed.status_code == 403 and "referendum of the membership" in claimed.json()["detail"]
    proposal = _ok(
        fed.api(4).post(
            f"/orgs/{slug}/bodies/D0/constitution-proposals",
            {"changes": {"offices.max_consecutive_terms": 20}, "reason": "Continuity."},
        ),
        201,
    )
    _council_adopts(fed, "D0", proposal["motion"], (4, 5, 7, 8))
    enacted = fed.api(4).post(f"/orgs/{slug}/constitution-proposals/{proposal['id']}/enact")
    assert enacted.status_code == 409
    assert "only once a referendum of the whole membership has carried it" in enacted.json()["detail"]
    history = fed.api(20).get(f"/orgs/{slug}/constitution/history").json()
    assert [v["number"] for v in history] == [1]
    assert ConstitutionVersion.objects.filter(organisation=fed.small.org).count() == 1
