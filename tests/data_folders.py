"""Data folders that real ``commune`` processes start from, each prepared once per test run.

Tests that start ``commune serve`` in a subprocess give it a data folder of its own (its SQLite database,
its keys). Migrating an empty database takes several seconds of a core, and seeding one more; most of
these tests are not about either, so they start from a copy of a folder prepared once and shared by every
test process of the run (the first to need it prepares it while the others wait for it). The migrated
folder is made as a user makes one, by ``commune serve --migrate`` on an empty folder, and what that server
answered is kept for the command's own test.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.serving import SCHEDULER_STARTED, free_port, serve_and_fetch


def server_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a ``commune`` process keeping everything in ``data_dir``: its own SQLite
    database and ballot boxes' keys, never the test run's database or this process's keys."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "COMMUNE_TEST_DAYS_AHEAD", "COMMUNE_BOX_KEYS_DIR"}
    }
    env["COMMUNE_DATA_DIR"] = str(data_dir)
    return env


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every process of this run shares: the parent of each xdist worker's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def prepared(tmp_path_factory: pytest.TempPathFactory, name: str, prepare: Callable[[Path], None]) -> Path:
    """The folder ``prepare(folder)`` fills, prepared by the first process of the run to ask for it (the
    others wait on a lock); it is read only through copies (``copy_of``)."""
    shared = run_folder(tmp_path_factory)
    folder = shared / f"prepared-{name}"
    with (shared / f"prepared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not folder.is_dir():
            draft = shared / f"prepared-{name}.draft"
            shutil.rmtree(draft, ignore_errors=True)
            draft.mkdir()
            prepare(draft)
            draft.rename(folder)
    return folder


def copy_of(folder: Path, into: Path) -> Path:
    """``into`` holding a copy of everything in ``folder``."""
    shutil.copytree(folder, into, dirs_exist_ok=True)
    return into


@dataclass(frozen=True)
class Served:
    """What ``commune serve --migrate`` answered for the sign-in page, and printed, as it made a folder."""

    status: int
    output: str
    #: The command lines of the processes it had started by the time it served.
    commands: list[str]


def _record_of(folder: Path) -> Path:
    return folder.parent / "migrated-by-serving.json"


def migrate_by_serving(data_dir: Path) -> None:
    """Bring the empty ``data_dir`` up to date as a user does, with ``commune serve --migrate``: serve it
    until its sign-in page answers and its scheduler runs, then stop it. What it answered and printed is
    kept beside the folder (``served_record``), for the command's own test."""
    port = free_port()
    log = data_dir.parent / "migrated-by-serving.log"
    args = ["serve", "--migrate", "--port", str(port)]
    commands: list[str] = []
    status = serve_and_fetch(
        args, server_environment(data_dir), port, log, wait_for=SCHEDULER_STARTED, commands=commands
    )
    # The server stops with its last writes still in SQLite's write-ahead log: fold them into the database
    # file, which the test processes read on its own (``tests/databases.py``, opened immutable).
    with closing(sqlite3.connect(data_dir / "commune.sqlite3")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _record_of(data_dir).write_text(
        json.dumps({"status": status, "output": log.read_text(), "commands": commands})
    )


def served_record(folder: Path) -> Served:
    """What serving the prepared ``folder`` from empty answered and printed (``migrate_by_serving``)."""
    return Served(**json.loads(_record_of(folder).read_text()))


def migrations_unapplied(data_dir: Path) -> list[str]:
    """The migrations on disk that the SQLite database of ``data_dir`` does not record as applied."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    with closing(sqlite3.connect(f"file:{data_dir / 'commune.sqlite3'}?immutable=1", uri=True)) as db:
        applied = set(db.execute("SELECT app, name FROM django_migrations"))
    return sorted(f"{app}.{name}" for app, name in on_disk if (app, name) not in applied)
