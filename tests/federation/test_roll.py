"""Importing a unit's member roll from CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.audit.models import LogEntry
from commune.audit.services import Actor
from commune.audit.verification import chain_verify
from commune.cli.main import main
from commune.federation.models import Body, Member, Membership, MembershipEnd
from commune.federation.roll import RollReport
from tests.conftest import SmallFederation
from tests.records import recorded_update
from tests.roll import let_one_officer_lapse_any_share, roll_import_confirmed

OFFICER = Actor(None, "test officer")


@pytest.fixture(autouse=True)
def _one_officer_may_lapse_any_share(federation: SmallFederation) -> None:
    let_one_officer_lapse_any_share(federation.org)


def _import(unit: Body, text: str, *, dry_run: bool = False, progress=None) -> RollReport:  # type: ignore[no-untyped-def]
    return roll_import_confirmed(unit, text, actor=OFFICER, dry_run=dry_run, progress=progress)


def _current_numbers(unit: Body) -> set[str]:
    return set(Member.objects.filter(current_unit=unit).values_list("number", flat=True))


def _roll_of_unit0(fed: SmallFederation, *extra: str) -> str:
    """Unit 0's current roll (members m1..m5) as a CSV, plus extra lines."""
    lines = ["number,name,email"]
    for i in range(1, 6):
        m = fed.members[f"m{i}"]
        lines.append(f"{m.number},{m.person.name},{m.person.email}")
    return "\n".join([*lines, *extra]) + "\n"


def test_a_new_roll_admits_everyone_with_accounts_that_need_a_password_reset(
    federation: SmallFederation,
) -> None:
    """New numbers are admitted; each person gets an account with no usable password."""
    unit = federation.units[3]
    unit.refresh_from_db()
    before = unit.member_count
    report = _import(
        unit,
        "number,name,email,wage_band\nN1,Rosa Parks,rosa@example.org,B2\nN2,Joe Hill,joe@example.org,B1\n",
    )
    assert report.ok, report.errors
    assert (report.admitted, report.lapsed, report.updated) == (2, 5, 0)
    assert _current_numbers(unit) == {"N1", "N2"}
    rosa = Member.objects.get(number="N1")
    assert rosa.wage_band == "B2" and rosa.person.name == "Rosa Parks"
    assert not rosa.person.has_usable_password()
    unit.refresh_from_db()
    federation.congress.refresh_from_db()
    assert unit.member_count == before - 5 + 2
    assert federation.congress.member_count == 20 - 5 + 2


def test_a_reimport_updates_admits_and_lapses_and_leaves_the_rest_alone(federation: SmallFederation) -> None:
    """Changed details are updated, new numbers admitted, missing members lapsed, history kept."""
    unit = federation.units[0]
    m1, m5 = federation.members["m1"], federation.members["m5"]
    roll = _roll_of_unit0(federation, "NEW1,Lucy Parsons,lucy@example.org")
    roll = roll.replace(f"{m1.number},{m1.person.name},", f"{m1.number},Renamed Person,")
    roll = roll.replace(f"{m5.number},{m5.person.name},{m5.person.email}\n", "")
    report = _import(unit, roll)
    assert report.ok, report.errors
    assert (report.admitted, report.updated, report.lapsed, report.unchanged) == (1, 1, 1, 3)
    m1.person.refresh_from_db()
    assert m1.person.name == "Renamed Person"
    assert _current_numbers(unit) == {federation.members[f"m{i}"].number for i in range(1, 5)} | {"NEW1"}
    lapsed_period = Membership.objects.get(member=m5)
    assert lapsed_period.end_reason == MembershipEnd.LAPSE and lapsed_period.ended_at is not None
    entry = LogEntry.objects.filter(organisation=federation.org).order_by("-seq").first()
    assert entry is not None and entry.action == "roll.imported"
    assert entry.actor_label == "test officer"
    assert entry.payload["admitted"] == ["NEW1"]
    assert entry.payload["lapsed"] == [m5.number]
    assert entry.payload["updated"] == {m1.number: ["name"]}
    assert chain_verify(organisation_id=federation.org.pk).ok


