"""Push latency of live pages: N event-stream clients spread over two server processes; votes cast, the
vote closed, the result pushed.

    COMMUNE_REDIS_URL=redis://127.0.0.1:6379/5 DATABASE_URL=postgres://postgres@127.0.0.1:5432/commune_bench_live \\
        .venv/bin/python benchmarks/live.py --clients 10000 --votes 10000

1. Seeds a fresh database (``tests/live/seed.py``: the small federation, and with ``--votes V`` a general
   assembly of V members voting in secret, each with an API token) and starts two ``commune serve``
   processes on it, sharing the Redis at ``COMMUNE_REDIS_URL``. PostgreSQL if ``DATABASE_URL`` names one
   (the database is dropped and created afresh), else SQLite in a temporary folder.
2. Opens N streams of the vote's events (``GET /live/vote/<id>/`` with a signed-in session cookie),
   alternately on each process, and waits until every one has its response headers.
3. Publishes an event to the vote's topic in Redis ``--rounds`` times, a second apart, and records when
   each client reads it (``event_p50_ms`` ...: the fan-out alone).
4. With ``--votes V``: every member of the assembly casts their vote through the API, half through each
   process, over 32 keep-alive connections, while the N clients watch (``votes_per_second``); then the
   chair closes the vote through the API, which counts it, and each client's moment of reading the result
   (the ``closed`` event) less the moment before the close was sent is its push latency (``push_p50_ms``,
   ``push_p95_ms``). On PostgreSQL, ``pgbench`` then runs the casting benchmark's two-row transaction for
   as long as the casting took (``pgbench_tps``).
5. Prints the figures, the last line one JSON summary (``clients``, ``processes``, ``push_p50_ms``,
   ``push_p95_ms``, ``votes``, ``votes_per_second``, ``pgbench_tps``, ...).

The clients run in this one process (asyncio on uvloop, one socket and one protocol each, stamping each read
as it arrives): their own delay is part of the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import uvloop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.casting import _connections, _http, _pgbench, _vote_casts, pg_client  # noqa: E402


class _Stream(asyncio.Protocol):
    """One connection of a follower, read with as little Python per event as the figure allows: each read
    is stamped as it arrives, and only its ``id:`` and ``event:`` lines are looked at (an event's frame is
    one chunk of the response, so it never straddles two reads without its blank line after it)."""

    def __init__(
        self, request: bytes, ready: asyncio.Event, seen: dict[str, list[float]], counts: dict[str, int]
    ) -> None:
        self.request = request
        self.ready = ready
        self.seen = seen
        self.counts = counts
        self.buffer = b""
        self.opened = False
        self.last_id = ""
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        buffer = self.buffer + data
        if not self.opened:
            head, sep, buffer = buffer.partition(b"\r\n\r\n")
            if not sep:
                self.buffer = head
                return
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                self.closed.set_exception(RuntimeError(f"stream refused: {head[:80]!r}"))
                return
            self.opened = True
            self.ready.set()
        end = buffer.rfind(b"\n\n")
        if end < 0:
            self.buffer = buffer
            return
        self.buffer = buffer[end + 2 :]
        events = buffer[: end + 2]
        at = events.find(b"event: ")
        while at >= 0:
            kind = events[at + 7 : events.index(b"\n", at)].decode()
            self.seen.setdefault(kind, []).append(now)
            self.counts[kind] = self.counts.get(kind, 0) + 1
            at = events.find(b"event: ", at + 7)
        at = events.rfind(b"id: ")
        if at >= 0:
            self.last_id = events[at + 4 : events.index(b"\n", at)].decode()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


async def _client(
    url: str,
    path: str,
    session: str,
    ready: asyncio.Event,
    seen: dict[str, list[float]],
    counts: dict[str, int],
) -> None:
    """Follow the stream as a browser's ``EventSource`` does: when the server ends it (every five minutes,
    to check again who may follow), reconnect at once with the id of the last event seen, and be sent what
    was missed."""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    loop = asyncio.get_running_loop()
    last_id = ""
    while True:
        resume = f"Last-Event-ID: {last_id}\r\n" if last_id else ""
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nCookie: sessionid={session}\r\n"
            f"Accept: text/event-stream\r\n{resume}\r\n"
        ).encode()
        transport, stream = await loop.create_connection(
            functools.partial(_Stream, request, ready, seen, counts), host, port
        )
        try:
            await stream.closed
        finally:
            transport.close()
        last_id = stream.last_id or last_id
        seen.setdefault("reconnections", []).append(time.perf_counter())


def _cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) process ``pid`` has used so far (Linux: read from /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    utime, stime = stat[stat.rindex(")") + 2 :].split()[11:13]
    return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


def _percentiles(prefix: str, latencies: list[float]) -> dict[str, float]:
    latencies = sorted(latencies)
    if not latencies:
        return {}

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        f"{prefix}_p50_ms": pct(0.50),
        f"{prefix}_p95_ms": pct(0.95),
        f"{prefix}_p99_ms": pct(0.99),
        f"{prefix}_max_ms": round(latencies[-1], 1),
        f"{prefix}_mean_ms": round(statistics.fmean(latencies), 1),
    }


async def _cast_all(urls: list[str], slug: str, vote: int, tokens: list[str]) -> tuple[list[int], float]:
    """Every member's vote, half through each process, 16 connections each: the statuses and seconds."""
    casts = [
        (path.replace("/bench/", f"/{slug}/"), body, token) for path, body, token in _vote_casts(vote, tokens)
    ]
    requests = [_http(cast) for cast in casts]
    started = time.perf_counter()
    per_server = [requests[i :: len(urls)] for i in range(len(urls))]
    results = await asyncio.gather(
        *(
            _connections(int(urllib.parse.urlsplit(url).port or 80), [share[i::16] for i in range(16)])
            for url, share in zip(urls, per_server, strict=True)
        )
    )
    return [status for statuses in results for status in statuses], time.perf_counter() - started


