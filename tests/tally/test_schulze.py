"""The Schulze method: the published example, ties and truncation, and the recorded ranking ties."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from commune.tally.schulze import schulze
from commune.tally.types import Ballot, Election, TallyError


def wikipedia_example() -> Election:
    """Wikipedia, "Schulze method", the example with 45 voters and 5 candidates A-E."""
    spec = [
        (5, "ACBED"),
        (5, "ADECB"),
        (8, "BEDAC"),
        (3, "CABED"),
        (7, "CAEBD"),
        (2, "CBADE"),
        (7, "DCEBA"),
        (8, "EBADC"),
    ]
    return Election(tuple("ABCDE"), 1, tuple(Ballot.of(*order, count=n) for n, order in spec))


def test_wikipedia_example_ranks_e_a_c_b_d() -> None:
    """Wikipedia's 45-voter example: the Schulze ranking is E > A > C > B > D and E wins."""
    result = schulze(wikipedia_example(), seats=1)
    assert result.ranking == ("E", "A", "C", "B", "D")
    assert result.elected == ("E",)
    assert result.tie_breaks == ()
    assert result.valid_poll == 45


def test_wikipedia_example_pairwise_and_strongest_path_matrices() -> None:
    """The d[*,*] and p[*,*] tables match those printed in Wikipedia's worked example."""
    result = schulze(wikipedia_example(), seats=1)
    d = result.pairwise
    p = result.strongest_paths
    assert isinstance(d, Mapping) and isinstance(p, Mapping)
    expected_d = {
        "A": [20, 26, 30, 22],
        "B": [25, 16, 33, 18],
        "C": [19, 29, 17, 24],
        "D": [15, 12, 28, 14],
        "E": [23, 27, 21, 31],
    }
    expected_p = {
        "A": [28, 28, 30, 24],
        "B": [25, 28, 33, 24],
        "C": [25, 29, 29, 24],
        "D": [25, 28, 28, 24],
        "E": [25, 28, 28, 31],
    }
    for a in "ABCDE":
        others = [b for b in "ABCDE" if b != a]
        assert [d[a][b] for b in others] == expected_d[a]
        assert [p[a][b] for b in others] == expected_p[a]


def test_several_seats_take_the_top_of_the_ranking() -> None:
    """With three seats the first three of the ranking are elected, in ranking order."""
    result = schulze(wikipedia_example(), seats=3)
    assert result.elected == ("E", "A", "C")
    assert result.ranking == ("E", "A", "C", "B", "D")


def test_condorcet_cycle_is_broken_at_its_weakest_link() -> None:
    """A cycle A>B (6-3), B>C (7-2), C>A (5-4): the weakest link C>A is dropped, giving A > B > C."""
    election = Election(
        ("A", "B", "C"),
        1,
        (
            Ballot.of("A", "B", "C", count=4),
            Ballot.of("B", "C", "A", count=3),
            Ballot.of("C", "A", "B", count=2),
        ),
    )
    assert schulze(election, seats=1).ranking == ("A", "B", "C")


def test_truncated_ballots_put_ranked_above_unranked() -> None:
    """A paper ranking only A prefers A to every other candidate, and says nothing between the rest."""
    election = Election(
        ("A", "B", "C"),
        1,
        (Ballot.of("A", count=3), Ballot.of("B", "C", count=2), Ballot.of("C", "B", count=2)),
    )
    result = schulze(election, seats=1)
    d = result.pairwise
    assert isinstance(d, Mapping)
    assert d["A"]["B"] == 3 and d["B"]["A"] == 4
    assert d["B"]["C"] == 2 and d["C"]["B"] == 2
    assert result.ranking[2] == "A"


def test_equal_ranks_count_for_neither_side() -> None:
    """Ties within a paper (PrefLib .toi) add nothing between the tied candidates."""
    election = Election(
        ("A", "B", "C"),
        1,
        (Ballot((("A", "B"), ("C",)), count=5), Ballot.of("B", "A", "C", count=1)),
    )
    result = schulze(election, seats=1)
    d = result.pairwise
    assert isinstance(d, Mapping)
    assert (d["A"]["B"], d["B"]["A"]) == (0, 1)
    assert (d["A"]["C"], d["B"]["C"], d["C"]["A"]) == (6, 6, 0)
    assert result.ranking == ("B", "A", "C")


def test_ranking_ties_are_drawn_by_lot_and_recorded() -> None:
    """Candidates the Schulze order cannot separate are ordered by a seeded lot, one record per place."""
    election = Election(("A", "B", "C"), 1, (Ballot.of("A", "B", "C"), Ballot.of("C", "B", "A")))
    # A and C are level (1-1); B is level with both too: nobody beats anybody.
    results = [schulze(election, seats=1, seed=seed) for seed in range(12)]
    for seed, result in enumerate(results):
        assert sorted(result.ranking) == ["A", "B", "C"]
        assert [t.tied for t in result.tie_breaks] == [("A", "B", "C"), tuple(sorted(result.ranking[1:]))]
        assert [t.chosen for t in result.tie_breaks] == list(result.ranking[:2])
        assert all(t.rule == "lot" and t.seed == seed and t.purpose == "ranking" for t in result.tie_breaks)
        assert schulze(election, seats=1, seed=seed) == result
    assert len({r.ranking for r in results}) > 1


def test_partial_order_ties_only_among_the_unseparated() -> None:
    """X beats everyone; Y and Z are level with each other: only the second place is drawn."""
    election = Election(
        ("X", "Y", "Z"),
        1,
        (Ballot.of("X", "Y", "Z", count=2), Ballot.of("X", "Z", "Y", count=2)),
    )
    result = schulze(election, seats=1, seed=5)
    assert result.ranking[0] == "X"
    (tie,) = result.tie_breaks
    assert tie.tied == ("Y", "Z") and tie.stage == 2


def test_withdrawn_candidates_are_left_out() -> None:
    """A withdrawn candidate takes no place in the ranking and papers skip them."""
    election = Election(
        ("A", "B", "W"),
        1,
        (Ballot.of("W", "B", "A", count=3), Ballot.of("A", "B", count=2)),
        withdrawn=frozenset({"W"}),
    )
    result = schulze(election, seats=1)
    assert result.ranking == ("B", "A")


def test_bad_seat_counts_are_refused() -> None:
    """More seats than candidates, or none, raise TallyError."""
    with pytest.raises(TallyError):
        schulze(wikipedia_example(), seats=6)
    with pytest.raises(TallyError):
        schulze(wikipedia_example(), seats=0)
