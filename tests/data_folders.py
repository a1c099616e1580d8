"""Data folders that real ``commune`` processes start from, each prepared once per test run.

Tests that start ``commune serve`` in a subprocess give it a data folder of its own (its SQLite database,
its keys). Migrating an empty database takes several seconds of a core, and seeding one more; most of
these tests are not about either, so they start from a copy of a folder prepared once and shared by every
test process of the run (the first to need it prepares it while the others wait for it). The migrated
folder is made as a user makes one, by ``commune serve --migrate`` on an empty folder, and what that server
answered is kept for the command's own test.

The demo folder is made likewise, by ``commune demo`` on a copy of the migrated one, for that command's
test; and it is where the test processes get the demo from (``seed_demo``, tests/conftest.py). Seeding its
2,400 members through the services takes some 40 s of a core: rather than seed it a second time, the
first test process to need it copies the rows the command added into its own test database, as they are
(``demo_copied``), and shares them with the others as it does any federation it built
(``tests/snapshots.py``). The folder is seeded with the run's keys, so the demo's log verifies there.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from commune.cli.demo import DATABASE_FILE
from tests.serving import SCHEDULER_STARTED, free_port, serve_and_fetch

if TYPE_CHECKING:
    from commune.federation.models import Organisation


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
    others wait on a lock); it is never changed: servers start from copies of it (``copy_of``), and its
    database is read as it is only immutable (``database_of``)."""
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
    """What a ``commune`` command answered for the sign-in page, and printed, as it made a prepared folder
    (``migrate_by_serving``, ``demo_by_serving``)."""

    status: int
    output: str
    #: The command lines of the processes it had started by the time it served.
    commands: list[str]


def _record_of(folder: Path) -> Path:
    """Where what the command that made ``folder`` answered is kept: beside it, under the name the folder
    has once prepared (``prepared`` makes it under another, ``.draft``)."""
    return folder.parent / f"{folder.name.removesuffix('.draft')}.served.json"


def _serve_and_record(args: list[str], env: dict[str, str], data_dir: Path) -> None:
    """Serve ``data_dir`` with ``commune ARGS`` until its sign-in page answers and its scheduler runs, stop
    it (SIGTERM), and keep what it answered and printed beside the folder (``served_record``)."""
    port = free_port()
    record = _record_of(data_dir)
    log = record.with_suffix(".log")
    commands: list[str] = []
    status = serve_and_fetch(
        [*args, "--port", str(port)], env, port, log, wait_for=SCHEDULER_STARTED, commands=commands
    )
    # The server stops with its last writes still in SQLite's write-ahead log: fold them into the database
    # file, which the test processes read on its own (``tests/databases.py``, opened immutable).
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    record.write_text(json.dumps({"status": status, "output": log.read_text(), "commands": commands}))


def migrate_by_serving(data_dir: Path) -> None:
    """Bring the empty ``data_dir`` up to date as a user does, with ``commune serve --migrate``: serve it
    until its sign-in page answers and its scheduler runs, then stop it. What it answered and printed is
    kept beside the folder (``served_record``), for the command's own test."""
    _serve_and_record(["serve", "--migrate"], server_environment(data_dir), data_dir)


def demo_by_serving(data_dir: Path) -> None:
    """Seed the demo into ``data_dir`` (a copy of the migrated folder) as a user does, with ``commune
    demo``: serve it until its sign-in page answers and its scheduler runs, then stop it. What it answered
    and printed is kept beside the folder (``served_record``), for the command's own test.

    The folder holds this test run's keys, so that the log the demo signs verifies in the test processes
    and what it hashed with the secret key matches there (``demo_copied``). Its scheduler's first pass runs
    before it is stopped (it starts as the scheduler announces itself), and opens the nominations the demo
    left due; it is told not to verify the log on its schedule, which would leave a checkpoint behind, from
    which the tests' own checks of the demo's log would then start instead of checking every signature.
    """
    from django.conf import settings

    (data_dir / "secret_key").write_text(settings.SECRET_KEY)
    (data_dir / "log_signing_key").write_text(settings.LOG_SIGNING_KEY)
    env = server_environment(data_dir.parent / "elsewhere")
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/never-used"  # the demo must ignore it
    env["COMMUNE_LOG_VERIFY_MINUTES"] = "0"
    _serve_and_record(["demo", "--data-dir", str(data_dir)], env, data_dir)


