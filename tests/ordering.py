"""The order the suite runs in: its longest tests first.

pytest-xdist hands the tests out to its workers in the order they were collected. By default it gives each
worker a first batch of a quarter of its share, consecutive tests, at once: the first worker then got every
long test named here while the second ran short ones, and the run ended with the first still working
through them alone. The suite hands them out one at a time instead (``--maxschedchunk=1`` in pyproject.toml:
each worker holds at most two tests it has not started), so whichever worker is free takes the next test.
Tests that take tens of seconds (a real server started, the whole demo seeded, a schema fuzzed) collected
last would leave one worker running them alone while the other has nothing left to do; started first, they
run beside each other and the many short tests, which then fill both workers up to the end. Within each group, and for every test not named here, the collection order
is kept (pytest-django's: tests on a rolled-back database, then those that commit, then the rest).
"""

from __future__ import annotations

import pytest

#: Where the longest tests are, longest first (a file, a folder, or one test's node id).
LONGEST_FIRST = (
    # The demo's command test makes the run's demo folder (``tests/data_folders.py``), which every test
    # seeding the demo copies: the long tests that do not need it come next, and those that do after them,
    # so that the other worker is not left waiting for the folder while ``commune demo`` seeds it.
    "tests/cli/test_serve.py::test_the_demo_seeds_prints_the_sign_ins_and_serves",
    "tests/live/test_processes.py",
    "tests/web/test_large_tree.py",
    "tests/upgrades/test_data_migrations.py",
    "tests/audit/test_power_state.py::test_the_demo_rebuilds_from_its_log_and_every_edit_behind_it_is_named",
    "tests/mandates/test_pages.py::test_the_demo_leaves_a_forwarded_motion_a_referendum_a_departure_and_an_open_ballot",
    "tests/ballots/test_concurrency.py",
    "tests/live/test_killed_worker.py",
    "tests/browser/",
    "tests/cli/test_serve.py",
    "tests/api/test_conformance.py",
    "tests/federation/test_demo.py",
    "tests/governance/test_demo.py",
    "tests/web/test_demo_pages.py",
    "tests/elections/test_demo.py",
    "tests/web/test_other_hosts.py",
    "tests/federation/test_roll.py",
    "tests/ballots/test_secrecy.py",
    "tests/web/test_query_counts.py",
    "tests/recall/test_recall_api.py",
    "tests/actions/test_demo.py",
    "tests/pledges/test_demo.py",
    "tests/ballots/test_secrecy_at_rest.py",
    "tests/pledges/test_readiness.py",
    "tests/structure/test_pages.py",
    "tests/pledges/test_secrecy_at_rest.py",
    "tests/tally/test_peers.py",
    "tests/tally/test_scottish_properties.py",
    "tests/live/test_bus.py",
    "tests/api/test_nul_bytes.py",
    "tests/api/test_query_counts.py",
    "tests/accounts/test_first_password.py",
    "tests/provenance/",
    "tests/scenarios/",
)


def _within(nodeid: str, where: str) -> bool:
    if where.endswith("/"):
        return nodeid.startswith(where)
    if where.endswith(".py"):
        return nodeid.startswith(f"{where}::")
    return nodeid == where or nodeid.startswith(f"{where}[")


def _rank(item: pytest.Item) -> int:
    return next(
        (rank for rank, where in enumerate(LONGEST_FIRST) if _within(item.nodeid, where)), len(LONGEST_FIRST)
    )


def longest_first(items: list[pytest.Item]) -> None:
    """Put the tests ``LONGEST_FIRST`` names at the front, in its order (a stable sort, in place)."""
    items.sort(key=_rank)
