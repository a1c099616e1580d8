"""The `commune` command reports a refusal of the domain in one way, whichever sub-command met it."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from commune.cli.main import COMMANDS, main
from commune.motions.errors import MotionConflict

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "federation.json"


def test_a_refusal_ends_the_command_with_its_message_and_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A domain error that reaches the command is printed as `commune NAME: message` on standard error and
    ends it with exit status 1: no traceback."""

    def refuse(argv: list[str]) -> int:
        raise MotionConflict("this vote has closed")

    module = types.ModuleType("tests.cli.refusing_command")
    module.main = refuse  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests.cli.refusing_command", module)
    monkeypatch.setitem(COMMANDS, "refuse", ("tests.cli.refusing_command", "refuses"))
    assert main(["refuse"]) == 1
    assert capsys.readouterr().err == "commune refuse: this vote has closed\n"


@pytest.mark.django_db
def test_founding_an_organisation_twice_is_refused_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    """Founding the same organisation again is refused with the federation's reason and status 1."""
    assert main(["found", str(EXAMPLE)]) == 0
    capsys.readouterr()
    assert main(["found", str(EXAMPLE)]) == 1
    err = capsys.readouterr().err
    assert "harbour-logistics" in err and "Traceback" not in err
