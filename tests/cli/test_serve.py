"""``commune demo`` and ``commune serve`` start a real server (in a subprocess, on a free port). Each
serves a data folder of its own: empty where the test is about migrating or seeding it, otherwise a copy
of one migrated once per run (``migrated_data_dir``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.data_folders import copy_of, server_environment

# Seeding the whole demo on a busy two-core machine can take a while; this bounds a hang, not speed.
STARTUP_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SCHEDULER_STARTED = "commune election worker: running due transitions"


def _wait_for_line(log: Path, text: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while text not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.3)


def _wait_for_exit(pids: list[int]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.3)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": the command name may hold spaces and brackets, so split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` is still running: a zombie (dead, waiting for its parent to reap it) is not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _serve_and_fetch(
    args: list[str],
    env: dict[str, str],
    port: int,
    log: Path,
    *,
    wait_for: str | None = None,
    linger: float = 0,
    stop_with: signal.Signals = signal.SIGTERM,
) -> int:
    """Start ``commune ARGS``, wait until /accounts/login/ answers (and, if given, until ``wait_for`` is in
    its output, or for ``linger`` seconds), return the status, then stop it with ``stop_with`` and check
    that no process it started outlives it."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "commune", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
        started: list[int] = []
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    pytest.fail(f"commune {args[0]} exited with {proc.returncode}:\n{log.read_text()}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
                        status = int(r.status)
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except OSError:
                    time.sleep(0.3)
                    continue
                if wait_for is not None:
                    _wait_for_line(log, wait_for)
                time.sleep(linger)
                started = _descendants(proc.pid)
                proc.send_signal(stop_with)
                proc.wait(timeout=STARTUP_TIMEOUT)
                if stop_with == signal.SIGKILL:
                    # The command could do nothing: its children are told it died and finish on their own.
                    _wait_for_exit(started)
                else:
                    assert proc.returncode == 0, (
                        f"commune {args[0]} stopped by {stop_with.name}:\n{log.read_text()}"
                    )
                survivors = [pid for pid in started if _alive(pid)]
                assert not survivors, (
                    f"processes started by commune {args[0]} outlived it after {stop_with.name}: {survivors}\n"
                    f"{log.read_text()}"
                )
                return status
            pytest.fail(f"commune {args[0]} did not answer within {STARTUP_TIMEOUT}s:\n{log.read_text()}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for pid in started:  # leave nothing running whatever the outcome
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)


def test_the_demo_seeds_prints_the_sign_ins_and_serves(tmp_path: Path, migrated_data_dir: Path) -> None:
    """`commune demo` seeds the federation into the data folder's SQLite database, prints the demo
    sign-ins, serves the sign-in page and runs the election scheduler beside it; stopped by SIGTERM or
    SIGINT (Ctrl-C), it leaves nothing running. Its folder starts migrated: the demo migrates as
    `commune serve --migrate` does, and migrating an empty database is `test_serve_migrates_and_serves`."""
    port = _free_port()
    log = tmp_path / "demo.log"
    data_dir = copy_of(migrated_data_dir, tmp_path / "demo-data")
    args = ["demo", "--data-dir", str(data_dir), "--port", str(port)]
    env = server_environment(tmp_path / "elsewhere")
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/never-used"  # the demo must ignore it
    assert _serve_and_fetch(args, env, port, log, wait_for=SCHEDULER_STARTED) == 200
    output = log.read_text()
    assert SCHEDULER_STARTED in output
    assert "Sign in as:" in output
    for email in ("member@transport.example", "secretary@transport.example", "delegate@transport.example"):
        assert email in output
    assert "password: demo-commune" in output
    # The strike ballot's scrutineer, who is not a member, with where their report is.
    assert "scrutineer@ballot-services.example" in output and "/statutory/1/scrutiny/" in output
    assert (data_dir / "commune.sqlite3").exists()

    # Served again from the same folder and stopped with Ctrl-C this time.
    port = _free_port()
    args = ["demo", "--data-dir", str(data_dir), "--port", str(port)]
    assert _serve_and_fetch(args, env, port, log, wait_for=SCHEDULER_STARTED, stop_with=signal.SIGINT) == 200
    assert "already seeded" in log.read_text()


def test_serve_migrates_and_serves(tmp_path: Path) -> None:
    """`commune serve --migrate` brings an empty database up to date, serves the sign-in page and runs
    the election scheduler beside it."""
    port = _free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--port", str(port)]
    assert _serve_and_fetch(args, server_environment(tmp_path), port, log, wait_for=SCHEDULER_STARTED) == 200
    assert (tmp_path / "commune.sqlite3").exists()
    assert SCHEDULER_STARTED in log.read_text()


def test_serve_can_leave_the_scheduler_to_another_host(tmp_path: Path, migrated_data_dir: Path) -> None:
    """`commune serve --no-scheduler` serves without starting the election scheduler."""
    port = _free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--no-scheduler", "--port", str(port)]
    # Serving on for a few seconds gives a scheduler, had one been started, time to announce itself.
    env = server_environment(copy_of(migrated_data_dir, tmp_path / "data"))
    assert _serve_and_fetch(args, env, port, log, linger=5) == 200
    assert SCHEDULER_STARTED not in log.read_text()


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_serve_stops_every_process_it_started(
    tmp_path: Path, migrated_data_dir: Path, stop_with: signal.Signals, workers: int
) -> None:
    """`commune serve` stopped by SIGTERM (a service manager) or SIGINT (Ctrl-C) leaves neither its web
    workers nor its scheduler running, and exits with status 0."""
    port = _free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--workers", str(workers), "--port", str(port)]
    env = server_environment(copy_of(migrated_data_dir, tmp_path / "data"))
    assert _serve_and_fetch(args, env, port, log, wait_for=SCHEDULER_STARTED, stop_with=stop_with) == 200


def test_the_scheduler_stops_when_serve_is_killed_outright(tmp_path: Path, migrated_data_dir: Path) -> None:
    """Even when `commune serve` is killed with SIGKILL and cannot stop it, its scheduler does not run on."""
    port = _free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--port", str(port)]
    env = server_environment(copy_of(migrated_data_dir, tmp_path / "data"))
    assert _serve_and_fetch(args, env, port, log, wait_for=SCHEDULER_STARTED, stop_with=signal.SIGKILL) == 200


def _uvicorn_options(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What ``commune serve`` asks uvicorn for (uvicorn's ``run`` stood in for, nothing served)."""
    import uvicorn

    from commune.cli.serve import uvicorn_run

    asked: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: asked.update(options, app=app))
    uvicorn_run(host="127.0.0.1", port=_free_port(), scheduler=False)
    return asked


def test_serve_runs_on_uvloop_and_httptools(monkeypatch: pytest.MonkeyPatch) -> None:
    """Named, not left to uvicorn's guess: the C event loop and HTTP parser that the live pages'
    fan-out was measured on."""
    asked = _uvicorn_options(monkeypatch)
    assert (asked["app"], asked["loop"], asked["http"]) == ("config.asgi:application", "uvloop", "httptools")


def test_serve_falls_back_to_asyncio_and_h11_where_uvloop_and_httptools_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)
    monkeypatch.setitem(sys.modules, "httptools", None)
    asked = _uvicorn_options(monkeypatch)
    assert (asked["loop"], asked["http"]) == ("asyncio", "h11")
