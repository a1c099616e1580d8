"""Recall's services and scheduler: lapsing, recall ballots counted on time, by-elections, officers,
countback's fallback, the one-signature guard and signer protection, and constant-query reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext, override_settings

from commune.audit.models import LogEntry
from commune.ballots.boxkeys import PETITION, box_key_exists
from commune.ballots.models import YesNoPaper, YesNoRegisterEntry
from commune.cli.main import main as commune
from commune.elections.models import Candidacy, ElectedSeat, ElectionKind, ElectionStatus
from commune.elections.selectors import bulletin_blt_text
from commune.elections.services import candidacy_nominate, elections_run_due
from commune.elections.services.casting import ballot_cast
from commune.federation.models import Delegation, OfficeTerm
from commune.federation.services import office_create
from commune.recall.errors import RecallConflict, RecallNotEntitled
from commune.recall.models import (
    RecallPetition,
    RecallSignature,
    RecallStatus,
    ReplacementOutcome,
)
from commune.recall.selectors import (
    recall_petition_detail,
    recall_petitions_against,
    recall_petitions_of_electorate,
    recallable_seats_of_member,
)
from commune.recall.services import (
    recall_ballot_cast,
    recall_countback_standing,
    recall_petition_open,
    recall_petition_sign,
    recall_signed,
    recalls_run_due,
)
from commune.tally.countback import countback
from commune.tally.readers import parse_blt
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.recall.conftest import Recall, actor

pytestmark = pytest.mark.django_db


def _petition(recall: Recall, holder: str = "m1", *signers: str) -> RecallPetition:
    petition = recall_petition_open(seat=recall.seats[holder], member=recall.member("m7"))
    for key in signers:
        petition = recall_petition_sign(petition=petition, member=recall.member(key))
    return petition


def test_a_petition_short_of_its_threshold_lapses_at_its_deadline_by_the_worker(
    recall: Recall, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two of the three signatures needed by day 30: the election worker's run-due lapses the petition,
    no more signatures are taken, the delegate keeps the seat and a new petition may be opened."""
    petition = _petition(recall, "m1", "m8")
    recall.clock.advance(days=30, seconds=1)
    assert commune(["election", "run-due"]) == 0
    assert f"recall petition #{petition.pk}: lapsed" in capsys.readouterr().out
    petition.refresh_from_db()
    assert petition.status == RecallStatus.LAPSED
    with pytest.raises(RecallConflict):
        recall_petition_sign(petition=petition, member=recall.member("m9"))
    assert Delegation.objects.get(pk=recall.seats["m1"].delegation_id).ended_at is None
    assert LogEntry.objects.filter(action="recall.petition_lapsed").count() == 1
    assert _petition(recall, "m1").status == RecallStatus.GATHERING


def test_a_petition_below_the_threshold_recalls_nobody(recall: Recall) -> None:
    """A recall fails below the petition threshold: 2 of 3 signatures change nothing."""
    recall.rules(procedure="immediate")
    petition = _petition(recall, "m1", "m8")
    assert (petition.status, petition.threshold_reached_at) == (RecallStatus.GATHERING, None)
    assert Delegation.objects.get(pk=recall.seats["m1"].delegation_id).ended_at is None


