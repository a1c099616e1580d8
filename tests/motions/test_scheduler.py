"""The scheduler — ``commune election run-due`` once, or each pass of ``commune election worker`` — closes
every vote whose time is up: motion votes, the assemblies' votes on a referred question, referendums and
mandate votes, each with its result declared, carried out and logged; and nothing before its time."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from django.test import override_settings

from commune.audit.models import LogEntry
from commune.audit.services import SYSTEM
from commune.cli import elections as election_cli
from commune.cli.main import main
from commune.mandates.models import Mandate, MandateStatus
from commune.motions.models import Motion, MotionStatus, Referral, Vote
from tests.clock import Clock
from tests.motions.conftest import Fed, all_vote, on_agenda, put
from tests.motions.test_vote_rules import refer, unit_votes

pytestmark = pytest.mark.django_db


def run_due(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["election", "run-due"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def logged(action: str, key: str) -> set[Any]:
    entries = LogEntry.objects.filter(action=action, actor_label=SYSTEM.label)
    return {entry.payload[key] for entry in entries}


@override_settings(LOG_VERIFY_MINUTES=0)  # only votes are due here: the log's checks have their own tests
def test_run_due_closes_every_kind_of_vote_when_its_time_is_up_and_not_before(
    fed: Fed, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mandate vote closing in half an hour, a unit's motion vote in an hour, and a referral to the
    assemblies and a referendum in a week: each pass closes exactly those whose time has come, carries
    out their results (the mandate in force, the motion adopted, both referrals decided) and logs them as
    the system's acts; a pass with nothing due does nothing."""
    # The councils sit first: their sessions' notice passes before the timed votes below open.
    assemblies = refer(fed, "D1", (11, 16), "assemblies")
    referendum = refer(fed, "CONGRESS", (3, 11), "referendum")
    council_motion = on_agenda(fed, 3, "D0", supporter=6)
    proposed = fed.api(1).post(
        f"/orgs/{fed.slug}/motions/{council_motion}/mandates",
        {"constituency": "D0-U0", "kind": "binding", "instruction": "yes", "minutes": 30},
    )
    assert proposed.status_code == 201, proposed.json()
    mandate = proposed.json()
    all_vote(fed, mandate["vote"], {1: "yes", 2: "yes"})
    unit_motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    unit_vote = put(fed, 1, unit_motion, minutes=60)
    all_vote(fed, unit_vote, {1: "yes", 2: "yes", 4: "no"})
    in_units = unit_votes(assemblies)
    all_vote(fed, in_units["D1-U0"], {11: "yes", 12: "yes"})
    all_vote(fed, in_units["D1-U1"], {16: "no"})
    ballot = referendum["votes"][0]["id"]
    all_vote(fed, ballot, {n: "yes" for n in range(1, 9)})
    timed = [mandate["vote"], unit_vote, *in_units.values(), ballot]

    clock.advance(minutes=29)
    assert run_due(capsys) == ""
    assert not Vote.objects.filter(pk__in=timed, closed_at__isnull=False).exists()

    clock.advance(minutes=2)
    out = run_due(capsys)
    assert f"mandate #{mandate['id']} of Unit 0.0 on “Motion in D0”: adopted (2 yes, 0 no, 0 abstain)" in out
    assert Mandate.objects.get(pk=mandate["id"]).status == MandateStatus.ADOPTED
    assert set(Vote.objects.filter(closed_at__isnull=False, pk__in=timed).values_list("pk", flat=True)) == {
        mandate["vote"]
    }

    clock.advance(minutes=30)
    out = run_due(capsys)
    assert out == f"vote #{unit_vote} in Unit 0.0: closed, carried (2 yes, 1 no, 0 abstain of 5)\n"
    assert Motion.objects.get(pk=unit_motion).status == MotionStatus.ADOPTED

    clock.advance(days=7)
    out = run_due(capsys)
    for vote_id in (*in_units.values(), ballot):
        assert f"vote #{vote_id} in " in out
    assert (
        f"referral #{assemblies['id']} of “Motion in D1”: decided, carried (2 yes, 1 no, 0 abstain of 10)"
        in out
    )
    assert (
        f"referral #{referendum['id']} of “Motion in CONGRESS”: decided, carried (8 yes, 0 no, 0 abstain of 20)"
        in out
    )
    assert out.count("referral #") == 2
    for referral in Referral.objects.filter(pk__in=[assemblies["id"], referendum["id"]]):
        assert referral.closed_at is not None and referral.carried is True
    assert not Vote.objects.filter(pk__in=timed, closed_at__isnull=True).exists()
    assert logged("vote.closed", "vote") >= set(timed)
    assert logged("referral.decided", "referral") == {assemblies["id"], referendum["id"]}
    assert logged("mandate.adopted", "mandate") == {mandate["id"]}

    clock.advance(days=1)
    assert run_due(capsys) == ""


def test_each_pass_of_the_worker_closes_what_has_fallen_due(
    fed: Fed, clock: Clock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's pass is the same as ``run-due``: a referendum whose week is over is counted and its
    referral decided by the worker's first pass, after which the worker stops when told to."""
    referendum = refer(fed, "CONGRESS", (3, 11), "referendum")
    ballot = referendum["votes"][0]["id"]
    all_vote(fed, ballot, {n: "no" for n in range(1, 6)})
    clock.advance(days=7, seconds=1)

    one_pass = election_cli._pass

    def pass_then_stop() -> None:
        one_pass()
        signal.raise_signal(signal.SIGTERM)

    # The worker reconnects between passes; inside the test's transaction the connection must stay.
    monkeypatch.setattr("django.db.close_old_connections", lambda: None)
    monkeypatch.setattr(election_cli, "_pass", pass_then_stop)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        assert main(["election", "worker", "--interval", "0.1"]) == 0
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    out = capsys.readouterr().out
    assert f"vote #{ballot} in Congress: closed, not carried (0 yes, 5 no, 0 abstain of 20)" in out
    assert f"referral #{referendum['id']} of “Motion in CONGRESS”: decided, not carried" in out
    referral = Referral.objects.get(pk=referendum["id"])
    assert referral.closed_at is not None and referral.carried is False
