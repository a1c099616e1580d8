"""Benchmark: page and API latency for one member of a federation of 100,000 members in 2,001 bodies.

Seeds a throwaway database (PostgreSQL by default, created and dropped here; ``--sqlite`` for a temporary
SQLite file), serves it with ``commune serve`` (uvicorn, one worker) and times each page over real HTTP:
one keep-alive connection, signed in through the login form, so every request carries the session
cookie as a browser's would. Each page gets a warm-up, then ``--requests`` timed requests; the median and
95th percentile are reported, with the queries each page issues (counted in-process with Django's test
client against the same database).

    .venv/bin/python benchmarks/pages.py [--requests 200] [--sqlite] [--keep]

The seed goes through the real models: the organisation, councils and apportionments through the
services (so the log holds their entries), units, people, members and membership periods by bulk insert
(as a roll import does), member counts by ``member_counts_refresh``, and every apportioned seat filled
through ``delegation_seat`` (one log entry each). Each unit has a secretary, bulk-inserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

SLUG = "bench"
DISTRICTS = 20
UNITS_PER_DISTRICT = 99  # with the congress and the districts: 2,001 bodies
MEMBERS = 100_000
CONGRESS_SEATS = 60
DISTRICT_MEMBERS_PER_SEAT = 50
PASSWORD = "bench-password-1871"
READER_EMAIL = "reader@bench.example"
# Terms under way on the day the benchmark runs, so that the scheduler `commune serve` runs beside the
# pages never calls successor elections in the middle of the measurement.
TERM = (date.today() - timedelta(days=90), date.today() + timedelta(days=275))
SOURCE = "Delegate election (benchmark seed)"
GOAL_P95_MS = 50.0


def _admin_url(url: str) -> tuple[str, str]:
    """The maintenance database's address and the benchmark database's name, from ``url``."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    return urllib.parse.urlunsplit(parts._replace(path="/postgres")), name


def database_create(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _unit_sizes(rng: random.Random, units: int, members: int) -> list[int]:
    """Unequal units (10 to about 100 members) adding up to exactly ``members``."""
    weights = [rng.uniform(0.2, 2.0) for _ in range(units)]
    scale = members / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    for i in range(members - sum(sizes)):
        sizes[i % units] += 1
    return sizes


def seed(members: int) -> dict[str, Any]:
    """Build the federation; return what the measurements need."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from commune.accounts.models import User
    from commune.audit.services import Actor
    from commune.federation.models import Body, BodyKind, Member, Membership, Office, OfficeTerm, body_path
    from commune.federation.services import (
        body_create,
        council_apportion,
        delegation_seat,
        member_counts_refresh,
        organisation_found,
    )

    actor = Actor(None, "benchmark seed")
    rng = random.Random(1871)
    started = time.perf_counter()
    with transaction.atomic():
        org = organisation_found(name="Benchmark Federation", slug=SLUG, actor=actor)
        congress = body_create(
            organisation=org,
            kind=BodyKind.COUNCIL,
            code="CONGRESS",
            name="Congress",
            seats_fixed=CONGRESS_SEATS,
            actor=actor,
        )
        districts = [
            body_create(
                organisation=org,
                kind=BodyKind.COUNCIL,
                code=f"D{d:02d}",
                name=f"District {d:02d} Council",
                parent=congress,
                members_per_seat=DISTRICT_MEMBERS_PER_SEAT,
                actor=actor,
            )
            for d in range(DISTRICTS)
        ]
        units = Body.objects.bulk_create(
            Body(
                organisation=org,
                kind=BodyKind.UNIT,
                code=f"D{d:02d}-U{u:03d}",
                name=f"Workplace {d:02d}.{u:03d}",
                parent=district,
                depth=2,
                path="/",
                unit_type="workplace",
            )
            for d, district in enumerate(districts)
            for u in range(UNITS_PER_DISTRICT)
        )
        for unit in units:
            unit.path = body_path(unit.parent.path, unit.pk)  # type: ignore[union-attr]
        Body.objects.bulk_update(units, ["path"], batch_size=1000)

        password = make_password(PASSWORD)  # hashed once and copied, as the demo does
        sizes = _unit_sizes(rng, len(units), members)
        people: list[User] = []
        owners: list[Body] = []
        for unit, size in zip(units, sizes, strict=True):
            for _ in range(size):
                n = len(people) + 1
                email = READER_EMAIL if n == 1 else f"m{n}@bench.example"
                people.append(User(email=email, name=f"Member {n:06d}", password=password))
                owners.append(unit)
        User.objects.bulk_create(people, batch_size=5000)
        member_rows = Member.objects.bulk_create(
            (
                Member(organisation=org, person=p, number=f"B{i + 1:06d}", current_unit=u)
                for i, (p, u) in enumerate(zip(people, owners, strict=True))
            ),
            batch_size=5000,
        )
        joined = org.founded_at
        Membership.objects.bulk_create(
            (
                Membership(member=m, unit=u, started_at=joined)
                for m, u in zip(member_rows, owners, strict=True)
            ),
            batch_size=5000,
        )
        member_counts_refresh(organisation=org)

        by_unit: dict[int, list[Any]] = {}
        for m, u in zip(member_rows, owners, strict=True):
            by_unit.setdefault(u.pk, []).append(m)
        offices = Office.objects.bulk_create(
            Office(body=u, title="Branch Secretary", manages_roll=True) for u in units
        )
        OfficeTerm.objects.bulk_create(
            OfficeTerm(
                office=o, member=by_unit[o.body_id][-1], term_start=TERM[0], term_end=TERM[1], source=SOURCE
            )
            for o in offices
        )

        for council in [*districts, congress]:
            council_apportion(council=council, reason="benchmark seed", actor=actor)
        seats = 0
        for district in districts:
            apportionment = district.apportionments.get()
            for share in apportionment.shares.select_related("constituency"):
                for member in by_unit[share.constituency_id][: share.seats]:
                    delegation_seat(
                        council=district,
                        constituency=share.constituency,
                        member=member,
                        term_start=TERM[0],
                        term_end=TERM[1],
                        source=SOURCE,
                        actor=actor,
                    )
                    seats += 1
        # Congress delegates: the first member of each of a district's first units, so the reader (the
        # first member of the first unit) sits on both councils and their pages show the most.
        district_units = {d.pk: [u for u in units if u.parent_id == d.pk] for d in districts}
        for share in congress.apportionments.get().shares.select_related("constituency"):
            for unit in district_units[share.constituency_id][: share.seats]:
                delegation_seat(
                    council=congress,
                    constituency=share.constituency,
                    member=by_unit[unit.pk][0],
                    term_start=TERM[0],
                    term_end=TERM[1],
                    source=SOURCE,
                    actor=actor,
                )
                seats += 1
    from commune.audit.models import LogEntry
    from commune.federation.models import Delegation

    return {
        "seconds": time.perf_counter() - started,
        "bodies": Body.objects.filter(organisation=org).count(),
        "members": Member.objects.filter(organisation=org, current_unit__isnull=False).count(),
        "seats": seats,
        "delegations": Delegation.objects.filter(council__organisation=org, ended_at__isnull=True).count(),
        "log_entries": LogEntry.objects.filter(organisation=org).count(),
        "reader_unit": units[0].code,
        "council": districts[0].code,
    }


def pages(reader_unit: str, council: str) -> dict[str, str]:
    return {
        "home (who represents me)": "/",
        "federation tree": f"/o/{SLUG}/bodies/",
        f"council page ({council}, 99 constituencies)": f"/o/{SLUG}/bodies/{council}/",
        "council page (Congress)": f"/o/{SLUG}/bodies/CONGRESS/",
        "unit page": f"/o/{SLUG}/bodies/{reader_unit}/",
        "constitution": f"/o/{SLUG}/constitution/",
        "provenance log": f"/o/{SLUG}/log/",
        "API bodies (page of 50)": f"/api/orgs/{SLUG}/bodies",
        "API bodies (page of 500)": f"/api/orgs/{SLUG}/bodies?limit=500",
        "API representatives": f"/api/orgs/{SLUG}/representatives",
    }


def query_counts(urls: dict[str, str]) -> dict[str, int]:
    """Queries each page issues, counted in-process against the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from commune.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=READER_EMAIL))
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured) - 2  # less the session and user look-ups every signed-in request makes
    return counts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One keep-alive HTTP connection with a cookie jar, like a signed-in browser tab."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, url, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, email: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and match, status
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": email, "password": password}
        )
        status, _ = self.request("POST", "/accounts/login/", form)
        assert status == 302 and "sessionid" in self.cookies, f"sign-in failed ({status})"


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    max_ms: float
    kilobytes: float


