"""``commune retally``: anyone re-counts a downloaded bulletin and gets the published result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from commune.cli.main import main
from commune.elections.models import Election
from commune.elections.selectors import bulletin_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulletin_file(declared: tuple[Election, dict[str, str]], tmp_path: Path) -> Path:
    election, _ = declared
    path = tmp_path / "bulletin.json"
    path.write_text(json.dumps(bulletin_document(election=election)))
    return path


def _edit(path: Path, change: object) -> None:
    document = json.loads(path.read_text())
    change(document)  # type: ignore[operator]
    path.write_text(json.dumps(document))


def test_retally_confirms_the_published_result(
    bulletin_file: Path, declared: tuple[Election, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    election, _ = declared
    assert main(["retally", str(bulletin_file), "--root", election.merkle_root]) == 0
    out = capsys.readouterr().out
    assert "OK: 12 ballots" in out and election.merkle_root in out and "Stage" in out


def test_retally_fails_when_one_ballot_was_changed(
    bulletin_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(bulletin_file, lambda d: d["ballots"][3].update(ranking=[c["id"] for c in d["candidates"]]))
    assert main(["retally", str(bulletin_file)]) == 1
    assert "hash check failed" in capsys.readouterr().err


def test_retally_fails_against_a_different_logged_root(
    bulletin_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["retally", str(bulletin_file), "--root", "0" * 64]) == 1
    assert "not to the logged root" in capsys.readouterr().err


def test_retally_reports_a_published_result_the_ballots_do_not_give(
    bulletin_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(bulletin_file, lambda d: d["result"].update(elected=list(reversed(d["result"]["elected"]))))
    assert main(["retally", str(bulletin_file), "--quiet"]) == 1
    assert "MISMATCH" in capsys.readouterr().err


def test_retally_refuses_a_file_that_is_not_a_bulletin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    assert main(["retally", str(path)]) == 2
    assert main(["retally", str(tmp_path / "missing.json")]) == 2


def test_retally_runs_without_django(bulletin_file: Path) -> None:
    """The command a sceptical member runs on their own machine loads no Django and no database."""
    code = (
        "import sys; from commune.cli.main import main; rc = main(['retally', sys.argv[1], '--quiet']); "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'; "
        "sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(bulletin_file)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK:")