def test_the_worker_counts_a_recall_ballot_when_it_closes_and_the_countback_fills_the_seat(
    recall: Recall,
) -> None:
    """The ballot closes after its week; five yes to two no carries under the simple majority; the seat
    goes by countback; the ballot box is rewritten at the count and its register says nothing of how."""
    petition = _petition(recall, "m1", "m8", "m9")
    assert petition.status == RecallStatus.BALLOTING
    for n, choice in enumerate(["yes"] * 5 + ["no"] * 2, start=2):
        recall_ballot_cast(petition=petition, member=recall.member(f"m{n}"), choice=choice)
    with pytest.raises(RecallNotEntitled):
        recall_ballot_cast(petition=petition, member=recall.member("m13"), choice="yes")
    before = set(YesNoPaper.objects.values_list("id", flat=True))
    recall.clock.advance(days=7, seconds=1)
    assert recalls_run_due().done == [f"recall petition #{petition.pk}: recall ballot counted"]
    petition.refresh_from_db()
    assert petition.status == RecallStatus.RECALLED
    assert petition.replacement_outcome == ReplacementOutcome.COUNTBACK
    assert before.isdisjoint(YesNoPaper.objects.values_list("id", flat=True))
    assert sorted(YesNoPaper.objects.values_list("choice", flat=True)) == ["no"] * 2 + ["yes"] * 5
    assert {f.name for f in YesNoRegisterEntry._meta.concrete_fields} == {"id", "box", "member"}
    assert {f.name for f in YesNoPaper._meta.concrete_fields} == {"id", "box", "choice"}


def test_a_recall_ballot_without_its_majority_keeps_the_holder(recall: Recall) -> None:
    """Three yes to three no is not more than half: the delegate stays."""
    petition = _petition(recall, "m1", "m8", "m9")
    for n, choice in enumerate(["yes"] * 3 + ["no"] * 3, start=2):
        recall_ballot_cast(petition=petition, member=recall.member(f"m{n}"), choice=choice)
    recall.clock.advance(days=8)
    recalls_run_due()
    petition.refresh_from_db()
    assert petition.status == RecallStatus.RETAINED
    assert Delegation.objects.get(pk=recall.seats["m1"].delegation_id).ended_at is None


def test_a_recall_ballot_is_counted_under_the_majority_it_opened_with(recall: Recall) -> None:
    """The ballot opens under the simple majority; the membership then asks two thirds for a recall
    ballot. The ballot under way keeps its rule: four yes to three no recalls the delegate."""
    petition = _petition(recall, "m1", "m8", "m9")
    recall.rules(recall_ballot_majority="2/3")
    for n, choice in enumerate(["yes"] * 4 + ["no"] * 3, start=2):
        recall_ballot_cast(petition=petition, member=recall.member(f"m{n}"), choice=choice)
    recall.clock.advance(days=8)
    recalls_run_due()
    petition.refresh_from_db()
    assert petition.status == RecallStatus.RECALLED
    assert petition.ballot.rule["majority"] == "1/2"
    assert recall_petition_open(seat=recall.seats["m2"], member=recall.member("m7")).ballot_majority == "2/3"


def test_the_countback_winner_sits_for_the_same_electorate_which_can_recall_them_too(recall: Recall) -> None:
    """The seat filled by countback belongs to the original election, so its new holder answers to the
    same electorate."""
    recall.rules(procedure="immediate")
    petition = _petition(recall, "m1", "m8", "m9")
    assert petition.replacement_seat is not None
    assert petition.replacement_seat.election_id == recall.election.pk
    again = recall_petition_open(seat=petition.replacement_seat, member=recall.member("m10"))
    assert again.electorate_size == 12 and again.holder_id == petition.replaced_by_id


def test_a_by_election_fills_the_seat_when_the_constitution_says_so(recall: Recall) -> None:
    """With replacement by by-election the recall calls a one-seat election of the same constituency;
    when it is declared the worker seats its winner on the council for the rest of the term."""
    recall.rules(procedure="immediate", replacement="by-election")
    petition = _petition(recall, "m1", "m8", "m9")
    assert petition.replacement_outcome == ReplacementOutcome.BY_ELECTION
    election = petition.by_election
    assert election is not None
    assert (election.kind, election.body_id, election.seats) == ("other", recall.fed.units[0].pk, 1)
    elections_run_due()
    a, b = stand(election, recall.member("m5"), recall.member("m6"))
    election = to_voting(recall.clock, election)
    for n in range(1, 8):
        ballot_cast(election_id=election.pk, member=recall.member(f"m{n}"), ranking=[b, a] if n < 5 else [a])
    recall.clock.now = election.voting_close_at + timedelta(seconds=1)
    assert commune(["election", "run-due"]) == 0
    petition.refresh_from_db()
    assert petition.replacement_outcome == ReplacementOutcome.BY_ELECTION_SEATED
    assert petition.replaced_by == recall.member("m6")
    seat = Delegation.objects.get(
        member=recall.member("m6"), council=recall.fed.districts[0], ended_at__isnull=True
    )
    assert seat.source == election.source_label
    assert ElectedSeat.objects.get(election=election).delegation == seat


