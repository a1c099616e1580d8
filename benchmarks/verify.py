"""Benchmark: verifying an organisation's provenance log (every hash and every Ed25519 signature) and
rebuilding from it the records of who holds power, as the log grows tenfold, against the floor of simply
reading the same entries.

Seeds a throwaway database (PostgreSQL by default, created and dropped here; ``--sqlite`` for a temporary
SQLite file) with one organisation whose log holds ``--entries`` entries, each appended through
``log_entry_record`` with a payload shaped like a seat's (the commonest act) and one row that confers power
written in the same transaction (a wage band, so the entry carries its state and the check compares it
with the table), then ten times as many. For each size it times, best of ``--repeat``:

- ``read``: iterating over every entry's fields, in the same order and batches ``chain_verify`` uses
  (the cost no verification can go below);
- ``verify``: ``chain_verify`` itself (the chain, then the state it describes against the tables);

and records the peak memory Python allocated during ``verify`` (tracemalloc). Time should grow linearly
with the log; memory with the number of rows that confer power (the state the log describes is held while
the tables are compared), entries themselves being streamed in batches of 2,000.

    .venv/bin/python benchmarks/verify.py [--entries 20000] [--repeat 3] [--sqlite]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import tracemalloc
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

SLUG = "verify-bench"


def _database(args: argparse.Namespace) -> tuple[str, str | None]:
    """The database URL to use, and (PostgreSQL) the name to drop afterwards."""
    if args.sqlite:
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'verify.sqlite3'}", None
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(base)
    name = f"commune_verify_bench_{os.getpid()}"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), name


def _create_or_drop(url: str, name: str, verb: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'{verb} DATABASE {"IF EXISTS " if verb == "DROP" else ""}"{name}"')


def _append(org, count: int, start: int) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from django.db import transaction

    from commune.audit.services import Actor, log_entry_record
    from commune.governance.models import WageBand

    actor = Actor(None, "benchmark seed")
    for n in range(start, start + count):
        with transaction.atomic():
            WageBand.objects.create(organisation=org, code=f"B{n:07d}", weekly=Decimal(300 + n % 500))
            log_entry_record(
                organisation=org,
                action="delegate.seated",
                summary=f"Member {n:06d} seated for Unit {n % 2000} on District {n % 20}",
                actor=actor,
                body_id=n % 2000,
                payload={
                    "council": f"D{n % 20}",
                    "constituency": f"U{n % 2000}",
                    "member": f"BN{n:06d}",
                    "term_start": "2026-03-01",
                    "term_end": "2027-02-28",
                    "source": "Delegate election (benchmark seed)",
                },
            )


def _read_all(org_id: int) -> int:
    from commune.audit.models import LogEntry

    rows = 0
    for entry in LogEntry.objects.filter(organisation_id=org_id).order_by("seq", "pk").iterator(2000):
        rows += bool(entry.entry_hash)
    return rows


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    url, pg_name = _database(args)
    if pg_name:
        _create_or_drop(url, pg_name, "CREATE")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("COMMUNE_DATA_DIR", tempfile.mkdtemp())
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from commune.audit.verification import chain_verify
        from commune.federation.services import organisation_found

        call_command("migrate", verbosity=0)
        org = organisation_found(name="Verify benchmark", slug=SLUG)
        load = os.getloadavg()
        print(
            f"# {platform.node()}, Python {platform.python_version()}, "
            f"{'SQLite' if args.sqlite else 'PostgreSQL'}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        print("| entries | read s | verify s | verify / read | per entry µs | peak MiB |")
        print("|---:|---:|---:|---:|---:|---:|")
        done = 0
        for target in (args.entries, 10 * args.entries):
            started = time.perf_counter()
            _append(org, target - done, done)
            done = target
            print(
                f"<!-- appended up to {target} in {time.perf_counter() - started:.1f} s -->", file=sys.stderr
            )
            read = _best(lambda: _read_all(org.pk), args.repeat)
            verify = _best(lambda: chain_verify(organisation_id=org.pk), args.repeat)
            tracemalloc.start()
            report = chain_verify(organisation_id=org.pk)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            assert report.ok and report.entries >= target, report.discrepancies or report.problem
            print(
                f"| {report.entries:,} | {read:.2f} | {verify:.2f} | {verify / read:.1f}× | "
                f"{verify / report.entries * 1e6:.0f} | {peak:.1f} |"
            )
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            _create_or_drop(url, pg_name, "DROP")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
