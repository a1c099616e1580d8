"""An alternate from the constituency's election stands in for an absent delegate; and the council
session and compliance reads stay at a constant number of queries as they grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commune.elections.models import Candidacy, CandidacyOutcome, ElectionKind
from commune.elections.services import election_install
from commune.elections.services.casting import ballot_cast
from commune.federation.services import delegation_seat
from commune.motions.models import DelegateVote
from tests.clock import Clock, current_term
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.motions.conftest import Api, Fed, cast, close, on_agenda, put, sitting

pytestmark = pytest.mark.django_db


def test_the_alternate_of_an_absent_delegate_signs_the_roll_and_votes_for_the_seat(
    fed: Fed, clock: Clock
) -> None:
    """D0-U1 elects its delegates; the runner-up is declared alternate. With one elected delegate absent,
    the alternate signs the roll for that seat and votes, on the record as the alternate; a member who
    is no alternate cannot."""
    unit = fed.small.units[1]
    election = call(clock, unit, kind=ElectionKind.DELEGATES)  # type: ignore[arg-type]
    seats = election.seats
    runners = [fed.members[f"m{n}"] for n in range(6, 6 + seats + 1)]
    candidates = stand(election, *runners)
    election = to_voting(clock, election)  # type: ignore[arg-type]
    for n in range(6, 11):
        ballot_cast(election_id=election.pk, member=fed.members[f"m{n}"], ranking=candidates)
    election = to_declared(clock, election)  # type: ignore[arg-type]
    election_install(election=election)
    alternate = Candidacy.objects.get(election=election, outcome=CandidacyOutcome.ALTERNATE, alternate_rank=1)
    elected = list(
        Candidacy.objects.filter(election=election, outcome=CandidacyOutcome.ELECTED).order_by(
            "elected_order"
        )
    )
    present = int(elected[0].member.number[-5:])
    absent = elected[-1].member
    alternate_n = int(alternate.member.number[-5:])

    motion = on_agenda(fed, 3, "D0", supporter=present)
    session = sitting(fed, "D0", 3, present, *[int(c.member.number[-5:]) for c in elected[1:-1]])
    outsider = next(
        n for n in range(6, 11) if n not in {int(c.member.number[-5:]) for c in [*elected, alternate]}
    )
    assert fed.api(outsider).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code in (403,)
    signed = fed.api(alternate_n).post(f"/orgs/{fed.slug}/sessions/{session}/roll")
    assert signed.status_code == 201, signed.json()
    stand_in = next(r for r in signed.json()["roll"] if r["as_alternate"])
    assert stand_in["delegate"] == absent.person.name
    assert stand_in["alternate_source"] == election.source_label

    vote = put(fed, 3, motion, session=session)
    assert cast(fed, alternate_n, vote, "no").status_code == 201
    recorded = DelegateVote.objects.get(vote_id=vote, cast_by=alternate.member)
    assert recorded.as_alternate and recorded.delegation.member == absent
    record = fed.api(1).get(f"/orgs/{fed.slug}/delegates/{absent.number}/compliance").json()
    assert record["record"][0]["cast_by"] == alternate.member.person.name
    assert record["record"][0]["as_alternate"] is True
    # The absent delegate arriving late finds their seat taken by the alternate.
    assert (
        fed.api(int(absent.number[-5:])).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code == 409
    )


def _queries(api: Api, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries)


def _council_vote(fed: Fed, session: int, voters: list[int]) -> None:
    vote = put(fed, 3, on_agenda(fed, 3, "D0", supporter=6), session=session)
    for n in voters:
        assert cast(fed, n, vote, "yes").status_code == 201
    close(fed, 3, vote)


def test_council_session_and_compliance_reads_take_constant_queries(fed: Fed) -> None:
    """The session page's read and the delegate's compliance record issue the same number of queries with
    one vote of two seats as with four votes of four seats."""
    reader = fed.api(20)
    reader.get("/notifications")  # the token's first use is recorded once; keep it out of the counts
    session = sitting(fed, "D0", 3, 6)
    _council_vote(fed, session, [3, 6])
    session_small = _queries(reader, f"/orgs/{fed.slug}/sessions/{session}")
    compliance_small = _queries(reader, f"/orgs/{fed.slug}/delegates/{fed.members['m3'].number}/compliance")
    for n in (4, 5):
        delegation_seat(
            council=fed.small.districts[0],
            constituency=fed.small.units[0],
            member=fed.members[f"m{n}"],
            term_start=current_term()[0],
            term_end=current_term()[1],
            source="test election",
        )
        assert fed.api(n).post(f"/orgs/{fed.slug}/sessions/{session}/roll").status_code == 201
    for _ in range(3):
        _council_vote(fed, session, [3, 4, 5, 6])
    assert _queries(reader, f"/orgs/{fed.slug}/sessions/{session}") == session_small
    assert (
        _queries(reader, f"/orgs/{fed.slug}/delegates/{fed.members['m3'].number}/compliance")
        == compliance_small
    )
    assert len(reader.get(f"/orgs/{fed.slug}/sessions/{session}").json()["votes"]) == 4
