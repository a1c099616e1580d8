"""Casting under load on PostgreSQL: many members at once, some twice at the same moment, and a close
racing the casts. (SQLite serialises every writer, so there is no race there to test.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from commune.ballots.models import Ballot, BulletinEntry, RegisterEntry
from commune.elections.errors import ElectionConflict
from commune.elections.models import Election
from commune.elections.services import election_voting_close
from commune.elections.services.casting import ballot_cast
from tests.clock import Clock
from tests.conftest import build_federation
from tests.elections.conftest import call, stand, to_voting

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
        reason="concurrency needs PostgreSQL: SQLite serialises every writer",
    ),
]

MEMBERS = 240
TWICE = 60


def _in_thread(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        try:
            return fn()
        except ElectionConflict as exc:
            return exc
        finally:
            connections.close_all()

    return run


def _open(clock: Clock, slug: str) -> tuple[Election, list[int], dict[str, Any]]:
    fed = build_federation(units_per_district=1, members_per_unit=MEMBERS // 2, slug=slug)
    election = call(clock, fed.congress, seats=2, title="Under load")
    candidates = stand(election, *(fed.members[f"m{n}"] for n in range(1, 5)))
    return to_voting(clock, election), candidates, fed.members


def test_many_members_at_once_some_twice(transactional_db: None, clock: Clock) -> None:
    """Every member ends with exactly one register entry and one ballot, however their casts interleave."""
    election, candidates, members = _open(clock, "load")
    jobs = []
    for n in range(1, MEMBERS + 1):
        member = members[f"m{n}"]
        times = 2 if n <= TWICE else 1
        for k in range(times):
            ranking = [candidates[(n + k) % 4], candidates[(n + k + 1) % 4]]
            jobs.append(
                _in_thread(
                    lambda m=member, r=ranking: ballot_cast(election_id=election.pk, member=m, ranking=r)
                )
            )
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = [f.result() for f in [pool.submit(job) for job in jobs]]
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == MEMBERS
    assert Ballot.objects.filter(box_id=election.box_id).count() == MEMBERS
    assert sum(o.replaced_earlier_ballot for o in outcomes) == TWICE


def test_nothing_lands_after_close(transactional_db: None, clock: Clock) -> None:
    """A close racing hundreds of casts: every cast either got a receipt and is on the bulletin, or was
    refused as closed; nothing accepted is lost and nothing lands after."""
    election, candidates, members = _open(clock, "race")

    def cast(n: int, delay: float) -> Any:
        time.sleep(delay)
        return ballot_cast(election_id=election.pk, member=members[f"m{n}"], ranking=[candidates[n % 4]])

    closer = _in_thread(lambda: election_voting_close(election_id=election.pk))
    with ThreadPoolExecutor(max_workers=16) as pool:
        # Casts already under way when the close comes, the close, and casts arriving just after it.
        futures = [pool.submit(_in_thread(lambda n=n: cast(n, 0))) for n in range(1, MEMBERS // 2)]
        futures.append(pool.submit(closer))
        futures += [
            pool.submit(_in_thread(lambda n=n: cast(n, 0.002 * n))) for n in range(MEMBERS // 2, MEMBERS + 1)
        ]
        outcomes = [f.result() for f in futures]
    receipts = {o.tracker for o in outcomes if hasattr(o, "tracker")}
    refused = [o for o in outcomes if isinstance(o, ElectionConflict)]
    assert receipts and refused, "the close should land in the middle of the casts"
    published = set(BulletinEntry.objects.filter(box_id=election.box_id).values_list("tracker", flat=True))
    assert published == receipts
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == len(receipts)
    assert not Ballot.objects.filter(box_id=election.box_id).exists()


SERVER = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from commune.elections.services.casting import ballot_cast
    from commune.federation.models import Member
    election_id, candidate = int(sys.argv[1]), int(sys.argv[2])
    for member in Member.objects.filter(organisation__slug="kill").order_by("id"):
        receipt = ballot_cast(election_id=election_id, member=member, ranking=[candidate])
        print(receipt.tracker, flush=True)
    """
)


def test_a_server_killed_mid_load_loses_no_committed_ballot(transactional_db: None, clock: Clock) -> None:
    """SIGKILL a process casting ballots in a loop: every ballot it reported committed is in the box,
    and the register and the box still agree (no half-written cast)."""
    election, candidates, _ = _open(clock, "kill")
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(election.pk), str(candidates[0])],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    committed = []
    deadline = time.monotonic() + 60
    while len(committed) < 40 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        committed.append(line.strip())
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert len(committed) >= 40, "the casting process did not get going"
    boxed = {ballot.tracker for ballot in Ballot.objects.filter(box_id=election.box_id)}
    assert set(committed) <= boxed
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == len(boxed) < MEMBERS
