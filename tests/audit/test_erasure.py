"""Erasing a person from the provenance log: their name leaves every erasable entry and their account, the
chain still verifies, and the redaction is itself held to the log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.audit.chain import SCHEME_COMMITTED, SCHEME_PLAIN, entry_content, entry_hash, text_commitment
from commune.audit.erasure import person_erase, person_find
from commune.audit.errors import AuditError
from commune.audit.guard import guard_install, guard_remove
from commune.audit.models import ChainHead, LogEntry
from commune.audit.services import Actor, log_entry_record
from commune.audit.signing import entry_sign
from commune.audit.verification import chain_verify
from commune.cli.main import main
from commune.federation.models import Member
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation

NAME = "Ana Ruiz"


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _named(fed: SmallFederation) -> User:
    """m1, renamed Ana Ruiz, who acted in the log and is named in another's entry."""
    person = fed.member
    User.objects.filter(pk=person.pk).update(name=NAME)
    person.refresh_from_db()
    log_entry_record(
        organisation=fed.org,
        action="test.spoke",
        summary=f"{NAME} spoke for the motion in Unit 0.0",
        actor=Actor.of(person, role="member TF00001"),
    )
    log_entry_record(
        organisation=fed.org,
        action="test.thanked",
        summary=f"The secretary thanked {NAME} and Member 004",
        actor=Actor.of(fed.officer, role="member TF00002"),
    )
    return person


def _rows_naming(name: str) -> list[tuple[object, ...]]:
    """Every row of the log, read column by column from the database, that holds ``name`` anywhere."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_logentry")
        return [row for row in cursor.fetchall() if name.lower() in " ".join(map(str, row)).lower()]


def _reason(fed: SmallFederation) -> tuple[int, str]:
    report = chain_verify(organisation_id=fed.org.pk, full=True)
    assert report.problem is not None
    return report.problem.seq, report.problem.reason


def test_an_erased_person_is_named_in_no_log_row_and_the_chain_still_verifies(
    federation: SmallFederation,
) -> None:
    """After erasure no column of any entry holds the name (nor the old salt that opened it), the account
    holds neither name nor address, the membership stays, and the whole chain verifies, every signature
    checked. One signed entry, naming no one, lists the entries redacted."""
    person = _named(federation)
    spoke, thanked = (
        LogEntry.objects.get(organisation=federation.org, action=a) for a in ("test.spoke", "test.thanked")
    )
    assert len(_rows_naming(NAME)) == 2

    report = person_erase(person=person)

    assert _rows_naming(NAME) == []
    assert _rows_naming(spoke.text_salt) == [] and _rows_naming(thanked.text_salt) == []
    spoke.refresh_from_db()
    thanked.refresh_from_db()
    assert spoke.actor_label == "[name erased] (member TF00001)"
    assert spoke.summary == "[name erased] spoke for the motion in Unit 0.0"
    assert thanked.summary == "The secretary thanked [name erased] and Member 004"
    assert thanked.actor_label == "Member 002 (member TF00002)"
    (org,) = report.organisations
    assert spoke.seq in org.redacted and thanked.seq in org.redacted
    erasure = LogEntry.objects.get(organisation=federation.org, action="person.erased")
    assert erasure.seq == org.erasure_seq
    assert [item["seq"] for item in erasure.payload["redacted"]] == org.redacted
    assert "m1@" not in erasure.summary and NAME not in erasure.summary
    person.refresh_from_db()
    assert (person.name, person.is_active, person.has_usable_password()) == ("[name erased]", False, False)
    assert "m1@tf.example" not in person.email
    assert Member.objects.filter(person=person, number="TF00001").exists()
    verified = chain_verify(organisation_id=federation.org.pk, full=True)
    assert verified.ok, verified.problem


def test_the_log_page_and_api_show_the_redacted_text(federation: SmallFederation) -> None:
    """Members read the redacted text wherever entries are shown."""
    person_erase(person=_named(federation))
    entries = ApiClient(federation.members["m5"].person).get("/api/orgs/tf/log", limit=5).json()["items"]
    texts = " ".join(f"{e['actor_label']} {e['summary']}" for e in entries)
    assert "[name erased] spoke for the motion" in texts and NAME not in texts
    # Anyone can check a redacted text against the commitment the erasure entry lists.
    listed = {
        i["seq"]: i["text"]
        for i in next(e for e in entries if e["action"] == "person.erased")["payload"]["redacted"]
    }
    for e in entries:
        if e["seq"] in listed:
            assert text_commitment(e["text_salt"], e["actor_label"], e["summary"]) == listed[e["seq"]]
    page = client_of(federation.members["m5"].person).get(reverse("audit:log", kwargs={"slug": "tf"}))
    assert page.status_code == 200
    assert "[name erased] spoke for the motion" in page.content.decode()
    assert NAME not in page.content.decode()


def test_a_salt_deleted_without_an_erasure_is_named(federation: SmallFederation) -> None:
    """Deleting an entry's salt (the text can then no longer be shown to be the one written) is a problem
    unless a signed erasure entry accounts for it."""
    _named(federation)
    spoke = LogEntry.objects.get(organisation=federation.org, action="test.spoke")
    guard_remove(connection)
    LogEntry.objects.filter(pk=spoke.pk).update(text_salt="", summary="[name erased] spoke")
    seq, reason = _reason(federation)
    assert seq == spoke.seq and "salt" in reason and "no signed erasure" in reason


def test_a_text_changed_under_its_salt_is_named(federation: SmallFederation) -> None:
    """A summary rewritten while its salt remains no longer opens the commitment its hash covers."""
    _named(federation)
    spoke = LogEntry.objects.get(organisation=federation.org, action="test.spoke")
    guard_remove(connection)
    LogEntry.objects.filter(pk=spoke.pk).update(summary=f"{NAME} spoke against the motion")
    assert _reason(federation) == (
        spoke.seq,
        "content was changed after it was written: who acted or its summary no longer opens the commitment its "
        "hash covers",
    )


def test_a_redacted_text_changed_afterwards_is_named(federation: SmallFederation) -> None:
    """A redaction is no cover for rewriting: the redacted text is held to the commitment the erasure
    entry lists, and so is a text given a fresh salt by someone without the log's key."""
    person_erase(person=_named(federation))
    spoke = LogEntry.objects.get(organisation=federation.org, action="test.spoke")
    LogEntry.objects.filter(pk=spoke.pk).update(text_salt="ab" * 16, summary="[name erased] spoke against it")
    assert _reason(federation)[0] == spoke.seq