def test_an_identical_roll_changes_nothing_and_records_nothing(federation: SmallFederation) -> None:
    """Re-importing the roll as it stands touches no row and appends nothing to the log."""
    entries = LogEntry.objects.count()
    report = _import(federation.units[0], _roll_of_unit0(federation))
    assert report.ok and report.unchanged == 5 and not report.changed
    assert LogEntry.objects.count() == entries


def test_a_lapsed_member_listed_again_is_readmitted(federation: SmallFederation) -> None:
    """A former member whose number reappears starts a new membership period in the unit."""
    unit = federation.units[0]
    m5 = federation.members["m5"]
    without_m5 = _roll_of_unit0(federation).replace(f"{m5.number},{m5.person.name},{m5.person.email}\n", "")
    assert _import(unit, without_m5).lapsed == 1
    report = _import(unit, _roll_of_unit0(federation))
    assert report.ok and report.readmitted == 1
    assert Membership.objects.filter(member=m5).count() == 2
    assert m5.number in _current_numbers(unit)


def test_every_problem_is_reported_by_line_and_nothing_changes(federation: SmallFederation) -> None:
    """Missing fields, bad addresses and duplicates are all reported with line numbers, and no row
    of an invalid file is applied."""
    unit = federation.units[0]
    entries = LogEntry.objects.count()
    text = _roll_of_unit0(
        federation,
        "X1,,x1@example.org",  # line 7: no name
        "X2,Ada Lovelace,not-an-address",  # line 8
        "X3,Mary Jones,m1@tf.example",  # line 9: m1's address, another number
        "X1,Emma Goldman,emma@example.org",  # line 10: duplicate number
        ",Nobody,nobody@example.org",  # line 11: no number
        "X4,Louise Michel,EMMA@example.org",  # line 12: duplicate address (case differs)
    )
    report = _import(unit, text)
    assert not report.ok
    by_line = {p.line: p.message for p in report.errors}
    assert "name is missing" in by_line[7]
    assert "not a valid email" in by_line[8]
    assert "line 7" in by_line[10] and "Emma Goldman" in by_line[10]
    assert "member number is missing" in by_line[11]
    assert "line 10" in by_line[12]
    assert [p.line for p in report.errors] == sorted(p.line for p in report.errors)
    assert not Member.objects.filter(number__startswith="X").exists()
    assert LogEntry.objects.count() == entries


def test_an_address_belonging_to_another_member_number_is_refused(federation: SmallFederation) -> None:
    """An email already used by a member under a different number is reported, naming that number."""
    m1 = federation.members["m1"]
    report = _import(federation.units[0], f"number,name,email\nZ9,Someone,{m1.person.email}\n")
    assert [p.line for p in report.errors] == [2]
    assert m1.number in report.errors[0].message
    assert not Member.objects.filter(number="Z9").exists()


def test_a_number_held_in_another_unit_asks_for_a_transfer(federation: SmallFederation) -> None:
    """A number that belongs to a current member of another unit is refused and the message says to
    transfer them."""
    other = federation.members["m6"]  # in unit 1
    roll = _roll_of_unit0(federation, f"{other.number},{other.person.name},{other.person.email}")
    report = _import(federation.units[0], roll)
    assert len(report.errors) == 1 and report.errors[0].line == 7
    message = report.errors[0].message
    assert "transfer" in message and federation.units[1].code in message
    other.refresh_from_db()
    assert other.current_unit_id == federation.units[1].pk


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(federation: SmallFederation) -> None:
    """--dry-run gives the same counts as a real import without writing anything."""
    unit = federation.units[0]
    entries, users = LogEntry.objects.count(), User.objects.count()
    report = _import(unit, "number,name,email\nD1,Dora Marsden,dora@example.org\n", dry_run=True)
    assert report.ok and report.dry_run
    assert (report.admitted, report.lapsed) == (1, 5)
    assert (LogEntry.objects.count(), User.objects.count()) == (entries, users)
    assert len(_current_numbers(unit)) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,email\nA,a@example.org\n", "lacks the column number"),
        ("number,name,email,shoe_size\n1,A,a@example.org,9\n", "unknown column shoe_size"),
        ("", "empty"),
        ("\x89PNG\r\n\x1a\n\x00\x00", "not a CSV text file"),
        ("number,name,email\n", "lists no members"),
        ("number,name,email\n1,Smith, John,j@example.org\n", "expected 3 fields"),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_message(
    federation: SmallFederation, text: str, expected: str
) -> None:
    """Files that are not a roll are refused before any row is looked at."""
    report = _import(federation.units[0], text)
    assert not report.ok
    assert expected in report.errors[0].message
    assert len(_current_numbers(federation.units[0])) == 5


