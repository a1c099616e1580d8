"""The peer side of the Scottish STV benchmark: read a BLT file and count it with pref_voting.

Identical ballot lines are grouped before building the profile (pref_voting would otherwise hold a
million separate rankings), so the comparison is of the counts, not of a naive reader.

    .venv/bin/python benchmarks/tally_pref_voting.py FILE.blt

Prints the winners, one per line, sorted.
"""

from __future__ import annotations

import random
import sys
from collections import Counter

from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_scottish


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().split()
        candidates, seats = int(header[0]), int(header[1])
        lines: Counter[str] = Counter()
        for line in handle:
            line = line.strip()
            if line == "0":
                break
            count, _, rest = line.partition(" ")
            lines[rest] += int(count)
        names = [handle.readline().strip().strip('"') for _ in range(candidates)]
    rankings = []
    counts = []
    for rest, papers in lines.items():
        prefs = [int(token) - 1 for token in rest.split()[:-1]]
        rankings.append({cand: rank + 1 for rank, cand in enumerate(prefs)})
        counts.append(papers)
    profile = ProfileWithTies(rankings, rcounts=counts, candidates=list(range(candidates)))
    winners = stv_scottish(profile, num_seats=seats, rng=random.Random(0))
    print("\n".join(sorted(names[w] for w in winners)))


if __name__ == "__main__":
    main(sys.argv[1])