def test_an_officer_is_recalled_and_replaced_by_countback_of_their_election(recall: Recall) -> None:
    """An office filled by an IRV election: recalled at once, filled by countback of that election's
    bulletin exactly as the tally library recounts it."""
    recall.rules(procedure="immediate")
    office = office_create(body=recall.fed.units[0], title="Convenor")
    election = call(recall.clock, recall.fed.units[0], kind=ElectionKind.OFFICER, office=office, term_days=2)
    c7, c8, c9 = stand(election, recall.member("m7"), recall.member("m8"), recall.member("m9"))
    election = to_voting(recall.clock, election)
    rankings = [[c7]] * 5 + [[c8, c7]] * 4 + [[c9, c8]] * 3
    for n, ranking in enumerate(rankings, start=1):
        ballot_cast(election_id=election.pk, member=recall.member(f"m{n}"), ranking=ranking)
    election = to_declared(recall.clock, election)
    seat = ElectedSeat.objects.get(election=election)
    assert seat.member == recall.member("m8")
    petition = recall_petition_open(seat=seat, member=recall.member("m1"))
    for key in ("m2", "m3"):
        petition = recall_petition_sign(petition=petition, member=recall.member(key))
    term = OfficeTerm.objects.get(pk=seat.office_term_id)
    assert term.end_reason == "recalled"
    label = {c.member_id: c.ballot_label for c in Candidacy.objects.filter(election=election)}
    expected = countback(
        parse_blt(bulletin_blt_text(election=election).encode()),
        departed=label[recall.member("m8").pk],
        seed=election.tie_seed or 0,
    )
    assert petition.replaced_by is not None and label[petition.replaced_by.pk] == expected.filled_by
    holder = OfficeTerm.objects.get(office=office, ended_at__isnull=True)
    assert holder.member == petition.replaced_by and holder.source.startswith("countback of election")
    assert LogEntry.objects.filter(action="officer.recalled").count() == 1


def test_an_uncontested_seat_cannot_be_filled_by_countback_so_a_by_election_is_called(recall: Recall) -> None:
    """No ballots were counted for an office elected unopposed: the recall calls a by-election instead
    and says why."""
    recall.rules(procedure="immediate", petition_threshold_percent="10")
    office = office_create(body=recall.fed.units[0], title="Steward")
    election = call(recall.clock, recall.fed.units[0], kind=ElectionKind.OFFICER, office=office, term_days=0)
    candidacy_nominate(election=election, member=recall.member("m5"), actor=actor())
    recall.clock.now = election.nominations_close_at + timedelta(seconds=1)
    elections_run_due()
    election.refresh_from_db()
    assert election.uncontested and election.status == ElectionStatus.DECLARED
    recall.clock.now = election.voting_close_at + timedelta(seconds=1)  # the term starts: the seat is taken
    elections_run_due()
    petition = recall_petition_open(
        seat=ElectedSeat.objects.get(election=election), member=recall.member("m1")
    )
    petition = recall_petition_sign(petition=petition, member=recall.member("m2"))
    assert petition.status == RecallStatus.RECALLED
    assert petition.replacement_outcome == ReplacementOutcome.BY_ELECTION
    assert "countback not possible" in petition.replacement_note
    assert petition.by_election is not None and petition.by_election.office_id == office.pk


