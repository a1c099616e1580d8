"""A readable diff between a motion's text and an amendment's, line by line and word by word."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    """One line of the comparison: ``" "`` kept, ``"-"`` removed, ``"+"`` added."""

    op: str
    text: str


def text_diff(before: str, after: str) -> list[DiffLine]:
    """Every line of both texts, marked kept, removed or added, in reading order."""
    out: list[DiffLine] = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("? "):
            continue  # ndiff's intra-line hints; the word-level view below says it better
        out.append(DiffLine(line[0], line[2:]))
    return out


def unified_diff(before: str, after: str) -> str:
    """The same comparison as a unified diff, for emails and plain-text readers."""
    return "\n".join(
        difflib.unified_diff(before.splitlines(), after.splitlines(), "motion", "amended", lineterm="", n=2)
    )


def word_diff(before: str, after: str) -> str:
    """The amendment in one reading: removed words in ``[-…-]``, added words in ``{+…+}``."""
    a, b = before.split(), after.split()
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(" ".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if tag in ("insert", "replace"):
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(parts)
