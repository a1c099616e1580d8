"""Signed checkpoints let a verification skip the signatures up to the last position verified, without
trusting anything the database alone can forge.

Each attack is what an operator holding the database, but not the signing key, could do."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from commune.audit import verification
from commune.audit.guard import guard_remove
from commune.audit.models import ChainHead, Checkpoint, LogEntry
from commune.audit.services import chain_verification_record, checkpoint_record, log_entry_record
from commune.audit.signing import checkpoint_sign
from commune.audit.verification import chain_verify
from commune.cli.main import main
from tests.audit.forger import log_entries, rehash_from
from tests.conftest import SmallFederation


def _checkpointed(fed: SmallFederation) -> Checkpoint:
    chain_verification_record(organisation=fed.org, requested_by="a test")
    checkpoint = Checkpoint.objects.get(organisation=fed.org)
    assert checkpoint.seq == log_entries(fed)[-1].seq
    return checkpoint


def _notes(fed: SmallFederation, count: int) -> None:
    for n in range(count):
        log_entry_record(organisation=fed.org, action="test.note", summary=f"note {n}")


def _signatures_checked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The positions whose entry signature a verification checks, in order."""
    seen: list[int] = []
    real = verification.entry_signature_valid

    def counting(**kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs["seq"])
        return real(**kwargs)

    monkeypatch.setattr(verification, "entry_signature_valid", counting)
    return seen


def test_a_verification_leaves_a_signed_checkpoint_and_the_next_starts_from_it(
    federation: SmallFederation, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = _checkpointed(federation)
    _notes(federation, 3)
    checked = _signatures_checked(monkeypatch)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.ok and report.checkpoint == checkpoint.seq
    assert report.entries == checkpoint.seq + 3
    assert checked == [checkpoint.seq + 1, checkpoint.seq + 2, checkpoint.seq + 3]
    checked.clear()
    full = chain_verify(organisation_id=federation.org.pk, full=True)
    assert full.ok and full.checkpoint is None and checked == list(range(1, checkpoint.seq + 4))


def test_a_checkpoint_is_only_recorded_ahead_of_the_last_and_on_an_intact_chain(
    federation: SmallFederation,
) -> None:
    first = _checkpointed(federation)
    chain_verification_record(organisation=federation.org, requested_by="again")
    assert Checkpoint.objects.filter(organisation=federation.org).count() == 1
    guard_remove(connection)
    LogEntry.objects.filter(organisation=federation.org, seq=2).update(summary="rewritten")
    _notes(federation, 1)
    chain_verification_record(organisation=federation.org, requested_by="after tampering")
    assert list(Checkpoint.objects.filter(organisation=federation.org)) == [first]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"seq": 3}, id="moved-back"),
        pytest.param({"entry_hash": "ab" * 32}, id="other-hash"),
        pytest.param({"signature": "00" * 64}, id="signature-replaced"),
        pytest.param({"signature": "not hex at all"}, id="signature-garbage"),
        pytest.param({"signed_by": "0123456789abcdef"}, id="unknown-key"),
    ],
)
def test_a_checkpoint_changed_in_the_database_is_reported_not_trusted(
    federation: SmallFederation, monkeypatch: pytest.MonkeyPatch, change: dict[str, object]
) -> None:
    checkpoint = _checkpointed(federation)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(**change)
    checked = _signatures_checked(monkeypatch)
    report = chain_verify(organisation_id=federation.org.pk)
    assert not report.ok and report.checkpoint is None
    assert report.problem is not None and "checkpoint" in report.problem.reason
    assert "outside Commune" in report.problem.reason
    assert checked[0] == 1  # fell back to checking every signature
    assert chain_verify(organisation_id=federation.org.pk, full=True).ok


