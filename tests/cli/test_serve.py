"""``commune demo`` and ``commune serve`` start a real server (in a subprocess, on a free port,
``tests/serving.py``). Each serves a data folder of its own, a copy of the one ``commune serve --migrate``
brought up from empty once per run (``migrated_data_dir``), or of the one ``commune demo`` seeded from that
(``demo_data_dir``)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from tests.data_folders import copy_of, migrations_unapplied, served_record, server_environment
from tests.serving import SCHEDULER_COMMAND, SCHEDULER_STARTED, free_port, serve_and_fetch


def test_the_demo_seeds_prints_the_sign_ins_and_serves(tmp_path: Path, demo_data_dir: Path) -> None:
    """`commune demo` seeds the federation into the data folder's SQLite database, prints the demo
    sign-ins, serves the sign-in page and runs the election scheduler beside it; stopped by SIGTERM or
    SIGINT (Ctrl-C), it leaves nothing running. The run's demo folder is made so, once, from the migrated
    folder (``tests/data_folders.py``; migrating an empty database is `test_serve_migrates_and_serves`):
    this reads what that demo answered and printed, then serves a copy of the folder again."""
    served = served_record(demo_data_dir)
    assert served.status == 200
    output = served.output
    assert SCHEDULER_STARTED in output
    assert "Sign in as:" in output
    for email in ("member@transport.example", "secretary@transport.example", "delegate@transport.example"):
        assert email in output
    assert "password: demo-commune" in output
    # The strike ballot's scrutineer, who is not a member, with where their report is.
    assert "scrutineer@ballot-services.example" in output and "/statutory/1/scrutiny/" in output
    assert (demo_data_dir / "commune.sqlite3").exists()

    # Served again from (a copy of) the same folder and stopped with Ctrl-C this time.
    port = free_port()
    log = tmp_path / "demo.log"
    data_dir = copy_of(demo_data_dir, tmp_path / "demo-data")
    args = ["demo", "--data-dir", str(data_dir), "--port", str(port)]
    env = server_environment(tmp_path / "elsewhere")
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/never-used"  # the demo must ignore it
    assert serve_and_fetch(args, env, port, log, wait_for=SCHEDULER_STARTED, stop_with=signal.SIGINT) == 200
    assert "already seeded" in log.read_text()


def test_serve_migrates_and_serves(migrated_data_dir: Path) -> None:
    """`commune serve --migrate` brings an empty database up to date, serves the sign-in page and runs
    the election scheduler beside it. The run's migrated data folder is made so, once
    (``tests/data_folders.py``): this reads what that server answered and printed, and finds every
    migration applied in the database it left."""
    served = served_record(migrated_data_dir)
    assert served.status == 200
    assert SCHEDULER_STARTED in served.output
    assert any(command.endswith(SCHEDULER_COMMAND) for command in served.commands), served.commands
    assert (migrated_data_dir / "commune.sqlite3").exists()
    assert migrations_unapplied(migrated_data_dir) == []


def test_serve_can_leave_the_scheduler_to_another_host(tmp_path: Path, migrated_data_dir: Path) -> None:
    """`commune serve --no-scheduler` serves without starting the election scheduler: no process of it
    runs the scheduler's command (which `commune serve` starts before it serves), and none announces it."""
    port = free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--no-scheduler", "--port", str(port)]
    env = server_environment(copy_of(migrated_data_dir, tmp_path / "data"))
    commands: list[str] = []
    assert serve_and_fetch(args, env, port, log, commands=commands) == 200
    assert not any(command.endswith(SCHEDULER_COMMAND) for command in commands), commands
    assert SCHEDULER_STARTED not in log.read_text()


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_serve_stops_every_process_it_started(
    tmp_path: Path, migrated_data_dir: Path, stop_with: signal.Signals, workers: int
) -> None:
    """`commune serve` stopped by SIGTERM (a service manager) or SIGINT (Ctrl-C) leaves neither its web
    workers nor its scheduler running, and exits with status 0."""
    port = free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--workers", str(workers), "--port", str(port)]
    env = server_environment(copy_of(migrated_data_dir, tmp_path / "data"))
    assert serve_and_fetch(args, env, port, log, wait_for=SCHEDULER_STARTED, stop_with=stop_with) == 200


def test_the_scheduler_stops_when_serve_is_killed_outright(tmp_path: Path, migrated_data_dir: Path) -> None:
    """Even when `commune serve` is killed with SIGKILL and cannot stop it, its scheduler does not run on."""
    port = free_port()
    log = tmp_path / "serve.log"
    args = ["serve", "--migrate", "--port", str(port)]
    env = server_environment(copy_of(migrated_data_dir, tmp_path / "data"))
    assert serve_and_fetch(args, env, port, log, wait_for=SCHEDULER_STARTED, stop_with=signal.SIGKILL) == 200


def _uvicorn_options(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What ``commune serve`` asks uvicorn for (uvicorn's ``run`` stood in for, nothing served)."""
    import uvicorn

    from commune.cli.serve import uvicorn_run

    asked: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: asked.update(options, app=app))
    uvicorn_run(host="127.0.0.1", port=free_port(), scheduler=False)
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
