"""Elections from below: calling, electorates, nominations, the timeline, results and seating."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commune.accounts.services import user_create
from commune.audit.models import LogEntry
from commune.audit.services import Actor
from commune.audit.verification import chain_verify
from commune.elections.errors import ElectionConflict, ElectionError, NotEligible
from commune.elections.models import (
    Candidacy,
    CandidacyOutcome,
    CandidacyStatus,
    ElectedSeat,
    Election,
    ElectionKind,
    ElectionStatus,
    Elector,
    ElectorateMode,
)
from commune.elections.services import (
    candidacy_second,
    candidacy_withdraw,
    election_call,
    elections_run_due,
    endorsement_publish,
    months_after,
)
from commune.elections.services.casting import ballot_cast
from commune.federation.models import Delegation, Office, OfficeTerm
from commune.federation.services import member_admit
from tests.clock import Clock
from tests.conftest import SmallFederation, build_federation
from tests.elections.conftest import call, day_timeline, stand, to_declared, to_voting
from tests.referendum import constitution_amend

pytestmark = pytest.mark.django_db


def _rules(federation: SmallFederation, **elections: object) -> None:
    from commune.federation.constitution import DEFAULT_RULES

    rules = {**DEFAULT_RULES, "elections": {**DEFAULT_RULES["elections"], **elections}}
    constitution_amend(federation.org, rules)


def test_delegate_election_takes_its_seats_from_a_fresh_apportionment(
    federation: SmallFederation, clock: Clock
) -> None:
    """Calling a delegate election re-apportions the council and fixes the constituency's seats and method."""
    unit = federation.units[0]
    election = call(clock, unit, kind=ElectionKind.DELEGATES)
    share = election.apportionment.shares.get(constituency=unit)  # type: ignore[union-attr]
    assert election.council == federation.districts[0]
    assert election.seats == share.seats >= 1
    assert election.method == ("scottish-stv" if election.seats > 1 else "irv")
    assert election.status == ElectionStatus.NOMINATIONS
    assert LogEntry.objects.filter(action="election.called", payload__election=election.pk).exists()


def test_direct_electorate_of_a_district_is_every_member_below_it(
    federation: SmallFederation, clock: Clock
) -> None:
    """Directly elected: all members of all units within the constituency, each with one vote."""
    election = call(clock, federation.districts[0], kind=ElectionKind.DELEGATES)
    electors = set(Elector.objects.filter(election=election).values_list("member__number", flat=True))
    assert electors == {federation.members[f"m{n}"].number for n in range(1, 11)}
    assert election.electorate_mode == ElectorateMode.MEMBERS
    assert set(Elector.objects.filter(election=election).values_list("weight", flat=True)) == {1}


def test_indirect_weighted_electorate_is_the_delegates_below_with_their_members(
    federation: SmallFederation, clock: Clock
) -> None:
    """Indirectly elected: the delegates seated on the district elect its delegates, each vote weighted by
    the members their constituency has per seat."""
    _rules(federation, electorate="indirect", weighted_council_votes=True)
    election = call(clock, federation.districts[0], kind=ElectionKind.DELEGATES)
    electors = list(Elector.objects.filter(election=election).values_list("member_id", "weight"))
    assert electors == [(federation.members["m3"].pk, 5)]  # all five members of its unit
    assert election.electorate_mode == ElectorateMode.DELEGATES and election.weighted


def test_electorate_is_fixed_when_the_election_is_called(federation: SmallFederation, clock: Clock) -> None:
    """A member admitted after the call cannot vote in it."""
    election = call(clock, federation.units[0])
    late = member_admit(
        unit=federation.units[0], person=user_create(email="late@x.example", name="Late"), number="LATE1"
    )
    assert not Elector.objects.filter(election=election, member=late).exists()
    assert election.electorate_size == 5


def test_officer_election_has_one_seat_and_the_officer_method(
    federation: SmallFederation, clock: Clock
) -> None:
    office = Office.objects.get(body=federation.units[0], title="Secretary")
    election = call(clock, federation.units[0], kind=ElectionKind.OFFICER, office=office)
    assert (election.seats, election.method, election.title) == (
        1,
        "irv",
        f"Secretary of {federation.units[0].name}",
    )


def test_only_one_election_at_a_time_for_the_same_seats(federation: SmallFederation, clock: Clock) -> None:
    call(clock, federation.units[0], kind=ElectionKind.DELEGATES)
    with pytest.raises(ElectionConflict, match="already under way"):
        call(clock, federation.units[0], kind=ElectionKind.DELEGATES)


