"""The BLT reader (the format is described in ``commune.tally.readers``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import islice

import numpy as np
import numpy.typing as npt

from commune.tally.readers.common import _int, _override_seats, _text
from commune.tally.types import Ballot, CountSpec, Election, PackedElection, TallyError, repeats_a_candidate

__all__ = ["COUNT_COMMENT", "count_comment", "parse_blt"]

#: A comment line that starts so says how the file's election is counted: ``method=NAME``,
#: ``seed=N`` and the method's options, as ``name=value`` fields. Other tools skip it as a comment.
COUNT_COMMENT = "# commune-count:"

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def parse_blt(data: bytes, *, name: str = "<blt>", seats: int | None = None) -> Election:
    """Parse the bytes of a BLT file (see ``commune.tally.readers`` for the format)."""
    election = _parse_blt(data, name=name, seats=seats)
    return election.unpack() if isinstance(election, PackedElection) else election


def _parse_blt(data: bytes, *, name: str, seats: int | None) -> Election | PackedElection:
    """The BLT reader: packed when every ballot line is plain, else ``Ballot`` values.

    The file is not split into one list of lines: the few lines before and after the ballots are
    read one at a time and the ballot lines are grouped a chunk at a time (``_count_lines``). A list
    of every line is made only to name the line of a fault.
    """
    offset = 0  # where line ``lineno + 1`` starts (past the end: there is none)
    lineno = 0
    spec: CountSpec | None = None

    def comment(stripped: bytes, number: int) -> None:
        """Read a comment line: the one that says how to count (``COUNT_COMMENT``), others ignored."""
        nonlocal spec
        if stripped.startswith(COUNT_COMMENT.encode()):
            if spec is not None:
                raise TallyError(f"{name}:{number}: a second {COUNT_COMMENT!r} line")
            spec = _count_spec(_text(stripped, name, number)[len(COUNT_COMMENT) :], name, number)

    def next_content() -> tuple[int, bytes] | None:
        nonlocal offset, lineno
        while offset <= len(data):
            raw, offset = _line_at(data, offset)
            lineno += 1
            stripped = raw.strip()
            if stripped.startswith(b"#"):
                comment(stripped, lineno)
            elif stripped:
                return lineno, stripped
        return None

    header = next_content()
    if header is None:
        raise TallyError(f"{name}:1: the file is empty (expected 'CANDIDATES SEATS')")
    header_no, header_raw = header
    fields = _text(header_raw, name, header_no).split()
    if len(fields) != 2:
        raise TallyError(f"{name}:{header_no}: the first line must be 'CANDIDATES SEATS', not {header_raw!r}")
    n = _int(fields[0], name, header_no, "the number of candidates")
    file_seats = _int(fields[1], name, header_no, "the number of seats")
    if n < 1:
        raise TallyError(f"{name}:{header_no}: there must be at least one candidate")
    if file_seats < 1:
        raise TallyError(f"{name}:{header_no}: the number of seats must be at least 1")

    # An optional line of withdrawn candidates comes straight after the header: negative numbers only.
    # A first ballot line with a negative weight also starts with "-", but it ranks candidates and ends
    # with 0, so it is left to the ballot reader, which says what is wrong with it.
    withdrawn_numbers: list[int] = []
    body_start, body_offset = lineno, offset  # the first ballot line: its index and where it starts
    while body_offset <= len(data):
        raw, after = _line_at(data, body_offset)
        if raw.lstrip().startswith(b"#"):
            comment(raw.strip(), body_start + 1)
        elif raw.strip():
            if all(token.startswith(b"-") for token in raw.split()):
                withdrawn_no = body_start + 1
                for token in _text(raw, name, withdrawn_no).split():
                    number = _int(token, name, withdrawn_no, "a withdrawn candidate")
                    if number >= 0 or -number > n:
                        raise TallyError(
                            f"{name}:{withdrawn_no}: withdrawn candidate {token} is not a candidate"
                            f" (there are {n})"
                        )
                    withdrawn_numbers.append(-number)
                body_start, body_offset = body_start + 1, after
            break
        body_start, body_offset = body_start + 1, after

    # Identical ballot lines are grouped at C speed; each distinct line is then parsed once, and a
    # line number is looked up only to report an error.
    end_offset, line_counts = _blt_ballot_lines(data, body_offset)
    end = body_start + line_counts.total()  # the index of the line "0" (or of the end of the file)
    regular = _blt_regular(list(line_counts), list(line_counts.values()), n)
    everything: list[bytes] = []  # every line of the file, made only when needed

    def all_lines() -> list[bytes]:
        if not everything:
            everything.extend(data.split(b"\n"))
        return everything

    if regular is None:
        spaced_ends = [raw for raw in line_counts if raw.strip() == b"0"]
        if spaced_ends:
            lines = all_lines()
            end = min(lines.index(raw, body_start) for raw in spaced_ends)
            end_offset = sum(map(len, lines[:end])) + end
            line_counts = Counter(islice(lines, body_start, end))
            regular = _blt_regular(list(line_counts), list(line_counts.values()), n)

    def line_of(raw: bytes) -> int:
        return all_lines().index(raw, body_start) + 1

    slow: list[tuple[tuple[tuple[int, ...], ...] | list[int], int]] = []
    if regular is None:
        slow = _blt_line_by_line(line_counts, n, name, line_of)
    del line_counts
    if end_offset > len(data):
        raise TallyError(f"{name}:{end}: the ballots must end with a line '0'")
    lineno, offset = end + 1, _line_at(data, end_offset)[1]

    names: list[str] = []
    title = ""
    while True:
        found = next_content()
        if found is None:
            break
        no, raw = found
        text = _text(raw, name, no)
        if text.startswith('"'):
            quoted = _QUOTED.findall(text)
            if not quoted:
                raise TallyError(f"{name}:{no}: unterminated quoted name {text!r}")
            parts = [q.replace('\\"', '"') for q in quoted]
        else:
            parts = [text]
        for part in parts:
            if len(names) < n:
                names.append(part)
            elif not title:
                title = part
            else:
                raise TallyError(f"{name}:{no}: unexpected text after the title: {part!r}")
    if len(names) < n:
        raise TallyError(
            f"{name}:{lineno}: expected {n} candidate names after the ballots, found {len(names)}"
        )
    duplicates = sorted({x for x in names if names.count(x) > 1})
    if duplicates:
        raise TallyError(f"{name}: candidate names must be distinct; repeated: {', '.join(duplicates)}")

    candidates = tuple(names)
    chosen_seats = _override_seats(seats, file_seats, name)
    withdrawn = frozenset(candidates[i - 1] for i in withdrawn_numbers)
    if regular is not None:
        prefs, lengths, counts = regular
        return PackedElection(
            candidates=candidates,
            seats=chosen_seats,
            prefs=prefs,
            lengths=lengths,
            counts=counts,
            title=title,
            withdrawn=withdrawn,
            count=spec,
        )
    single = [("",), *((candidate,) for candidate in candidates)]  # by candidate number, shared
    ballots = tuple(
        Ballot(
            tuple(map(single.__getitem__, ranking))
            if isinstance(ranking, list)
            else tuple(tuple(candidates[i - 1] for i in rank) for rank in ranking),
            count,
        )
        for ranking, count in slow
    )
    return Election(
        candidates=candidates,
        seats=chosen_seats,
        ballots=ballots,
        title=title,
        withdrawn=withdrawn,
        count=spec,
    )


def count_comment(spec: CountSpec) -> str:
    """The comment line that tells ``parse_blt`` how the file's election is counted (no newline)."""
    fields = [f"method={spec.method}", f"seed={spec.seed}"]
    fields += [f"{key}={value}" for key, value in spec.options]
    for text in fields:
        if any(ch.isspace() for ch in text) or text.count("=") != 1:
            raise TallyError(f"{text!r} cannot be written in a {COUNT_COMMENT!r} line")
    return f"{COUNT_COMMENT} {' '.join(fields)}"