def _close(url: str, slug: str, vote: int, token: str) -> int:
    request = urllib.request.Request(
        f"{url}/api/orgs/{slug}/votes/{vote}/close",
        data=b"{}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return int(response.status)


async def _run(
    clients: int, rounds: int, urls: list[str], seed: dict[str, Any], server_pids: list[int]
) -> dict[str, Any]:
    from commune.live.bus import RedisBus

    assembly = seed.get("assembly")
    vote = assembly["vote"] if assembly else seed["votes"]["u0"]
    path, session, topic = f"/live/vote/{vote}/", seed["sessions"]["m1"], f"vote:{vote}"
    bus = RedisBus(os.environ["COMMUNE_REDIS_URL"])
    received: list[dict[str, list[float]]] = []
    counts: dict[str, int] = {}
    tasks = []
    pids = [*server_pids, os.getpid()]
    cpu_at_start = [_cpu_seconds(pid) for pid in pids]
    started = time.perf_counter()
    for batch in range(0, clients, 250):
        readies = []
        for i in range(batch, min(batch + 250, clients)):
            ready = asyncio.Event()
            readies.append(ready)
            received.append({})
            tasks.append(
                asyncio.create_task(_client(urls[i % len(urls)], path, session, ready, received[-1], counts))
            )
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 300)
    connecting = [round(_cpu_seconds(pid) - at, 1) for pid, at in zip(pids, cpu_at_start, strict=True)]
    summary: dict[str, Any] = {
        "connect_s": round(time.perf_counter() - started, 1),
        "connect_cpu_s_servers": connecting[:-1],
        "connect_cpu_s_clients": connecting[-1],
    }
    await asyncio.sleep(2)  # every stream on its process's tailer

    def arrived(kind: str, n: int) -> int:
        """How many clients have read more than ``n`` events of ``kind``, counted only once every client
        could have (a pass over 10,000 clients every few milliseconds would slow their reading)."""
        if counts.get(kind, 0) < clients * (n + 1):
            return 0
        return sum(len(s.get(kind, ())) > n for s in received)

    cpu_before = [_cpu_seconds(pid) for pid in pids]
    sent: list[float] = []
    for n in range(rounds):
        sent.append(time.perf_counter())
        await asyncio.to_thread(bus.publish, topic, "bench", {"round": n})
        deadline = time.perf_counter() + 60
        while arrived("bench", n) < clients and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(1)
    events = [
        (s["bench"][n] - sent[n]) * 1000
        for s in received
        for n in range(rounds)
        if len(s.get("bench", ())) > n
    ]
    summary.update(_percentiles("event", events), event_missing=clients * rounds - len(events))
    summary["event_p95_ms_by_round"] = [
        _percentiles(
            "e", [(s["bench"][n] - sent[n]) * 1000 for s in received if len(s.get("bench", ())) > n]
        ).get("e_p95_ms")
        for n in range(rounds)
    ]
    # What the rounds cost each server and this process (its clients), waits of a second between included.
    cpu = [round(_cpu_seconds(pid) - before, 2) for pid, before in zip(pids, cpu_before, strict=True)]
    summary.update(event_cpu_s_servers=cpu[:-1], event_cpu_s_clients=cpu[-1])

    if assembly:
        load_before = os.getloadavg()[0]
        statuses, seconds = await _cast_all(urls, seed["slug"], vote, assembly["tokens"])
        summary.update(
            votes=sum(s == 201 for s in statuses),
            votes_refused=sum(s != 201 for s in statuses),
            votes_seconds=round(seconds, 2),
            votes_per_second=round(len(statuses) / seconds),
            load_average_casting=[round(load_before, 1), round(os.getloadavg()[0], 1)],
        )
        await asyncio.sleep(1)  # the last turnout is published
        closing = time.perf_counter()
        status = await asyncio.to_thread(_close, urls[0], seed["slug"], vote, assembly["tokens"][0])
        summary["close_request_ms"] = round((time.perf_counter() - closing) * 1000, 1)
        assert status == 200, status
        deadline = time.perf_counter() + 120
        while arrived("closed", 0) < clients and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        pushed = [(s["closed"][0] - closing) * 1000 for s in received if s.get("closed")]
        summary.update(_percentiles("push", pushed), push_missing=clients - len(pushed))
        summary["turnout_events_per_client"] = round(
            statistics.fmean(len(s.get("turnout", ())) for s in received), 1
        )
    summary["reconnections"] = sum(len(s.get("reconnections", ())) for s in received)
    summary["received_by_process"] = [
        sum(len(s.get("bench", ())) for s in received[i :: len(urls)]) for i in range(len(urls))
    ]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return summary


