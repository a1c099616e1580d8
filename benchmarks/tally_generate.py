"""Write a realistic, seeded STV election as a BLT file.

Voters first pick a party (parties differ in size), rank that party's candidates (each party has a
favourite), then often carry on to a nearby party, and stop early at a rate seen in real STV polls:
most ballots rank two to five candidates, few rank everyone. Every ballot is written as its own line
with a count of 1, as a cast vote record would be.

    .venv/bin/python benchmarks/tally_generate.py OUT.blt [--ballots 1000000] [--candidates 20]
                                                          [--seats 5] [--seed 2017]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def generate(path: Path, *, ballots: int, candidates: int, seats: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    parties = max(2, min(7, candidates // 3))
    party_of = np.arange(candidates) % parties
    party_size = rng.dirichlet(np.full(parties, 2.0))
    appeal = rng.gamma(2.0, 1.0, size=candidates)  # within-party and cross-party popularity
    affinity = rng.dirichlet(np.ones(parties), size=parties)  # where a party's voters go next

    lines: list[str] = [f"{candidates} {seats}"]
    chunk = 100_000
    made = 0
    while made < ballots:
        size = min(chunk, ballots - made)
        made += size
        first_party = rng.choice(parties, size=size, p=party_size)
        length = np.minimum(rng.geometric(0.3, size=size), candidates)
        noise = rng.gumbel(size=(size, candidates))
        for v in range(size):
            p = first_party[v]
            # Own party first (by appeal with noise), then other parties by affinity.
            party_rank = affinity[p].copy()
            party_rank[p] = 10.0
            score = np.log(party_rank[party_of] + 1e-9) * 3.0 + np.log(appeal) + noise[v]
            order = np.argsort(-score)[: length[v]] + 1
            lines.append("1 " + " ".join(map(str, order.tolist())) + " 0")
    lines.append("0")
    lines += [f'"Candidate {i + 1} (P{party_of[i] + 1})"' for i in range(candidates)]
    lines.append(f'"Benchmark: {ballots} ballots, {candidates} candidates, {seats} seats, seed {seed}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    generate(args.out, ballots=args.ballots, candidates=args.candidates, seats=args.seats, seed=args.seed)


if __name__ == "__main__":
    main()
