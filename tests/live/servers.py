"""Two real ``commune serve`` processes on one SQLite database and one Redis, for the tests of fan-out
across processes (``tests/live/test_processes.py``, ``tests/browser/test_live.py`` and
``tests/browser/test_live_meeting.py``). The database is seeded once per run and copied; one pair of
servers serves every such test of a test process (``live_servers`` in ``tests/conftest.py``): each module
follows votes and meetings of its own."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.data_folders import copy_of, server_environment
from tests.serving import STARTUP_TIMEOUT, free_port

#: What the seed printed for the tests (its votes, sessions and tokens), kept in the seeded data folder.
SEED_FILE = "seed.json"


@dataclass
class Servers:
    urls: list[str]
    seed: dict[str, Any]
    processes: list[subprocess.Popen[bytes]]
    data_dir: Path

    def vote_path(self, key: str) -> str:
        return f"/o/{self.seed['slug']}/votes/{self.seed['votes'][key]}/"

    def api(self, server: int, member: str, path: str, data: dict[str, Any] | None = None) -> Any:
        """POST (or GET without ``data``) to the REST API of server ``server`` as ``member``."""
        request = urllib.request.Request(
            f"{self.urls[server]}/api/orgs/{self.seed['slug']}{path}",
            data=json.dumps(data).encode() if data is not None else None,
            headers={"Authorization": self.seed["tokens"][member], "Content-Type": "application/json"},
            method="POST" if data is not None else "GET",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


def _environment(data_dir: Path, database_url: str) -> dict[str, str]:
    """A server's environment: everything in ``data_dir``, the database too unless ``database_url`` names
    a PostgreSQL one (the benchmarks')."""
    env = server_environment(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def seed_into(data_dir: Path, database_url: str = "", seed_env: dict[str, str] | None = None) -> None:
    """Seed the database of ``data_dir`` (``tests/live/seed.py``), leaving what the tests need beside it;
    ``seed_env`` adds to the seed's environment (``COMMUNE_SEED_ASSEMBLY``: the benchmark's assembly)."""
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.live.seed"],
        env={
            **_environment(data_dir, database_url),
            **(seed_env or {}),
            "COMMUNE_ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
        },
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
        check=False,
    )
    if seeded.returncode != 0:
        pytest.fail(f"seeding failed:\n{seeded.stderr}")
    (data_dir / SEED_FILE).write_text(seeded.stdout.strip().splitlines()[-1])


@contextmanager
def two_servers(tmp: Path, seeded: Path, redis_url: str, database_url: str = "") -> Iterator[Servers]:
    """Two servers on a copy of the data folder ``seeded`` (``seed_into``), in ``tmp`` (on the PostgreSQL
    database ``database_url`` instead, if given, as seeded)."""
    data_dir = copy_of(seeded, tmp / "data")
    seed = json.loads((data_dir / SEED_FILE).read_text())
    env = {
        **_environment(data_dir, database_url),
        "COMMUNE_REDIS_URL": redis_url,
        "COMMUNE_LOG_LEVEL": "WARNING",
    }
    ports = [free_port(), free_port()]
    procs: list[subprocess.Popen[bytes]] = []
    logs = [tmp / f"server{i}.log" for i in range(2)]
    try:
        for port, log in zip(ports, logs, strict=True):
            with log.open("w") as out:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "commune", "serve", "--port", str(port), "--no-scheduler"],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        for port, proc, log in zip(ports, procs, logs, strict=True):
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"commune serve did not start:\n{log.read_text()}")
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).close()
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    time.sleep(0.3)
        yield Servers(
            urls=[f"http://127.0.0.1:{p}" for p in ports], seed=seed, processes=procs, data_dir=data_dir
        )
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
