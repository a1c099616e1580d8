"""Casting throughput through the whole API path, side by side with pgbench on the same two-row write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commune_bench \\
        .venv/bin/python benchmarks/casting.py --ballots 10000 --concurrency 32

1. Prepares the database named in DATABASE_URL (created if missing, migrated, emptied of a previous run's
   organisation): an organisation of N members with one API token each, and one election open for voting.
2. Starts a real server (``uvicorn``, several worker processes) on a free port, serving the application
   ``commune serve`` serves (``--interface wsgi``: Django's WSGI application under uvicorn's adapter).
3. Casts one ballot per member through ``POST /api/orgs/bench/elections/{id}/ballots`` over keep-alive HTTP
   connections (spread over two client processes, whose CPU use is reported): bearer-token authentication,
   membership and elector checks, ballot validation, the register row and the ballot row in one
   transaction. Every response must be 201.
4. Runs ``pgbench`` for the same number of seconds on the same machine with a script doing the same
   transaction (one register row with a unique key, one ballot row with a random UUID key).
5. Checks register rows == ballots == N, and prints ballots/s, pgbench transactions/s and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(members: int) -> tuple[int, list[str], list[int]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from commune.accounts.models import ApiToken, User
    from commune.accounts.services import TOKEN_PREFIX, token_digest
    from commune.audit.guard import guard_install, guard_remove
    from commune.audit.services import SYSTEM
    from commune.elections.services import Timeline, candidacy_nominate, election_call, elections_run_due
    from commune.federation.models import Member, Membership, Organisation
    from commune.federation.services import body_create, member_counts_refresh, organisation_found

    call_command("migrate", interactive=False, verbosity=0)
    if Organisation.objects.filter(slug="bench").exists():
        guard_remove(connection)
        call_command("flush", interactive=False, verbosity=0)
        guard_install(connection)
    org = organisation_found(name="Benchmark Federation", slug="bench")
    council = body_create(organisation=org, kind="council", code="TOP", name="Top", seats_fixed=4)
    units = [
        body_create(organisation=org, kind="unit", code=f"U{i}", name=f"Unit {i}", parent=council)
        for i in range(10)
    ]
    users = User.objects.bulk_create(
        User(email=f"b{n}@bench.example", name=f"Bench {n:05d}", password="!") for n in range(members)
    )
    now = timezone.now()
    people = Member.objects.bulk_create(
        Member(organisation=org, person=u, number=f"B{n:05d}", current_unit=units[n % 10])
        for n, u in enumerate(users)
    )
    Membership.objects.bulk_create(Membership(member=m, unit=m.current_unit, started_at=now) for m in people)
    member_counts_refresh(organisation=org)
    tokens = [f"{TOKEN_PREFIX}bench-{n}-{os.urandom(8).hex()}" for n in range(members)]
    ApiToken.objects.bulk_create(
        ApiToken(user=u, name="bench", prefix=t[:10], digest=token_digest(t), last_used_at=now)
        for u, t in zip(users, tokens, strict=True)
    )
    # Fixing a large electorate takes a while on a busy machine: leave time to nominate before voting opens.
    opens = now + timedelta(seconds=10 + members / 500)
    election = election_call(
        body=council,
        kind="other",
        seats=2,
        title="Benchmark",
        timeline=Timeline(now, opens, opens, now + timedelta(hours=2)),
    )
    elections_run_due()  # nominations open
    candidates = [candidacy_nominate(election=election, member=people[n], actor=SYSTEM).pk for n in range(4)]
    time.sleep(max(0.0, (election.voting_open_at - timezone.now()).total_seconds()) + 0.1)
    elections_run_due()
    election.refresh_from_db()
    assert election.status == "voting", election.status
    connection.close()
    return election.pk, tokens, candidates


def _setup_vote(members: int) -> tuple[int, list[str]]:
    """A unit whose general assembly is ``members`` strong, voting in secret on a motion: the vote's id
    and one API token per member."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from commune.accounts.models import ApiToken, User
    from commune.accounts.services import TOKEN_PREFIX, token_digest
    from commune.audit.guard import guard_install, guard_remove
    from commune.federation.models import Member, Membership, Organisation
    from commune.federation.services import body_create, member_counts_refresh, organisation_found
    from commune.motions.models import MotionStatus
    from commune.motions.services import motion_vote_open
    from commune.motions.services.motions import motion_move, motion_support

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # 10,000 notices of the vote
    call_command("migrate", interactive=False, verbosity=0)
    if Organisation.objects.filter(slug="bench").exists():
        guard_remove(connection)
        call_command("flush", interactive=False, verbosity=0)
        guard_install(connection)
    org = organisation_found(name="Benchmark Federation", slug="bench")
    council = body_create(organisation=org, kind="council", code="TOP", name="Top", seats_fixed=4)
    unit = body_create(organisation=org, kind="unit", code="U0", name="Assembly", parent=council)
    users = User.objects.bulk_create(
        User(email=f"b{n}@bench.example", name=f"Bench {n:05d}", password="!") for n in range(members)
    )
    now = timezone.now()
    people = Member.objects.bulk_create(
        Member(organisation=org, person=u, number=f"B{n:05d}", current_unit=unit) for n, u in enumerate(users)
    )
    Membership.objects.bulk_create(Membership(member=m, unit=unit, started_at=now) for m in people)
    member_counts_refresh(organisation=org)
    tokens = [f"{TOKEN_PREFIX}bench-{n}-{os.urandom(8).hex()}" for n in range(members)]
    ApiToken.objects.bulk_create(
        ApiToken(user=u, name="bench", prefix=t[:10], digest=token_digest(t), last_used_at=now)
        for u, t in zip(users, tokens, strict=True)
    )
    motion = motion_move(body=unit, member=people[0], title="Benchmark", text="Shall we count quickly?")
    supporter = 1
    while motion.status != MotionStatus.ON_AGENDA:
        motion = motion_support(motion=motion, member=people[supporter])
        supporter += 1
    vote = motion_vote_open(motion=motion, member=people[0], closes_at=now + timedelta(hours=2))
    connection.close()
    return vote.pk, tokens


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _client(port: int, requests: list[bytes], results: list[int]) -> None:
    """Send each request in turn on one keep-alive connection. A connection the server closed while idle
    (its keep-alive timeout, when this client was slow to send the next request on a busy machine) is
    opened again and the request sent again: it had not reached the server. A second vote refused (409)
    would show a request that had."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for request in requests:
        for attempt in range(3):
            writer.write(request)
            try:
                await writer.drain()
                status_line = await reader.readline()
            except ConnectionError:
                status_line = b""
            if status_line:
                break
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if attempt == 2:
                raise ConnectionError("the server closed the connection three times")
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        results.append(int(status_line.split()[1]))
    writer.close()


Cast = tuple[str, bytes, str]  # path, JSON body, bearer token


def _ballot_casts(election_id: int, tokens: list[str], candidates: list[int]) -> list[Cast]:
    path = f"/api/orgs/bench/elections/{election_id}/ballots"
    return [
        (path, json.dumps({"ranking": [candidates[n % 4], candidates[(n + 1) % 4]]}).encode(), token)
        for n, token in enumerate(tokens)
    ]


def _vote_casts(vote_id: int, tokens: list[str]) -> list[Cast]:
    path = f"/api/orgs/bench/votes/{vote_id}/ballots"
    return [
        (path, json.dumps({"choice": ("yes", "no", "abstain")[n % 3]}).encode(), token)
        for n, token in enumerate(tokens)
    ]


def _http(cast: Cast) -> bytes:
    path, body, token = cast
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    ) + body


def _profile(casts: list[Cast], top: int) -> dict[str, object]:
    """Cast in this process through Django's test client (middleware, authentication, validation, the
    service, JSON; no HTTP server): the queries of one cast, the CPU time per cast, and where it goes."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def post(cast: Cast) -> int:
        path, body, token = cast
        response = client.post(
            path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        if response.status_code != 201:
            print(response.status_code, response.content[:300])
        return int(response.status_code)

    third = len(casts) // 3
    with CaptureQueriesContext(connection) as captured:
        assert post(casts[0]) == 201
    queries = [q["sql"] for q in captured.captured_queries]
    for cast in casts[1:10]:
        assert post(cast) == 201
    started = time.process_time()
    statuses = [post(cast) for cast in casts[10:third]]
    cpu_ms = (time.process_time() - started) * 1000 / max(1, len(statuses))
    profiler = cProfile.Profile(time.process_time)  # CPU time: the figure a busy machine does not inflate
    profiler.enable()
    statuses += [post(cast) for cast in casts[third:]]
    profiler.disable()
    assert set(statuses) == {201}, set(statuses)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())
    print("\n".join(f"{n + 1}. {q[:300]}" for n, q in enumerate(queries)))
    return {"queries_per_cast": len(queries), "cpu_ms_per_cast": round(cpu_ms, 3), "casts_timed": third - 10}


