"""Benchmark: ``meek_stv`` against pref_voting's ``stv_meek`` on the same ballots, in one run.

The election is the seeded, realistic one that ``benchmarks/tally_generate.py`` writes (parties of
different sizes, party-loyal rankings that often carry on to a neighbouring party, most ballots
ranking two to five candidates), read once with ``commune.tally.readers.parse_blt``. Both counts get
the ballots grouped by identical ranking -- ours groups them itself, pref_voting gets the distinct
rankings with their counts -- so the times compare the counts, not the reading. The winners must
agree; the script exits non-zero if they do not.

    .venv/bin/python benchmarks/tally_meek.py [--ballots 100000] [--candidates 20] [--seats 5]
                                              [--seed 2017] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pref_voting
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_meek

from commune.tally.meek import meek_stv
from commune.tally.readers import parse_blt

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    blt = HERE / "out" / f"meek-{args.ballots}-{args.candidates}c-{args.seats}s-{args.seed}.blt"
    if not blt.exists():
        blt.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(HERE / "tally_generate.py"), str(blt), "--ballots", str(args.ballots),
             "--candidates", str(args.candidates), "--seats", str(args.seats), "--seed", str(args.seed)],
            check=True,
        )  # fmt: skip
    election = parse_blt(blt.read_bytes(), name=blt.name)
    rankings: Counter[tuple[str, ...]] = Counter()
    for ballot in election.ballots:
        rankings[ballot.strict()] += ballot.count
    papers = sum(rankings.values())
    print(f"python {platform.python_version()}, pref_voting {pref_voting.__version__}, {platform.machine()}")
    print(
        f"election: {blt.name}: {papers} ballots, {len(rankings)} distinct rankings, "
        f"{len(election.candidates)} candidates, {args.seats} seats"
    )

    times, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = meek_stv(election, seats=args.seats)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    ours = sorted(result.elected)
    iterations = sum(result.iterations)
    print(
        f"commune meek_stv (9-place fixed point): best of {args.repeat} {min(times):.2f} s wall, "
        f"{min(cpu):.2f} s CPU (all wall: {', '.join(f'{t:.2f}' for t in times)}); "
        f"{len(result.stages)} stages, {iterations} distributions"
    )
    print(f"  elected: {ours}")

    index = {name: i for i, name in enumerate(election.candidates)}
    start = time.perf_counter()
    profile = ProfileWithTies(
        [{index[c]: rank for rank, c in enumerate(ranking, start=1)} for ranking in rankings],
        rcounts=list(rankings.values()),
        candidates=list(range(len(election.candidates))),
    )
    built = time.perf_counter() - start
    start, start_cpu = time.perf_counter(), time.process_time()
    peer = stv_meek(profile, num_seats=args.seats)
    peer_time = time.perf_counter() - start
    peer_cpu = time.process_time() - start_cpu
    theirs = sorted(election.candidates[i] for i in peer)
    print(
        f"pref_voting stv_meek (floats, tol 1e-10): {peer_time:.2f} s wall, {peer_cpu:.2f} s CPU "
        f"(profile built in {built:.2f} s)"
    )
    print(f"  elected: {theirs}")
    print(f"same winners: {ours == theirs}")
    print(
        f"ratio (pref_voting / commune): {peer_time / min(times):.0f}x wall, {peer_cpu / min(cpu):.0f}x CPU"
    )
    if ours != theirs:
        raise SystemExit("the two counts elected different candidates")


if __name__ == "__main__":
    main()