def test_header_variants_bom_and_semicolons_are_accepted(federation: SmallFederation) -> None:
    """Headers in any case with spaces, a UTF-8 byte-order mark and semicolon-separated exports are read."""
    text = "\ufeffMember Number; Name ;E-mail;Wage Band\nV1;Élise Reclus;elise@example.org;C\n"
    report = _import(federation.units[2], text)
    assert report.ok, report.errors
    member = Member.objects.get(number="V1")
    assert (member.person.name, member.person.email, member.wage_band) == (
        "Élise Reclus",
        "elise@example.org",
        "C",
    )


def test_progress_is_reported_for_every_row(federation: SmallFederation) -> None:
    """The progress callback sees every row, ending at the total."""
    calls: list[tuple[int, int]] = []
    _import(federation.units[0], _roll_of_unit0(federation), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 5) for i in range(1, 6)]


def test_a_council_has_no_roll(federation: SmallFederation) -> None:
    """Only units have member rolls."""
    report = _import(federation.districts[0], "number,name,email\n1,A,a@example.org\n")
    assert not report.ok and "council" in report.errors[0].message


def test_ten_thousand_rows_import_quickly_and_reimport_as_unchanged(federation: SmallFederation) -> None:
    """A 10,000-member roll imports whole, and importing it again changes nothing.
    (Its speed is measured in benchmarks, not asserted here.)"""
    rows = "".join(f"B{i:05d},Member {i},b{i}@big.example,B{i % 4}\n" for i in range(10_000))
    text = "number,name,email,wage_band\n" + rows
    report = _import(federation.units[1], text)
    assert report.ok and report.admitted == 10_000
    assert Member.objects.filter(current_unit=federation.units[1]).count() == 10_000
    again = _import(federation.units[1], text)
    assert again.unchanged == 10_000 and not again.changed
    assert chain_verify(organisation_id=federation.org.pk).ok


def _roll_with_address(fed: SmallFederation, key: str, address: str, name: str | None = None) -> str:
    """Unit 0's roll with member ``key``'s address (and optionally name) replaced."""
    m = fed.members[key]
    return _roll_of_unit0(fed).replace(
        f"{m.number},{m.person.name},{m.person.email}\n", f"{m.number},{name or m.person.name},{address}\n"
    )


def test_a_roll_cannot_change_the_sign_in_address_of_a_member_with_a_password(
    federation: SmallFederation,
) -> None:
    """A new address for a member who has set a password is not applied, so a roll officer cannot take
    over their account by a password reset; the line is reported as a warning, and the rest of it applies."""
    m4 = federation.members["m4"]
    old_address = m4.person.email
    assert m4.person.has_usable_password()
    roll = _roll_with_address(federation, "m4", "takeover@example.org", name="Renamed Four")

    report = _import(federation.units[0], roll)

    assert report.ok, report.errors
    assert (report.updated, report.unchanged) == (1, 4)
    m4.person.refresh_from_db()
    assert (m4.person.email, m4.person.name) == (old_address, "Renamed Four")
    assert not User.objects.filter(email="takeover@example.org").exists()
    assert [w.line for w in report.warnings] == [5]  # header, then m1..m3, then m4
    assert m4.number in report.warnings[0].message
    assert "the member changes their own sign-in address" in report.warnings[0].message
    entry = LogEntry.objects.filter(organisation=federation.org).order_by("-seq").first()
    assert entry is not None and entry.payload["updated"] == {m4.number: ["name"]}


