"""``commune retally``: anyone re-counts a downloaded bulletin and gets the published result."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from commune.cli.main import main
from commune.elections.models import Candidacy, Election
from commune.elections.selectors import bulletin_blt_text, bulletin_document
from commune.elections.services import casting as ballot_services
from commune.elections.services.casting import ballot_cast
from commune.tally.ties import lot_order
from tests.clock import Clock
from tests.conftest import build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting

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


@pytest.fixture
def tie_by_lot(clock: Clock, db: None, monkeypatch: pytest.MonkeyPatch) -> Election:
    """One seat; two candidates level at every stage, so the lot decides, with a seed drawn at close for
    which the lot falls the other way from seed 0 (a re-count that ignored the seed would differ)."""
    fed = build_federation(units_per_district=1, members_per_unit=6, slug="lot")
    election = call(clock, fed.units[0], seats=1, title="Depot chair")
    m = fed.members
    a, b, c = stand(election, m["m1"], m["m2"], m["m3"])
    labels = dict(Candidacy.objects.filter(election=election).values_list("pk", "ballot_label"))
    # A and B have two papers each; C's one paper names nobody else.
    seed = next(
        s
        for s in range(1, 1000)
        if lot_order(s, [labels[a], labels[b]]) != lot_order(0, [labels[a], labels[b]])
    )
    monkeypatch.setattr(ballot_services.secrets, "randbits", lambda bits: seed)
    election = to_voting(clock, election)
    for voter, ranking in (("m1", [a]), ("m2", [a]), ("m3", [b]), ("m4", [b]), ("m5", [c])):
        ballot_cast(election_id=election.pk, member=m[voter], ranking=ranking)
    declared = to_declared(clock, election)
    assert declared.tie_seed == seed
    assert [t["rule"] for t in declared.result["tie_breaks"]] == ["lot"]  # type: ignore[index]
    return declared


def test_a_tie_settled_by_lot_is_recounted_from_the_blt_download_alone(
    tie_by_lot: Election, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The BLT file carries the seed and the method, so ``commune tally`` and ``commune retally`` given
    nothing but the file reproduce the declared result, tie and all; other tools can still read it."""
    election = tie_by_lot
    path = tmp_path / "bulletin.blt"
    path.write_text(bulletin_blt_text(election=election), encoding="utf-8")
    declared = election.result
    assert isinstance(declared, dict)

    assert main(["tally", str(path), "--format", "json"]) == 0
    recount = json.loads(capsys.readouterr().out)
    assert recount["elected"] == declared["elected"]
    assert recount["method"] == election.method
    assert recount["stages"] == declared["stages"] and recount["tie_breaks"] == declared["tie_breaks"]

    assert main(["retally", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{declared['elected'][0]} elected" in out and f"seed {election.tie_seed}" in out

    # The lines it adds are comments after the title, where OpenSTV and Droop stop reading.
    text = path.read_text(encoding="utf-8")
    body, _, after = text.partition('"Depot chair"\n')
    assert after and all(line.startswith("#") for line in after.splitlines())
    assert "#" not in body


def test_retally_of_a_blt_file_needs_to_know_how_it_was_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A BLT file that does not state its count, or a root to check against a file with no trackers,
    is refused rather than counted by guesswork."""
    path = tmp_path / "ward.blt"
    path.write_text('2 1\n2 1 0\n1 2 0\n0\n"A"\n"B"\n"Ward"\n', encoding="utf-8")
    assert main(["retally", str(path)]) == 2
    assert "does not say how it was counted" in capsys.readouterr().err
    path.write_text(
        '2 1\n2 1 0\n1 2 0\n0\n"A"\n"B"\n"Ward"\n# commune-count: method=irv seed=4\n', encoding="utf-8"
    )
    assert main(["retally", str(path), "--root", "0" * 64]) == 2
    assert "no trackers" in capsys.readouterr().err
    assert main(["retally", str(path), "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("Ward: 3 papers re-counted by irv, tie seed 4: A elected.")
