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
from commune.tally.ties import lot_order

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


# -- yes/no ------------------------------------------------------------------------------------------

STRIKE = "count,answer\n120,yes\n45,No\n3,abstain\n"


@pytest.fixture
def strike(tmp_path: Path) -> str:
    """A strike ballot: 120 yes, 45 no, 3 abstentions."""
    path = tmp_path / "strike.csv"
    path.write_text(STRIKE, encoding="utf-8")
    return str(path)


def test_yes_no_counts_a_file_of_yes_no_and_abstain_papers(
    strike: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--method yes-no`` counts the answers and decides the question (it answered "not available yet")."""
    assert main([strike, "--method", "yes-no", "--electorate", "400"]) == 0
    out = capsys.readouterr().out
    assert "simple majority: CARRIED" in out
    assert (
        "majority passed: 120 yes of 165 voting yes or no (72.73%); needs more than 50%, i.e. at least 83"
        in out
    )
    assert all(line in out for line in ("Yes ", "No ", "Abstain ")) and "electorate 400" in out


def test_yes_no_reads_a_blt_file_whose_candidates_are_the_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Any ballot file the command reads will do, its "candidates" being the answers; the title is kept."""
    path = tmp_path / "strike.blt"
    path.write_text(
        '3 1\n120 1 0\n45 2 0\n3 3 0\n0\n"Yes"\n"No"\n"Abstain"\n"Strike ballot"\n', encoding="utf-8"
    )
    assert main([str(path), "--method", "yes-no", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["title"], data["yes"], data["no"], data["abstain"], data["passed"]) == (
        "Strike ballot",
        120,
        45,
        3,
        True,
    )


@pytest.mark.parametrize(
    ("options", "carried", "failed"),
    [
        (["--rule", "two-thirds"], True, []),
        (["--rule", "three-quarters"], False, ["majority"]),
        (["--majority", "3/4"], False, ["majority"]),
        (["--majority", "72.72%"], True, []),
        (["--majority", "0.7272"], True, []),
        (["--majority", "8/11", "--more-than"], False, ["majority"]),  # 120/165 is exactly 8/11
        (["--majority", "8/11"], True, []),
        (["--rule", "tua-2016"], False, ["turnout"]),  # 168 of 400 took part
        (["--rule", "tua-2016", "--electorate", "336"], True, []),
        (["--rule", "tua-2016-ips", "--electorate", "336"], False, ["support"]),  # 120 < 40% of 336
        (["--turnout", "2/5"], True, []),
        (["--support", "30%"], True, []),
        (["--support", "31%"], False, ["support"]),
        (["--quorum", "1/2"], False, ["quorum"]),
        (["--quorum", "1/2", "--present", "200"], True, []),
        (["--quorum", "9/10", "--quorum-of", "present", "--present", "180"], True, []),
        (["--quorum", "19/20", "--quorum-of", "present", "--present", "180"], False, ["quorum"]),
        (["--abstentions-count", "--majority", "72.72%"], False, ["majority"]),
    ],
)
def test_yes_no_options_mirror_the_rule(
    strike: str, options: list[str], carried: bool, failed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Presets, majority, quorum (of the electorate or of those present), turnout, support, abstentions."""
    if "--electorate" not in options:
        options = [*options, "--electorate", "400"]
    assert main([strike, "--method", "yes-no", "--format", "json", *options]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is carried
    assert [t["test"] for t in data["tests"] if not t["passed"]] == failed


def test_yes_no_in_every_format(strike: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Table, JSON, JSON Lines and CSV, and every chart, as for the other methods."""
    assert main([strike, "--method", "yes-no", "--electorate", "400", "--format", "jsonl"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["method"] == "yes-no" and line["rule"] == "simple majority" and line["electorate"] == 400
    (test,) = line["tests"]
    assert test == {
        "test": "majority",
        "passed": True,
        "actual": 120,
        "base": 165,
        "required": "1/2",
        "strict": True,
        "needed": 83,
        "explanation": test["explanation"],
    }
    assert main([strike, strike, "--method", "yes-no", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert (
        main([strike, "--method", "yes-no", "--format", "csv", "--rule", "tua-2016", "--electorate", "400"])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["test"], r["passed"]) for r in rows] == [("turnout", "no"), ("majority", "yes")]
    assert {(r["file"], r["yes"], r["no"], r["abstain"], r["electorate"]) for r in rows} == {
        (strike, "120", "45", "3", "400")
    }
    for name in ("yes-no.png", "yes-no.html", "yes-no.svg"):
        target = tmp_path / name
        assert main([strike, "--method", "yes-no", "--chart", str(target)]) == 0
        data = target.read_bytes()
        if name.endswith(".png"):
            assert data.startswith(b"\x89PNG")
        else:
            assert b"<svg" in data and b"CARRIED" in data and b"<script" not in data
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "options", "status", "message"),
    [
        ("count,answer\n3,yes\n2,maybe\n", [], 1, "'maybe' is not an answer"),
        ("answer,second\nyes,no\n", [], 1, "gives more than one answer"),
        (STRIKE, ["--rule", "tua-2016"], 2, "--electorate"),
        (STRIKE, ["--quorum", "1/2"], 2, "--electorate"),
        (STRIKE, ["--majority", "7/5"], 2, "--majority"),
        (STRIKE, ["--turnout", "lots"], 2, "--turnout"),
        (STRIKE, ["--rule", "unanimous"], 2, "unanimous"),
        (STRIKE, ["--seats", "2"], 2, "--seats"),
        (STRIKE, ["--electorate", "100"], 1, "the electorate is only 100"),
    ],
)
def test_yes_no_errors_say_what_is_wrong(
    tmp_path: Path,
    content: str,
    options: list[str],
    status: int,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(content, encoding="utf-8")
    assert main([str(path), "--method", "yes-no", *options]) == status
    err = capsys.readouterr().err
    assert message in err
    if status == 1:
        assert str(path) in err


def test_yes_no_options_belong_to_yes_no(capsys: pytest.CaptureFixture[str]) -> None:
    """A rule for a yes/no question given to a count of candidates is a usage error, not ignored."""
    assert main([WARD, "--electorate", "400"]) == 2
    assert "--method yes-no" in capsys.readouterr().err


# -- a file that says how it is counted --------------------------------------------------------------

TIED = '2 1\n2 1 0\n2 2 0\n0\n"Ann"\n"Bob"\n"Chair"\n'


def _seed_against_zero() -> int:
    """A seed whose lot between Ann and Bob falls the other way from seed 0's."""
    return next(s for s in range(1, 100) if lot_order(s, ["Ann", "Bob"]) != lot_order(0, ["Ann", "Bob"]))


def test_a_file_that_states_its_method_and_seed_is_counted_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --method or --seed the file's own are used; either option still overrides the file."""
    seed = _seed_against_zero()
    path = tmp_path / "chair.blt"
    path.write_text(TIED + f"# commune-count: method=irv seed={seed}\n", encoding="utf-8")
    assert main([str(path), "--format", "json"]) == 0
    stated = json.loads(capsys.readouterr().out)
    assert stated["method"] == "irv" and stated["tie_breaks"][0]["seed"] == seed
    assert main([str(path), "--format", "json", "--seed", "0"]) == 0
    zero = json.loads(capsys.readouterr().out)
    assert zero["method"] == "irv" and zero["elected"] != stated["elected"]
    assert main([str(path), "--format", "json", "--method", "plurality"]) == 0
    plural = json.loads(capsys.readouterr().out)
    assert plural["method"] == "plurality" and plural["tie_breaks"][0]["seed"] == seed


def test_a_methods_options_in_the_file_are_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "chair.blt"
    path.write_text(TIED + "# commune-count: method=wigm-stv seed=0 precision=exact\n", encoding="utf-8")
    assert main([str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["extra"]["precision"] is None
    path.write_text(TIED + "# commune-count: method=wigm-stv seed=0 places=3\n", encoding="utf-8")
    assert main([str(path)]) == 1
    assert "wigm-stv takes no option places" in capsys.readouterr().err
