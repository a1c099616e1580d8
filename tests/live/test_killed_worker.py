"""A cast is atomic under a killed server process: ten members cast at once through one of two
``commune serve`` processes, which is killed with SIGKILL as soon as the first cast is acknowledged.
Afterwards every acknowledged vote is in the box exactly once, the register and the box hold the same
number of rows (no register row without its paper, no paper without its row), and each member whose cast
was never answered, retrying through the other process, is either recorded now or refused as having
voted already, where the cast had in fact landed.

The servers run on SQLite, and, when the suite runs on PostgreSQL, on a PostgreSQL database of their own
too: there a member's vote is cast on the server's event loop, and casts arriving together go to the
database in one batch and one transaction (``commune.statements.LoopStatements``), so a kill can fall
between a batch's statements. The first member casts alone before the others, so that the server casts
theirs on its loop (it casts there once it has answered a cast of that kind)."""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from commune.ballots.models import YesNoEncryptedPaper, YesNoRegisterEntry
from commune.motions.models import Vote
from tests.databases import scratch_database, scratch_database_drop
from tests.live.conftest import redis_url
from tests.live.servers import Servers, seed_into, two_servers

#: Bounds a hang, never a speed.
PATIENCE = 60

#: The Redis database the killed servers' live events go to (the other live tests' servers use the URL's).
KILLED_REDIS_DATABASE = 9

#: The seed's two secret votes: District 0's first unit (m1–m5) and its second (m6–m10).
VOTERS = {"u0": range(1, 6), "u1": range(6, 11)}


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                connection.vendor != "postgresql", reason="the servers' PostgreSQL database is the suite's"
            ),
        ),
    ],
)
def servers(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    live_seeded_dir: Path,
    django_db_blocker: Any,
) -> Iterator[Servers]:
    """A pair of its own, on a copy of the seeded database, or a seeded PostgreSQL database of their own:
    one of them is killed."""
    tmp = tmp_path_factory.mktemp("killed")
    # A Redis database of their own: their votes' turnout, published to the same topics (the same seed, so
    # the same vote ids), would otherwise reach the streams the other live tests' servers follow.
    events = redis_url(database=KILLED_REDIS_DATABASE)
    if request.param == "sqlite":
        with two_servers(tmp, live_seeded_dir, events) as running:
            yield running
        return
    name = f"{connection.settings_dict['NAME']}_killed"
    seeded = tmp / "seeded"
    seeded.mkdir()
    try:
        with django_db_blocker.unblock():
            url = scratch_database(name)
        seed_into(seeded, url)
        with two_servers(tmp, seeded, events, url) as running:
            _DATABASES[running.data_dir] = name
            yield running
    finally:
        with django_db_blocker.unblock():
            scratch_database_drop(name)


#: The PostgreSQL database of the servers running on one (by their data folder).
_DATABASES: dict[Path, str] = {}


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
    box = f"(SELECT box_id FROM {Vote._meta.db_table} WHERE id = %s)"
    register = f"SELECT count(*) FROM {YesNoRegisterEntry._meta.db_table} WHERE box_id = {box}"
    papers = f"SELECT count(*) FROM {YesNoEncryptedPaper._meta.db_table} WHERE box_id = {box}"
    name = _DATABASES.get(servers.data_dir)
    if name is None:
        with sqlite3.connect(servers.data_dir / "commune.sqlite3") as db:
            counts = [db.execute(sql.replace("%s", "?"), [vote]).fetchone()[0] for sql in (register, papers)]
    else:
        params = {**connection.get_connection_params(), "dbname": name}
        params.pop("cursor_factory", None)
        with psycopg.connect(**params) as pg:
            counts = [_count(pg.execute(sql, [vote]).fetchone()) for sql in (register, papers)]
    return counts[0], counts[1]


def _count(row: tuple[Any, ...] | None) -> int:
    assert row is not None
    return int(row[0])


@pytest.mark.slow
def test_every_acknowledged_cast_is_recorded_once_and_a_retry_is_refused_where_it_landed(
    servers: Servers,
) -> None:
    votes = {key: servers.seed["votes"][key] for key in VOTERS}
    casts = [(f"m{n}", votes[key]) for key, members in VOTERS.items() for n in members]
    first_answer = threading.Event()
    answers: dict[str, tuple[int, str]] = {}
    alone, *casts_together = casts
    answers[alone[0]] = _cast(servers, 0, *alone)
    assert answers[alone[0]][0] == 201, answers

    def cast(member: str, vote: int) -> None:
        answers[member] = _cast(servers, 0, member, vote)
        if answers[member][0] == 201:
            first_answer.set()

    threads = [threading.Thread(target=cast, args=c) for c in casts_together]
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
