"""The degenerations SYSTEM.md records, each attempted through the public REST API against a federation
whose seats were all won in elections, and each refused or surfaced to the members it concerns.

Failures whose means do not exist in the API at all (there is no endpoint to appoint a delegate, create a
body or write the constitution) are shown by trying the nearest request a client could make and finding
it refused and nothing changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from commune.audit.guard import guard_remove
from commune.audit.models import LogEntry
from commune.elections.models import Candidacy, ElectionStatus
from commune.elections.services import elections_run_due
from commune.federation.models import Body, ConstitutionVersion, Delegation
from commune.motions.models import DelegateVote
from tests.provenance.federation import (
    Clock,
    ElectedFederation,
    build_elected_federation,
    decide_forwarded_motion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> ElectedFederation:
    return build_elected_federation(clock)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return dict(response.json())


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
    _ok(fed.api(8).post(f"/orgs/{fed.slug}/sessions/{session}/roll"), 201)
    for path in (
        f"/orgs/{fed.slug}/sessions/{session}/roll",
        f"/orgs/{fed.slug}/sessions/{session}/roll/PV00008",
    ):
        assert fed.api(4).delete(path).status_code in (404, 405)
    roll = _ok(fed.api(4).get(f"/orgs/{fed.slug}/sessions/{session}"))["roll"]
    assert [entry["constituency"] for entry in roll] == ["D0-U1"]
    assert "Member 008" in str(roll)


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
    assert _ok(api(2).post(f"/orgs/{slug}/mandates/{mandate['id']}/decide"))["status"] == "adopted"
    session = _ok(api(4).post(f"/orgs/{slug}/bodies/D0/sessions", {"title": "D0 meets"}), 201)["id"]
    _ok(api(4).post(f"/orgs/{slug}/sessions/{session}/roll"), 201)
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
    path = f"/api/organisations/{fed.slug}/constitution"
    assert fed.api(4).post(f"/organisations/{fed.slug}/constitution", {"rules": {}}).status_code == 405
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
    tree = _ok(
        fed.api(13).get(f"/organisations/{fed.slug}/decisions/vote/{decision.council_vote}/provenance")
    )
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
    tree = _ok(
        fed.api(13).get(f"/organisations/{fed.slug}/decisions/vote/{decision.council_vote}/provenance")
    )
    [council] = [c for c in tree["root"]["children"] if c["kind"] == "body"]
    [seat] = [s for s in council["children"] if s["facts"]["member_number"] == "PV00005"]
    assert _ok(fed.api(13).get(f"/organisations/{fed.slug}/log/verify"))["ok"] is True

    guard_remove(connection)  # what a database owner bent on tampering would do first
    entry = LogEntry.objects.get(organisation=fed.small.org, seq=seat["log"]["seq"])
    LogEntry.objects.filter(pk=entry.pk).update(payload={**entry.payload, "choice": "yes"})

    verdict = _ok(fed.api(13).get(f"/organisations/{fed.slug}/log/verify"))
    assert verdict["ok"] is False
    assert verdict["problem"]["seq"] == seat["log"]["seq"]
    assert "changed" in verdict["problem"]["reason"]
