"""Ties: the one rule by which every count in ``commune.tally`` settles them.

A count meets a tie when it must pick one of several candidates with the same figure: whose surplus to
transfer first, whom to exclude, whom to elect to the last seat, whom to rank next. Every method settles
it the same way, which is the rule of the Scottish Local Government Elections Order 2007 (SSI 2007/42,
Schedule 1, rules 49(2) and 51), with a published lot standing for the returning officer's:

1. **Earlier stages.** Going back from the most recent stage before the tie, at the first stage where
   the tied candidates' figures differ, only those with the most (when the count wants the highest:
   a surplus, an election, a place in a ranking) or the fewest (when it wants the lowest: an
   exclusion) stay in the tie. If several stay, older stages narrow them further.
2. **Lot.** Whatever the stages leave is drawn by lot. Each candidate's lot is the SHA-256 digest of
   the UTF-8 text ``"SEED:NAME"`` (the seed in decimal, then the candidate's name as the count knows
   it), read as a big-endian number; the lot acts as one more earlier stage on which each candidate
   has that number. So the highest lot is transferred first, elected or ranked first, and the lowest
   is excluded.

The lot depends on nothing but the seed and the names: not on the method, the stage, the order of the
ballots or how many draws came before. The same seed draws the same way among the same candidates in
every method, and among any few of them as it would among all (the lot is one order of every candidate,
fixed by the seed before the count begins, like the reference rules' "predetermined random order").
Anyone can repeat a draw with any SHA-256 tool.

Each tie is recorded as a ``TieBreak`` naming the tied candidates in the count's candidate order, the
one chosen, the rule that chose them, and for a lot the seed and the order drawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from commune.tally.types import TieBreak

__all__ = ["lot_number", "lot_order", "settle"]

Figure = int | Fraction | Decimal


def lot_number(seed: int, name: str) -> int:
    """The candidate's lot for ``seed``: SHA-256 of ``"SEED:NAME"`` as a big-endian number."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{name}".encode()).digest(), "big")


def lot_order(seed: int, names: Iterable[str]) -> tuple[str, ...]:
    """``names`` in the order the lot for ``seed`` puts them: the highest lot (the favoured) first."""
    return tuple(sorted(set(names), key=lambda name: lot_number(seed, name), reverse=True))


def settle(
    tied: Sequence[str],
    *,
    earlier: Sequence[Mapping[str, Figure]],
    highest: bool,
    stage: int,
    purpose: str,
    seed: int,
) -> TieBreak:
    """Settle a tie among ``tied`` (two or more, in the count's candidate order) by the rule above.

    ``earlier`` holds every candidate's figure at each stage before the tie, oldest first (a mapping
    need only hold the tied candidates). ``highest`` says whether the count wants the candidate ahead
    (a surplus, an election, a ranking) or behind (an exclusion). ``stage`` and ``purpose`` are
    recorded with the outcome; they do not affect it.
    """
    names = tuple(tied)
    remaining = list(names)
    for figures in reversed(earlier):
        values = [figures.get(name, 0) for name in remaining]
        target = max(values) if highest else min(values)
        narrowed = [name for name, value in zip(remaining, values, strict=True) if value == target]
        if len(narrowed) < len(remaining):
            remaining = narrowed
            if len(remaining) == 1:
                return TieBreak(stage, purpose, names, remaining[0], "earlier-stage")
    drawn = lot_order(seed, remaining)
    chosen = drawn[0] if highest else drawn[-1]
    return TieBreak(stage, purpose, names, chosen, "lot", seed, drawn)
