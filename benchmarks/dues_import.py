"""Benchmark: importing a payment file of 100,000 rows (a bank or payroll export) for one unit of 100,000
members: the dry run that checks every line, and the import that checks them again and writes every
payment in one transaction with its one signed log entry (which holds a digest of every payment's row,
recomputed from the table by the check); beside it, its peer: PostgreSQL's own ``COPY`` of the same file
into a bare table of the same four columns (what loading the rows costs the database, nothing checked);
then the same through ``commune dues import``, progress bar and all, on a second
file; then reckoning every member's standing month by month (a unit's page does this for its members),
and every member's months in arrears alone (what opening a vote under a good-standing rule, and the
scheduler's sweep for notices, cost).

Seeds a throwaway database (PostgreSQL by default, created and dropped here; ``--sqlite`` for a temporary
SQLite file): an organisation founded with dues by wage band, one unit, and ``--rows`` members inserted in
bulk (as a roll import does) and recorded as the unit's roll import in one signed entry.

    .venv/bin/python benchmarks/dues_import.py [--rows 100000] [--sqlite] [--verify]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _database(args: argparse.Namespace) -> tuple[str, str | None]:
    if args.sqlite:
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'dues.sqlite3'}", None
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(base)
    name = f"commune_dues_bench_{os.getpid()}"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), name


def _create_or_drop(url: str, name: str, verb: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'{verb} DATABASE {"IF EXISTS " if verb == "DROP" else ""}"{name}"')


def _seed(rows: int):  # type: ignore[no-untyped-def]
    from django.db import transaction
    from django.utils import timezone

    from commune.accounts.models import User
    from commune.audit.capture import power_rows_saved
    from commune.audit.services import Actor, log_entry_record
    from commune.federation.constitution import DEFAULT_RULES
    from commune.federation.models import Member, Membership
    from commune.federation.services import body_create, member_counts_refresh, organisation_found

    actor = Actor(None, "benchmark seed")
    rules = {
        **DEFAULT_RULES,
        "dues": {
            **DEFAULT_RULES["dues"],
            "basis": "wage-band",
            "flat_monthly": "10.00",
            "band_monthly": {"B1": "8.00", "B2": "12.00"},
            "voting_requires_good_standing": True,
        },
    }
    with transaction.atomic():
        org = organisation_found(name="Dues Benchmark", slug="dues-bench", rules=rules, actor=actor)
        congress = body_create(
            organisation=org, kind="council", code="CONGRESS", name="Congress", seats_fixed=5
        )
        unit = body_create(organisation=org, kind="unit", code="DEPOT", name="Depot", parent=congress)
        now = timezone.now() - timedelta(days=400)
        users = User.objects.bulk_create(
            [User(email=f"p{n}@bench.example", name=f"Payer {n}", password="!") for n in range(rows)],
            batch_size=5000,
        )
        members = Member.objects.bulk_create(
            [
                Member(
                    organisation=org,
                    person=u,
                    number=f"BN{n:06d}",
                    wage_band="B1" if n % 2 else "B2",
                    current_unit=unit,
                )
                for n, u in enumerate(users)
            ],
            batch_size=5000,
        )
        periods = Membership.objects.bulk_create(
            [Membership(member=m, unit=unit, started_at=now) for m in members], batch_size=5000
        )
        power_rows_saved(members)
        power_rows_saved(periods)
        log_entry_record(
            organisation=org,
            action="roll.imported",
            summary=f"Roll of Depot imported: {rows} members",
            actor=actor,
            body_id=unit.pk,
            payload={"unit": unit.code, "members": rows},
        )
        member_counts_refresh(organisation=org)
    return org, unit


def _file(rows: int, day: str, prefix: str) -> str:
    rng = random.Random(1871)
    lines = ["number,amount,paid_on,reference"]
    for n in range(rows):
        lines.append(f"BN{n:06d},{rng.choice(('8.00', '12.00', '24.00', '36.00'))},{day},{prefix}-{n:06d}")
    return "\n".join(lines) + "\n"


def _copy_peer(text: str) -> float:
    """PostgreSQL's ``COPY`` of the file into a bare temporary table, in its own transaction: the peer."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE copy_peer (number text, amount numeric(10,2), paid_on date, reference text)"
        )
        with cursor.cursor.copy("COPY copy_peer FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(text)
        cursor.execute("DROP TABLE copy_peer")
    return time.perf_counter() - started


def _timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--verify", action="store_true", help="also time a full check of the log")
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
        from django.utils import timezone

        from commune.audit.services import Actor
        from commune.cli.progress import ProgressBar
        from commune.dues.models import DuesPayment
        from commune.dues.selectors import months_in_arrears_of, standings_of
        from commune.dues.services import dues_import

        call_command("migrate", verbosity=0)
        load = os.getloadavg()
        print(
            f"# {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{'SQLite' if args.sqlite else 'PostgreSQL'}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
            flush=True,
        )
        seeded, (org, unit) = _timed(lambda: _seed(args.rows))
        print(f"seeded {args.rows:,} members in {seeded:.1f} s", flush=True)
        today = timezone.localdate()
        text = _file(args.rows, f"{today:%Y-%m-%d}", "BANK")
        actor = Actor(None, "benchmark")
        dry, report = _timed(
            lambda: dues_import(
                unit=unit,
                csv_text=text,
                dry_run=True,
                actor=actor,
                progress=ProgressBar(sys.stderr, "checking"),
            )
        )
        assert report.ok and report.rows == args.rows, report.errors[:3]
        real, report = _timed(
            lambda: dues_import(
                unit=unit,
                csv_text=text,
                dry_run=False,
                actor=actor,
                progress=ProgressBar(sys.stderr, "checking"),
                write_progress=ProgressBar(sys.stderr, "writing "),
            )
        )
        assert report.imported and DuesPayment.objects.count() == args.rows
        print(f"dry run: {dry:.2f} s ({args.rows / dry:,.0f} rows/s)", flush=True)
        print(f"import:  {real:.2f} s ({args.rows / real:,.0f} rows/s)", flush=True)
        if not args.sqlite:
            peer = _copy_peer(text)
            print(f"peer, PostgreSQL COPY of the same file into a bare table: {peer:.2f} s", flush=True)
            print(f"import / COPY: {real / peer:.1f}x", flush=True)
        if args.verify:
            from commune.audit.verification import chain_verify

            checked, verified = _timed(lambda: chain_verify(organisation_id=org.pk, full=True))
            assert verified.ok, verified.state_summary
            print(f"verify the log in full (`commune audit verify`): {checked:.2f} s", flush=True)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as second:
            second.write(_file(args.rows, f"{today - timedelta(days=1):%Y-%m-%d}", "PAYROLL"))
        command = [
            sys.executable,
            "-m",
            "commune",
            "dues",
            "import",
            second.name,
            "--unit",
            "DEPOT",
            "--org",
            "dues-bench",
        ]
        cli, _ = _timed(lambda: subprocess.run(command, check=True, env=os.environ.copy()))
        os.unlink(second.name)
        assert DuesPayment.objects.count() == 2 * args.rows
        print(f"`commune dues import` (a second file, process start to exit): {cli:.2f} s", flush=True)
        reckon, standings = _timed(lambda: standings_of(organisation_id=org.pk))
        print(
            f"standing of every member, month by month: {reckon:.2f} s ({len(standings):,} members)",
            flush=True,
        )
        quick, (months, _) = _timed(lambda: months_in_arrears_of(organisation_id=org.pk))
        print(
            f"months in arrears of every member (who votes): {quick:.2f} s ({len(months):,} members)",
            flush=True,
        )
        load = os.getloadavg()
        print(f"# load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            _create_or_drop(url, pg_name, "DROP")
    return 0


if __name__ == "__main__":
    sys.exit(main())