def _count_spec(text: str, name: str, lineno: int) -> CountSpec:
    """The ``CountSpec`` of a ``COUNT_COMMENT`` line's ``key=value`` fields (after the prefix)."""
    values: dict[str, str] = {}
    for field in text.split():
        key, equals, value = field.partition("=")
        if not (key and equals and value):
            raise TallyError(f"{name}:{lineno}: {field!r} is not a setting: write name=value")
        if key in values:
            raise TallyError(f"{name}:{lineno}: {key} is given twice")
        values[key] = value
    method = values.pop("method", None)
    if method is None:
        raise TallyError(f"{name}:{lineno}: the {COUNT_COMMENT!r} line names no method")
    seed = _int(values.pop("seed", "0"), name, lineno, "the seed")
    return CountSpec(method, seed, tuple(sorted(values.items())))


def _line_at(data: bytes, offset: int) -> tuple[bytes, int]:
    """The line of ``data`` that starts at ``offset`` (without its newline) and where the next starts."""
    stop = data.find(b"\n", offset)
    if stop < 0:
        return data[offset:], len(data) + 1
    return data[offset:stop], stop + 1


def _blt_ballot_lines(data: bytes, start: int) -> tuple[int, Counter[bytes]]:
    """Where the ballots that start at ``start`` end, and how often each of their lines occurs.

    They end at the first line ``0`` (as usually written); with none, at the end of the file, and
    the offset returned is ``len(data) + 1``. Every line to the end of the file is counted in one
    pass and the few from the line ``0`` on are taken off again, so that the counts also say how
    often ``0`` occurs: once, as usual, and it is found by searching back from the end.
    """
    if start > len(data):
        return len(data) + 1, Counter()
    counts = _count_lines(data, start, len(data))
    end = len(data) + 1
    for form in (b"0", b"0\r"):
        if form in counts:
            end = min(end, _first_line(data, form, start, unique=counts[form] == 1))
    if end <= len(data):
        for raw in data[end:].split(b"\n"):
            left = counts[raw] - 1
            if left:
                counts[raw] = left
            else:
                del counts[raw]
    return end, counts


