"""Starting a real ``commune`` command that serves (``serve``, ``demo``) in a subprocess on a free port,
fetching its sign-in page, and stopping it: for the command's own tests (``tests/cli/test_serve.py``), the
data folder the run's servers start from (``tests/data_folders.py``) and the live servers
(``tests/live/servers.py``)."""

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

# Seeding the whole demo on a busy two-core machine can take a while; this bounds a hang, never a speed.
STARTUP_TIMEOUT = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SCHEDULER_STARTED = "commune election worker: running due transitions"
#: The end of the command line of the scheduler's process, which ``commune serve`` starts before serving.
SCHEDULER_COMMAND = "-m commune election worker"


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


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:  # ended meanwhile
        return ""


def _alive(pid: int) -> bool:
    """Whether ``pid`` is still running: a zombie (dead, waiting for its parent to reap it) is not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def serve_and_fetch(
    args: list[str],
    env: dict[str, str],
    port: int,
    log: Path,
    *,
    wait_for: str | None = None,
    stop_with: signal.Signals = signal.SIGTERM,
    commands: list[str] | None = None,
) -> int:
    """Start ``commune ARGS``, wait until /accounts/login/ answers (and, if given, until ``wait_for`` is in
    its output), return the status, then stop it with ``stop_with`` and check that no process it started
    outlives it. ``commands``, if given, receives the command line of each process it had started by
    then."""
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
                started = _descendants(proc.pid)
                if commands is not None:
                    commands[:] = [_command_line(pid) for pid in started]
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
