"""Importing a payment file: every line checked first, each problem named by its line, nothing imported
unless every line is good; a dry run imports nothing; a file is imported once; through the page, the API
and the command line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.audit.models import LogEntry
from commune.audit.services import Actor
from commune.cli.main import main as commune
from commune.dues.errors import NotYourUnit
from commune.dues.models import DuesImport, DuesPayment
from commune.dues.selectors import member_standing
from commune.dues.services import dues_import
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db

OPERATOR = Actor(None, "operator (test)")


def _file(*lines: str) -> str:
    return "\n".join(["number,amount,paid_on,reference", *lines]) + "\n"


def _good() -> str:
    today = timezone.localdate()
    return _file(
        f"D0001,8.00,{today:%Y-%m-%d},B-1",
        f"D0003,£16.00,{today:%d/%m/%Y},B-2",
        f"D0001,8.00,{today:%Y-%m-%d},B-3",
    )


def test_a_dry_run_reports_the_file_and_imports_nothing_then_the_import_records_every_line(
    dues: Dues,
) -> None:
    report = dues_import(unit=dues.u1, csv_text=_good(), dry_run=True, actor=OPERATOR)
    assert report.ok and report.rows == 3 and report.total == 32 and report.members == 2
    assert not DuesPayment.objects.exists() and not DuesImport.objects.exists()
    report = dues_import(unit=dues.u1, csv_text=_good(), dry_run=False, actor=OPERATOR, officer=dues.m("d2"))
    assert report.imported and DuesPayment.objects.count() == 3
    entry = LogEntry.objects.get(action="dues.imported")
    assert entry.payload["payments"] == 3 and entry.payload["total"] == "32.00"
    # The entry holds every payment it made as one digest of their rows, not row by row.
    [held] = [row for row in entry.payload["state"] if row["model"] == "dues.duespayment"]
    assert held["group"] == {"field": "dues_import_id", "value": DuesImport.objects.get().pk}
    assert held["rows"] == 3 and len(held["digest"]) == 64
    assert member_standing(member=dues.m("d1")).paid == 16


def test_bad_lines_are_named_by_line_and_nothing_is_imported(dues: Dues) -> None:
    today, tomorrow = timezone.localdate(), timezone.localdate() + timedelta(days=1)
    text = _file(
        f"D0001,8.00,{today},A",  # good
        f"D0099,8.00,{today},B",  # no such member
        f"D0008,8.00,{today},C",  # a member of Unit Two
        f"D0003,0,{today},D",  # nothing paid
        f"D0003,8.00,{tomorrow},E",  # in the future
        "D0003,8.00,yesterday,F",  # not a date
        f"D0001,8.00,{today},A",  # the reference again
        "D0003,8.00",  # a field short
    )
    report = dues_import(unit=dues.u1, csv_text=text, dry_run=False, actor=OPERATOR)
    assert not report.ok and not report.imported
    named = {p.line: p.message for p in report.errors}
    assert sorted(named) == [3, 4, 5, 6, 7, 8, 9]
    assert "no member has the number D0099" in named[3]
    assert "not a current member of Unit One" in named[4]
    assert "more than 0" in named[5] and "future" in named[6] and "not a date" in named[7]
    assert "also on line 2" in named[8] and "expected 4 fields" in named[9]
    assert not DuesPayment.objects.exists() and not DuesImport.objects.exists()
    assert not LogEntry.objects.filter(action="dues.imported").exists()


def test_a_file_is_imported_once_and_a_reference_already_recorded_is_named(dues: Dues) -> None:
    dues_import(unit=dues.u1, csv_text=_good(), dry_run=False, actor=OPERATOR)
    again = dues_import(unit=dues.u1, csv_text=_good(), dry_run=False, actor=OPERATOR)
    assert not again.ok and "already imported" in again.errors[0].message
    overlapping = dues_import(
        unit=dues.u1, csv_text=_file(f"D0003,16.00,{timezone.localdate()},B-2"), dry_run=False, actor=OPERATOR
    )
    assert [p.line for p in overlapping.errors] == [2] and "already recorded" in overlapping.errors[0].message
    assert DuesPayment.objects.count() == 3


def test_an_officer_of_another_unit_cannot_import_its_payments(dues: Dues) -> None:
    with pytest.raises(NotYourUnit):
        dues_import(unit=dues.u1, csv_text=_good(), dry_run=False, actor=OPERATOR, officer=dues.m("d7"))
    assert not DuesPayment.objects.exists()


def test_a_header_without_the_columns_is_line_1(dues: Dues) -> None:
    report = dues_import(unit=dues.u1, csv_text="member,sum\nD0001,8\n", dry_run=True, actor=OPERATOR)
    assert {p.line for p in report.errors} == {1} and "amount, paid_on" in report.errors[0].message


def test_the_officers_page_imports_a_file_after_a_dry_run(dues: Dues) -> None:
    client = Client()
    client.force_login(dues.person("d2"))
    url = reverse("dues:import", kwargs={"slug": "dues", "code": "U1"})
    upload = SimpleUploadedFile("pay.csv", _good().encode(), content_type="text/csv")
    page = client.post(url, {"payments": upload, "dry_run": "on"})
    assert page.status_code == 200 and "Dry run: the file is good" in page.content.decode()
    assert not DuesPayment.objects.exists()
    upload = SimpleUploadedFile("pay.csv", _good().encode(), content_type="text/csv")
    page = client.post(url, {"payments": upload})
    assert "The payments are imported" in page.content.decode() and DuesPayment.objects.count() == 3
    bad = SimpleUploadedFile("pay.csv", _file("D0001,x,2020-01-01,").encode(), content_type="text/csv")
    page = client.post(url, {"payments": bad})
    assert page.status_code == 400 and "not an amount" in page.content.decode()
    other = Client()
    other.force_login(dues.person("d7"))
    assert other.get(reverse("dues:unit", kwargs={"slug": "dues", "code": "U1"})).status_code == 404


def test_the_api_reports_problems_by_line(dues: Dues) -> None:
    answer = dues.api("d2").post(
        "/orgs/dues/dues/units/U1/imports",
        {"csv": _file("D0001,8,2020-01-01,", "D0002,abc,2020-01-01,"), "dry_run": False},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert not body["imported"] and body["errors"] == [
        {"line": 3, "message": "'abc' is not an amount such as 12.50"}
    ]
    assert not DuesPayment.objects.exists()


def test_the_command_line_checks_a_file_with_a_dry_run_then_imports_it(
    dues: Dues, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "payroll.csv"
    path.write_text(_good())
    assert commune(["dues", "import", str(path), "--unit", "U1", "--org", "dues", "--dry-run"]) == 0
    assert "would be imported" in capsys.readouterr().out and not DuesPayment.objects.exists()
    assert commune(["dues", "import", str(path), "--unit", "U1", "--org", "dues"]) == 0
    assert DuesPayment.objects.count() == 3
    path.write_text(_file("D0001,8,2020-01-01,", "D0008,8,2020-01-01,"))
    assert commune(["dues", "import", str(path), "--unit", "U1", "--org", "dues"]) == 1
    assert f"{path}:3: member D0008 is not a current member" in capsys.readouterr().err
    assert commune(["dues", "import", str(path), "--unit", "U9", "--org", "dues"]) == 2
    assert DuesPayment.objects.count() == 3