def _first_line(data: bytes, line: bytes, start: int, *, unique: bool) -> int:
    """Where the first line equal to ``line`` at or after ``start`` (a line's start) begins.

    The line must occur there; ``unique`` says it occurs once, so it is sought from the end.
    """
    after = start + len(line)
    if data.startswith(line, start) and data[after : after + 1] in {b"\n", b""}:
        return start
    needle = b"\n" + line + b"\n"
    at = data.rfind(needle, start) if unique else data.find(needle, start)
    return at + 1 if at >= 0 else len(data) - len(line)  # else the last line, with no newline after


#: Ballot lines are split and counted this many bytes at a time, so that only a chunk's worth of
#: line objects lives at once: less time and half the memory of splitting a million lines at once.
_CHUNK = 1 << 16


def _count_lines(data: bytes, start: int, stop: int) -> Counter[bytes]:
    """How often each line of ``data[start:stop]`` occurs, in order of first occurrence."""
    counts: Counter[bytes] = Counter()
    while start + _CHUNK < stop:
        cut = data.rfind(b"\n", start, start + _CHUNK)
        if cut < 0:  # a line longer than a chunk
            cut = data.find(b"\n", start + _CHUNK, stop)
            if cut < 0:
                break
        counts.update(data[start:cut].split(b"\n"))
        start = cut + 1
    counts.update(data[start:stop].split(b"\n"))
    return counts


