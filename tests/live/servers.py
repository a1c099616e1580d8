"""Two real ``commune serve`` processes on one SQLite database and one Redis, for the tests of fan-out
across processes (here and in ``tests/browser/test_live.py``)."""

from __future__ import annotations

import json
import os
import socket
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

#: Bounds a hang on a busy machine, never a speed.
STARTUP_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Servers:
    urls: list[str]
    seed: dict[str, Any]

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


@contextmanager
def two_servers(tmp: Path, redis_url: str) -> Iterator[Servers]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "COMMUNE_TEST_DAYS_AHEAD"}
    }
    env.update(COMMUNE_DATA_DIR=str(tmp / "data"), COMMUNE_REDIS_URL=redis_url, COMMUNE_LOG_LEVEL="WARNING")
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.live.seed"],
        env={**env, "COMMUNE_ALLOWED_HOSTS": "localhost,127.0.0.1,testserver"},
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
        check=False,
    )
    if seeded.returncode != 0:
        pytest.fail(f"seeding failed:\n{seeded.stderr}")
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    ports = [_free_port(), _free_port()]
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
        yield Servers(urls=[f"http://127.0.0.1:{p}" for p in ports], seed=seed)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
