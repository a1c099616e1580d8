"""A corrupt or truncated log is reported at its first problem, never by a crash: by the check itself, by
the comparison of the tables with the log alone, and by the command."""

from __future__ import annotations

import pytest
from django.db import connection

from commune.audit.guard import guard_remove
from commune.audit.models import LogEntry
from commune.audit.services import chain_verification_record
from commune.audit.verification import chain_verify, power_state_discrepancies
from commune.cli.main import main
from tests.conftest import SmallFederation


def _entries(fed: SmallFederation) -> list[LogEntry]:
    return list(LogEntry.objects.filter(organisation=fed.org).order_by("seq"))


def _with_state(fed: SmallFederation) -> list[LogEntry]:
    return [e for e in _entries(fed) if isinstance(e.payload, dict) and e.payload.get("state")]


def _everything_reports(
    fed: SmallFederation, seq: int, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = chain_verify(organisation_id=fed.org.pk)
    assert not report.ok and report.problem is not None
    assert report.problem.seq == seq and words in report.problem.reason
    assert chain_verify(organisation_id=fed.org.pk, full=True).problem == report.problem
    power_state_discrepancies(organisation_id=fed.org.pk)  # no crash; what it finds is the chain's fault
    assert not chain_verification_record(organisation=fed.org, requested_by="a test").ok
    assert main(["audit", "verify", "--org", "tf"]) == 1
    assert f"FAILED at entry #{seq}" in capsys.readouterr().out


def test_an_entry_deleted_in_the_middle(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    guard_remove(connection)
    middle = _entries(federation)[len(_entries(federation)) // 2]
    LogEntry.objects.filter(pk=middle.pk).delete()
    _everything_reports(federation, middle.seq, "missing", capsys)


TRUNCATED = '{"state": [{"model": "federation.delegation", "pk": 1, "fie'


def test_a_payload_that_is_not_json(federation: SmallFederation, capsys: pytest.CaptureFixture[str]) -> None:
    guard_remove(connection)
    target = _with_state(federation)[2]
    table = LogEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # jsonb holds only JSON: the nearest is a bare string
            cursor.execute(
                f"UPDATE {table} SET payload = to_jsonb(%s::text) WHERE id = %s", [TRUNCATED, target.pk]
            )
        else:  # SQLite checks JSON_VALID: a database owner can switch that off
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            cursor.execute(f"UPDATE {table} SET payload = %s WHERE id = %s", [TRUNCATED, target.pk])
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    _everything_reports(federation, target.seq, "not a JSON object", capsys)


@pytest.mark.parametrize(
    "state",
    [
        pytest.param("not a list", id="a-string"),
        pytest.param([["federation.delegation", 1]], id="rows-not-objects"),
        pytest.param([{"model": "federation.delegation"}], id="no-pk"),
        pytest.param(
            [{"model": "federation.delegation", "pk": "twelve", "fields": {}}], id="pk-not-a-number"
        ),
    ],
)
def test_rows_of_power_in_a_form_commune_never_writes(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str], state: object
) -> None:
    guard_remove(connection)
    target = _with_state(federation)[1]
    LogEntry.objects.filter(pk=target.pk).update(payload={**target.payload, "state": state})
    _everything_reports(federation, target.seq, "changed", capsys)


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param({"signature": "zz" * 64}, id="not-hex"),
        pytest.param({"signature": "ab" * 10}, id="too-short"),
        pytest.param({"signature": "\u00e9\u00e9"}, id="not-ascii"),
        pytest.param({"signed_by": "\u00e9 no such key"[:16]}, id="key-garbage"),
    ],
)
def test_a_signature_that_is_garbage(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str], signature: dict[str, str]
) -> None:
    guard_remove(connection)
    target = _entries(federation)[3]
    LogEntry.objects.filter(pk=target.pk).update(**signature)
    _everything_reports(federation, target.seq, "signature does not match", capsys)