def test_one_signature_per_person_is_a_database_constraint_and_survives_a_key_rotation(
    recall: Recall,
) -> None:
    """The signature digest is unique per petition; after the secret key is rotated (the old one kept
    as a fallback) the signer is still known to have signed and cannot sign again."""
    petition = _petition(recall, "m1")
    key = RecallSignature.objects.get(petition=petition).signer_key
    with pytest.raises(IntegrityError):
        RecallSignature.objects.create(petition=petition, signer_key=key)


def test_once_a_petition_ends_not_even_the_secret_key_tells_who_signed(
    recall: Recall, django_capture_on_commit_callbacks: Any
) -> None:
    """Signatures are digests under the petition's own key, kept outside the database: the server's
    secret key does not test them, and when the petition stops gathering the key is destroyed, so no copy
    of the database (a backup taken while it gathered included) can ever tell who signed."""
    from django.conf import settings as django_settings
    from django.utils.crypto import salted_hmac

    petition = _petition(recall, "m1", "m8")
    digests = set(RecallSignature.objects.filter(petition=petition).values_list("signer_key", flat=True))
    assert len(digests) == 2 and box_key_exists(PETITION, petition.pk)
    for member in recall.fed.members.values():
        guess = salted_hmac(
            "commune.mandates.recall.signature",
            f"{petition.pk}:{member.pk}",
            secret=django_settings.SECRET_KEY,
            algorithm="sha256",
        ).hexdigest()
        assert guess not in digests
    assert recall_signed(petition=petition, member=recall.member("m8"))

    recall.clock.advance(days=30, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        recalls_run_due()
    assert not box_key_exists(PETITION, petition.pk)
    assert not recall_signed(petition=petition, member=recall.member("m8"))


def test_a_rotated_secret_key_does_not_let_a_signer_sign_twice(recall: Recall, settings: object) -> None:
    """With the old key kept as a fallback the earlier signature is still found."""
    from django.conf import settings as django_settings

    petition = _petition(recall, "m1")
    old = django_settings.SECRET_KEY
    with override_settings(SECRET_KEY="a-brand-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[old]):
        assert recall_signed(petition=petition, member=recall.member("m7"))
        with pytest.raises(RecallConflict):
            recall_petition_sign(petition=petition, member=recall.member("m7"))


def test_the_recall_selectors_read_in_one_query_however_many_petitions(recall: Recall) -> None:
    """Petition detail, petitions against a holder and an elector's petitions are single queries."""
    for holder in ("m1", "m2", "m3", "m4"):
        recall_petition_open(seat=recall.seats[holder], member=recall.member("m7"))
    with CaptureQueriesContext(connection) as queries:
        rows = list(recall_petitions_of_electorate(member=recall.member("m9")))
        for p in rows:
            _ = (p.holder.person.name, p.seat.delegation.council.code, p.body.code, p.seat.election.title)
    assert len(rows) == 4 and len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        detail = recall_petition_detail(petition_id=rows[0].pk)
        assert detail is not None
        _ = (
            detail.holder.person.name,
            detail.seat.delegation.constituency.code,
            getattr(detail, "ballot", None),
        )
        list(recall_petitions_against(member=recall.member("m1")))
    assert len(queries) == 2
    seats = list(recallable_seats_of_member(member=recall.member("m9")))
    assert sorted(s.member.number for s in seats) == ["RC00001", "RC00002", "RC00003", "RC00004"]
    assert list(recallable_seats_of_member(member=recall.member("m13"))) == []


def test_the_countback_standing_check_reads_in_four_queries_however_many_candidates_stood(
    recall: Recall, django_assert_max_num_queries: Any
) -> None:
    """Who may still fill a recalled seat is read with a fixed number of queries: the seat, the
    candidacies, who is still within the body and who already sits on the council — not two more for
    every unsuccessful candidate."""
    petition = recall_petition_open(seat=recall.seats["m1"], member=recall.member("m7"))
    with django_assert_max_num_queries(4):
        _, departed, standing = recall_countback_standing(petition=petition)
    assert departed == recall.labels["m1"]
    assert sorted(standing) == sorted([recall.labels["m5"], recall.labels["m6"]])
