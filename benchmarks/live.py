"""Push latency of live pages: N event-stream clients spread over two server processes, one event.

    COMMUNE_REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/live.py --clients 1000

1. Seeds a fresh SQLite database in a temporary folder (``tests/live/seed.py``: the small federation with
   a secret vote open) and starts two ``commune serve`` processes on it, sharing the Redis at
   ``COMMUNE_REDIS_URL``.
2. Opens N streams of the vote's events (``GET /live/vote/<id>/`` with a signed-in session cookie),
   alternately on each process, and waits until every one has its response headers.
3. Publishes an event to the vote's topic in Redis ``--rounds`` times, a second apart, and records when
   each client reads it: the push latency is that moment less the moment before the publish.
4. Prints the latencies' percentiles, the last line one JSON summary (``clients``, ``processes``,
   ``push_p50_ms``, ``push_p95_ms``, ...).

The clients run in this one process (asyncio, one socket each): their own delay is part of the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def _client(
    url: str, path: str, session: str, ready: asyncio.Event, received: list[list[float]], seen: list[float]
) -> None:
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port, limit=1 << 16)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nCookie: sessionid={session}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"stream refused: {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    ready.set()
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if b"event: turnout" in line:
                seen.append(time.perf_counter())
    finally:
        writer.close()


async def _run(
    clients: int, rounds: int, urls: list[str], path: str, session: str, topic: str
) -> dict[str, float]:
    from commune.live.bus import RedisBus

    bus = RedisBus(os.environ["COMMUNE_REDIS_URL"])
    received: list[list[float]] = []
    tasks = []
    started = time.perf_counter()
    for batch in range(0, clients, 250):
        readies = []
        for i in range(batch, min(batch + 250, clients)):
            ready = asyncio.Event()
            readies.append(ready)
            received.append([])
            tasks.append(
                asyncio.create_task(
                    _client(urls[i % len(urls)], path, session, ready, received, received[-1])
                )
            )
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 300)
    connect_s = time.perf_counter() - started
    await asyncio.sleep(2)  # every stream on its process's tailer
    sent: list[float] = []
    for n in range(rounds):
        sent.append(time.perf_counter())
        await asyncio.to_thread(bus.publish, topic, "turnout", {"round": n})
        deadline = time.perf_counter() + 60
        while sum(len(s) > n for s in received) < clients and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(1)
    by_process = [sum(len(s) for s in received[i :: len(urls)]) for i in range(len(urls))]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [(s[n] - sent[n]) * 1000 for s in received for n in range(rounds) if len(s) > n]
    latencies.sort()
    missing = clients * rounds - len(latencies)

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "connect_s": round(connect_s, 1),
        "push_p50_ms": pct(0.50),
        "push_p95_ms": pct(0.95),
        "push_p99_ms": pct(0.99),
        "push_max_ms": round(latencies[-1], 1),
        "push_mean_ms": round(statistics.fmean(latencies), 1),
        "missing": missing,
        "received_by_process": by_process,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("COMMUNE_REDIS_URL"):
        parser.error("set COMMUNE_REDIS_URL (the servers fan out through Redis)")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.clients * 2 + 1000)), hard))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from tests.live.servers import two_servers

    with (
        tempfile.TemporaryDirectory() as tmp,
        two_servers(Path(tmp), os.environ["COMMUNE_REDIS_URL"]) as servers,
    ):
        vote = servers.seed["votes"]["u0"]
        summary = asyncio.run(
            _run(
                args.clients,
                args.rounds,
                servers.urls,
                f"/live/vote/{vote}/",
                servers.seed["sessions"]["m1"],
                f"vote:{vote}",
            )
        )
    print(json.dumps({"clients": args.clients, "processes": 2, "rounds": args.rounds, **summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
