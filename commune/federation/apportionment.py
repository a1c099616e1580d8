"""Seat apportionment by Sainte-Laguë with a one-seat minimum (pure; no database).

Each constituency first gets one seat. The remaining seats go one at a time to the constituency with the
highest quotient ``members / (2 * seats + 1)`` (the Sainte-Laguë divisors 1, 3, 5, … applied after the
guaranteed seat, i.e. the standard divisor sequence starting from the seat each already holds).

Ties are broken deterministically: the constituency with more members first, then the one whose code sorts
first. Quotients are compared exactly as fractions, never as floats.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from fractions import Fraction

from django.utils.translation import gettext

from commune.federation.errors import ApportionmentError as ApportionmentError  # imported from here too


def council_size(
    *, total_members: int, seats_fixed: int | None, members_per_seat: int | None, constituencies: int
) -> int:
    """How many seats a council has: fixed, or one per ``members_per_seat`` members (rounded up).

    Never fewer than its number of constituencies, since each holds at least one seat.
    """
    if seats_fixed is not None:
        size = seats_fixed
    elif members_per_seat:
        size = -(-total_members // members_per_seat)
    else:
        raise ApportionmentError(
            gettext("a council needs a fixed number of seats or a number of members per seat")
        )
    return max(size, constituencies)


def sainte_lague(members: Mapping[str, int], seats: int) -> dict[str, int]:
    """Seats per constituency (keys are constituency codes)."""
    if not members:
        raise ApportionmentError("a council with no constituencies has no seats to apportion")
    if seats < len(members):
        raise ApportionmentError(
            f"{seats} seats cannot give each of {len(members)} constituencies its minimum of one seat"
        )
    if any(n < 0 for n in members.values()):
        raise ApportionmentError("membership cannot be negative")
    allocation = dict.fromkeys(members, 1)
    # Max-heap on (quotient, members, reversed code order) via negation; code tie-break: earlier code wins.
    heap = [(-Fraction(n, 3), -n, code) for code, n in members.items()]
    heapq.heapify(heap)
    for _ in range(seats - len(members)):
        _, neg_n, code = heapq.heappop(heap)
        allocation[code] += 1
        heapq.heappush(heap, (-Fraction(-neg_n, 2 * allocation[code] + 1), neg_n, code))
    return allocation