def test_the_guard_lets_through_only_a_redaction_under_a_new_salt(federation: SmallFederation) -> None:
    """The database refuses a text changed under its old salt, a salt removed, and any change to what the
    hash covers; it lets a new text under a new salt through (which verification then holds to the log)."""
    guard_install(connection)
    _named(federation)
    spoke = LogEntry.objects.get(organisation=federation.org, action="test.spoke")
    for change in (
        {"summary": "rewritten"},
        {"text_salt": ""},
        {"text_salt": "cd" * 16, "payload": {"forged": True}},
        {"text_salt": "cd" * 16, "text_commitment": "0" * 64},
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            LogEntry.objects.filter(pk=spoke.pk).update(**change)
    LogEntry.objects.filter(pk=spoke.pk).update(summary="[name erased] spoke", text_salt="cd" * 16)
    assert _reason(federation)[0] == spoke.seq


def _plain_entry(fed: SmallFederation, summary: str, actor_label: str) -> LogEntry:
    """An entry as written before erasure was possible: its text hashed as it stands."""
    head = ChainHead.objects.get(organisation=fed.org)
    seq, recorded_at = head.seq + 1, datetime.now(UTC)
    fields = {
        "organisation_id": fed.org.pk,
        "seq": seq,
        "recorded_at": recorded_at,
        "action": "test.old",
        "body_id": None,
        "actor_id": None,
        "actor_label": actor_label,
        "summary": summary,
        "payload": {},
    }
    digest = entry_hash(head.head_hash, entry_content(**fields))
    signed_by, signature = entry_sign(organisation_id=fed.org.pk, seq=seq, entry_hash=digest)
    entry = LogEntry.objects.create(
        **fields, prev_hash=head.head_hash, entry_hash=digest, signed_by=signed_by, signature=signature
    )
    head.seq, head.head_hash = seq, digest
    head.save(update_fields=["seq", "head_hash"])
    return entry


def test_entries_of_the_old_scheme_still_verify_and_are_kept_by_an_erasure(
    federation: SmallFederation,
) -> None:
    """An entry hashed over its text as it stands verifies as it always did, among entries of the new
    scheme; an erasure reports it and leaves it as it is, and a change to its text is still named."""
    old = _plain_entry(federation, f"{NAME} joined the strike committee", "Member 002 (member TF00002)")
    assert old.scheme == SCHEME_PLAIN
    person = _named(federation)
    assert LogEntry.objects.get(action="test.spoke").scheme == SCHEME_COMMITTED
    assert chain_verify(organisation_id=federation.org.pk, full=True).ok

    report = person_erase(person=person)

    assert report.organisations[0].kept_plain == [old.seq]
    assert LogEntry.objects.get(pk=old.pk).summary == f"{NAME} joined the strike committee"
    assert chain_verify(organisation_id=federation.org.pk, full=True).ok
    guard_remove(connection)
    LogEntry.objects.filter(pk=old.pk).update(summary="Nobody joined")
    assert _reason(federation) == (old.seq, "content was changed after it was written")


def test_every_new_entry_commits_to_its_text(federation: SmallFederation) -> None:
    """Entries written now hash a commitment their salt and text open, not the text."""
    entry = LogEntry.objects.filter(organisation=federation.org).order_by("-seq").first()
    assert entry is not None and entry.scheme == SCHEME_COMMITTED and len(entry.text_salt) == 32
    assert text_commitment(entry.text_salt, entry.actor_label, entry.summary) == entry.text_commitment


def test_a_person_is_found_by_address_or_by_number_in_an_organisation(federation: SmallFederation) -> None:
    assert person_find(who="M1@tf.example") == federation.member
    assert person_find(who="TF00001", organisation=federation.org) == federation.member
    for who, organisation in (("TF00001", None), ("TF99999", federation.org), ("x@y.example", None)):
        with pytest.raises(AuditError):
            person_find(who=who, organisation=organisation)


def test_the_command_erases_a_person_by_number(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    """``commune audit erase-person NUMBER --org SLUG --yes`` erases and says what; without ``--yes`` it
    refuses, and the log then verifies from the command line."""
    _named(federation)
    with pytest.raises(SystemExit) as refused:
        main(["audit", "erase-person", "TF00001", "--org", "tf"])
    assert refused.value.code == 2
    assert main(["audit", "erase-person", "TF00001", "--org", "tf", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "tf: 2 entries redacted, recorded in #" in out
    assert _rows_naming(NAME) == []
    assert main(["audit", "verify", "--org", "tf", "--full"]) == 0
