"""The log is the source of truth for power: every record that confers it (seats, offices, memberships,
electorates, results, mandates, executives' powers, pay, the constitution) is rebuilt from the log alone and
compared with the tables, so an edit made in the database behind the services is named by the check —
through the API as any member sees it, on the pages, and by ``commune audit verify`` (exit 1)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from commune.audit.capture import power_rows_saved
from commune.audit.models import ChainVerification, LogEntry
from commune.audit.services import chain_verification_record, log_entry_record
from commune.audit.verification import chain_verify, power_state_discrepancies
from commune.cli.main import main
from commune.elections.models import Candidacy, CandidacyOutcome, Election, ElectionStatus, Elector
from commune.federation.models import (
    Body,
    ConstitutionVersion,
    Delegation,
    Member,
    Membership,
    OfficeTerm,
    body_path,
)
from commune.federation.services import member_transfer
from commune.governance.models import Executive, OfficePay, PayStatus
from commune.mandates.models import Mandate, MandateKind, MandateStatus
from commune.motions.models import Choice, DelegateVote, Motion, MotionStatus, Vote, VoteElector
from commune.notifications.models import Notification
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation, seed_demo

pytestmark = pytest.mark.django_db


def _api_report(fed: SmallFederation) -> dict[str, Any]:
    response = ApiClient(fed.member).get(f"/api/orgs/{fed.org.slug}/log/verify")
    assert response.status_code == 200
    return response.json()


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _other_member(fed: SmallFederation, *not_: Member) -> Member:
    return next(m for m in fed.members.values() if m not in not_)


@pytest.mark.tampered
def test_a_seat_given_to_someone_else_in_the_database_is_named(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    """The delegate's seat handed to another member with one UPDATE: the chain is intact, yet the check
    names the seat, the field, what the log says and what the table says."""
    seat = Delegation.objects.get(council=federation.districts[0], member=federation.members["m3"])
    usurper = federation.members["m9"]
    assert _api_report(federation)["ok"] is True
    _sql("UPDATE federation_delegation SET member_id = %s WHERE id = %s", usurper.pk, seat.pk)

    report = _api_report(federation)
    assert report["ok"] is False and report["problem"] is None and report["discrepancy_count"] == 1
    [wrong] = report["discrepancies"]
    assert (wrong["model"], wrong["pk"], wrong["kind"], wrong["field"]) == (
        "federation.delegation",
        seat.pk,
        "differs",
        "member_id",
    )
    assert (wrong["logged"], wrong["found"]) == (federation.members["m3"].pk, usurper.pk)
    assert wrong["text"].startswith(f"Delegation #{seat.pk}: member_id is {usurper.pk} in the table")

    assert main(["audit", "verify", "--org", federation.org.slug]) == 1
    out = capsys.readouterr().out
    assert "FAILED: 1 row differs" in out and f"Delegation #{seat.pk}: member_id" in out


@pytest.mark.tampered
@pytest.mark.parametrize(
    ("what", "model"),
    [
        ("office holder", "federation.officeterm"),
        ("membership", "federation.membership"),
        ("constitution", "federation.constitutionversion"),
        ("seat deleted", "federation.delegation"),
        ("seat added", "federation.delegation"),
    ],
)
def test_each_record_of_power_changed_behind_the_log_is_named(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str], what: str, model: str
) -> None:
    fed = federation
    officer, m1 = fed.members["m2"], fed.members["m1"]
    if what == "office holder":
        term = OfficeTerm.objects.get(member=officer)
        OfficeTerm.objects.filter(pk=term.pk).update(member=m1)
        expected: tuple[Any, ...] = (term.pk, "differs", "member_id")
    elif what == "membership":
        period = Membership.objects.get(member=m1, ended_at__isnull=True)
        Membership.objects.filter(pk=period.pk).update(unit=fed.units[3])
        expected = (period.pk, "differs", "unit_id")
    elif what == "constitution":
        version = ConstitutionVersion.objects.get(organisation=fed.org, number=1)
        rules = {**version.rules, "offices": {**version.rules["offices"], "max_consecutive_terms": 99}}
        ConstitutionVersion.objects.filter(pk=version.pk).update(rules=rules)
        expected = (version.pk, "differs", "rules")
    elif what == "seat deleted":
        seat = Delegation.objects.get(council=fed.congress)
        _sql("DELETE FROM federation_delegation WHERE id = %s", seat.pk)
        expected = (seat.pk, "missing", "")
    else:
        seat = Delegation.objects.get(council=fed.congress)
        added = Delegation.objects.bulk_create(
            [
                Delegation(
                    council=fed.congress,
                    constituency=fed.districts[1],
                    member=_other_member(fed, fed.members["m3"]),
                    term_start=seat.term_start,
                    term_end=seat.term_end,
                    source="appointed by the secretariat",
                )
            ]
        )[0]
        expected = (added.pk, "extra", "")
    report = _api_report(fed)
    assert report["ok"] is False and report["problem"] is None
    assert [(d["model"], d["pk"], d["kind"], d["field"]) for d in report["discrepancies"]] == [
        (model, *expected)
    ]
    assert main(["audit", "verify", "--org", fed.org.slug]) == 1
    assert "FAILED" in capsys.readouterr().out


def test_the_same_changes_made_through_the_services_verify(federation: SmallFederation) -> None:
    """A transfer (ending the member's seats on the way) is written with its rows: nothing differs."""
    member_transfer(member=federation.members["m3"], to_unit=federation.units[3])
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.ok and report.discrepancy_count == 0
    entry = LogEntry.objects.filter(organisation=federation.org, action="member.transferred").get()
    models = {row["model"] for row in entry.payload["state"]}
    assert {"federation.membership", "federation.member"} <= models


def test_a_row_saved_with_no_act_is_recorded_in_an_entry_of_its_own(federation: SmallFederation) -> None:
    """Code that writes a seat and no entry (here the ORM in a shell) does not slip past the log: the row
    goes into a ``state.recorded`` entry in the same transaction, and a save that changes nothing adds none."""
    seat = Delegation.objects.get(council=federation.congress)
    with transaction.atomic():
        seat.source = "rewritten in a shell"
        seat.save()
    entry = LogEntry.objects.filter(organisation=federation.org).latest("seq")
    assert entry.action == "state.recorded" and "delegations (1)" in entry.summary
    assert entry.payload["state"] == [
        {"model": "federation.delegation", "pk": seat.pk, "fields": entry.payload["state"][0]["fields"]}
    ]
    assert entry.payload["state"][0]["fields"]["source"] == "rewritten in a shell"
    seat.save()
    assert LogEntry.objects.filter(organisation=federation.org).latest("seq").pk == entry.pk
    assert chain_verify(organisation_id=federation.org.pk).ok


def test_rows_written_in_bulk_outside_a_transaction_go_into_one_entry(federation: SmallFederation) -> None:
    """Rows written without signals (a bulk update) and noted outside any transaction go, all of them, into
    one ``state.recorded`` entry, as they would inside one: not an entry a row."""
    seats = list(Delegation.objects.filter(council__organisation=federation.org).order_by("pk"))
    assert len(seats) >= 2
    for seat in seats:
        seat.source = "rewritten in bulk"
    Delegation.objects.bulk_update(seats, ["source"])
    before = LogEntry.objects.filter(organisation=federation.org).count()
    power_rows_saved(seats)
    entries = list(LogEntry.objects.filter(organisation=federation.org).order_by("seq")[before:])
    assert [e.action for e in entries] == ["state.recorded"]
    assert sorted(row["pk"] for row in entries[0].payload["state"]) == [seat.pk for seat in seats]
    assert {row["fields"]["source"] for row in entries[0].payload["state"]} == {"rewritten in bulk"}
    assert chain_verify(organisation_id=federation.org.pk).ok


@pytest.mark.tampered
def test_a_unit_moved_under_another_council_by_its_path_alone_is_named(federation: SmallFederation) -> None:
    """Who votes for a council is read from its units' paths; the log holds each body's parent. An operator
    who rewrites a unit's path in the database, its parent left as the log says, moves its members into
    another district's electorate: the check names the path (and only it), in words, and the command
    fails."""
    unit = federation.units[0]
    other = next(d for d in federation.districts if d.pk != unit.parent_id)
    electorate = Member.objects.filter(organisation=federation.org, current_unit__path__startswith=other.path)
    before = electorate.count()
    Body.objects.filter(pk=unit.pk).update(path=body_path(other.path, unit.pk))
    assert electorate.count() > before  # the attack works on the electorate

    report = chain_verify(organisation_id=federation.org.pk)
    assert not report.ok and report.problem is None
    named = [(d.model, d.pk, d.field, d.kind, d.logged) for d in report.discrepancies]
    assert named == [("federation.body", unit.pk, "path", "derived", unit.path)]
    assert "changed behind the log's back" in str(report.discrepancies[0])
    assert main(["audit", "verify", "--org", federation.org.slug]) == 1

    Body.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth + 1)
    named = [
        (d.pk, d.field, d.logged, d.found)
        for d in power_state_discrepancies(organisation_id=federation.org.pk)
    ]
    assert named == [(unit.pk, "depth", unit.depth, unit.depth + 1)]


