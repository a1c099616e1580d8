"""``commune tally``: every output format, the charts, the errors and its independence from Django."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from commune.cli.main import main as commune_main
from commune.cli.tally import main
from commune.tally.methods import METHODS

DATA = Path(__file__).parent.parent / "data" / "scotland-2017"
WARD = str(DATA / "edinburgh_2017_ward1.blt")
OTHER = str(DATA / "orkney_2017_ward1.blt")
ALMOND = ["Graham HUTCHISON (C)", "Kevin LANG (LD)", "Louise YOUNG (LD)", "Norrie WORK (SNP)"]


def test_table_shows_every_stage_and_the_winners(capsys: pytest.CaptureFixture[str]) -> None:
    """The default table lists candidates by stage, what each stage did, and who was elected."""
    assert main([WARD]) == 0
    out = capsys.readouterr().out
    assert "quota 2,842" in out
    assert "Stage 10: Exclusion of Pamela MITCHELL (SNP); elected: Norrie WORK (SNP)" in out
    assert "3,744.20084" in out
    assert out.rstrip().endswith(
        "Elected: Kevin LANG (LD), Louise YOUNG (LD), Graham HUTCHISON (C), Norrie WORK (SNP)"
    )


def test_json_object_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON for one file: file as given, method, seats, quota, elected in order, stages with exact totals."""
    assert main([WARD, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == WARD
    assert data["method"] == "scottish-stv"
    assert data["seats"] == 4
    assert data["quota"] == "2842"
    assert sorted(data["elected"]) == sorted(ALMOND)
    assert data["elected"][0] == "Kevin LANG (LD)"
    stage2 = data["stages"][1]
    assert stage2["stage"] == 2 and stage2["action"] == "surplus"
    assert Decimal(stage2["totals"]["Louise YOUNG (LD)"]) == Decimal("3652.90304")
    assert Decimal(stage2["non_transferable"]) >= 0
    assert {"tie_breaks", "transfers"} <= set(data) | set(stage2)


def test_jsonl_is_one_line_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON Lines: one object per file, one line each, in the order given."""
    assert main([WARD, OTHER, "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["file"] for line in lines] == [WARD, OTHER]


def test_json_for_several_files_is_an_array(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON for several files: an array of the per-file objects."""
    assert main([WARD, OTHER, "--format", "json"]) == 0
    assert [d["file"] for d in json.loads(capsys.readouterr().out)] == [WARD, OTHER]


def test_csv_has_a_row_per_stage_and_candidate(capsys: pytest.CaptureFixture[str]) -> None:
    """CSV: long form, one row per stage and candidate, with status at that stage."""
    assert main([WARD, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 10 * 10
    last = [r for r in rows if r["stage"] == "10"]
    assert {r["candidate"] for r in last if r["status"] == "elected"} == set(ALMOND)
    assert {r["file"] for r in rows} == {WARD}


def test_seats_option_overrides_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    """--seats changes the number to elect (and so the quota)."""
    assert main([WARD, "--seats", "1", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seats"] == 1 and data["quota"] == "7104" and len(data["elected"]) == 1


@pytest.mark.parametrize("name", ["count.png", "count.html", "count.svg"])
def test_chart_is_written(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--chart writes a PNG (matplotlib) or a self-contained HTML/SVG chart."""
    target = tmp_path / name
    assert main([WARD, "--chart", str(target)]) == 0
    data = target.read_bytes()
    if name.endswith(".png"):
        assert data.startswith(b"\x89PNG")
    else:
        assert b"<svg" in data and b"Norrie WORK" in data and b"<script" not in data


def test_chart_for_several_files_gets_one_file_each(tmp_path: Path) -> None:
    """With several files, each chart is named after its ballot file."""
    assert main([WARD, OTHER, "--chart", str(tmp_path / "c.html"), "--format", "jsonl"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "c-edinburgh_2017_ward1.html",
        "c-orkney_2017_ward1.html",
    ]


def test_a_malformed_file_names_the_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad ballot file is reported on stderr with file and line; the exit status is 1."""
    bad = tmp_path / "ward.blt"
    bad.write_text("8 3\n1 1 2 0\n1 9 0\n0\nA\nB\nC\nD\nE\nF\nG\nH\n")
    assert main([str(bad)]) == 1
    assert f"{bad}:3: preference 9 is not a candidate (there are 8)" in capsys.readouterr().err


def test_an_unavailable_method_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A method the registry does not hold is named as unavailable, with the ones that are."""
    assert main([WARD, "--method", "no-such-method"]) == 2
    err = capsys.readouterr().err
    assert "no-such-method" in err and "scottish-stv" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Bad options exit 2 without a traceback."""
    assert main([]) == 2
    assert main([WARD, "--format", "xml"]) == 2
    assert main([WARD, "--seats", "0"]) == 2
    assert main([WARD, "--chart", "out.gif"]) == 2


def test_dispatched_by_the_commune_command(capsys: pytest.CaptureFixture[str]) -> None:
    """``commune tally`` reaches this command."""
    assert commune_main(["tally", WARD, "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["quota"] == "2842"


def test_the_command_never_imports_django() -> None:
    """Counting from the command line loads no Django (it starts fast and needs no settings)."""
    code = (
        "import sys\n"
        "from commune.cli.main import main\n"
        f"assert main(['tally', {WARD!r}, '--format', 'json']) == 0\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["method"] == "scottish-stv"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_registered_method_runs_through_every_format(
    method: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each method in the registry counts a real ward for one seat and renders in every format."""
    for fmt in ("table", "csv", "jsonl"):
        assert main([OTHER, "--method", method, "--seats", "1", "--format", fmt]) == 0
    out = capsys.readouterr().out
    data = json.loads(out.strip().splitlines()[-1])
    assert data["method"] == method and len(data["elected"]) == 1
