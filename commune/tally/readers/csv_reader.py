"""The CSV reader (the format is described in ``commune.tally.readers``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from commune.tally.readers.common import _int, _override_seats
from commune.tally.types import Ballot, Election, TallyError

__all__ = ["parse_csv"]


def parse_csv(data: bytes, *, name: str = "<csv>", seats: int | None = None) -> Election:
    """Parse a CSV ballot file (see ``commune.tally.readers`` for its shape)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TallyError(f"{name}: not valid UTF-8 ({error.reason})") from error
    rows: Iterable[list[str]] = csv.reader(io.StringIO(text, newline=""))
    candidates: dict[str, None] = {}
    grouped: dict[tuple[tuple[str, ...], ...], int] = {}
    has_count = False
    header_seen = False
    reader = iter(rows)
    lineno = 0
    for row in reader:
        lineno += 1
        if not header_seen:
            if not any(cell.strip() for cell in row):
                continue
            header_seen = True
            has_count = bool(row) and row[0].strip().lower() == "count"
            continue
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        count = 1
        if has_count:
            count = _int(cells[0], name, lineno, "the count")
            if count < 0:
                raise TallyError(f"{name}:{lineno}: a count cannot be negative ({count})")
            cells = cells[1:]
        ranking: list[tuple[str, ...]] = []
        seen: set[str] = set()
        for cell in cells:
            if not cell:
                continue
            rank = tuple(part.strip() for part in cell.split("=") if part.strip())
            for candidate in rank:
                if candidate in seen:
                    raise TallyError(f"{name}:{lineno}: {candidate!r} is ranked more than once")
                seen.add(candidate)
                candidates.setdefault(candidate, None)
            ranking.append(rank)
        key = tuple(ranking)
        grouped[key] = grouped.get(key, 0) + count
    if not header_seen:
        raise TallyError(f"{name}:1: the file is empty (expected a header row)")
    if not candidates:
        raise TallyError(f"{name}:{lineno}: no candidate is named in any row")
    ballots = tuple(Ballot(ranking, count) for ranking, count in grouped.items())
    return Election(
        candidates=tuple(candidates),
        seats=_override_seats(seats, 1, name),
        ballots=ballots,
        title=Path(name).stem,
    )
