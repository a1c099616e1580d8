"""A rewritten history is caught: each entry's hash is signed with a key kept outside the database, the
chain head only moves forward, and a member who noted a head can check that today's log extends it.

Each attack is what an operator holding the database, but not the signing key, could do."""

from __future__ import annotations

import re
import secrets

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse

from commune.audit.guard import guard_install, guard_remove
from commune.audit.models import ChainHead, LogEntry
from commune.audit.services import log_entry_record
from commune.audit.signing import signing_key
from commune.audit.verification import ChainHeadSeen, chain_head, chain_verify
from commune.cli.main import main
from tests.api.conftest import ApiClient
from tests.audit.forger import log_entries, rehash_from
from tests.conftest import SmallFederation


def test_every_entry_is_signed_by_this_instances_key(federation: SmallFederation) -> None:
    key = signing_key()
    entries = log_entries(federation)
    assert entries and all(e.signed_by == key.key_id and len(e.signature) == 128 for e in entries)


def test_a_rewritten_entry_with_every_later_hash_recomputed_is_named(federation: SmallFederation) -> None:
    """The forger changes who was seated, recomputes every hash after it and moves the head: the chain
    links, but the signature of the rewritten entry no longer matches."""
    guard_remove(connection)
    target = next(e for e in log_entries(federation) if e.action == "delegate.seated")
    LogEntry.objects.filter(pk=target.pk).update(
        summary="Member 009 seated for Unit 0.0", payload={"forged": 1}
    )
    rehash_from(federation, target.seq)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq
    assert "signature does not match" in report.problem.reason


def test_signatures_made_with_a_key_of_the_forgers_own_do_not_verify(federation: SmallFederation) -> None:
    guard_remove(connection)
    target = log_entries(federation)[4]
    LogEntry.objects.filter(pk=target.pk).update(summary="Appointed from above")
    with override_settings(LOG_SIGNING_KEY=secrets.token_hex(32)):
        rehash_from(federation, target.seq, sign=True)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq
    assert "signature does not match" in report.problem.reason


def test_stripped_signatures_are_named(federation: SmallFederation) -> None:
    guard_remove(connection)
    target = log_entries(federation)[2]
    LogEntry.objects.filter(pk=target.pk).update(signature="", signed_by="")
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is not None and report.problem.seq == target.seq
    assert "not signed" in report.problem.reason


def test_entries_signed_by_an_earlier_key_verify_while_the_operator_trusts_it(
    federation: SmallFederation,
) -> None:
    """After the signing key is changed, the entries signed before verify only if the old public key is
    listed among the trusted keys."""
    old_public = signing_key().public_hex
    with override_settings(LOG_SIGNING_KEY=secrets.token_hex(32)):
        log_entry_record(organisation=federation.org, action="test.note", summary="under the new key")
        refused = chain_verify(organisation_id=federation.org.pk)
        assert refused.problem is not None and refused.problem.seq == 1
        with override_settings(LOG_TRUSTED_PUBLIC_KEYS=[old_public]):
            assert chain_verify(organisation_id=federation.org.pk).ok


