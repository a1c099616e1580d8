"""Benchmark: ``commune tally --method scottish-stv`` against pref_voting's ``stv_scottish``.

Both sides run end to end in their own process on the same BLT file (start, read it, count it,
print the winners); wall time, CPU time (user + system) and peak resident memory come from
``os.wait4`` on each child. The two sides take turns, run by run, so that both see the same load
on a shared machine; the medians are compared. The winners must agree.

    .venv/bin/python benchmarks/tally_scottish.py [--ballots 1000000] [--repeat 5] [--skip-peer]

The election is written by ``benchmarks/tally_generate.py`` (seeded) into ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent


def measure(command: list[str]) -> tuple[float, int, str, float]:
    """Run ``command``; return wall seconds, its own peak RSS in MB and its output, and CPU seconds.

    Peak RSS and CPU time (user + system) come from ``os.wait4`` on that one child.
    """
    start = time.perf_counter()
    out_path = HERE / "out" / "stdout.tmp"
    with out_path.open("wb") as out_file:
        child = subprocess.Popen(command, stdout=out_file, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss // 1024, out_path.read_text(encoding="utf-8"), cpu


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def summary(label: str, runs: list[tuple[float, int, str, float]]) -> tuple[float, float]:
    """Print the median and range of wall and CPU seconds and the peak RSS; return the two medians."""
    walls = sorted(run[0] for run in runs)
    cpus = sorted(run[3] for run in runs)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(
        f"{label}: median of {len(runs)}: {wall:.2f} s wall, {cpu:.2f} s CPU"
        f" (wall {walls[0]:.2f}-{walls[-1]:.2f}, CPU {cpus[0]:.2f}-{cpus[-1]:.2f}),"
        f" peak RSS {max(run[1] for run in runs)} MB"
    )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-peer", action="store_true", help="time commune only")
    args = parser.parse_args()

    print(f"load average at the start: {load()}")
    blt = HERE / "out" / f"scottish-{args.ballots}.blt"
    if not blt.exists():
        subprocess.run(
            [sys.executable, str(HERE / "tally_generate.py"), str(blt), "--ballots", str(args.ballots)],
            check=True,
        )
    print(f"file: {blt.relative_to(ROOT)} ({blt.stat().st_size / 1e6:.1f} MB, {args.ballots} ballots)")

    ours = [str(VENV_BIN / "commune"), "tally", str(blt.relative_to(ROOT)), "--method", "scottish-stv",
            "--format", "json"]  # fmt: skip
    peer = [sys.executable, str(HERE / "tally_pref_voting.py"), str(blt.relative_to(ROOT))]
    runs: list[tuple[float, int, str, float]] = []
    peer_runs: list[tuple[float, int, str, float]] = []
    for number in range(1, args.repeat + 1):
        runs.append(measure(ours))
        line = f"run {number}: commune {runs[-1][0]:.2f} s wall, {runs[-1][3]:.2f} s CPU"
        if not args.skip_peer:
            peer_runs.append(measure(peer))
            line += f"; pref_voting {peer_runs[-1][0]:.2f} s wall, {peer_runs[-1][3]:.2f} s CPU"
        print(f"{line}; load average {load()}", flush=True)

    winners = sorted(json.loads(runs[0][2])["elected"])
    assert all(sorted(json.loads(run[2])["elected"]) == winners for run in runs)
    wall, cpu = summary("commune tally", runs)
    print(f"  elected: {winners}")
    if args.skip_peer:
        return
    peer_winners = sorted(peer_runs[0][2].split("\n")[:-1])
    assert all(sorted(run[2].split("\n")[:-1]) == peer_winners for run in peer_runs)
    peer_wall, peer_cpu = summary("pref_voting stv_scottish", peer_runs)
    print(f"  elected: {peer_winners}")
    print(f"same winners: {winners == peer_winners}")
    print(f"speed-up (ratio of medians): {peer_wall / wall:.1f}x wall, {peer_cpu / cpu:.1f}x CPU")
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
