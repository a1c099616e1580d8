"""``commune audit verify`` and ``commune manage``."""

from __future__ import annotations

import pytest
from django.db import connection

from commune.audit.guard import guard_install, guard_remove
from commune.audit.models import LogEntry
from commune.cli.main import main
from tests.conftest import SmallFederation, build_federation


def test_untouched_chains_verify(federation: SmallFederation, capsys: pytest.CaptureFixture[str]) -> None:
    """Every organisation is checked and reported OK with its entry count; exit 0."""
    build_federation(slug="other")
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    for slug in ("tf", "other"):
        count = LogEntry.objects.filter(organisation__slug=slug).count()
        assert f"{slug}: {count} entries checked, OK" in out


def test_a_tampered_entry_fails_verification_and_is_named(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    """A changed entry makes the command exit 1, naming the entry's position and what is wrong."""
    build_federation(slug="other")
    target = LogEntry.objects.filter(organisation=federation.org).order_by("seq")[7]
    guard_remove(connection)
    try:
        LogEntry.objects.filter(pk=target.pk).update(summary="Nothing happened here")
    finally:
        guard_install(connection)
    assert main(["audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert f"tf: 8 entries checked, FAILED at entry #{target.seq}: content was changed" in captured.out
    assert "other:" in captured.out and "OK" in captured.out
    assert "failed verification" in captured.err
    assert main(["audit", "verify", "--org", "other"]) == 0


def test_an_unknown_organisation_is_a_usage_error(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    """--org naming no organisation exits 2."""
    assert main(["audit", "verify", "--org", "nope"]) == 2
    assert "no organisation 'nope'" in capsys.readouterr().err


def test_manage_passes_commands_through_to_django(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    """`commune manage` runs Django's management commands against Commune's database."""
    assert main(["manage", "showmigrations", "federation"]) == 0
    assert "[X] 0001_initial" in capsys.readouterr().out