def test_the_database_refuses_to_move_the_head_back_or_delete_it(federation: SmallFederation) -> None:
    guard_install(connection)
    head = ChainHead.objects.get(organisation=federation.org)
    for change in (
        lambda: ChainHead.objects.filter(pk=head.pk).update(seq=head.seq - 1),
        lambda: ChainHead.objects.filter(pk=head.pk).update(seq=head.seq + 5),
        lambda: ChainHead.objects.filter(pk=head.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert ChainHead.objects.get(pk=head.pk).seq == head.seq
    log_entry_record(organisation=federation.org, action="test.note", summary="appending still moves it")
    assert ChainHead.objects.get(pk=head.pk).seq == head.seq + 1


def test_a_log_cut_back_verifies_alone_but_not_against_a_head_a_member_kept(
    federation: SmallFederation,
) -> None:
    """The newest entries removed and the head moved back to an earlier, validly signed entry: when they
    changed no record of who holds power, nothing in the database shows it, but a member who noted the head
    before can tell."""
    for n in range(3):
        log_entry_record(organisation=federation.org, action="test.note", summary=f"note {n}")
    seen = chain_head(organisation_id=federation.org.pk)
    assert seen is not None
    guard_remove(connection)
    entries = log_entries(federation)
    kept = entries[-4]
    LogEntry.objects.filter(organisation=federation.org, seq__gt=kept.seq).delete()
    ChainHead.objects.filter(organisation=federation.org).update(seq=kept.seq, head_hash=kept.entry_hash)
    assert chain_verify(organisation_id=federation.org.pk).ok
    report = chain_verify(organisation_id=federation.org.pk, extends=seen)
    assert report.problem is not None and "cut back" in report.problem.reason


@pytest.mark.tampered
def test_a_log_cut_back_past_an_act_that_seated_someone_is_caught_alone(federation: SmallFederation) -> None:
    """Entries that seated a delegate cut back with their head: the seat they wrote is still in the table
    but no entry left wrote it, so the check names it without any head kept."""
    guard_remove(connection)
    entries = log_entries(federation)
    kept = entries[-4]
    LogEntry.objects.filter(organisation=federation.org, seq__gt=kept.seq).delete()
    ChainHead.objects.filter(organisation=federation.org).update(seq=kept.seq, head_hash=kept.entry_hash)
    report = chain_verify(organisation_id=federation.org.pk)
    assert report.problem is None and not report.ok
    assert any(d.model == "federation.delegation" and d.kind == "extra" for d in report.discrepancies)


def test_a_head_noted_earlier_is_extended_by_an_honest_log(federation: SmallFederation) -> None:
    seen = chain_head(organisation_id=federation.org.pk)
    assert seen is not None
    log_entry_record(organisation=federation.org, action="test.note", summary="later")
    report = chain_verify(organisation_id=federation.org.pk, extends=seen)
    assert report.ok and report.head is not None and report.head.seq == seen.seq + 1


def test_a_head_whose_hash_differs_is_named(federation: SmallFederation) -> None:
    seen = chain_head(organisation_id=federation.org.pk)
    assert seen is not None
    other = ChainHeadSeen(seen.seq, "ab" * 32)
    report = chain_verify(organisation_id=federation.org.pk, extends=other)
    assert report.problem is not None and report.problem.seq == seen.seq
    assert "rewritten" in report.problem.reason


@pytest.mark.parametrize("text", ["", "12", "x:" + "a" * 64, "0:" + "a" * 64, "3:abc", "3:" + "g" * 64])
def test_a_malformed_head_is_refused_with_the_form_it_takes(text: str) -> None:
    with pytest.raises(ValueError, match="SEQ:HASH"):
        ChainHeadSeen.parse(text)


def test_a_head_is_read_in_either_case_and_with_spaces() -> None:
    assert ChainHeadSeen.parse(f" 7:{'AB' * 32} ") == ChainHeadSeen(7, "ab" * 32)


# --- where members see the head and check it ----------------------------------------------------------------


def _notes(fed: SmallFederation, count: int) -> None:
    """Entries that change no record of who holds power: cutting them back leaves the tables as the log
    says, so only a head kept from before shows it."""
    for n in range(count):
        log_entry_record(organisation=fed.org, action="test.note", summary=f"note {n}")


def _cut_back(fed: SmallFederation, by: int) -> None:
    guard_remove(connection)
    kept = log_entries(fed)[-1 - by]
    LogEntry.objects.filter(organisation=fed.org, seq__gt=kept.seq).delete()
    ChainHead.objects.filter(organisation=fed.org).update(seq=kept.seq, head_hash=kept.entry_hash)


def test_the_api_gives_the_head_and_checks_a_noted_one(federation: SmallFederation) -> None:
    _notes(federation, 2)
    member_api = ApiClient(federation.member)
    log = f"/api/orgs/{federation.org.slug}/log"
    head = member_api.get(f"{log}/head").json()
    newest = log_entries(federation)[-1]
    assert head == {"seq": newest.seq, "entry_hash": newest.entry_hash}
    noted = f"{head['seq']}:{head['entry_hash']}"
    assert member_api.get(f"{log}/verify", extends=noted).json()["ok"] is True
    _cut_back(federation, 2)
    assert member_api.get(f"{log}/verify").json()["ok"] is True
    report = member_api.get(f"{log}/verify", extends=noted).json()
    assert report["ok"] is False and "cut back" in report["problem"]["reason"]
    bad = member_api.get(f"{log}/verify", extends="yesterday")
    assert bad.status_code == 400 and "SEQ:HASH" in bad.json()["detail"]


def test_the_log_page_shows_the_head_and_the_check_takes_a_noted_one(federation: SmallFederation) -> None:
    _notes(federation, 1)
    client = Client()
    client.force_login(federation.member)
    seen = chain_head(organisation_id=federation.org.pk)
    page = client.get(reverse("audit:log", kwargs={"slug": federation.org.slug})).content.decode()
    assert f'<code class="head" id="chain-head">{seen}</code>' in page
    url = reverse("audit:verify", kwargs={"slug": federation.org.slug})
    assert "passes through the head you noted" in _text(client.post(url, {"extends": str(seen)}).content)
    _cut_back(federation, 1)
    text = _text(client.post(url, {"extends": str(seen)}).content)
    assert "The chain is broken" in text and "cut back" in text
    assert "SEQ:HASH" in _text(client.post(url, {"extends": "12"}).content)


def test_the_command_prints_the_head_and_checks_a_noted_one(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    _notes(federation, 3)
    seen = chain_head(organisation_id=federation.org.pk)
    assert main(["audit", "head", "--org", "tf"]) == 0
    assert capsys.readouterr().out.strip() == f"tf: {seen}"
    assert main(["audit", "verify", "--org", "tf", "--extends", str(seen)]) == 0
    assert f"OK, head {seen}" in capsys.readouterr().out
    _cut_back(federation, 3)
    # Without a head kept, only the checkpoint the first check left shows the cut (test_checkpoints.py).
    assert main(["audit", "verify", "--org", "tf", "--full"]) == 0
    assert main(["audit", "verify", "--org", "tf", "--extends", str(seen)]) == 1
    assert "the log was cut back since" in capsys.readouterr().out
    assert main(["audit", "key"]) == 0
    key = signing_key()
    assert capsys.readouterr().out.strip() == f"key {key.key_id}: public key {key.public_hex}"
    with pytest.raises(SystemExit) as usage:
        main(["audit", "verify", "--extends", str(seen)])
    assert usage.value.code == 2 and "needs --org" in capsys.readouterr().err


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))