def served_record(folder: Path) -> Served:
    """What serving the prepared ``folder`` answered and printed as it made it (``migrate_by_serving``,
    ``demo_by_serving``)."""
    return Served(**json.loads(_record_of(folder).read_text()))


def migrated_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's data folder whose SQLite database is migrated (``migrate_by_serving``)."""
    return prepared(tmp_path_factory, "migrated", migrate_by_serving)


def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's data folder the demo is seeded in: the migrated one, served by ``commune demo``
    (``demo_by_serving``)."""
    migrated = migrated_folder(tmp_path_factory)
    return prepared(tmp_path_factory, "demo", lambda folder: demo_by_serving(copy_of(migrated, folder)))


@contextmanager
def database_of(folder: Path) -> Iterator[str]:
    """The SQLite database of the prepared ``folder`` as a Django connection of this process, opened
    immutable (other processes read the same file meanwhile): its alias, to read its rows with
    ``Model.objects.using(alias)``, converted as Django converts them."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.utils import load_backend

    alias = f"folder-{folder.name}"
    settings_dict = {
        **connections.settings[DEFAULT_DB_ALIAS],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": f"file:{folder / DATABASE_FILE}?immutable=1",
        "OPTIONS": {},
        "CONN_MAX_AGE": 0,
    }
    # Set in this thread only, not among the configured databases: the test's own database stays the only
    # one it may use (Django refuses connections to the others during a test).
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def demo_copied(demo_dir: Path, migrated_dir: Path) -> Organisation | None:
    """The demo that ``commune demo`` seeded in ``demo_dir`` (``demo_by_serving``), copied into this
    process's test database: every row the command added to the migrated folder's, as it is (keys
    included), and the key files of its ballot boxes. None, with nothing copied, where a key of those rows
    is taken in the test database already, or where this process's keys are not the folder's (the demo's
    log would not verify here)."""
    from django.conf import settings
    from django.db import transaction

    from commune.federation.demo import DEMO_SLUG
    from commune.federation.models import Organisation
    from tests.snapshots import rows_copied

    keys = [(demo_dir / name).read_text().strip() for name in ("secret_key", "log_signing_key")]
    if keys != [settings.SECRET_KEY, settings.LOG_SIGNING_KEY]:
        return None
    with transaction.atomic(), database_of(demo_dir) as demo, database_of(migrated_dir) as migrated:
        if not rows_copied(source=demo, since=migrated):
            return None
        _demo_passwords_rehashed()
    box_keys = Path(settings.BOX_KEYS_DIR)
    box_keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    for key in (demo_dir / "box_keys").glob("*.key"):
        shutil.copyfile(key, box_keys / key.name)
    return Organisation.objects.get(slug=DEMO_SLUG)


def _demo_passwords_rehashed() -> None:
    """``commune demo`` hashes the demo password with Argon2, as Commune does; the test processes check
    passwords with a fast hasher alone (``_fast_password_hashing``, tests/conftest.py), which cannot read
    Argon2's hashes. The accounts holding the demo password's hash get the fast hasher's hash of it instead,
    as ``demo_seed`` gives them in a test process."""
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    from commune.accounts.models import User
    from commune.federation.demo import DEMO_PASSWORD

    argon2 = Argon2PasswordHasher()
    hashes = set(
        User.objects.filter(password__startswith=f"{argon2.algorithm}$").values_list("password", flat=True)
    )
    demo = [encoded for encoded in hashes if argon2.verify(DEMO_PASSWORD, encoded)]
    User.objects.filter(password__in=demo).update(password=make_password(DEMO_PASSWORD))


def migrations_unapplied(data_dir: Path) -> list[str]:
    """The migrations on disk that the SQLite database of ``data_dir`` does not record as applied."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    with closing(sqlite3.connect(f"file:{data_dir / DATABASE_FILE}?immutable=1", uri=True)) as db:
        applied = set(db.execute("SELECT app, name FROM django_migrations"))
    return sorted(f"{app}.{name}" for app, name in on_disk if (app, name) not in applied)
