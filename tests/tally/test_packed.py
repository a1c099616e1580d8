"""``PackedElection``: strict rankings as arrays, read from plain BLT files and counted as they stand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commune.tally import (
    Ballot,
    Election,
    PackedElection,
    TallyError,
    parse_blt,
    read_election,
    read_packed,
    scottish_stv,
)


def packed(prefs: list[int], lengths: list[int], counts: list[int], **kwargs: object) -> PackedElection:
    return PackedElection(
        candidates=("A", "B", "C"),
        seats=1,
        prefs=np.array(prefs),
        lengths=np.array(lengths),
        counts=np.array(counts),
        **kwargs,  # type: ignore[arg-type]
    )


def test_unpack_gives_one_ballot_per_distinct_ranking() -> None:
    """Unpacking names the candidates and merges rankings that occur more than once, first first."""
    election = packed([0, 1, 2, 0, 1], [2, 1, 2, 0], [3, 4, 2, 5], title="T", withdrawn=frozenset({"C"}))
    assert election.unpack() == Election(
        candidates=("A", "B", "C"),
        seats=1,
        ballots=(Ballot.of("A", "B", count=5), Ballot.of("C", count=4), Ballot((), 5)),
        title="T",
        withdrawn=frozenset({"C"}),
    )


def test_the_arrays_are_read_only_copies() -> None:
    """The caller's arrays are copied; the packed ones cannot be written."""
    prefs = np.array([0, 1])
    election = packed(prefs.tolist(), [2], [1])
    prefs[0] = 2
    assert election.prefs.tolist() == [0, 1]
    with pytest.raises(ValueError, match="read-only"):
        election.prefs[0] = 2


@pytest.mark.parametrize(
    ("prefs", "lengths", "counts", "message"),
    [
        ([0, 1], [1], [1], "add up to 1, not 2"),
        ([0], [1], [1, 2], "1 ranking lengths but 2 counts"),
        ([0], [1], [-1], "negative count"),
        ([3], [1], [1], "not a candidate index"),
        ([0, 0], [2], [1], "more than once"),
        ([0, 1], [-1, 3], [1, 1], "cannot be negative"),
    ],
)
def test_inconsistent_arrays_are_refused(
    prefs: list[int], lengths: list[int], counts: list[int], message: str
) -> None:
    """Arrays that do not describe strict rankings of the candidates raise TallyError."""
    with pytest.raises(TallyError, match=message):
        packed(prefs, lengths, counts)


def test_read_packed_packs_plain_files_only(tmp_path: Path) -> None:
    """A plain BLT file comes back packed; ids, ties or other formats come back as an Election."""
    plain = tmp_path / "plain.blt"
    plain.write_bytes(b"3 1\n2 1 2 0\n1 3 0\n2 1 2 0\n0\nA\nB\nC\n")
    tied = tmp_path / "tied.blt"
    tied.write_bytes(b"3 1\n2 1=2 0\n0\nA\nB\nC\n")
    csv = tmp_path / "ballots.csv"
    csv.write_bytes(b"pref1,pref2\nA,B\n")
    election = read_packed(plain)
    assert isinstance(election, PackedElection)
    assert election.unpack() == read_election(plain)
    assert election.counts.tolist() == [4, 1]
    assert isinstance(read_packed(tied), Election)
    assert isinstance(read_packed(csv), Election)


def test_a_bad_line_is_reported_at_its_first_occurrence() -> None:
    """A faulty ballot line that occurs several times is reported at the first line it occurs on."""
    with pytest.raises(TallyError, match=r"^ward\.blt:3: preference 4 is not a candidate"):
        parse_blt(b"3 1\n1 1 0\n1 4 0\n1 2 0\n1 4 0\n0\nA\nB\nC\n", name="ward.blt")


def test_the_ballots_end_at_the_first_line_0() -> None:
    """The ballots end at the first line '0', however the line ends and wherever it is."""
    for data in (b"2 1\n1 1 0\n0\nA\nB", b"2 1\r\n1 1 0\r\n0\r\nA\r\nB\r\n", b"2 1\n0\nA\nB\n"):
        assert parse_blt(data).candidates == ("A", "B")
    with pytest.raises(TallyError, match=r"^<blt>:7: unexpected text after the title: .0."):
        parse_blt(b"2 1\n1 1 0\n0\nA\nB\nT\n0\n")


rankings = st.lists(
    st.tuples(
        st.permutations(range(5)).flatmap(lambda p: st.integers(0, 5).map(lambda k: p[:k])), st.integers(0, 9)
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(rankings=rankings, seats=st.integers(1, 3), withdrawn=st.sets(st.integers(0, 4), max_size=2))
def test_scottish_counts_packed_and_unpacked_alike(
    rankings: list[tuple[tuple[int, ...], int]], seats: int, withdrawn: set[int]
) -> None:
    """The Scottish count of a packed election is the count of its unpacked Election, stage by stage."""
    names = ("A", "B", "C", "D", "E")
    election = PackedElection(
        candidates=names,
        seats=seats,
        prefs=np.array([c for ranking, _ in rankings for c in ranking], dtype=np.int64),
        lengths=np.array([len(ranking) for ranking, _ in rankings], dtype=np.int64),
        counts=np.array([count for _, count in rankings], dtype=np.int64),
        withdrawn=frozenset(names[c] for c in withdrawn),
    )

    def count(subject: Election | PackedElection) -> object:
        try:
            return scottish_stv(subject, seed=7)
        except TallyError as error:
            return str(error)

    assert count(election) == count(election.unpack())
