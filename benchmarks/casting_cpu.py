"""The CPU a cast costs, in this process: Python's (this process, every thread) and PostgreSQL's (the
backends serving it), per cast, with no HTTP server and no client beside it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commune_casting_cpu \\
        .venv/bin/python benchmarks/casting_cpu.py --kind vote --ballots 1500

Seeds as ``benchmarks/casting.py`` does (``--kind vote``: a general assembly's secret vote; ``ballot``: an
election's ranked ballots), casts the first 20 to warm up, then:

- by default, calls the Django WSGI application directly on this thread for half of the rest (the CPU
  times) and under cProfile for the other half (Python function calls a cast, deterministic unlike the
  times; ``--top N`` prints the profile);
- ``--through loop``: the same, through the ASGI application ``commune serve`` runs (``config.asgi``) on
  uvloop, 8 casts at a time, where a member's vote or first ballot is cast on the event loop itself
  (``commune.api.casting.LoopCasts``); the casts handed to Django's threads instead are counted
  (``handed_to_threads``: after the warm-up, none);
- ``--tokens-due``: the tokens seeded never used, as in a real vote (each member's token used once a
  minute at most), so that every cast also notes its token's last use; by default they are seeded as
  used now, and no cast does;
- ``--compare prepared``: alternates blocks of 50 casts with the cast's statements prepared (as served)
  and not prepared (``commune.statements`` given no threshold), on one connection;
- ``--compare one-statement`` (``--kind vote``): alternates blocks of 50 casts with a member's vote cast
  in one statement holding the caller's access (``vote_cast_by_caller``, as served) and in the two steps
  before it (access, then the cast);
- ``--compare handoff``: alternates blocks of 100 casts, 8 at a time, through the ASGI application
  ``commune serve`` runs (``config.asgi``) and through the same Django application behind a2wsgi alone
  (every request handed to the threads the general way).

Alternating blocks in one process is what makes two variants comparable on a machine whose load moves:
both see the same load. The CPU times still move with the load from one run to the next.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import casting  # the seeding and the casts of benchmarks/casting.py

Cast = casting.Cast


def _backend_pids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        others = [row[0] for row in cursor.fetchall()]
    return others


def _cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _environ(cast: Cast) -> dict[str, Any]:
    path, body, token = cast
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _wsgi(app: Callable[..., Any], casts: list[Cast]) -> list[int]:
    statuses: list[int] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.append(int(status.split()[0]))

    for cast in casts:
        b"".join(app(_environ(cast), start_response))
    return statuses


async def _asgi_one(app: Any, cast: Cast, statuses: list[int]) -> None:
    path, body, token = cast
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(scope, receive, send)


async def _asgi(app: Any, casts: list[Cast], concurrency: int) -> list[int]:
    statuses: list[int] = []
    waiting = list(reversed(casts))

    async def connection() -> None:
        while waiting:
            await _asgi_one(app, waiting.pop(), statuses)

    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return statuses


def _alternate(
    timed: list[Cast], block: int, variants: Mapping[str, Callable[[list[Cast]], list[int]]], pids: list[int]
) -> dict[str, dict[str, float]]:
    totals = {name: [0.0, 0.0, 0] for name in variants}
    at = 0
    while at < len(timed):
        for name, run in variants.items():
            chunk = timed[at : at + block]
            at += block
            if not chunk:
                break
            database, python = _cpu_of(pids), time.process_time()
            statuses = run(chunk)
            totals[name][0] += time.process_time() - python
            totals[name][1] += _cpu_of(pids) - database
            totals[name][2] += len(chunk)
            assert set(statuses) == {201}, statuses
    return {
        name: {
            "casts": n,
            "python_cpu_ms_per_cast": round(python * 1000 / n, 3),
            "database_cpu_ms_per_cast": round(database * 1000 / n, 3),
        }
        for name, (python, database, n) in totals.items()
    }


def _through(
    through: str, wsgi_application: Callable[..., Any]
) -> tuple[Callable[[list[Cast]], list[int]], list[object]]:
    """The default mode's casting (a list of casts to their statuses) and the casts it handed to Django's
    threads (``--through loop`` only; the caller empties it after the warm-up)."""
    if through == "wsgi":
        return (lambda chunk: _wsgi(wsgi_application, chunk)), []
    import uvloop

    from commune.api import casting_edge
    from config.asgi import application as served

    handed: list[object] = []
    answered = casting_edge._answered

    def counted(*args: Any) -> Any:
        handed.append(None)
        return answered(*args)

    casting_edge._answered = counted  # type: ignore[assignment]
    loop = uvloop.new_event_loop()
    asyncio.set_event_loop(loop)
    return (lambda chunk: loop.run_until_complete(_asgi(served, chunk, 8))), handed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kind", choices=("vote", "ballot"), default="vote")
    parser.add_argument("--ballots", type=int, default=1500, help="voters, one cast each")
    parser.add_argument("--compare", choices=("prepared", "handoff", "one-statement"), default=None)
    parser.add_argument(
        "--through", choices=("wsgi", "loop"), default="wsgi", help="the default mode's application"
    )
    parser.add_argument("--top", type=int, default=0, help="print the profile's TOP functions")
    parser.add_argument(
        "--tokens-due",
        action="store_true",
        help="tokens never used (seeded as used now otherwise), so each cast notes its token's use",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database (created if missing)")
    os.environ.setdefault("COMMUNE_ALLOWED_HOSTS", "127.0.0.1")
    os.environ["COMMUNE_CONN_MAX_AGE"] = "600"
    casting.database_created(os.environ["DATABASE_URL"])
    if args.kind == "vote":
        target, tokens = casting._setup_vote(args.ballots)
        casts = casting._vote_casts(target, tokens)
    else:
        target, tokens, candidates = casting._setup(args.ballots)
        casts = casting._ballot_casts(target, tokens, candidates)
    from django.db import connection

    if args.tokens_due:
        from commune.accounts.models import ApiToken

        ApiToken.objects.update(last_used_at=None)

    from config.wsgi import application as wsgi_application

    warm, timed = casts[:20], casts[20:]
    load = os.getloadavg()[0]
    result: dict[str, Any] = {"kind": args.kind, "load_average_1min": round(load, 1)}
    if args.compare == "handoff":
        import uvloop
        from a2wsgi import WSGIMiddleware

        from commune.live.asgi import live_application
        from config.asgi import application as served

        general = live_application(WSGIMiddleware(wsgi_application, workers=10))  # type: ignore[arg-type]
        loop = uvloop.new_event_loop()
        asyncio.set_event_loop(loop)
        apps = {"a2wsgi": general, "config.asgi": served}
        for n, app in enumerate(apps.values()):
            assert set(loop.run_until_complete(_asgi(app, warm[n * 10 : n * 10 + 10], 8))) == {201}
        variants = {
            name: (lambda chunk, app=app: loop.run_until_complete(_asgi(app, chunk, 8)))
            for name, app in apps.items()
        }
        result.update(_alternate(timed, 100, variants, _backend_pids()))
    elif args.compare == "one-statement":
        if args.kind != "vote":
            parser.error("--compare one-statement is for --kind vote")
        from commune.motions.api import votes

        assert set(_wsgi(wsgi_application, warm)) == {201}
        one_statement = votes.vote_cast_by_caller

        def casting_by(by_caller: Callable[..., Any]) -> Callable[[list[Cast]], list[int]]:
            def run(chunk: list[Cast]) -> list[int]:
                votes.vote_cast_by_caller = by_caller  # type: ignore[assignment]
                return _wsgi(wsgi_application, chunk)

            return run

        pids = [connection.connection.info.backend_pid]
        variants = {
            "one statement": casting_by(one_statement),
            "two steps": casting_by(lambda **kwargs: None),
        }
        result.update(_alternate(timed, 50, variants, pids))
        votes.vote_cast_by_caller = one_statement  # type: ignore[assignment]
    elif args.compare == "prepared":
        assert set(_wsgi(wsgi_application, warm)) == {201}
        threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
        assert threshold is not None, "COMMUNE_PREPARE_THRESHOLD is empty"

        def prepared(value: int | None) -> Callable[[list[Cast]], list[int]]:
            def run(chunk: list[Cast]) -> list[int]:
                options = connection.settings_dict["OPTIONS"]
                if value is None:
                    options.pop("prepare_threshold", None)
                else:
                    options["prepare_threshold"] = value
                connection.connection.prepare_threshold = value
                return _wsgi(wsgi_application, chunk)

            return run

        pids = [connection.connection.info.backend_pid]
        result.update(
            _alternate(timed, 50, {"prepared": prepared(threshold), "not prepared": prepared(None)}, pids)
        )
    else:
        cast_through, handed = _through(args.through, wsgi_application)
        assert set(cast_through(warm)) == {201}
        # the loop's connections and the threads' (no other client uses the database); or this thread's
        pids = _backend_pids() if args.through == "loop" else [connection.connection.info.backend_pid]
        handed.clear()
        half = len(timed) // 2
        result.update(_alternate(timed[:half], half, {"timed": cast_through}, pids))
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        statuses = cast_through(timed[half:])
        profiler.disable()
        assert set(statuses) == {201}
        if args.through == "loop":
            result["handed_to_threads"] = len(handed)
        stats = pstats.Stats(profiler)
        result["python_calls_per_cast"] = round(stats.total_calls / len(statuses))  # type: ignore[attr-defined]
        if args.top:
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