def test_a_line_whose_only_change_is_a_refused_address_is_unchanged(federation: SmallFederation) -> None:
    """With nothing else to apply, the line changes nothing and nothing is logged; the warning remains."""
    entries = LogEntry.objects.count()
    report = _import(federation.units[0], _roll_with_address(federation, "m1", "other@example.org"))
    assert report.ok and not report.changed and report.unchanged == 5
    assert [w.line for w in report.warnings] == [2]
    assert LogEntry.objects.count() == entries


def test_a_dry_run_warns_of_the_address_it_would_not_apply(federation: SmallFederation) -> None:
    """The dry run gives the same warning, so the officer learns of it before importing."""
    report = _import(federation.units[0], _roll_with_address(federation, "m2", "x@example.org"), dry_run=True)
    assert report.ok and [w.line for w in report.warnings] == [3]
    assert federation.members["m2"].number in str(report.warnings[0])


def test_a_member_who_never_signed_in_gets_the_roll_address(federation: SmallFederation) -> None:
    """Without a usable password the account is not the member's yet, so the roll corrects the address."""
    m5 = federation.members["m5"]
    m5.person.set_unusable_password()
    m5.person.save(update_fields=["password"])
    report = _import(federation.units[0], _roll_with_address(federation, "m5", "corrected@example.org"))
    assert report.ok and report.updated == 1 and report.warnings == []
    m5.person.refresh_from_db()
    assert m5.person.email == "corrected@example.org"


def test_a_readmitted_member_with_a_password_keeps_their_address(federation: SmallFederation) -> None:
    """Re-admission applies the same rule as an update."""
    m5 = federation.members["m5"]
    old_address = m5.person.email
    without_m5 = _roll_of_unit0(federation).replace(f"{m5.number},{m5.person.name},{m5.person.email}\n", "")
    assert _import(federation.units[0], without_m5).lapsed == 1
    report = _import(federation.units[0], _roll_with_address(federation, "m5", "new5@example.org"))
    assert report.ok and report.readmitted == 1 and len(report.warnings) == 1
    m5.person.refresh_from_db()
    assert m5.person.email == old_address


def test_the_command_prints_each_warning_with_file_and_line(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``commune import-members`` prints FILE:LINE: warning: … and still imports (exit 0)."""
    path = tmp_path / "roll.csv"
    path.write_text(_roll_with_address(federation, "m3", "grab@example.org"), encoding="utf-8")
    assert main(["import-members", str(path), "--unit", "D0-U0"]) == 0
    err = capsys.readouterr().err
    number = federation.members["m3"].number
    assert f"{path}:4: warning: member number {number}" in err
    assert "the member changes their own sign-in address" in err


def test_the_roll_page_lists_the_warnings_by_line(federation: SmallFederation) -> None:
    """The web report shows each line imported in part, with its line number and the reason."""
    client = Client()
    client.force_login(federation.officer)
    upload = SimpleUploadedFile(
        "roll.csv", _roll_with_address(federation, "m3", "grab@example.org").encode(), content_type="text/csv"
    )
    response = client.post(
        reverse("federation:roll", kwargs={"slug": federation.org.slug, "code": "D0-U0"}),
        {"roll": upload, "dry_run": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 line would be imported in part" in html
    assert '<td data-label="Line" class="num">4</td>' in html
    assert "the member changes their own sign-in address" in html


def test_a_roll_never_moves_a_recorded_wage_band(federation: SmallFederation) -> None:
    """The officers' pay cap is computed from the members' wage bands, so a roll officer (whose own pay the
    cap bounds) cannot move them: a band already recorded stays, named in a warning; a member with none
    gets the roll's."""
    m1, m2 = federation.members["m1"], federation.members["m2"]
    recorded_update(Member.objects.filter(pk=m1.pk), wage_band="A")
    lines = _roll_of_unit0(federation).splitlines()
    lines[0] += ",wage_band"
    lines[1:] = [line + ",TOP" for line in lines[1:]]
    report = _import(federation.units[0], "\n".join(lines) + "\n")
    assert report.ok, report.errors
    assert Member.objects.get(pk=m1.pk).wage_band == "A"
    assert Member.objects.get(pk=m2.pk).wage_band == "TOP"
    [warning] = [w for w in report.warnings if m1.number in w.message]
    assert "stays on wage band A, not TOP" in warning.message