@pytest.mark.tampered
def test_a_constituency_given_more_members_than_it_has_is_named(federation: SmallFederation) -> None:
    """A council's seats are shared out by its constituencies' member counts, kept on each body. An
    operator who raises a unit's count in the database would win its district more delegates at the next
    apportionment: the check names the count, with the number of the unit's current members."""
    unit = federation.units[0]
    members = Member.objects.filter(current_unit=unit).count()
    assert unit.member_count == members > 0
    Body.objects.filter(pk=unit.pk).update(member_count=members * 10)
    named = [
        (d.pk, d.field, d.kind, d.logged, d.found)
        for d in power_state_discrepancies(organisation_id=federation.org.pk)
    ]
    assert named == [(unit.pk, "member_count", "derived", members, members * 10)]


def test_rows_of_a_rolled_back_block_are_not_recorded(federation: SmallFederation) -> None:
    """A savepoint rolled back takes its rows with it, and gives back the rows an entry inside it took."""
    seat = Delegation.objects.get(council=federation.congress)
    with transaction.atomic():
        seat.source = "kept"
        seat.save()
        try:
            with transaction.atomic():
                log_entry_record(organisation=federation.org, action="test.note", summary="undone")
                Delegation.objects.filter(pk=seat.pk).update(source="undone")
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        log_entry_record(organisation=federation.org, action="test.note", summary="kept")
    entry = LogEntry.objects.filter(organisation=federation.org).latest("seq")
    assert entry.summary == "kept" and entry.payload["state"][0]["fields"]["source"] == "kept"
    assert chain_verify(organisation_id=federation.org.pk).ok


