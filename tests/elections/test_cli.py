"""``commune election``: the scheduler's one-shot pass and its worker loop."""

from __future__ import annotations

import pytest

from commune.cli.main import main
from commune.elections.models import ElectionStatus
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.elections.conftest import call, stand

pytestmark = pytest.mark.django_db


def test_run_due_moves_an_election_on_and_says_what_it_did(
    federation: SmallFederation, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    election = call(clock, federation.units[0], seats=1)
    stand(election, federation.members["m1"], federation.members["m4"])
    clock.now = election.voting_open_at
    assert main(["election", "run-due"]) == 0
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOTING
    out = capsys.readouterr().out
    assert f"election #{election.pk}: nominations closed" in out
    assert f"election #{election.pk}: voting opened" in out


def test_worker_refuses_a_non_positive_interval(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["election", "worker", "--interval", "0"]) == 2
    assert main(["election", "bogus"]) == 2
