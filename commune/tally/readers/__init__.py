"""Read ballot files into an ``Election``.

These are the only functions of ``commune.tally`` that touch files; the counts never do. Each reader
also has a ``parse_*`` twin that takes the file's bytes, for callers that already hold them.

Formats
-------

**BLT** (``.blt``), as used by OpenSTV, Droop and the ERS:

* first line: ``CANDIDATES SEATS``;
* optionally, right after it, one line of negative numbers naming withdrawn candidates (``-2 -5``);
* ballot lines ``COUNT PREF PREF ... 0`` (preferences are candidate numbers from 1; equal preferences
  may be joined with ``=``, as ``3=4``; an optional ballot id in parentheses may lead the line);
* a line ``0`` ending the ballots;
* one name per candidate, quoted (``"Jane Doe"``, several may share a line) or unquoted (the whole
  line, trimmed);
* optionally a title, quoted or unquoted. The last line need not end with a newline.

Lines starting ``#`` are comments (outside the ballot lines). One comment line may say how the file's
election is counted, as a published bulletin's does, so that the file alone reproduces the declared
result; it becomes the ``Election``'s ``count`` (a ``CountSpec``)::

    # commune-count: method=meek-stv seed=208731 omega=0.000001 precision=9

``method`` names a method of ``commune.tally.methods.METHODS``, ``seed`` the seed of its lots, and any
other ``name=value`` is an option of the method (``commune.tally.methods.OPTIONS``). Written after the
title it is read by nothing else: OpenSTV and Droop stop reading at the title.

**PrefLib** ``.soi`` / ``.toi`` (and ``.soc`` / ``.toc``): the current format, with ``# ALTERNATIVE
NAME i: name`` header lines and ``COUNT: 1,2,{3,4}`` order lines (braces: equal preferences), and the
older one (number of alternatives, ``i,name`` lines, a ``voters,sum,unique`` line, ``COUNT,1,2,3``
lines, where ``{3,4}`` also marks equal preferences). PrefLib files carry no number of seats: it is 1
unless the caller says otherwise.

**CSV** (``.csv``, UTF-8): a header row, then one row per ranking. If the first header cell is
``count`` (any case), the first cell of every row is the number of identical papers the row stands
for; otherwise every row is one paper. The other cells name candidates in order of preference, first
preference first; empty cells are ignored, and ``A=B`` in one cell ranks A and B equally. The other
header cells are not read (``pref1,pref2,...`` is customary). The candidates are every name that
appears, in order of first appearance. The number of seats is 1 unless the caller says otherwise::

    count,pref1,pref2,pref3
    120,Alice,Bob,Carol
    45,Bob,,

Errors
------

A malformed file raises ``TallyError`` whose message starts ``FILE:LINE:`` and says what is wrong,
for example ``ward.blt:17: preference 9 is not a candidate (there are 8)``.

Reading is fast for large files: identical ballot lines are grouped by their raw bytes while reading,
a chunk of the file at a time, and each distinct line is parsed once. ``read_packed`` goes further for
a BLT file of plain lines: it returns the rankings as arrays (``PackedElection``) without building a
``Ballot`` for each, for the counts that take them so (``scottish_stv``).

The readers are in ``blt``, ``preflib`` and ``csv_reader``, what they share in ``common``; all are
re-exported here.
"""

from __future__ import annotations

import os
from pathlib import Path

from commune.tally.readers.blt import COUNT_COMMENT, _parse_blt, count_comment, parse_blt
from commune.tally.readers.csv_reader import parse_csv
from commune.tally.readers.preflib import parse_preflib
from commune.tally.types import Election, PackedElection, TallyError

__all__ = [
    "COUNT_COMMENT",
    "FORMATS",
    "count_comment",
    "parse_blt",
    "parse_csv",
    "parse_preflib",
    "read_election",
    "read_packed",
]

#: File extension -> format name understood by ``read_election``.
FORMATS: dict[str, str] = {
    ".blt": "blt",
    ".soi": "preflib",
    ".toi": "preflib",
    ".soc": "preflib",
    ".toc": "preflib",
    ".csv": "csv",
}


def read_election(
    path: str | os.PathLike[str], *, seats: int | None = None, fmt: str | None = None
) -> Election:
    """Read a ballot file, choosing the format from its extension unless ``fmt`` names it.

    ``seats`` overrides the number of seats the file gives (or the default of 1 where it gives none).
    """
    election = read_packed(path, seats=seats, fmt=fmt)
    return election.unpack() if isinstance(election, PackedElection) else election


def read_packed(
    path: str | os.PathLike[str], *, seats: int | None = None, fmt: str | None = None
) -> Election | PackedElection:
    """As ``read_election``, but a BLT file of plain strict rankings comes back as a ``PackedElection``.

    Plain: every ballot line reads ``COUNT PREF ... 0`` (no ids, equal preferences or comments).
    Such a file is read without building an object per ranking, for a count that takes a
    ``PackedElection`` directly (``scottish_stv``); every other file comes back as an ``Election``.
    """
    name = os.fspath(path)
    kind = fmt or FORMATS.get(Path(name).suffix.lower())
    if kind is None:
        known = ", ".join(sorted(FORMATS))
        raise TallyError(f"{name}: unknown ballot file type (expected one of {known})")
    try:
        data = Path(name).read_bytes()
    except OSError as error:
        raise TallyError(f"{name}: cannot read the file ({error.strerror or error})") from error
    if kind == "blt":
        return _parse_blt(data, name=name, seats=seats)
    if kind == "preflib":
        return parse_preflib(data, name=name, seats=seats)
    if kind == "csv":
        return parse_csv(data, name=name, seats=seats)
    raise TallyError(f"{name}: unknown ballot file format {kind!r}")
