"""Benchmark: verifying an organisation's provenance log (every hash, the Ed25519 signatures, and the
records of who holds power rebuilt from it and compared with the tables) on the 100,000-member federation
of ``benchmarks/pages.py``, then on a log ten times longer, against the floor of reading the same entries
and against PostgreSQL itself scanning them (pgbench, same machine, same run).

Seeds a throwaway database (PostgreSQL by default, created and dropped here; ``--sqlite`` for a temporary
SQLite file) with ``pages.seed`` (``--members``, 100,000 by default: 2,001 bodies, every seat filled through
the services). That seed inserts units, members, membership periods and secretaries in bulk, as a roll
import does; each unit's rows are then recorded in the log as its roll's import (one signed entry per unit,
carrying the unit's rows of power), so that the log describes every row and the check passes. The log is
then made ten times longer with genuine signed entries: each appended through ``log_entry_record`` with a
payload shaped like a seat's and one row that confers power written in the same transaction (a wage band).
With ``--entries N`` the federation is skipped and the first log is N such entries alone.

For each size it times, best of ``--repeat``:

- ``read``: iterating over every entry's fields, in the same order and batches the check uses;
- ``full``: ``chain_verify(full=True)``: every hash and every signature, then the state against the tables;
- ``from checkpoint``: ``chain_verify`` after a checkpoint at the head (what the scheduler's next check
  costs when nothing was appended since): every hash and the state, no signature;
- ``pgbench``: the mean latency of PostgreSQL returning the same columns of every entry in order
  (``pgbench -c 1 -T 10``), the database's own floor for the scan;

and the peak memory Python allocated during one full check (tracemalloc), with the load average before.

    .venv/bin/python benchmarks/verify.py [--members 100000] [--repeat 2] [--sqlite] [--entries N]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
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


def _roll_logged(org) -> int:  # type: ignore[no-untyped-def]
    """Record each unit's bulk-inserted rows of power as its roll's import: one signed entry per unit."""
    from django.db import transaction

    from commune.audit.capture import power_rows_saved
    from commune.audit.services import Actor, log_entry_record
    from commune.federation.models import Body, BodyKind, Member, Membership, Office, OfficeTerm

    actor = Actor(None, "benchmark seed")
    units = list(Body.objects.filter(organisation=org, kind=BodyKind.UNIT).order_by("pk"))
    for unit in units:
        with transaction.atomic():
            members = list(Member.objects.filter(organisation=org, current_unit=unit))
            power_rows_saved([unit])
            power_rows_saved(members)
            power_rows_saved(Membership.objects.filter(unit=unit))
            power_rows_saved(Office.objects.filter(body=unit))
            power_rows_saved(OfficeTerm.objects.filter(office__body=unit))
            log_entry_record(
                organisation=org,
                action="roll.imported",
                summary=f"Roll of {unit.name} imported: {len(members)} members",
                actor=actor,
                body_id=unit.pk,
                payload={"unit": unit.code, "members": len(members)},
            )
    return len(units)


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


def _pgbench_scan(url: str, org_id: int, seconds: int = 10) -> float:
    """PostgreSQL returning every entry's columns in order, as the check reads them: mean seconds a scan."""
    parts = urllib.parse.urlsplit(url)
    conn = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(
            "SELECT seq, recorded_at, action, body_id, actor_id, actor_label, summary, payload, prev_hash, "
            f"entry_hash, signed_by, signature FROM audit_logentry WHERE organisation_id = {org_id} ORDER BY seq, id;\n"
        )
    out = subprocess.run(
        [
            "pgbench",
            *conn,
            "-n",
            "-c",
            "1",
            "-j",
            "1",
            "-T",
            str(seconds),
            "-f",
            script.name,
            parts.path.lstrip("/"),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    os.unlink(script.name)
    match = re.search(r"latency average = ([\d.]+) ms", out)
    assert match, out
    return float(match.group(1)) / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000, help="the federation's size (pages.py)")
    parser.add_argument("--entries", type=int, default=0, help="skip the federation: a log of N entries")
    parser.add_argument("--repeat", type=int, default=2)
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

        from commune.audit.models import LogEntry, StateRow
        from commune.audit.services import checkpoint_record
        from commune.audit.verification import chain_verify
        from commune.federation.models import Organisation
        from commune.federation.services import organisation_found

        call_command("migrate", verbosity=0)
        load = os.getloadavg()
        print(
            f"# {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{'SQLite' if args.sqlite else 'PostgreSQL'}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
            flush=True,
        )
        started = time.perf_counter()
        if args.entries:
            org = organisation_found(name="Verify benchmark", slug=SLUG)
            _append(org, args.entries, 0)
            what = f"a log of {args.entries:,} appended entries"
        else:
            sys.path.insert(0, str(HERE))
            from pages import seed  # type: ignore[import-not-found]

            facts = seed(args.members)
            org = Organisation.objects.get(slug="bench")
            units = _roll_logged(org)
            what = (
                f"{facts['members']:,} members in {facts['bodies']:,} bodies, {facts['delegations']:,} seats "
                f"filled, {units:,} rolls imported"
            )
        first = LogEntry.objects.filter(organisation=org).count()
        print(f"# seeded {what}: {first:,} entries in {time.perf_counter() - started:.0f} s", flush=True)
        print(
            "| entries | rows of power | load | read s | full s | from checkpoint s | pgbench scan s "
            "| full / pgbench | µs an entry (full) | peak MiB |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        results = []
        for target in (first, 10 * first):
            done = LogEntry.objects.filter(organisation=org).count()
            if target > done:
                started = time.perf_counter()
                _append(org, target - done, done)
                print(f"# appended up to {target:,} in {time.perf_counter() - started:.0f} s", flush=True)
            load = os.getloadavg()[0]
            read = _best(lambda: _read_all(org.pk), args.repeat)
            full = _best(lambda: chain_verify(organisation_id=org.pk, full=True), args.repeat)
            report = chain_verify(organisation_id=org.pk, full=True)
            assert report.ok and report.entries == target, (report.problem, report.discrepancies[:5])
            checkpoint_record(organisation_id=org.pk, report=report)
            quick = _best(lambda: chain_verify(organisation_id=org.pk), args.repeat)
            assert chain_verify(organisation_id=org.pk).checkpoint == target
            scan = _pgbench_scan(url, org.pk) if pg_name else float("nan")
            tracemalloc.start()
            chain_verify(organisation_id=org.pk, full=True)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            rows = StateRow.objects.filter(entry__organisation=org).count()
            results.append((target, full, quick, peak))
            print(
                f"| {target:,} | {rows:,} | {load:.1f} | {read:.2f} | {full:.2f} | {quick:.2f} | {scan:.3f} | "
                f"{full / scan:.0f}× | {full / target * 1e6:.0f} | {peak:.1f} |",
                flush=True,
            )
        (n1, f1, q1, m1), (n2, f2, q2, m2) = results
        print(
            f"# ×{n2 / n1:.1f} entries: full check ×{f2 / f1:.1f} time, from a checkpoint ×{q2 / q1:.1f}, "
            f"peak memory ×{m2 / m1:.2f}"
        )
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            _create_or_drop(url, pg_name, "DROP")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
