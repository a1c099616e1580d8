"""Ballot files: BLT, PrefLib and CSV read into the same ``Election``, and bad files name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from commune.tally import (
    Ballot,
    CountSpec,
    Election,
    PackedElection,
    TallyError,
    count_comment,
    parse_blt,
    parse_csv,
    parse_preflib,
    read_election,
)
from commune.tally.readers.blt import _parse_blt

DATA = Path(__file__).parent.parent / "data" / "scotland-2017"


def test_blt_with_quoted_names_and_title() -> None:
    """A classic BLT file reads into candidates, seats, grouped ballots and a title."""
    election = parse_blt(b'3 2\n4 1 2 0\n3 3 0\n2 1 2 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Test poll"\n')
    assert election.candidates == ("Ann", "Bob", "Cy")
    assert election.seats == 2
    assert election.title == "Test poll"
    assert set(election.ballots) == {Ballot.of("Ann", "Bob", count=6), Ballot.of("Cy", count=3)}


def test_blt_with_unquoted_names_and_no_final_newline() -> None:
    """Unquoted names and title are whole lines; the last line may lack a newline."""
    election = parse_blt(b"2 1\n5 2 1 0\n0\nAnn Smith (Lab)\nBob JONES (SNP)\nWard 3 - North")
    assert election.candidates == ("Ann Smith (Lab)", "Bob JONES (SNP)")
    assert election.title == "Ward 3 - North"
    assert election.ballots == (Ballot.of("Bob JONES (SNP)", "Ann Smith (Lab)", count=5),)


def test_blt_withdrawn_line_names_on_one_line_and_equal_preferences() -> None:
    """Withdrawn candidates, several quoted names on one line and ``=`` ties are all understood."""
    election = parse_blt(b'3 1\n-2\n1 1 2=3 0\n0\n"A" "B" "C"\n"T"\n')
    assert election.withdrawn == frozenset({"B"})
    assert election.ballots == (Ballot((("A",), ("B", "C")), 1),)
    assert election.title == "T"


def test_blt_seats_can_be_overridden() -> None:
    """The caller's number of seats replaces the file's."""
    assert parse_blt(b"2 1\n1 1 0\n0\nA\nB\n", seats=2).seats == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"2 1\n1 1 0\n1 3 0\n0\nA\nB\n", "ward.blt:3: preference 3 is not a candidate (there are 2)"),
        (b"2 1\n1 1 0\nx 1 0\n0\nA\nB\n", "ward.blt:3: a ballot line must start with a whole-number count"),
        (b"2 1\n1 1 0\n1 2 1\n0\nA\nB\n", "ward.blt:3: a ballot line must end with 0"),
        (b"2 1\n1 1 1 0\n0\nA\nB\n", "ward.blt:2: candidate 1 is ranked more than once"),
        (b"2 1\n1 1 0\nA\nB\n", "ward.blt:3: a ballot line must start with a whole-number count, not 'A'"),
        (b"2 1\n1 1 0\n", "ward.blt:3: the ballots must end with a line '0'"),
        (b"2 1\n1 1 0\n0\nA\n", "ward.blt:5: expected 2 candidate names after the ballots, found 1"),
        (b"2\n1 1 0\n0\nA\nB\n", "ward.blt:1: the first line must be 'CANDIDATES SEATS'"),
        (b"", "ward.blt:1: the file is empty"),
        (b"2 1\n-3\n1 1 0\n0\nA\nB\n", "ward.blt:2: withdrawn candidate -3 is not a candidate (there are 2)"),
        # A negative weight on the first ballot line is not a line of withdrawn candidates.
        (b"2 1\n-3 1 2 0\n1 1 0\n0\nA\nB\n", "ward.blt:2: a ballot's weight cannot be negative (-3)"),
        (b"2 1\n-1 0\n0\nA\nB\n", "ward.blt:2: a ballot's weight cannot be negative (-1)"),
        (b"2 1\n1 1 0\n-3 1 2 0\n0\nA\nB\n", "ward.blt:3: a ballot's weight cannot be negative (-3)"),
        (b"2 1\n-2\n-3 1 0\n0\nA\nB\n", "ward.blt:3: a ballot's weight cannot be negative (-3)"),
    ],
)
def test_malformed_blt_names_the_file_and_line(content: bytes, message: str) -> None:
    """A malformed BLT file raises TallyError naming the file, the line and the reason."""
    with pytest.raises(TallyError) as caught:
        parse_blt(content, name="ward.blt")
    assert str(caught.value).startswith(message)


def test_read_election_reports_the_path(tmp_path: Path) -> None:
    """Errors from a file on disk carry its path as given."""
    path = tmp_path / "bad.blt"
    path.write_bytes(b"3 1\n1 1 2 0\n2 1 9 0\n0\nA\nB\nC\n")
    with pytest.raises(TallyError, match=r"bad\.blt:3: preference 9 is not a candidate \(there are 3\)"):
        read_election(path)


def test_unknown_extension_and_missing_file_are_errors(tmp_path: Path) -> None:
    """Unknown file types and unreadable files raise TallyError, not OSError."""
    with pytest.raises(TallyError, match="unknown ballot file type"):
        read_election(tmp_path / "x.txt")
    with pytest.raises(TallyError, match="cannot read"):
        read_election(tmp_path / "missing.blt")


def test_identical_ballot_lines_are_grouped() -> None:
    """Repeated lines come back as one ballot with the summed count (what keeps big files cheap)."""
    body = b"".join(b"1 1 2 0\n" for _ in range(1000)) + b"3 2 0\n"
    election = parse_blt(b"2 1\n" + body + b"0\nA\nB\n")
    assert set(election.ballots) == {Ballot.of("A", "B", count=1000), Ballot.of("B", count=3)}


def test_real_scottish_file_reads() -> None:
    """A real ward file (unquoted names and title) reads completely."""
    election = read_election(DATA / "edinburgh_2017_ward1.blt")
    assert election.seats == 4
    assert len(election.candidates) == 10
    assert election.candidates[0] == "Daniel FRASER (Libtn)"
    assert election.title == "Ward 1 - Almond"
    assert sum(b.count for b in election.ballots) == 14207


def test_preflib_current_format_with_ties() -> None:
    """A PrefLib .toi file with names and ``{}`` ties."""
    content = b"""# FILE NAME: x.toi
