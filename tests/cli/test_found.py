"""``commune found``: founding from a JSON file on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commune.cli.main import main
from commune.federation.models import Organisation

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "federation.json"


@pytest.mark.django_db
def test_founding_the_example_prints_the_seats_and_next_step(capsys: pytest.CaptureFixture[str]) -> None:
    """The command founds the organisation and says how to import the first roll."""
    assert main(["found", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Founded Harbour and Logistics Workers' Federation (harbour-logistics)" in out
    assert "DOCKS: 12 seats apportioned" in out
    assert "commune import-members roll.csv --org harbour-logistics --unit" in out
    assert Organisation.objects.filter(slug="harbour-logistics").exists()


@pytest.mark.django_db
def test_a_dry_run_checks_without_founding(capsys: pytest.CaptureFixture[str]) -> None:
    """--dry-run reports the file as foundable and creates nothing."""
    assert main(["found", str(EXAMPLE), "--dry-run"]) == 0
    assert "can be founded" in capsys.readouterr().out
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_problems_and_bad_json_exit_1_naming_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Invalid descriptions print FILE: PATH: message; broken JSON prints its line and column."""
    description = json.loads(EXAMPLE.read_text())
    description["top"]["children"][1]["members_per_seat"] = "many"
    path = tmp_path / "f.json"
    path.write_text(json.dumps(description))
    assert main(["found", str(path)]) == 1
    assert f"{path}: top.children[1].members_per_seat: must be a whole number" in capsys.readouterr().err
    path.write_text('{"organisation": {"name": "X"},\n  "top": }')
    assert main(["found", str(path)]) == 1
    assert f"{path}:2:10: not valid JSON" in capsys.readouterr().err
    assert main(["found", str(tmp_path / "missing.json")]) == 2
    assert not Organisation.objects.exists()
