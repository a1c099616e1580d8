"""Members can see the log's integrity: the scheduler checks every chain on the operator's schedule, keeps
each result, and tells every member when a check first finds the log altered."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from commune.audit.guard import guard_remove
from commune.audit.models import ChainVerification, LogEntry
from commune.audit.services import chains_verify_due
from commune.audit.verification import chain_head
from commune.cli.main import main
from commune.notifications.models import Notification
from tests.api.conftest import ApiClient
from tests.clock import Clock
from tests.conftest import SmallFederation

pytestmark = pytest.mark.django_db


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _tamper(fed: SmallFederation) -> LogEntry:
    guard_remove(connection)
    target = LogEntry.objects.filter(organisation=fed.org).order_by("seq")[6]
    LogEntry.objects.filter(pk=target.pk).update(summary="Member 009 seated by the secretariat")
    return target


def test_the_scheduler_checks_each_log_once_per_interval(federation: SmallFederation, clock: Clock) -> None:
    with override_settings(LOG_VERIFY_MINUTES=60):
        first = chains_verify_due()
        assert first.done == [
            f"log of tf: {LogEntry.objects.filter(organisation=federation.org).count()} entries verified"
        ]
        clock.advance(minutes=59)
        assert chains_verify_due().done == []
        clock.advance(minutes=2)
        assert len(chains_verify_due().done) == 1
    assert ChainVerification.objects.filter(organisation=federation.org, ok=True).count() == 2
    with override_settings(LOG_VERIFY_MINUTES=0):
        clock.advance(days=1)
        assert chains_verify_due().done == []


def test_a_broken_log_is_reported_and_every_member_told_once(
    federation: SmallFederation, clock: Clock
) -> None:
    target = _tamper(federation)
    with override_settings(LOG_VERIFY_MINUTES=60):
        report = chains_verify_due()
        assert report.problems and f"FAILED at entry #{target.seq}" in report.problems[0]
        told = Notification.objects.filter(kind="log.broken")
        assert told.count() == 20  # every current member of the federation
        assert f"entry #{target.seq}" in told.first().body  # type: ignore[union-attr]
        clock.advance(hours=2)
        chains_verify_due()
        assert Notification.objects.filter(kind="log.broken").count() == 20  # the same problem: not again


def test_the_run_due_command_checks_the_logs(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["election", "run-due"]) == 0
    assert "log of tf:" in capsys.readouterr().out
    assert ChainVerification.objects.filter(
        organisation=federation.org, requested_by="the scheduler"
    ).exists()


def test_the_integrity_page_and_api_show_the_head_and_the_checks(federation: SmallFederation) -> None:
    client = Client()
    client.force_login(federation.member)
    url = reverse("audit:integrity", kwargs={"slug": federation.org.slug})
    assert "The log has not been checked yet" in _text(client.get(url).content)
    client.post(reverse("audit:verify", kwargs={"slug": federation.org.slug}))  # a member's check is kept
    head = chain_head(organisation_id=federation.org.pk)
    page = _text(client.get(url).content)
    assert f"{head}" in page and "Intact" in page and "Checked by Member 001" in page
    target = _tamper(federation)
    with override_settings(LOG_VERIFY_MINUTES=1):
        chains_verify_due(
            now=ChainVerification.objects.latest("verified_at").verified_at + timedelta(minutes=2)
        )
    page = _text(client.get(url).content)
    assert "Broken" in page and f"entry #{target.seq}" in page and "Every member was told" in page
    body = ApiClient(federation.member).get(f"/api/orgs/{federation.org.slug}/log/integrity").json()
    assert body["head"]["seq"] == head.seq  # type: ignore[union-attr]
    newest, older = body["verifications"][:2]
    assert (newest["ok"], newest["problem_seq"], newest["requested_by"]) == (
        False,
        target.seq,
        "the scheduler",
    )
    assert (older["ok"], older["requested_by"]) == (True, "Member 001")