def test_a_timeline_out_of_order_is_refused(federation: SmallFederation, clock: Clock) -> None:
    timeline = day_timeline(clock.now)
    backwards = type(timeline)(
        timeline.nominations_open_at,
        timeline.nominations_close_at,
        timeline.voting_close_at,
        timeline.voting_open_at,
    )
    with pytest.raises(ElectionError, match="timeline must run"):
        election_call(
            body=federation.units[0], kind=ElectionKind.OTHER, seats=1, title="X", timeline=backwards
        )
    assert not Election.objects.exists()


def test_any_member_of_the_constituency_may_stand_and_no_one_else(
    federation: SmallFederation, clock: Clock
) -> None:
    election = call(clock, federation.units[0])
    stand(election, federation.members["m1"])
    with pytest.raises(NotEligible, match="only members of"):
        stand(election, federation.members["m6"])
    with pytest.raises(ElectionConflict, match="already standing"):
        stand(election, federation.members["m1"])
    assert list(Candidacy.objects.filter(election=election).values_list("member__number", flat=True)) == [
        federation.members["m1"].number
    ]


def test_only_the_candidate_withdraws_and_only_while_nominations_are_open(
    federation: SmallFederation, clock: Clock
) -> None:
    election = call(clock, federation.units[0])
    m1, m2 = federation.members["m1"], federation.members["m2"]
    (cid,) = stand(election, m1)
    candidacy = Candidacy.objects.get(pk=cid)
    with pytest.raises(NotEligible):
        candidacy_withdraw(candidacy=candidacy, member=m2, actor=Actor.of(m2.person))
    candidacy_withdraw(candidacy=candidacy, member=m1, actor=Actor.of(m1.person))
    assert Candidacy.objects.get(pk=cid).status == CandidacyStatus.WITHDRAWN
    stand(election, m1)  # standing again is allowed while nominations are open
    clock.now = election.nominations_close_at
    with pytest.raises(ElectionConflict, match="not open"):
        candidacy_withdraw(candidacy=Candidacy.objects.get(pk=cid), member=m1, actor=Actor.of(m1.person))


def test_nominations_short_of_seconders_are_not_on_the_ballot(
    federation: SmallFederation, clock: Clock
) -> None:
    """Where the constitution asks for seconders, only nominations with enough of them stand."""
    _rules(federation, seconders_required=1)
    election = call(clock, federation.units[0], seats=1)
    m = federation.members
    seconded, unseconded, third = stand(election, m["m1"], m["m2"], m["m4"])
    candidacy_second(candidacy=Candidacy.objects.get(pk=seconded), member=m["m5"], actor=Actor(None, "t"))
    candidacy_second(candidacy=Candidacy.objects.get(pk=third), member=m["m5"], actor=Actor(None, "t"))
    with pytest.raises(ElectionError, match="cannot second themselves"):
        candidacy_second(
            candidacy=Candidacy.objects.get(pk=unseconded), member=m["m2"], actor=Actor(None, "t")
        )
    with pytest.raises(NotEligible):
        candidacy_second(
            candidacy=Candidacy.objects.get(pk=unseconded), member=m["m9"], actor=Actor(None, "t")
        )
    election = to_voting(clock, election)
    assert Candidacy.objects.get(pk=unseconded).status == CandidacyStatus.INVALID
    assert Candidacy.objects.get(pk=seconded).status == CandidacyStatus.STANDING
    assert election.status == ElectionStatus.VOTING


def test_an_endorsement_is_published_beside_the_candidate_and_changes_no_ballot(
    federation: SmallFederation, clock: Clock
) -> None:
    election = call(clock, federation.units[0])
    (cid,) = stand(election, federation.members["m1"])
    endorsement = endorsement_publish(
        candidacy=Candidacy.objects.get(pk=cid),
        body=federation.districts[0],
        statement="Good",
        actor=Actor(None, "t"),
    )
    assert endorsement.body == federation.districts[0]
    assert Candidacy.objects.filter(election=election).count() == 1


