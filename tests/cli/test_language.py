"""The command line speaks the language of the environment, as gettext programs do; machine output stays
as it is in every language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from commune.cli.main import main
from commune.console import language
from tests.conftest import SmallFederation

WARD = str(Path(__file__).parent.parent / "data" / "scotland-2017" / "edinburgh_2017_ward1.blt")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A Spanish environment; Django's language is put back afterwards (``django_start`` activates it)."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    before = translation.get_language()
    yield
    translation.activate(before)


def _run(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "commune", *args],
        env={**env, "LANG": lang},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "fr_CA.utf8"}, "fr"),
        ({"LANG": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "es_ES.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "es_ES.UTF-8"}, "es"),
        ({"LANG": "es_ES.UTF-8", "LANGUAGE": "de:fr:es"}, "fr"),
        ({"LANG": "es_ES.UTF-8", "LANGUAGE": ""}, "es"),
        ({"LC_ALL": "C", "LANGUAGE": "fr"}, "en"),
    ],
)
def test_the_language_comes_from_the_environment(environment: dict[str, str], expected: str) -> None:
    """LANGUAGE's list first, then LC_ALL, LC_MESSAGES, LANG; a language Commune does not speak, or the
    C locale, is English."""
    assert language(environment) == expected


def test_a_count_in_a_spanish_environment_is_printed_in_spanish() -> None:
    """``commune tally`` with LANG=es_ES.UTF-8: the table's words are Spanish, the names and figures as counted."""
    english = _run("tally", WARD, lang="C.UTF-8")
    spanish = _run("tally", WARD, lang="es_ES.UTF-8")
    assert english.returncode == spanish.returncode == 0
    assert "Elected: Kevin LANG (LD)" in english.stdout
    assert "Elegidos: Kevin LANG (LD)" in spanish.stdout
    assert "cociente 2,842" in spanish.stdout and "Candidate" not in spanish.stdout


def test_errors_and_usage_follow_the_environment() -> None:
    """A usage error and the command list are in the reader's language; the exit status is the same."""
    refused = _run("tally", WARD, "--seats", "0", lang="es_ES.UTF-8")
    assert refused.returncode == 2
    assert "commune tally: --seats debe ser al menos 1" in refused.stderr
    listing = _run("--help", lang="fr_FR.UTF-8")
    assert "commandes :" in listing.stdout
    assert "dépouiller des fichiers de bulletins" in listing.stdout


def test_machine_output_is_never_translated() -> None:
    """JSON and CSV are read by programs: the same bytes in Spanish as in English."""
    for output in ("json", "csv"):
        english = _run("tally", WARD, "--format", output, lang="C.UTF-8")
        spanish = _run("tally", WARD, "--format", output, lang="es_ES.UTF-8")
        assert english.stdout == spanish.stdout
        if output == "json":
            assert json.loads(spanish.stdout)["elected"][0] == "Kevin LANG (LD)"


def test_a_command_on_the_database_speaks_spanish_and_so_do_the_refusals_it_reports(
    federation: SmallFederation, tmp_path: Path, capsys: pytest.CaptureFixture[str], spanish: None
) -> None:
    """``commune import-members`` with LANG=es: its own summary and the roll's problems (the domain's
    words, in the app's catalogue) are Spanish; the CSV's header names stay as the file format says."""
    path = tmp_path / "roll.csv"
    path.write_text("number,name,email\nC1,Sylvia,not-an-address\n", encoding="utf-8")
    assert main(["import-members", str(path), "--unit", "D1-U0", "--org", "tf"]) == 1
    err = capsys.readouterr().err
    assert "no se cambió nada" in err
    assert f"{path}:2: 'not-an-address' no es una dirección de correo electrónico válida" in err
    assert "nothing was changed" not in err


def test_retally_tells_a_spanish_reader_what_it_cannot_check() -> None:
    """``commune retally`` of a BLT file that does not say how it was counted: the reason is Spanish."""
    refused = _run("retally", WARD, lang="es_ES.UTF-8")
    assert refused.returncode == 2
    assert "no dice cómo se escrutó" in refused.stderr and "commune tally --method y --seed" in refused.stderr


def test_the_member_commands_tables_and_outcomes_are_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What ``commune motion`` and ``commune recall`` print: headings, outcomes and yes/no in French;
    the values the server sent (titles, codes) as they are."""
    from commune.cli.client import counts, table
    from commune.cli.motions import MOTION_COLUMNS

    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    vote = {"closed_at": "2030-01-01T10:00:00+00:00", "carried": True, "yes": 7, "no": 2, "abstain": 1}
    assert counts(vote) == "7 pour, 2 contre, 1 abstentions : adoptée"
    rows = [{"id": 4, "status": "adopted", "supporters": 3, "moved_by": "Rosa", "title": "Strike fund"}]
    printed = table(rows, MOTION_COLUMNS)
    assert printed.splitlines()[0].split() == ["ID", "ÉTAT", "SOUTIENS", "DÉPOSÉE", "PAR", "DE", "TITRE"]
    assert "Strike fund" in printed and "adopted" in printed
    assert table([], MOTION_COLUMNS) == "(aucun)"


def test_the_operator_commands_speak_the_environment_s_language_too(tmp_path: Path) -> None:
    """``commune found`` refuses a file it cannot read in Spanish, ``commune election --help`` is French, and
    ``commune audit`` asks in Arabic for the confirmation an erasure needs."""
    refused = _run("found", str(tmp_path / "missing.json"), lang="es_ES.UTF-8")
    assert refused.returncode == 2
    assert "commune found: no se puede leer" in refused.stderr
    listing = _run("election", "--help", lang="fr_FR.UTF-8")
    assert "Mener les élections, et tout autre vote à échéance, à l'heure." in listing.stdout
    unconfirmed = _run("audit", "erase-person", "someone@example.org", lang="ar_EG.UTF-8")
    assert unconfirmed.returncode == 2
    assert "لا يمكن التراجع عن المحو: أضف --yes لتأكيده" in unconfirmed.stderr


def test_a_command_speaks_the_environment_s_language_but_the_server_and_scheduler_do_not(
    spanish: None,
) -> None:
    """``django_start`` makes Django speak the environment's language for a command a person reads; the
    long-running server and scheduler (``speak=False``) keep the source language for their log."""
    from commune.cli.django_setup import django_start

    translation.activate("en")
    django_start(speak=False)
    assert translation.get_language() == "en"
    django_start()
    assert translation.get_language() == "es"