async def _connections(port: int, shares: list[list[bytes]]) -> list[int]:
    results: list[int] = []
    await asyncio.gather(*(_client(port, share, results) for share in shares))
    return results


def _client_process(port: int, shares: list[list[bytes]], out: Connection) -> None:
    statuses = asyncio.run(_connections(port, shares))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.send((statuses, usage.ru_utime + usage.ru_stime))
    out.close()


def _load(port: int, requests: list[bytes], concurrency: int, processes: int) -> tuple[list[int], float]:
    """Send every request over ``concurrency`` keep-alive connections spread across ``processes`` client
    processes. Returns the statuses and the CPU seconds the client used."""
    shares = [requests[i::concurrency] for i in range(concurrency)]
    context = multiprocessing.get_context("fork")
    pipes, workers = [], []
    for p in range(processes):
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(target=_client_process, args=(port, shares[p::processes], send))
        worker.start()
        pipes.append(receive)
        workers.append(worker)
    statuses: list[int] = []
    cpu = 0.0
    for receive, worker in zip(pipes, workers, strict=True):
        got, seconds = receive.recv()
        statuses += got
        cpu += seconds
        worker.join()
    return statuses, cpu


PGBENCH_SQL = """
\\set m random(1, 9000000000000000000)
BEGIN;
INSERT INTO pgb_register (election_id, member_id, current_ballot_encrypted) VALUES (1, :m, decode(repeat(md5(random()::text), 4), 'hex'));
INSERT INTO pgb_ballot (id, election_id, encrypted, weight)
  VALUES (gen_random_uuid(), 1, decode(repeat(md5(random()::text), 35), 'hex'), 1);
END;
"""


