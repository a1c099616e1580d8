"""Data folders that real ``commune`` processes start from, each prepared once per test run.

Tests that start ``commune serve`` in a subprocess give it a data folder of its own (its SQLite database,
its keys). Migrating an empty database takes several seconds of a core, and seeding one more; most of
these tests are not about either, so they start from a copy of a folder prepared once and shared by every
test process of the run (the first to need it prepares it while the others wait for it). The tests about
migrating or seeding an empty folder still start from an empty one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

#: Bounds a hang on a busy machine, never a speed.
PREPARE_TIMEOUT = 240


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


def migrate(data_dir: Path) -> None:
    """Migrate the SQLite database of ``data_dir``, as ``commune serve --migrate`` would."""
    done = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--verbosity", "0"],
        env={**server_environment(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=PREPARE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"migrating {data_dir} failed:\n{done.stderr}")


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose SQLite database is migrated: copy it (``copy_of``), never use it in place."""
    return prepared(tmp_path_factory, "migrated", migrate)