@pytest.mark.tampered
def test_the_pages_and_the_integrity_record_name_the_rows(federation: SmallFederation) -> None:
    """The verify page lists every row that differs; the check is kept for the integrity page, and every
    member is told once."""
    term = OfficeTerm.objects.get(member=federation.members["m2"])
    OfficeTerm.objects.filter(pk=term.pk).update(member=federation.members["m1"])
    client = Client()
    client.force_login(federation.member)
    page = client.post(reverse("audit:verify", kwargs={"slug": federation.org.slug}))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "The chain is intact, but 1 record of who holds power is not as the log says" in text
    assert f"Office term #{term.pk}: member_id" in text
    verification = ChainVerification.objects.filter(organisation=federation.org).latest("verified_at")
    assert not verification.ok and verification.problem_seq is None
    assert f"Office term #{term.pk}: member_id" in verification.problem
    told = Notification.objects.filter(kind="log.broken")
    assert told.count() == len(federation.members)
    assert "behind the log's back" in told.first().body  # type: ignore[union-attr]
    chain_verification_record(organisation=federation.org, requested_by="again")
    assert Notification.objects.filter(kind="log.broken").count() == len(federation.members)
    integrity = client.get(reverse("audit:integrity", kwargs={"slug": federation.org.slug})).content.decode()
    assert "records of who holds power were changed behind its back" in integrity


# --- Over the demo: every kind of row, and no false alarm ------------------------------------------------------