def _fresh_postgres(url: str) -> None:
    conn, name = pg_client(url)
    subprocess.run(["dropdb", *conn, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *conn, name], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--votes", type=int, default=0, help="members of the assembly, each casting a vote")
    args = parser.parse_args()
    if not os.environ.get("COMMUNE_REDIS_URL"):
        parser.error("set COMMUNE_REDIS_URL (the servers fan out through Redis)")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        _fresh_postgres(url)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.clients * 2 + 1000)), hard))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from tests.live.servers import seed_into, two_servers

    load_start = os.getloadavg()[0]
    database_url = url if url.startswith("postgres") else ""
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seeded"
        seeded.mkdir()
        seed_into(seeded, database_url, seed_env={"COMMUNE_SEED_ASSEMBLY": str(args.votes)})
        # uvloop, as the servers: the clients' own reading is part of the figure.
        with (
            two_servers(Path(tmp), seeded, os.environ["COMMUNE_REDIS_URL"], database_url) as servers,
            asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner,
        ):
            summary = runner.run(
                _run(
                    args.clients, args.rounds, servers.urls, servers.seed, [p.pid for p in servers.processes]
                )
            )
    if args.votes and url.startswith("postgres"):
        tps = _pgbench(url, seconds=max(5, round(summary["votes_seconds"])), clients=32)
        summary.update(pgbench_tps=round(tps), ratio_to_pgbench=round(summary["votes_per_second"] / tps, 3))
    summary["load_average_start_end"] = [round(load_start, 1), round(os.getloadavg()[0], 1)]
    print(
        json.dumps(
            {
                "clients": args.clients,
                "processes": 2,
                "rounds": args.rounds,
                "database": "postgresql" if url.startswith("postgres") else "sqlite",
                "push_p50_ms": None,
                "push_p95_ms": None,
                "votes": 0,
                "votes_per_second": None,
                "pgbench_tps": None,
                **summary,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