def test_a_full_delegate_election_seats_the_winners_and_records_alternates(
    federation: SmallFederation, clock: Clock
) -> None:
    """From nomination to seating: the STV winners replace the sitting delegates, each seat naming this
    election as its source, and the runners-up are recorded as alternates in order."""
    fed = build_federation(units_per_district=1, members_per_unit=12, slug="big")
    unit, council = fed.units[0], fed.districts[0]
    election = call(clock, unit, kind=ElectionKind.DELEGATES, term_days=3)
    assert election.seats == 4
    m = fed.members
    a, b, c, d, e, f = stand(election, m["m1"], m["m2"], m["m4"], m["m5"], m["m6"], m["m7"])
    election = to_voting(clock, election)
    votes = [[a, b]] * 4 + [[b, a]] * 2 + [[c]] * 2 + [[d, c]] * 2 + [[e]] + [[f, e]]
    for n, ranking in enumerate(votes, start=1):
        ballot_cast(election_id=election.pk, member=m[f"m{n}"], ranking=ranking)
    election = to_declared(clock, election)
    assert election.status == ElectionStatus.DECLARED
    assert election.ballots_counted == 12 and len(election.merkle_root) == 64
    elected = list(
        Candidacy.objects.filter(election=election, outcome=CandidacyOutcome.ELECTED).order_by(
            "elected_order"
        )
    )
    assert len(elected) == 4 and elected[0].pk == a
    alternates = list(
        Candidacy.objects.filter(election=election, outcome=CandidacyOutcome.ALTERNATE).order_by(
            "alternate_rank"
        )
    )
    assert [x.alternate_rank for x in alternates] == [1, 2]
    # The term starts later: the old delegate sits until then.
    assert Delegation.objects.filter(council=council, constituency=unit, ended_at__isnull=True).count() == 1
    clock.advance(days=2)
    elections_run_due()
    live = Delegation.objects.filter(council=council, constituency=unit, ended_at__isnull=True)
    assert sorted(live.values_list("member_id", flat=True)) == sorted(x.member_id for x in elected)
    assert set(live.values_list("source", flat=True)) == {election.source_label}
    old = Delegation.objects.get(council=council, member=m["m3"], source="test election")
    assert old.ended_at is not None and old.end_reason == "term ended"
    seats = ElectedSeat.objects.filter(election=election)
    assert (
        sum(seats.values_list("represents_members", flat=True)) == 12
    )  # every member of the unit, shared among its delegates
    assert chain_verify(organisation_id=fed.org.pk).ok


def test_an_officer_election_installs_the_winner_and_ends_the_previous_term(
    federation: SmallFederation, clock: Clock
) -> None:
    office = Office.objects.get(body=federation.units[0], title="Secretary")
    election = call(clock, federation.units[0], kind=ElectionKind.OFFICER, office=office, term_days=0)
    m = federation.members
    a, b = stand(election, m["m1"], m["m4"])
    election = to_voting(clock, election)
    for n, ranking in [(1, [a]), (2, [a, b]), (4, [b]), (5, [a])]:
        ballot_cast(election_id=election.pk, member=m[f"m{n}"], ranking=ranking)
    election = to_declared(clock, election)
    live = OfficeTerm.objects.get(office=office, ended_at__isnull=True)
    assert live.member == m["m1"] and live.source == election.source_label
    assert OfficeTerm.objects.get(office=office, member=m["m2"]).end_reason == "term ended"


def test_no_more_candidates_than_seats_are_elected_unopposed(
    federation: SmallFederation, clock: Clock
) -> None:
    election = call(clock, federation.units[0], seats=2)
    stand(election, federation.members["m1"], federation.members["m4"])
    election = to_voting(clock, election)
    assert election.status == ElectionStatus.DECLARED and election.uncontested
    assert Candidacy.objects.filter(election=election, outcome=CandidacyOutcome.ELECTED).count() == 2


def test_an_election_without_nominations_fails(federation: SmallFederation, clock: Clock) -> None:
    election = to_voting(clock, call(clock, federation.units[0]))
    assert (election.status, election.failure_reason) == (ElectionStatus.FAILED, "no valid nominations")


def test_an_ending_term_calls_the_next_election(federation: SmallFederation, clock: Clock) -> None:
    """Within four weeks of a delegate's term ending, the scheduler calls the next election of the same
    constituency, for the term after; it does so once."""
    term_end = Delegation.objects.get(
        council=federation.districts[0], constituency=federation.units[0]
    ).term_end
    clock.now = clock.now.replace(year=term_end.year, month=term_end.month, day=term_end.day) - timedelta(
        days=21
    )
    elections_run_due()
    called = Election.objects.filter(kind=ElectionKind.DELEGATES, body=federation.units[0])
    assert called.count() == 1
    election = called.get()
    assert election.council == federation.districts[0]
    assert election.term_start == term_end + timedelta(days=1)
    assert election.term_end == months_after(election.term_start, 12)
    assert Election.objects.filter(kind=ElectionKind.OFFICER, office__title="Secretary").count() == 1
    elections_run_due()
    assert Election.objects.filter(kind=ElectionKind.DELEGATES, body=federation.units[0]).count() == 1


def test_transitions_happen_on_time_without_anyone_acting(federation: SmallFederation, clock: Clock) -> None:
    """Nothing moves before its time; each run of the scheduler does what has fallen due."""
    election = call(clock, federation.units[0])
    stand(election, federation.members["m1"], federation.members["m4"])
    clock.now = election.nominations_close_at - timedelta(seconds=1)
    elections_run_due()
    election.refresh_from_db()
    assert election.status == ElectionStatus.NOMINATIONS
    election = to_voting(clock, election)
    assert election.status == ElectionStatus.VOTING
    election = to_declared(clock, election)
    assert election.status == ElectionStatus.FAILED and election.failure_reason == "no ballots were cast"