def _demo_tampers() -> dict[str, Callable[[int], tuple[str, int, str]]]:
    """Each edit an operator might make, made behind the services; each returns what the check must name."""

    def mandate_instruction(org: int) -> tuple[str, int, str]:
        mandate = Mandate.objects.filter(organisation_id=org, kind=MandateKind.BINDING).first()
        assert mandate is not None
        other = Choice.NO if mandate.instruction == Choice.YES else Choice.YES
        Mandate.objects.filter(pk=mandate.pk).update(instruction=other)
        return "mandates.mandate", mandate.pk, "instruction"

    def mandate_status(org: int) -> tuple[str, int, str]:
        mandate = Mandate.objects.filter(organisation_id=org, status=MandateStatus.ADOPTED).first()
        assert mandate is not None
        Mandate.objects.filter(pk=mandate.pk).update(status=MandateStatus.SUPERSEDED)
        return "mandates.mandate", mandate.pk, "status"

    def candidacy_outcome(org: int) -> tuple[str, int, str]:
        loser = Candidacy.objects.filter(
            election__organisation_id=org, outcome=CandidacyOutcome.NOT_ELECTED
        ).first()
        if loser is None:
            loser = Candidacy.objects.filter(
                election__organisation_id=org, outcome=CandidacyOutcome.ALTERNATE
            ).first()
        assert loser is not None
        Candidacy.objects.filter(pk=loser.pk).update(outcome=CandidacyOutcome.ELECTED)
        return "elections.candidacy", loser.pk, "outcome"

    def candidacy_order(org: int) -> tuple[str, int, str]:
        winner = Candidacy.objects.filter(election__organisation_id=org, elected_order=1).first()
        assert winner is not None
        Candidacy.objects.filter(pk=winner.pk).update(elected_order=7)
        return "elections.candidacy", winner.pk, "elected_order"

    def election_result(org: int) -> tuple[str, int, str]:
        election = Election.objects.filter(organisation_id=org, status=ElectionStatus.DECLARED).first()
        assert election is not None
        Election.objects.filter(pk=election.pk).update(result={"elected": ["someone else"]})
        return "elections.election", election.pk, "result"

    def executive_power(org: int) -> tuple[str, int, str]:
        executive = Executive.objects.get(organisation_id=org)
        Executive.objects.filter(pk=executive.pk).update(powers=[*executive.powers, "appoint-officers"])
        return "governance.executive", executive.pk, "powers"

    def office_pay(org: int) -> tuple[str, int, str]:
        pay = OfficePay.objects.get(office__body__organisation_id=org, status=PayStatus.IN_FORCE)
        OfficePay.objects.filter(pk=pay.pk).update(weekly=pay.weekly * 3, cap_when_set=Decimal("99999"))
        return "governance.officepay", pay.pk, "weekly"

    def elector_removed(org: int) -> tuple[str, int, str]:
        elector = Elector.objects.filter(election__organisation_id=org).order_by("pk").first()
        assert elector is not None
        _sql("DELETE FROM elections_elector WHERE id = %s", elector.pk)
        return "elections.elector", elector.pk, ""

    def vote_elector_removed(org: int) -> tuple[str, int, str]:
        elector = VoteElector.objects.filter(vote__organisation_id=org).order_by("pk").first()
        assert elector is not None
        _sql("DELETE FROM motions_voteelector WHERE id = %s", elector.pk)
        return "motions.voteelector", elector.pk, ""

    def vote_outcome(org: int) -> tuple[str, int, str]:
        vote = Vote.objects.filter(organisation_id=org, closed_at__isnull=False).first()
        assert vote is not None and vote.carried is not None
        Vote.objects.filter(pk=vote.pk).update(carried=not vote.carried)
        return "motions.vote", vote.pk, "carried"

    def motion_text(org: int) -> tuple[str, int, str]:
        motion = Motion.objects.filter(organisation_id=org, status=MotionStatus.ADOPTED).first()
        assert motion is not None
        Motion.objects.filter(pk=motion.pk).update(text="The executive may do as it sees fit.")
        return "motions.motion", motion.pk, "text"

    def seat_choice(org: int) -> tuple[str, int, str]:
        cast = DelegateVote.objects.filter(vote__organisation_id=org, mandate_kind="").first()
        assert cast is not None
        DelegateVote.objects.filter(pk=cast.pk).update(
            choice=Choice.NO if cast.choice == Choice.YES else Choice.YES
        )
        return "motions.delegatevote", cast.pk, "choice"

    return {
        "vote outcome": vote_outcome,
        "adopted motion's text": motion_text,
        "a seat's recorded choice": seat_choice,
        "mandate instruction": mandate_instruction,
        "mandate status": mandate_status,
        "candidacy outcome": candidacy_outcome,
        "candidacy order": candidacy_order,
        "election result": election_result,
        "executive power": executive_power,
        "office pay": office_pay,
        "electorate of an election": elector_removed,
        "electorate of a vote": vote_elector_removed,
    }


class _Undo(Exception):
    pass


def test_the_demo_rebuilds_from_its_log_and_every_edit_behind_it_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The demo, seeded through the services, verifies with nothing differing; then each kind of record of
    power is edited in the database in turn (and put back): each time a member's check through the API names
    that row and field, and the command fails."""
    org = seed_demo()
    report = chain_verify(organisation_id=org.pk)
    assert report.ok, [str(d) for d in report.discrepancies]
    member = (
        Member.objects.filter(organisation=org, current_unit__isnull=False).select_related("person").first()
    )
    assert member is not None
    api = ApiClient(member.person)
    for what, tamper in _demo_tampers().items():
        try:
            with transaction.atomic():
                model, pk, field = tamper(org.pk)
                answer = api.get(f"/api/orgs/{org.slug}/log/verify").json()
                assert answer["ok"] is False and answer["problem"] is None, what
                named = [(d["model"], d["pk"], d["field"]) for d in answer["discrepancies"]]
                assert (model, pk, field) in named, (what, named)
                assert main(["audit", "verify", "--org", org.slug]) == 1, what
                assert f"#{pk}" in capsys.readouterr().out, what
                raise _Undo
        except _Undo:
            pass
    assert chain_verify(organisation_id=org.pk).ok
