"""``commune import-members``: the roll import from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from commune.cli.main import main
from commune.federation.models import Member
from commune.federation.services import organisation_found
from tests.conftest import SmallFederation
from tests.roll import confirmation_code, let_one_officer_lapse_any_share


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roll.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_prints_a_summary_and_the_org_can_be_left_out(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With one organisation --org is optional; the summary counts what happened."""
    let_one_officer_lapse_any_share(federation.org)
    path = _write(tmp_path, "number,name,email\nC1,Sylvia Pankhurst,sylvia@example.org\n")
    assert main(["import-members", str(path), "--unit", "d1-u0", "--dry-run"]) == 0
    code = confirmation_code(capsys.readouterr().out)
    assert main(["import-members", str(path), "--unit", "d1-u0", "--confirm-lapses", code]) == 0
    out = capsys.readouterr().out
    assert "1 admitted" in out and "5 lapsed" in out
    assert Member.objects.get(number="C1").current_unit == federation.units[2]


def test_problems_are_printed_with_file_and_line_and_exit_1(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each problem goes to stderr as FILE:LINE: message, and nothing is changed."""
    path = _write(tmp_path, "number,name,email\nC1,Sylvia,not-an-address\nC2,,c2@example.org\n")
    assert main(["import-members", str(path), "--unit", "D1-U0", "--org", "tf"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: 'not-an-address' is not a valid email address" in err
    assert f"{path}:3: the name is missing" in err
    assert "nothing was changed" in err
    assert not Member.objects.filter(number__in=["C1", "C2"]).exists()


def test_a_dry_run_says_what_would_happen(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run prints the counts as 'would be' and changes nothing."""
    path = _write(tmp_path, "number,name,email\nC1,Sylvia Pankhurst,sylvia@example.org\n")
    assert main(["import-members", str(path), "--unit", "D1-U0", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 would be admitted" in out and "Dry run" in out
    assert not Member.objects.filter(number="C1").exists()


def test_an_ambiguous_or_unknown_target_is_a_usage_error(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 when the organisation must be named, or the unit does not exist or is a council."""
    path = _write(tmp_path, "number,name,email\nC1,Sylvia Pankhurst,sylvia@example.org\n")
    organisation_found(name="Second", slug="second")
    assert main(["import-members", str(path), "--unit", "D1-U0"]) == 2
    assert "--org" in capsys.readouterr().err
    assert main(["import-members", str(path), "--unit", "NOPE", "--org", "tf"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["import-members", str(path), "--unit", "D0", "--org", "tf"]) == 2
    assert "council" in capsys.readouterr().err
    assert main(["import-members", str(tmp_path / "missing.csv"), "--unit", "D1-U0"]) == 2


def test_a_file_that_is_not_utf8_is_refused(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Latin-1 export is refused with advice to save as CSV UTF-8."""
    path = tmp_path / "roll.csv"
    path.write_bytes("number,name,email\nC1,Cécile,c@example.org\n".encode("latin-1"))
    assert main(["import-members", str(path), "--unit", "D1-U0"]) == 1
    assert "UTF-8" in capsys.readouterr().err


def test_a_large_file_shows_a_progress_bar_on_stderr(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files of a thousand rows or more draw a plain-text bar that reaches the total."""
    rows = "".join(f"P{i},Person {i},p{i}@example.org\n" for i in range(1500))
    path = _write(tmp_path, "number,name,email\n" + rows)
    let_one_officer_lapse_any_share(federation.org)
    assert main(["import-members", str(path), "--unit", "D1-U1", "--dry-run"]) == 0
    code = confirmation_code(capsys.readouterr().out)
    assert main(["import-members", str(path), "--unit", "D1-U1", "--confirm-lapses", code]) == 0
    err = capsys.readouterr().err
    assert "[" + "#" * 30 + "] 1500/1500 rows" in err
