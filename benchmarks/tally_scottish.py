"""Benchmark: ``commune tally --method scottish-stv`` against pref_voting's ``stv_scottish``.

Both sides run end to end in their own process on the same BLT file (reading it and counting it);
wall time and peak resident memory come from ``os.wait4`` on each child. The winners must agree.

    .venv/bin/python benchmarks/tally_scottish.py [--ballots 1000000] [--repeat 3] [--skip-peer]

The election is written by ``benchmarks/tally_generate.py`` (seeded) into ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import json
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-peer", action="store_true", help="time commune only")
    args = parser.parse_args()

    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    blt = HERE / "out" / f"scottish-{args.ballots}.blt"
    if not blt.exists():
        subprocess.run(
            [sys.executable, str(HERE / "tally_generate.py"), str(blt), "--ballots", str(args.ballots)],
            check=True,
        )
    print(f"file: {blt.relative_to(ROOT)} ({blt.stat().st_size / 1e6:.1f} MB, {args.ballots} ballots)")

    ours = [str(VENV_BIN / "commune"), "tally", str(blt.relative_to(ROOT)), "--method", "scottish-stv",
            "--format", "json"]  # fmt: skip
    runs = [measure(ours) for _ in range(args.repeat)]
    best = min(runs, key=lambda run: run[0])
    winners = sorted(json.loads(best[2])["elected"])
    print(
        f"commune: best of {args.repeat}: {best[0]:.2f} s wall, {best[3]:.2f} s CPU,"
        f" peak RSS {max(r[1] for r in runs)} MB"
    )
    print(f"  all runs (wall): {', '.join(f'{r[0]:.2f} s' for r in runs)}")
    print(f"  elected: {winners}")
    if args.skip_peer:
        return

    peer = [sys.executable, str(HERE / "tally_pref_voting.py"), str(blt.relative_to(ROOT))]
    wall, peak, out, cpu = measure(peer)
    peer_winners = sorted(out.split("\n")[:-1])
    print(f"pref_voting stv_scottish: {wall:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak} MB")
    print(f"  elected: {peer_winners}")
    print(f"same winners: {winners == peer_winners}")
    print(f"speed-up: {wall / best[0]:.1f}x wall, {cpu / best[3]:.1f}x CPU")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