def _blt_regular(
    lines: list[bytes], times: list[int], n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Every distinct ballot line read in a few C-level passes, if all of them are regular.

    Regular: ``COUNT PREF ... 0`` with a positive count, strict preferences from 1 to ``n``, no
    candidate twice, no ids or comments. Returns the preferences end to end (as indices from 0),
    each line's number of preferences and each line's count times ``times``; anything irregular
    returns ``None`` and the lines are read one by one, which names the fault.
    """
    if not lines:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    joined = b"\n".join(lines)
    if b"\r" in joined:
        joined = joined.replace(b"\r\n", b"\n").removesuffix(b"\r")
    # Read as an array of bytes: only digits, and single spaces or newlines between them (no ids,
    # ties, comments, signs, tabs, empty lines or white space at either end of a line).
    text = np.frombuffer(joined, dtype=np.uint8)
    gap = text < 48
    if not len(text) or gap[0] or gap[-1] or (gap[1:] & gap[:-1]).any():
        return None
    if not ((text <= 57) & ((text >= 48) | (text == 32) | (text == 10))).all():
        return None
    # Every number is a run of digits: where it starts and how many digits it has.
    after_gap = np.flatnonzero(gap) + 1
    starts = np.concatenate(([0], after_gap))
    widths = np.concatenate((after_gap, [len(text) + 1])) - starts - 1
    if int(widths.max()) > 10:
        return None  # far past 2**31: the exact reader takes it
    numbers = text[starts].astype(np.int64) - 48
    for digit in range(1, int(widths.max())):
        longer = np.flatnonzero(widths > digit)
        numbers[longer] = numbers[longer] * 10 + text[starts[longer] + digit] - 48
    if int(numbers.max()) >= 2**31:
        return None  # an absurd count, or a preference far past any candidate
    # A line's first number is its count, its last the closing 0; a 0 anywhere else, or a line of
    # one number, is irregular.
    first = np.ones(len(starts), dtype=bool)
    first[1:] = text[starts[1:] - 1] == 10
    last = np.ones(len(starts), dtype=bool)
    last[:-1] = first[1:]
    if ((numbers == 0) != last).any() or (first & last).any():
        return None
    counts = numbers[first] * np.array(times, dtype=np.int64)
    prefs = numbers[~(first | last)] - 1
    if len(prefs) and int(prefs.max()) >= n:
        return None
    lengths = np.flatnonzero(last) - np.flatnonzero(first) - 1
    if repeats_a_candidate(prefs, lengths):
        return None
    return prefs, lengths, counts


def _blt_line_by_line(
    line_counts: Counter[bytes], n: int, name: str, line_of: Callable[[bytes], int]
) -> list[tuple[tuple[tuple[int, ...], ...] | list[int], int]]:
    """The distinct ballot lines read one at a time, raising ``TallyError`` at the first fault."""
    grouped: dict[bytes, int] = {}
    rankings: list[tuple[tuple[int, ...], ...] | list[int]] = []
    for raw, times in line_counts.items():
        line = raw.strip()
        if not line or line.startswith(b"#"):
            continue
        if line.startswith(b"("):
            close = line.find(b")")
            if close < 0:
                raise TallyError(f"{name}:{line_of(raw)}: unclosed ballot id")
            line = line[close + 1 :].lstrip()
        count_raw, *tokens = line.split()
        rest = b" ".join(tokens)  # one spelling per ranking, however it was spaced
        try:
            count = int(count_raw)
        except ValueError:
            shown = count_raw.decode("utf-8", "replace")
            raise TallyError(
                f"{name}:{line_of(raw)}: a ballot line must start with a whole-number count, not {shown!r}"
                " (a line '0' must end the ballots before the names)"
            ) from None
        if count < 0:
            raise TallyError(f"{name}:{line_of(raw)}: a ballot's weight cannot be negative ({count})")
        if rest in grouped:
            grouped[rest] += count * times
        else:
            grouped[rest] = count * times
            try:
                rankings.append(_blt_ranking(rest, n))
            except ValueError as error:
                raise TallyError(f"{name}:{line_of(raw)}: {error}") from None
    return list(zip(rankings, grouped.values(), strict=True))


def _blt_ranking(rest: bytes, n: int) -> tuple[tuple[int, ...], ...] | list[int]:
    """The preferences of one ballot line after its count; ``ValueError`` says what is wrong.

    A strict ranking (no ``=``) comes back as a flat list of candidate numbers, the common case, kept
    cheap; one with equal preferences as a tuple of ranks.
    """
    if b"=" not in rest:
        try:
            numbers = list(map(int, rest.split()))
        except ValueError:
            numbers = []  # fall through to the careful reading below for the message
        else:
            if not numbers or numbers[-1] != 0:
                raise ValueError("a ballot line must end with 0")
            numbers.pop()
            if not numbers or (min(numbers) >= 1 and max(numbers) <= n and len(set(numbers)) == len(numbers)):
                return numbers
    tokens = rest.decode("utf-8", "replace").split()
    if not tokens or tokens[-1] != "0":
        raise ValueError("a ballot line must end with 0")
    ranking: list[tuple[int, ...]] = []
    seen: set[int] = set()
    for token in tokens[:-1]:
        rank: list[int] = []
        for part in token.split("="):
            try:
                number = int(part)
            except ValueError:
                raise ValueError(f"a preference must be a whole number, not {part!r}") from None
            if not 1 <= number <= n:
                raise ValueError(f"preference {number} is not a candidate (there are {n})")
            if number in seen:
                raise ValueError(f"candidate {number} is ranked more than once")
            seen.add(number)
            rank.append(number)
        ranking.append(tuple(rank))
    return tuple(ranking)
