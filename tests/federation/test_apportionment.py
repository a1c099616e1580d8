"""Sainte-Laguë apportionment with a one-seat minimum."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commune.federation.apportionment import ApportionmentError, council_size, sainte_lague


def test_known_answer_from_the_standard_sainte_lague_example() -> None:
    """Wikipedia 'Sainte-Laguë method' worked example: 100,000/80,000/30,000/20,000 votes for 8 seats
    give 3/3/1/1. Every party there earns a seat anyway, so the one-seat minimum changes nothing."""
    assert sainte_lague({"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}, 8) == {
        "A": 3,
        "B": 3,
        "C": 1,
        "D": 1,
    }


def test_every_constituency_gets_at_least_one_seat() -> None:
    assert sainte_lague({"BIG": 10_000, "TINY": 1}, 5) == {"BIG": 4, "TINY": 1}


def test_ties_go_to_more_members_then_to_the_earlier_code() -> None:
    assert sainte_lague({"B": 100, "A": 100}, 3) == {"A": 2, "B": 1}
    # The fourth seat: A's quotient 500/5 equals B's 300/3; the larger constituency wins it.
    assert sainte_lague({"A": 500, "B": 300}, 4) == {"A": 3, "B": 1}


def test_too_few_seats_is_refused() -> None:
    with pytest.raises(ApportionmentError, match="minimum of one seat"):
        sainte_lague({"A": 1, "B": 1, "C": 1}, 2)


def test_ratio_sizing_rounds_up_and_covers_every_constituency() -> None:
    assert council_size(total_members=2401, seats_fixed=None, members_per_seat=100, constituencies=4) == 25
    assert council_size(total_members=10, seats_fixed=None, members_per_seat=100, constituencies=4) == 4
    assert council_size(total_members=10, seats_fixed=12, members_per_seat=None, constituencies=4) == 12


@given(
    st.dictionaries(
        st.text("ABCDEFGH", min_size=1, max_size=3), st.integers(0, 5000), min_size=1, max_size=8
    ),
    st.integers(0, 40),
)
def test_allocation_is_exact_and_monotone_in_membership(members: dict[str, int], extra: int) -> None:
    seats = len(members) + extra
    result = sainte_lague(members, seats)
    assert sum(result.values()) == seats
    assert all(v >= 1 for v in result.values())
    ordered = sorted(members, key=lambda c: (-members[c], c))
    # A larger constituency never gets fewer seats than a smaller one.
    for bigger, smaller in itertools.pairwise(ordered):
        assert result[bigger] >= result[smaller]