def test_a_checkpoint_written_without_the_key_is_reported(federation: SmallFederation) -> None:
    """A forger who rewrote the history up to the head writes a checkpoint there, hoping verification will
    skip the signatures that would betray the rewrite."""
    guard_remove(connection)
    target = log_entries(federation)[4]
    LogEntry.objects.filter(pk=target.pk).update(summary="Appointed from above")
    rehash_from(federation, target.seq)
    newest = log_entries(federation)[-1]
    with override_settings(LOG_SIGNING_KEY=secrets.token_hex(32)):
        signed_by, signature = checkpoint_sign(
            organisation_id=federation.org.pk, seq=newest.seq, entry_hash=newest.entry_hash
        )
    Checkpoint.objects.create(
        organisation=federation.org,
        seq=newest.seq,
        entry_hash=newest.entry_hash,
        made_at=timezone.now(),
        signed_by=signed_by,
        signature=signature,
    )
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq
    assert "signature does not match" in report.problem.reason


def test_an_entry_signature_does_not_pass_for_a_checkpoint(federation: SmallFederation) -> None:
    newest = log_entries(federation)[-1]
    Checkpoint.objects.create(
        organisation=federation.org,
        seq=newest.seq,
        entry_hash=newest.entry_hash,
        made_at=timezone.now(),
        signed_by=newest.signed_by,
        signature=newest.signature,
    )
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and "checkpoint" in report.problem.reason


def test_an_entry_changed_after_the_checkpoint_is_still_caught(federation: SmallFederation) -> None:
    checkpoint = _checkpointed(federation)
    _notes(federation, 4)
    guard_remove(connection)
    target = log_entries(federation)[checkpoint.seq + 1]
    LogEntry.objects.filter(pk=target.pk).update(summary="Nothing happened here")
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq
    assert "changed" in report.problem.reason


def test_an_entry_rewritten_after_the_checkpoint_with_hashes_recomputed_is_caught(
    federation: SmallFederation,
) -> None:
    checkpoint = _checkpointed(federation)
    _notes(federation, 4)
    guard_remove(connection)
    target = log_entries(federation)[checkpoint.seq + 1]
    LogEntry.objects.filter(pk=target.pk).update(summary="Nothing happened here")
    rehash_from(federation, target.seq)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.checkpoint == checkpoint.seq
    assert report.problem is not None and report.problem.seq == target.seq
    assert "signature does not match" in report.problem.reason


def test_an_entry_rewritten_before_the_checkpoint_is_named_though_its_signature_was_vouched_for(
    federation: SmallFederation,
) -> None:
    """Hashes recomputed from the rewritten entry on: the chain no longer reaches the hash the checkpoint
    signed, so every signature is checked to name the entry rewritten."""
    _checkpointed(federation)
    guard_remove(connection)
    target = log_entries(federation)[3]
    LogEntry.objects.filter(pk=target.pk).update(summary="Appointed from above")
    rehash_from(federation, target.seq)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq
    assert "signature does not match" in report.problem.reason


def test_a_log_cut_back_before_the_checkpoint_is_caught_without_a_head_kept(
    federation: SmallFederation,
) -> None:
    _notes(federation, 3)
    checkpoint = _checkpointed(federation)
    guard_remove(connection)
    kept = log_entries(federation)[-4]
    LogEntry.objects.filter(organisation=federation.org, seq__gt=kept.seq).delete()
    ChainHead.objects.filter(organisation=federation.org).update(seq=kept.seq, head_hash=kept.entry_hash)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and "cut back" in report.problem.reason
    assert f"#{checkpoint.seq}" in report.problem.reason


def test_the_scheduler_and_the_command_keep_checkpoints_and_the_command_can_check_in_full(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify", "--org", "tf"]) == 0
    first = Checkpoint.objects.get(organisation=federation.org)
    _notes(federation, 2)
    assert main(["audit", "verify", "--org", "tf"]) == 0
    assert f"signatures checked after the checkpoint at #{first.seq}" in capsys.readouterr().out
    Checkpoint.objects.filter(organisation=federation.org).update(signature="00" * 64)
    assert main(["audit", "verify", "--org", "tf"]) == 1
    assert "checkpoint" in capsys.readouterr().out
    assert main(["audit", "verify", "--org", "tf", "--full"]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "checkpoint" not in out


def test_a_checkpoint_record_waits_for_an_intact_report(federation: SmallFederation) -> None:
    report = chain_verify(organisation_id=federation.org.pk)
    made = checkpoint_record(organisation_id=federation.org.pk, report=report)
    assert made is not None and report.head is not None and made.seq == report.head.seq
    assert made.made_at <= timezone.now() + timedelta(seconds=1)