def measure(browser: Browser, url: str, requests: int, warmup: int) -> Timing:
    size = 0
    for _ in range(warmup):
        status, body = browser.request("GET", url)
        assert status == 200, (url, status)
        size = len(body)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        status, body = browser.request("GET", url)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, (url, status)
    times.sort()
    p95 = times[math.ceil(0.95 * len(times)) - 1]
    return Timing(statistics.median(times), p95, times[-1], size / 1024)


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "commune", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"commune serve exited: {server.stderr.read().decode()}") from None  # type: ignore[union-attr]
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("commune serve did not start within a minute")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/commune_bench",
        help="PostgreSQL database to create, fill and drop (default: %(default)s)",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a temporary SQLite file instead")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="commune-bench-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}" if args.sqlite else args.database_url
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "COMMUNE_DATA_DIR": str(workdir),
        "COMMUNE_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "COMMUNE_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(env)
    if not args.sqlite:
        database_create(url)
    server = None
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        facts = seed(args.members)
        print(
            f"Seeded {facts['members']:,} members in {facts['bodies']:,} bodies, {facts['delegations']:,} "
            f"delegates seated, {facts['log_entries']:,} log entries, in {facts['seconds']:.0f} s",
            flush=True,
        )
        urls = pages(facts["reader_unit"], facts["council"])
        counts = query_counts(urls)
        from django.db import connections

        connections.close_all()
        port = _free_port()
        server = serve(env, port)
        browser = Browser(port)
        browser.sign_in(READER_EMAIL, PASSWORD)
        results = {name: measure(browser, u, args.requests, args.warmup) for name, u in urls.items()}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.sqlite and not args.keep:
            from django.db import connections

            connections.close_all()
            database_drop(url)

    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"\n{engine}, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"{args.requests} timed requests per page after {args.warmup} warm-up, one keep-alive connection\n"
    )
    print("| Page | Queries | Median ms | p95 ms | Max ms | KB | p95 ≤ 50 ms |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, t in results.items():
        ok = "yes" if t.p95_ms <= GOAL_P95_MS else "**no**"
        print(
            f"| {name} | {counts[name]} | {t.median_ms:.1f} | {t.p95_ms:.1f} | {t.max_ms:.1f} | "
            f"{t.kilobytes:.0f} | {ok} |"
        )
    out = HERE / "out" / f"pages-{engine.lower()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {"seed": facts, "queries": counts, "timings": {k: vars(v) for k, v in results.items()}}, indent=2
        )
    )


if __name__ == "__main__":
    main()
