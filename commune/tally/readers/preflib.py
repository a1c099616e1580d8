"""The PrefLib reader (the format is described in ``commune.tally.readers``)."""

from __future__ import annotations

import re

from commune.tally.readers.common import _int, _override_seats, _text
from commune.tally.types import Ballot, Election, TallyError

__all__ = ["parse_preflib"]


def parse_preflib(data: bytes, *, name: str = "<preflib>", seats: int | None = None) -> Election:
    """Parse a PrefLib ``.soi``/``.toi``/``.soc``/``.toc`` file, current or older format."""
    lines = [(i + 1, raw.strip()) for i, raw in enumerate(data.split(b"\n"))]
    lines = [(no, line) for no, line in lines if line]
    alternatives: dict[int, str] = {}
    title = ""
    declared: int | None = None
    orders: list[tuple[int, bytes, bytes]] = []  # (line, count, order)
    if lines and not lines[0][1].startswith(b"#"):
        # Older format: alternatives, ``i,name`` lines, ``voters,sum,unique``, ``count,order`` lines.
        no, first = lines[0]
        declared = _int(_text(first, name, no), name, no, "the number of alternatives")
        if len(lines) < declared + 2:
            raise TallyError(
                f"{name}:{lines[-1][0]}: expected {declared} alternative lines and a totals line"
            )
        for no, line in lines[1 : declared + 1]:
            number_raw, _, alt_name = _text(line, name, no).partition(",")
            alternatives[_int(number_raw.strip(), name, no, "an alternative")] = alt_name.strip()
        for no, line in lines[declared + 2 :]:
            count_raw, _, order = line.partition(b",")
            orders.append((no, count_raw, order))
    else:
        for no, line in lines:
            if line.startswith(b"#"):
                key, _, value = _text(line[1:], name, no).partition(":")
                key = key.strip().upper()
                value = value.strip()
                if key.startswith("ALTERNATIVE NAME "):
                    number = _int(key.removeprefix("ALTERNATIVE NAME ").strip(), name, no, "an alternative")
                    alternatives[number] = value
                elif key == "NUMBER ALTERNATIVES":
                    declared = _int(value, name, no, "the number of alternatives")
                elif key == "TITLE":
                    title = value
                continue
            count_raw, colon, order = line.partition(b":")
            if not colon:
                raise TallyError(f"{name}:{no}: an order line must read 'COUNT: PREFERENCES'")
            orders.append((no, count_raw, order))

    grouped: dict[bytes, int] = {}
    first_seen: dict[bytes, int] = {}
    for no, count_raw, order in orders:
        try:
            count = int(count_raw)
        except ValueError:
            shown = count_raw.decode("utf-8", "replace")
            raise TallyError(
                f"{name}:{no}: an order line must start with a whole-number count, not {shown!r}"
            ) from None
        if count < 0:
            raise TallyError(f"{name}:{no}: a count cannot be negative ({count})")
        order = order.strip()
        if order in grouped:
            grouped[order] += count
        else:
            grouped[order] = count
            first_seen[order] = no
    n = declared if declared is not None else len(alternatives)
    if n < 1:
        raise TallyError(f"{name}:1: no alternatives are declared")
    for number in range(1, n + 1):
        alternatives.setdefault(number, str(number))
    candidates = tuple(alternatives[i] for i in range(1, n + 1))
    ballots = tuple(
        Ballot(
            tuple(
                tuple(candidates[i - 1] for i in rank)
                for rank in _preflib_ranking(order, n, name, first_seen[order])
            ),
            count,
        )
        for order, count in grouped.items()
    )
    return Election(
        candidates=candidates, seats=_override_seats(seats, 1, name), ballots=ballots, title=title
    )


def _preflib_ranking(order: bytes, n: int, name: str, lineno: int) -> list[tuple[int, ...]]:
    text = _text(order, name, lineno)
    ranking: list[tuple[int, ...]] = []
    seen: set[int] = set()
    group: list[int] | None = None
    for token in re.findall(r"\{|\}|[^,{}\s]+", text):
        if token == "{":
            if group is not None:
                raise TallyError(f"{name}:{lineno}: nested braces")
            group = []
        elif token == "}":
            if group is None:
                raise TallyError(f"{name}:{lineno}: '}}' without '{{'")
            if group:
                ranking.append(tuple(group))
            group = None
        else:
            number = _int(token, name, lineno, "an alternative")
            if not 1 <= number <= n:
                raise TallyError(f"{name}:{lineno}: alternative {number} does not exist (there are {n})")
            if number in seen:
                raise TallyError(f"{name}:{lineno}: alternative {number} is ranked more than once")
            seen.add(number)
            if group is None:
                ranking.append((number,))
            else:
                group.append(number)
    if group is not None:
        raise TallyError(f"{name}:{lineno}: unclosed '{{'")
    return ranking
