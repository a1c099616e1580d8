"""``commune demo`` and ``commune serve`` start a real server (in a subprocess, on a free port)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# Seeding the whole demo on a busy two-core machine can take a while; this bounds a hang, not speed.
STARTUP_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path) -> dict[str, str]:
    """The server's environment: its own SQLite folder, never the test run's database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["COMMUNE_DATA_DIR"] = str(data_dir)
    return env


def _serve_and_fetch(args: list[str], env: dict[str, str], port: int, log: Path) -> int:
    """Start ``commune ARGS``, wait until /accounts/login/ answers, return its status, then stop it."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "commune", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    pytest.fail(f"commune {args[0]} exited with {proc.returncode}:\n{log.read_text()}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
                        return int(r.status)
                except urllib.error.HTTPError as exc:
                    return exc.code
                except OSError:
                    time.sleep(0.3)
            pytest.fail(f"commune {args[0]} did not answer within {STARTUP_TIMEOUT}s:\n{log.read_text()}")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_the_demo_seeds_prints_the_sign_ins_and_serves(tmp_path: Path) -> None:
    """`commune demo` creates its SQLite database in the data folder, seeds the federation, prints the
    demo sign-ins and serves the sign-in page."""
    port = _free_port()
    log = tmp_path / "demo.log"
    data_dir = tmp_path / "demo-data"
    args = ["demo", "--data-dir", str(data_dir), "--port", str(port)]
    env = _env(tmp_path / "elsewhere")
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/never-used"  # the demo must ignore it
    assert _serve_and_fetch(args, env, port, log) == 200
    output = log.read_text()
    assert "Sign in as:" in output
    for email in ("member@transport.example", "secretary@transport.example", "delegate@transport.example"):
        assert email in output
    assert "password: demo-commune" in output
    assert (data_dir / "commune.sqlite3").exists()


def test_serve_migrates_and_serves(tmp_path: Path) -> None:
    """`commune serve --migrate` brings an empty database up to date and serves the sign-in page."""
    port = _free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--port", str(port)]
    assert _serve_and_fetch(args, _env(tmp_path), port, log) == 200
    assert (tmp_path / "commune.sqlite3").exists()
