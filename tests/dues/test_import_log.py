"""An imported file's payments are held to the log as one digest of their rows: a payment of the file
changed, added or deleted behind the log's back is named by the check, by the comparison of the tables
with the log, and by the command, as surely as a row held one by one."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from commune.audit.services import Actor
from commune.audit.verification import chain_verify, power_state_discrepancies
from commune.cli.main import main as commune
from commune.dues.models import DuesImport, DuesPayment
from commune.dues.services import dues_import, dues_payment_record
from tests.dues.conftest import Dues

pytestmark = [pytest.mark.django_db, pytest.mark.tampered]

OPERATOR = Actor(None, "operator (test)")
TABLE = DuesPayment._meta.db_table


def _imported(dues: Dues) -> DuesImport:
    today = timezone.localdate()
    text = "number,amount,paid_on,reference\n" + "".join(
        f"D000{n},8.00,{today:%Y-%m-%d},R-{n}\n" for n in (1, 3, 5)
    )
    assert dues_import(unit=dues.u1, csv_text=text, dry_run=False, actor=OPERATOR).imported
    # An officer's payment beside it is held row by row.
    dues_payment_record(officer=dues.m("d2"), member=dues.m("d4"), amount="12.00", paid_on=today)
    assert chain_verify(organisation_id=dues.org.pk).ok
    return DuesImport.objects.get()


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _named(dues: Dues, batch: DuesImport, capsys: pytest.CaptureFixture[str]) -> None:
    report = chain_verify(organisation_id=dues.org.pk, full=True)
    assert report.problem is None and not report.ok
    found = [d for d in report.discrepancies if d.kind == "batch"]
    assert [(d.model, d.pk, d.field) for d in found] == [("dues.duespayment", batch.pk, "dues_import_id")]
    assert "changed, added or deleted behind the log's back" in str(found[0])
    assert [d.kind for d in power_state_discrepancies(organisation_id=dues.org.pk) if d.kind == "batch"] == [
        "batch"
    ]
    assert commune(["audit", "verify", "--org", "dues"]) == 1
    assert "rows with dues_import_id" in capsys.readouterr().out


def test_an_imported_payment_changed_behind_the_log_is_named(
    dues: Dues, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = _imported(dues)
    target = DuesPayment.objects.filter(dues_import=batch).order_by("pk")[1]
    _sql(f"UPDATE {TABLE} SET amount = %s WHERE id = %s", ["80.00", target.pk])
    _named(dues, batch, capsys)


def test_an_imported_payments_date_changed_behind_the_log_is_named(
    dues: Dues, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = _imported(dues)
    target = DuesPayment.objects.filter(dues_import=batch).order_by("pk")[0]
    _sql(f"UPDATE {TABLE} SET paid_on = %s WHERE id = %s", [date(2001, 1, 1), target.pk])
    _named(dues, batch, capsys)


def test_an_imported_payment_deleted_behind_the_log_is_named(
    dues: Dues, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = _imported(dues)
    target = DuesPayment.objects.filter(dues_import=batch).order_by("pk")[2]
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [target.pk])
    _named(dues, batch, capsys)


def test_a_payment_added_to_an_imported_file_behind_the_log_is_named(
    dues: Dues, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = _imported(dues)
    model = DuesPayment.objects.filter(dues_import=batch).first()
    assert model is not None
    # Written without signals, as a database owner would: nothing notes it for the log.
    DuesPayment.objects.bulk_create(
        [
            DuesPayment(
                organisation_id=dues.org.pk,
                member_id=dues.members["d6"].pk,
                amount="50.00",
                paid_on=model.paid_on,
                source=model.source,
                dues_import=batch,
                recorded_at=model.recorded_at,
            )
        ]
    )
    _named(dues, batch, capsys)


def test_an_officers_payment_moved_into_an_imported_file_is_named(
    dues: Dues, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = _imported(dues)
    single = DuesPayment.objects.get(dues_import__isnull=True)
    _sql(f"UPDATE {TABLE} SET dues_import_id = %s WHERE id = %s", [batch.pk, single.pk])
    _named(dues, batch, capsys)


def test_an_imported_payment_taken_out_of_its_file_is_named_twice(dues: Dues) -> None:
    batch = _imported(dues)
    target = DuesPayment.objects.filter(dues_import=batch).order_by("pk")[0]
    _sql(f"UPDATE {TABLE} SET dues_import_id = NULL WHERE id = %s", [target.pk])
    kinds = {(d.kind, d.pk) for d in power_state_discrepancies(organisation_id=dues.org.pk)}
    assert kinds == {("batch", batch.pk), ("extra", target.pk)}


def test_a_file_untouched_verifies(dues: Dues) -> None:
    _imported(dues)
    assert chain_verify(organisation_id=dues.org.pk, full=True).ok
    assert power_state_discrepancies(organisation_id=dues.org.pk) == []