# TITLE: Club poll
# DATA TYPE: toi
# NUMBER ALTERNATIVES: 3
# ALTERNATIVE NAME 1: Ann
# ALTERNATIVE NAME 2: Bob
# ALTERNATIVE NAME 3: Cy
3: 1,{2,3}
2: 3
1: 1,{2,3}
"""
    election = parse_preflib(content, name="x.toi")
    assert election.candidates == ("Ann", "Bob", "Cy")
    assert election.title == "Club poll"
    assert election.seats == 1
    assert set(election.ballots) == {Ballot((("Ann",), ("Bob", "Cy")), 4), Ballot.of("Cy", count=2)}


def test_preflib_older_format() -> None:
    """The older PrefLib layout (counts, names, totals line, comma-separated orders)."""
    content = b"3\n1,Ann\n2,Bob\n3,Cy\n6,6,2\n4,1,2\n2,3,{1,2}\n"
    election = parse_preflib(content, name="old.soi", seats=2)
    assert election.candidates == ("Ann", "Bob", "Cy")
    assert election.seats == 2
    assert set(election.ballots) == {Ballot.of("Ann", "Bob", count=4), Ballot((("Cy",), ("Ann", "Bob")), 2)}


def test_preflib_bad_alternative_names_the_line() -> None:
    """An order naming a missing alternative is reported with its line."""
    content = b"# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: 1,2\n1: 3\n"
    with pytest.raises(TallyError, match=r"p\.soi:5: alternative 3 does not exist \(there are 2\)"):
        parse_preflib(content, name="p.soi")


def test_csv_with_count_column() -> None:
    """CSV: a ``count`` header, names in preference order, blanks ignored, ``=`` for ties."""
    content = b"count,pref1,pref2,pref3\n120,Alice,Bob,\n45,Bob,,\n5,Carol,Alice=Bob,\n"
    election = parse_csv(content, name="poll.csv", seats=2)
    assert election.candidates == ("Alice", "Bob", "Carol")
    assert election.seats == 2
    assert set(election.ballots) == {
        Ballot.of("Alice", "Bob", count=120),
        Ballot.of("Bob", count=45),
        Ballot((("Carol",), ("Alice", "Bob")), 5),
    }


def test_csv_without_count_column_counts_rows() -> None:
    """Without a ``count`` column every row is one paper; identical rows are grouped."""
    election = parse_csv(b"first,second\nA,B\nA,B\nB,A\n")
    assert set(election.ballots) == {Ballot.of("A", "B", count=2), Ballot.of("B", "A")}


def test_csv_errors_name_the_line() -> None:
    """A bad count or a repeated name in a CSV row is reported with its line."""
    with pytest.raises(TallyError, match=r"p\.csv:3: the count must be a whole number"):
        parse_csv(b"count,a\n1,A\nmany,B\n", name="p.csv")
    with pytest.raises(TallyError, match=r"p\.csv:2: 'A' is ranked more than once"):
        parse_csv(b"count,a,b\n1,A,A\n", name="p.csv")


def test_irregular_spacing_ids_and_split_counts_read_the_same_as_plain_lines() -> None:
    """Tabs, doubled spaces, ballot ids and one ranking spread over lines give the same ballots."""
    plain = parse_blt(b"3 2\n5 1 2 0\n2 3 0\n1 2 3 1 0\n0\nA\nB\nC\n")
    irregular = parse_blt(b"3 2\n3\t1  2\t0\n(b7) 2 3 0\n2 1 2 0\r\n1 2 3 1 0 \n0\nA\nB\nC\n")
    assert sorted(plain.ballots, key=repr) == sorted(irregular.ballots, key=repr)


def test_large_counts_and_many_lines_are_summed_exactly() -> None:
    """Counts far beyond a machine word's small ints are summed exactly; lines repeat freely."""
    big = 10**20
    election = parse_blt(f"2 1\n{big} 1 0\n{big} 1 0\n3 2 1 0\n0\nA\nB\n".encode())
    assert set(election.ballots) == {Ballot.of("A", count=2 * big), Ballot.of("B", "A", count=3)}


