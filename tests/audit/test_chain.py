"""The provenance log is append-only and any tampering is found, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from commune.audit.guard import guard_install, guard_remove
from commune.audit.models import LogEntry
from commune.audit.services import log_entry_record
from commune.audit.verification import chain_verify
from tests.conftest import SmallFederation


def _disable_guard() -> None:
    """What a database owner bent on tampering would do first: switch off the append-only triggers."""
    guard_remove(connection)


def _entries(fed: SmallFederation) -> list[LogEntry]:
    return list(LogEntry.objects.filter(organisation=fed.org).order_by("seq"))


def test_an_untouched_chain_verifies(federation: SmallFederation) -> None:
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.ok, report.problem
    assert report.entries == LogEntry.objects.filter(organisation=federation.org).count() > 20


def test_founding_admissions_and_apportionments_are_logged(federation: SmallFederation) -> None:
    actions = {e.action for e in _entries(federation)}
    assert {
        "organisation.founded",
        "constitution.adopted",
        "body.created",
        "member.admitted",
        "seats.apportioned",
        "delegate.seated",
        "officer.installed",
    } <= actions


def test_the_database_refuses_update_and_delete(federation: SmallFederation) -> None:
    guard_install(connection)  # a transactional test before this one may have lifted it
    entry = _entries(federation)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).summary == entry.summary


def test_a_changed_entry_is_found_and_named(federation: SmallFederation) -> None:
    _disable_guard()
    target = _entries(federation)[5]
    LogEntry.objects.filter(pk=target.pk).update(summary="Nothing happened here")
    report = chain_verify(organisation_id=federation.org.pk)
    assert not report.ok
    assert report.problem is not None and report.problem.seq == target.seq
    assert "changed" in report.problem.reason


def test_a_changed_payload_is_found(federation: SmallFederation) -> None:
    _disable_guard()
    target = _entries(federation)[3]
    LogEntry.objects.filter(pk=target.pk).update(payload={"forged": True})
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq


def test_a_deleted_entry_is_found(federation: SmallFederation) -> None:
    _disable_guard()
    target = _entries(federation)[7]
    LogEntry.objects.filter(pk=target.pk).delete()
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq
    assert "missing" in report.problem.reason


def test_deleting_the_newest_entries_is_found(federation: SmallFederation) -> None:
    _disable_guard()
    last = _entries(federation)[-1]
    LogEntry.objects.filter(pk=last.pk).delete()
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == last.seq


def test_reordered_entries_are_found(federation: SmallFederation) -> None:
    _disable_guard()
    a, b = _entries(federation)[4:6]
    LogEntry.objects.filter(pk=a.pk).update(seq=10_000)
    LogEntry.objects.filter(pk=b.pk).update(seq=a.seq)
    LogEntry.objects.filter(pk=a.pk).update(seq=b.seq)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == a.seq


def test_an_inserted_entry_is_found(federation: SmallFederation) -> None:
    _disable_guard()
    entries = _entries(federation)
    # Make room at position 3 and insert a forged entry that copies its neighbour's link.
    for e in reversed(entries[2:]):
        LogEntry.objects.filter(pk=e.pk).update(seq=e.seq + 1)
    forged = entries[2]
    LogEntry.objects.create(
        organisation=federation.org,
        seq=3,
        recorded_at=forged.recorded_at,
        action="delegate.seated",
        actor_label="nobody",
        summary="Appointed from above",
        payload={},
        prev_hash=entries[1].entry_hash,
        entry_hash="f" * 64,
    )
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == 3


def test_appends_after_verification_keep_the_chain_valid(federation: SmallFederation) -> None:
    log_entry_record(organisation=federation.org, action="test.note", summary="one more")
    assert chain_verify(organisation_id=federation.org.pk).ok
