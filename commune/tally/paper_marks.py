"""Reading the preferences marked on a ranked ballot paper, under the Scottish rules for rejected papers
and for where a paper's preferences end (the same rules the Scottish count, ``commune.tally.scottish``,
applies to the papers it is given).

A paper lists the candidates; the voter writes 1 against their first choice, 2 against their second and
so on. The paper is **rejected** (not counted at all) when:

* the figure 1 stands against no candidate (no first preference: this includes a paper left unmarked);
* the figure 1 stands against more than one candidate (the first preference is uncertain).

Otherwise it is valid, and its preferences run 1, 2, 3 … for as long as each next number stands against
exactly one candidate: where the next number is missing, or stands against two or more candidates, the
paper's preferences end there (it becomes non-transferable at that point), and any later numbers are
ignored. A repeated later preference therefore does not reject the paper: it ends it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["FIRST_PREFERENCE_TWICE", "NO_FIRST_PREFERENCE", "paper_preferences"]

#: Why a paper is rejected, as fixed keys (each owner gives the words).
NO_FIRST_PREFERENCE = "no_first_preference"
FIRST_PREFERENCE_TWICE = "first_preference_twice"


def paper_preferences(marks: Sequence[int | None]) -> tuple[tuple[int, ...], str | None]:
    """The positions (0-based, in the printed order of the candidates) in order of preference, and
    ``None``; or ``()`` and why the paper is rejected. ``marks`` holds, for each candidate as printed,
    the number written against it (a whole number from 1), or ``None`` where nothing is.

    >>> paper_preferences([2, 1, None, 3])
    ((1, 0, 3), None)
    >>> paper_preferences([1, 3, 3, 2])
    ((0, 3), None)
    >>> paper_preferences([None, 2, 3])
    ((), 'no_first_preference')
    >>> paper_preferences([1, 1, 2])
    ((), 'first_preference_twice')
    """
    if any(mark is not None and mark < 1 for mark in marks):
        raise ValueError("a preference is a whole number from 1")
    ranking: list[int] = []
    for preference in range(1, len(marks) + 1):
        against = [position for position, mark in enumerate(marks) if mark == preference]
        if len(against) == 1:
            ranking.append(against[0])
            continue
        if preference == 1:
            return (), NO_FIRST_PREFERENCE if not against else FIRST_PREFERENCE_TWICE
        break
    return tuple(ranking), None