def test_a_blt_file_may_say_how_it_is_counted() -> None:
    """A ``# commune-count:`` comment (after the title, where other tools stop reading) gives the method,
    the seed of its lots and its options; other comments are still ignored."""
    election = parse_blt(
        b'2 1\n# a comment\n3 1 0\n2 2 0\n0\n"A"\n"B"\n"T"\n'
        b"# commune-count: method=meek-stv seed=208731 precision=12 omega=0.0001\n# another comment\n"
    )
    assert election.count == CountSpec("meek-stv", 208731, (("omega", "0.0001"), ("precision", "12")))
    assert election.title == "T" and election.candidates == ("A", "B")
    assert parse_blt(b"2 1\n1 1 0\n0\nA\nB\n").count is None
    packed = read_packed_bytes(b"# commune-count: method=scottish-stv seed=7\n2 1\n1 1 0\n0\nA\nB\n")
    assert packed.count == CountSpec("scottish-stv", 7)


def read_packed_bytes(data: bytes) -> Election | PackedElection:
    return _parse_blt(data, name="ward.blt", seats=None)


def test_a_count_comment_written_is_read_back() -> None:
    spec = CountSpec("wigm-stv", 12, (("precision", "exact"),))
    text = f'2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n{count_comment(spec)}\n'
    assert parse_blt(text.encode()).count == spec


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (b"# commune-count: seed=3", "ward.blt:7: the '# commune-count:' line names no method"),
        (b"# commune-count: method=irv seed=x", "ward.blt:7: the seed must be a whole number, not 'x'"),
        (b"# commune-count: method=irv seed", "ward.blt:7: 'seed' is not a setting: write name=value"),
        (b"# commune-count: method=irv method=irv", "ward.blt:7: method is given twice"),
        (b"# commune-count: method=irv\n# commune-count: method=irv", "ward.blt:8: a second"),
    ],
)
def test_a_malformed_count_comment_names_the_line(comment: bytes, message: str) -> None:
    with pytest.raises(TallyError) as caught:
        parse_blt(b'2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n' + comment + b"\n", name="ward.blt")
    assert str(caught.value).startswith(message)