def pg_client(url: str) -> tuple[list[str], str]:
    """The PostgreSQL client tools' connection arguments for ``url``, and its database's name: read as the
    settings read ``DATABASE_URL`` (``dj_database_url``), so that a Unix socket's folder, written
    percent-encoded as the host (``%2Fvar%2Frun%2Fpostgresql``), is the one the server connects through."""
    parts = dj_database_url.parse(url)
    conn = [
        "-h",
        parts["HOST"] or "127.0.0.1",
        "-p",
        str(parts["PORT"] or 5432),
        "-U",
        parts["USER"] or "postgres",
    ]
    return conn, parts["NAME"]


def database_created(url: str) -> None:
    """Create the database of ``url`` if it is missing (``createdb`` fails, silently, if it is there)."""
    conn, db = pg_client(url)
    subprocess.run(["createdb", *conn, db], capture_output=True)


def _pgbench(url: str, seconds: int, clients: int) -> float:
    conn, db = pg_client(url)
    subprocess.run(
        [
            "psql",
            *conn,
            "-q",
            "-d",
            db,
            "-c",
            "DROP TABLE IF EXISTS pgb_register, pgb_ballot; "
            "CREATE TABLE pgb_register (id bigserial PRIMARY KEY, election_id int NOT NULL, member_id bigint NOT NULL, "
            "current_ballot_encrypted bytea, UNIQUE (election_id, member_id)); "
            "CREATE TABLE pgb_ballot (id uuid PRIMARY KEY, election_id int NOT NULL, encrypted bytea NOT NULL, "
            "weight int NOT NULL);",
        ],
        check=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(PGBENCH_SQL)
    out = subprocess.run(
        ["pgbench", *conn, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", script.name, db],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    os.unlink(script.name)
    match = re.search(r"tps = ([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def _rows(kind: str, target: int) -> tuple[int, int]:
    """The register's rows and the box's papers after the run."""
    if kind == "ballot":
        from commune.ballots.models import Ballot, RegisterEntry
        from commune.elections.models import Election

        box_id = Election.objects.values_list("box_id", flat=True).get(pk=target)
        return RegisterEntry.objects.filter(box_id=box_id).count(), Ballot.objects.filter(
            box_id=box_id
        ).count()
    from commune.ballots.models import YesNoEncryptedPaper, YesNoRegisterEntry
    from commune.motions.models import Vote

    box_id = Vote.objects.values_list("box_id", flat=True).get(pk=target)
    return (
        YesNoRegisterEntry.objects.filter(box_id=box_id).count(),
        YesNoEncryptedPaper.objects.filter(box_id=box_id).count(),
    )


def _backends_cpu(url: str) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each PostgreSQL backend connected to the database of
    ``url``, this query's own left out (PostgreSQL on this machine, Linux; empty if it cannot be read)."""
    conn, db = pg_client(url)
    listed = subprocess.run(
        [
            "psql",
            *conn,
            "-At",
            "-d",
            db,
            "-c",
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ],
        capture_output=True,
        text=True,
    )
    found = {}
    for line in listed.stdout.split():
        try:
            fields = Path(f"/proc/{int(line)}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        found[int(line)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and every process under it (Linux)."""
    ticks, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def _wait_until_serving(server: subprocess.Popen[bytes], port: int, *, workers: int) -> None:
    """Wait (up to ten minutes: on a loaded machine each worker takes a while to import the application)
    until ``workers`` requests in a row are answered (by whichever workers are up), so that the time to
    start is not counted as casting."""
    answered = 0
    deadline = time.monotonic() + 600
    while answered < workers:
        if server.poll() is not None:
            raise SystemExit("the server did not start")
        if time.monotonic() > deadline:
            raise SystemExit("the server did not answer within ten minutes")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as probe:
                probe.sendall(b"GET /api/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                answered = answered + 1 if probe.recv(12).startswith(b"HTTP/1.1") else 0
        except OSError:
            answered = 0
            time.sleep(0.5)
    time.sleep(1.5)  # let the other workers finish starting


def _serve(
    args: argparse.Namespace, casts: list[Cast]
) -> tuple[list[int], float, float, float, float, float, float]:
    """Start the server, cast everything, stop it: the statuses, the seconds, the client's CPU seconds,
    the load average before and after, and the server's and its PostgreSQL backends' CPU seconds while
    casting."""
    port = _free_port()
    app = "config.asgi:application" if args.interface == "asgi" else "config.wsgi:application"
    command = [
        "uvicorn",
        app,
        "--interface",
        "asgi3" if args.interface == "asgi" else "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--no-access-log",
        "--log-level",
        "warning",
        "--http",
        args.http,
    ]
    server = subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env={**os.environ, "COMMUNE_ALLOWED_HOSTS": "127.0.0.1", "COMMUNE_CONN_MAX_AGE": "600"},
    )
    requests = [_http(cast) for cast in casts]
    try:
        _wait_until_serving(server, port, workers=args.workers)
        load_before = os.getloadavg()[0]
        server_cpu = _tree_cpu(server.pid)
        backends = _backends_cpu(os.environ["DATABASE_URL"])
        started = time.perf_counter()
        statuses, client_cpu = _load(port, requests, args.concurrency, args.client_processes)
        elapsed = time.perf_counter() - started
        server_cpu = _tree_cpu(server.pid) - server_cpu
        # The server's backends: those already connected count from now, those that connected since whole.
        database_cpu = sum(
            seconds - backends.get(pid, 0.0)
            for pid, seconds in _backends_cpu(os.environ["DATABASE_URL"]).items()
        )
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return statuses, elapsed, client_cpu, load_before, load_after, server_cpu, database_cpu


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ballots", type=int, default=10_000, help="voters, one cast each")
    parser.add_argument(
        "--kind",
        choices=("ballot", "vote"),
        default="ballot",
        help="ballot: an election's ranked ballots; vote: a general assembly's secret vote on a motion",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server worker processes (default: one per core, as docs/operating.md advises)",
    )
    parser.add_argument("--concurrency", type=int, default=32, help="client connections")
    parser.add_argument("--client-processes", type=int, default=2, help="client processes")
    parser.add_argument(
        "--interface",
        choices=("asgi", "wsgi"),
        default="asgi",
        help="asgi: the application `commune serve` runs (config.asgi); wsgi: Django's WSGI application "
        "under uvicorn's own WSGI adapter, as the rounds before the fifth were run",
    )
    parser.add_argument(
        "--http", choices=("h11", "httptools"), default="httptools", help="uvicorn's HTTP parser"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="instead of serving: cast in this process under cProfile and print the TOP functions, the "
        "queries of one cast and the CPU time per cast",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database (it is created if missing)")
    database_created(url)
    print(f"preparing {args.ballots} members…", flush=True)
    if args.kind == "ballot":
        target, tokens, candidates = _setup(args.ballots)
        casts = _ballot_casts(target, tokens, candidates)
    else:
        target, tokens = _setup_vote(args.ballots)
        casts = _vote_casts(target, tokens)
    if args.profile:
        print(json.dumps({"kind": args.kind, **_profile(casts, args.profile)}))
        return 0

    statuses, elapsed, client_cpu, load_before, load_after, server_cpu, database_cpu = _serve(args, casts)
    bad = [s for s in statuses if s != 201]
    rate = len(statuses) / elapsed
    register, boxed = _rows(args.kind, target)
    tps = _pgbench(url, seconds=max(5, round(elapsed)), clients=args.concurrency)
    load_pgbench = os.getloadavg()[0]
    print(
        json.dumps(
            {
                "kind": args.kind,
                "casts": len(statuses),
                "not_201": len(bad),
                "seconds": round(elapsed, 2),
                "casts_per_second": round(rate),
                "register_rows": register,
                "box_rows": boxed,
                "pgbench_tps": round(tps),
                "ratio_to_pgbench": round(rate / tps, 3),
                "load_average_1min_before_after_pgbench": [
                    round(load_before, 1),
                    round(load_after, 1),
                    round(load_pgbench, 1),
                ],
                "client_cpu_share": round(client_cpu / (elapsed * (os.cpu_count() or 1)), 3),
                # The server's own CPU time per cast (its workers, not PostgreSQL's): the figure that
                # other work on the machine does not inflate.
                "server_cpu_ms_per_cast": round(server_cpu * 1000 / max(1, len(statuses)), 2),
                # PostgreSQL's own CPU time per cast, in the backends serving the server.
                "database_cpu_ms_per_cast": round(database_cpu * 1000 / max(1, len(statuses)), 2),
                "http": args.http,
                "workers": args.workers,
                "interface": args.interface,
                "concurrency": args.concurrency,
                "client_processes": args.client_processes,
            }
        )
    )
    return 0 if not bad and register == boxed == args.ballots else 1


if __name__ == "__main__":
    sys.exit(main())
