"""A cast is atomic under a killed server process: ten members cast at once through one of two
``commune serve`` processes, which is killed with SIGKILL as soon as the first cast is acknowledged.
Afterwards every acknowledged vote is in the box exactly once, the register and the box hold the same
number of rows (no register row without its paper, no paper without its row), and each member whose cast
was never answered, retrying through the other process, is either recorded now or refused as having
voted already, where the cast had in fact landed."""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.conftest import redis_url
from tests.live.servers import Servers, two_servers

#: Bounds a hang, never a speed.
PATIENCE = 60

#: The seed's two secret votes: District 0's first unit (m1–m5) and its second (m6–m10).
VOTERS = {"u0": range(1, 6), "u1": range(6, 11)}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, live_seeded_dir: Path) -> Iterator[Servers]:
    """A pair of its own, on a copy of the seeded database: one of them is killed."""
    with two_servers(tmp_path_factory.mktemp("killed"), live_seeded_dir, redis_url()) as running:
        yield running


def _cast(servers: Servers, server: int, member: str, vote: int) -> tuple[int, str]:
    """The status and the refusal's words, or ``(0, why)`` if the server never answered."""
    request = urllib.request.Request(
        f"{servers.urls[server]}/api/orgs/{servers.seed['slug']}/votes/{vote}/ballots",
        data=json.dumps({"choice": "yes"}).encode(),
        headers={"Authorization": servers.seed["tokens"][member], "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=PATIENCE) as response:
            return response.status, ""
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read()).get("detail", "")
    except OSError as lost:  # the connection reset or refused: no answer
        return 0, str(lost)


def _rows(servers: Servers, vote: int) -> tuple[int, int]:
    """The vote's register rows and the papers in its box, read from the servers' database."""
    with sqlite3.connect(servers.data_dir / "commune.sqlite3") as db:
        (box,) = db.execute("SELECT box_id FROM motions_vote WHERE id = ?", [vote]).fetchone()
        (register,) = db.execute(
            "SELECT count(*) FROM ballots_yesnoregisterentry WHERE box_id = ?", [box]
        ).fetchone()
        (papers,) = db.execute(
            "SELECT count(*) FROM ballots_yesnoencryptedpaper WHERE box_id = ?", [box]
        ).fetchone()
    return register, papers


@pytest.mark.slow
def test_every_acknowledged_cast_is_recorded_once_and_a_retry_is_refused_where_it_landed(
    servers: Servers,
) -> None:
    votes = {key: servers.seed["votes"][key] for key in VOTERS}
    casts = [(f"m{n}", votes[key]) for key, members in VOTERS.items() for n in members]
    first_answer = threading.Event()
    answers: dict[str, tuple[int, str]] = {}

    def cast(member: str, vote: int) -> None:
        answers[member] = _cast(servers, 0, member, vote)
        if answers[member][0] == 201:
            first_answer.set()

    threads = [threading.Thread(target=cast, args=c) for c in casts]
    for thread in threads:
        thread.start()
    assert first_answer.wait(PATIENCE), answers
    servers.processes[0].send_signal(signal.SIGKILL)
    for thread in threads:
        thread.join(PATIENCE)
    servers.processes[0].wait(PATIENCE)

    acknowledged = {m for m, (status, _) in answers.items() if status == 201}
    assert acknowledged, answers
    assert all(status in (0, 201) for status, _ in answers.values()), answers
    retried: dict[str, tuple[int, str]] = {}
    for member, vote in casts:
        if member not in acknowledged:
            retried[member] = _cast(servers, 1, member, vote)
    for member, (status, detail) in retried.items():
        assert status == 201 or (status == 409 and "already voted" in detail), (member, status, detail)
    # Every acknowledged cast, and every one acknowledged on retry, is in the box; the ones refused on
    # retry had landed before the kill: each member once, and nothing half written.
    for key, members in VOTERS.items():
        register, papers = _rows(servers, votes[key])
        assert register == papers == len(members), (key, register, papers, answers, retried)
    for member, vote in casts:
        again = _cast(servers, 1, member, vote)
        assert again[0] == 409 and "already voted" in again[1], (member, again)
