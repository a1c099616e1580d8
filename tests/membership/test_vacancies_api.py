"""A seat or office a member leaves by moving, resigning or lapsing is filled by election: the election is
called at once (a move or a resignation) or by the scheduler's next pass (a lapse), and never twice while
one is under way. Nobody's constituency is left short of a delegate with no election called."""

from __future__ import annotations

import pytest

from commune.audit.models import LogEntry
from commune.elections.models import Election, ElectionKind
from commune.elections.services import elections_run_due
from commune.federation.models import Delegation, OfficeTerm
from commune.federation.services import END_TRANSFERRED, member_lapse
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation, build_federation
from tests.membership.joining import admission_by

pytestmark = pytest.mark.django_db

VACANCY = "Commune (automatic: a seat or office is vacant)"


@pytest.fixture
def fed() -> SmallFederation:
    """m1–m5 in D0-U0 (m2 keeps its roll, m3 is its delegate to District 0 and District 0's to
    Congress), m6–m10 in D0-U1, m11–m15 in D1-U0, m16–m20 in D1-U1."""
    return build_federation()


def _as(fed: SmallFederation, n: int) -> ApiClient:
    return ApiClient(fed.members[f"m{n}"].person)


def _called(fed: SmallFederation) -> set[tuple[str, str, str]]:
    """(kind, body, council or office) of every election called to fill a vacancy."""
    return {
        (e.kind, e.body.code, e.council.code if e.council else e.office.title if e.office else "")
        for e in Election.objects.filter(organisation=fed.org, called_by=VACANCY).select_related(
            "body", "council", "office"
        )
    }


def test_a_delegate_who_moves_leaves_their_constituency_an_election_at_once(fed: SmallFederation) -> None:
    """m3 moves from D0-U0 to D1-U0: their seat on District 0 for D0-U0 ends today, and the election of
    D0-U0's delegates is called in the same act; a second scheduler pass calls no other."""
    admission_by(fed.org, "automatic")
    moved = _as(fed, 3).post("/api/orgs/tf/transfers", {"to": "D1-U0"})
    assert moved.status_code == 201 and moved.json()["status"] == "admitted"
    seat = Delegation.objects.get(member=fed.members["m3"], constituency=fed.units[0])
    assert seat.end_reason == END_TRANSFERRED
    assert (ElectionKind.DELEGATES, "D0-U0", "D0") in _called(fed)
    election = Election.objects.get(body=fed.units[0], called_by=VACANCY)
    assert election.called_at >= seat.ended_at
    assert LogEntry.objects.filter(action="election.called", payload__election=election.pk).exists()
    before = Election.objects.count()
    elections_run_due()
    assert Election.objects.filter(body=fed.units[0], kind=ElectionKind.DELEGATES).count() == 1
    assert Election.objects.count() >= before


def test_an_officer_who_moves_leaves_their_office_an_election(fed: SmallFederation) -> None:
    """m2 keeps D0-U0's roll and moves to D0-U1: the office ends and the election of its next holder is
    called."""
    admission_by(fed.org, "automatic")
    assert _as(fed, 2).post("/api/orgs/tf/transfers", {"to": "D0-U1"}).status_code == 201
    term = OfficeTerm.objects.get(member=fed.members["m2"])
    assert term.end_reason == END_TRANSFERRED
    assert (ElectionKind.OFFICER, "D0-U0", term.office.title) in _called(fed)


def test_a_move_admitted_by_the_receiving_officer_calls_the_election_too(fed: SmallFederation) -> None:
    """m3 asks to move to D0-U1; with no officer there, D0-U1 gets one, who admits them."""
    from commune.federation.services import office_create, office_fill
    from tests.clock import current_term

    office = office_create(body=fed.units[1], title="Branch Secretary", manages_roll=True)
    start, end = current_term()
    office_fill(office=office, member=fed.members["m7"], term_start=start, term_end=end, source="test")
    asked = _as(fed, 3).post("/api/orgs/tf/transfers", {"to": "D0-U1"}).json()
    assert _called(fed) == set()
    assert _as(fed, 7).post(f"/api/orgs/tf/transfers/{asked['id']}/admit", {}).status_code == 200
    assert (ElectionKind.DELEGATES, "D0-U0", "D0") in _called(fed)


def test_a_resignation_calls_the_election_of_the_seat_it_leaves(fed: SmallFederation) -> None:
    assert _as(fed, 3).post("/api/orgs/tf/resign", {"confirm": True}).status_code == 200
    assert (ElectionKind.DELEGATES, "D0-U0", "D0") in _called(fed)


def test_a_lapse_is_filled_by_the_schedulers_next_pass_once(fed: SmallFederation) -> None:
    """A lapse (arrears, a roll import) leaves the seat vacant; the scheduler calls its election, once."""
    member_lapse(member=fed.members["m3"], reason="arrears")
    assert _called(fed) == set()
    report = elections_run_due()
    assert (ElectionKind.DELEGATES, "D0-U0", "D0") in _called(fed)
    assert any("a seat or office is vacant" in line for line in report.done)
    count = Election.objects.count()
    elections_run_due()
    assert Election.objects.count() == count


def test_a_move_looks_only_at_the_seats_the_member_left(fed: SmallFederation) -> None:
    """Another vacancy in the organisation (m8's seat for D0-U1, left by a lapse not yet swept) is left to
    the scheduler: m3's move calls only the elections of what m3 left, so a move costs the same however many
    old vacancies there are."""
    from commune.federation.services import delegation_seat
    from tests.clock import current_term

    start, end = current_term()
    delegation_seat(
        council=fed.districts[0],
        constituency=fed.units[1],
        member=fed.members["m8"],
        term_start=start,
        term_end=end,
        source="test election",
    )
    member_lapse(member=fed.members["m8"], reason="arrears")
    admission_by(fed.org, "automatic")
    assert _as(fed, 3).post("/api/orgs/tf/transfers", {"to": "D1-U0"}).status_code == 201
    # m3's two seats: on District 0 for D0-U0, and on Congress for District 0.
    assert {body for _kind, body, _seat in _called(fed)} == {"D0-U0", "D0"}
    elections_run_due()
    assert {body for _kind, body, _seat in _called(fed)} == {"D0-U0", "D0", "D0-U1"}
