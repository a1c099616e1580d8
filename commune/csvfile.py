"""Reading a CSV file that people export from spreadsheets, banks and payroll systems: its columns by
name (with the spellings such files commonly use), its records with the line each starts on, and every
problem in its shape, named by line. The member roll and the dues payment files are read this way.

No Django: a file is text in and values out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LineProblem:
    """One problem in a file; ``line`` is the line of the file it is on (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Record:
    """One record of the file: the line it starts on and its cells by column name."""

    line: int
    cells: dict[str, str]


def column_name(raw: str, aliases: Mapping[str, str]) -> str:
    name = raw.strip().lower().replace(" ", "_").replace("-", "_")
    return aliases.get(name, name)


def delimiter_of(first_line: str) -> str:
    """Comma, unless the header plainly uses semicolons or tabs (as some spreadsheet locales export)."""
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


def read_table(
    csv_text: str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
    hint: str = "",
) -> tuple[list[Record], list[LineProblem]]:
    """The file's records with their line numbers, and the problems with its shape (a header lacking a
    column or naming one twice or one unknown, a record with too many or too few fields, text that is not
    CSV). ``hint`` says what a record with too many fields may have wrong."""
    aliases = aliases or {}
    text = csv_text.removeprefix("\ufeff")
    expected = ", ".join(required) + (f" and optionally {', '.join(optional)}" if optional else "")
    if "\x00" in text:
        return [], [LineProblem(1, "this is not a CSV text file (it contains binary data)")]
    if not text.strip():
        return [], [
            LineProblem(1, f"the file is empty; the first line must name the columns {','.join(required)}")
        ]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text.split("\n", 1)[0]))
    problems: list[LineProblem] = []
    try:
        header = [column_name(h, aliases) for h in next(reader)]
    except csv.Error as exc:
        return [], [LineProblem(1, f"the header row is not valid CSV ({exc})")]
    known = (*required, *optional)
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in known]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(
            LineProblem(
                1,
                f"the header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(expected {expected}; found {', '.join(header) or 'nothing'})",
            )
        )
    if unknown:
        problems.append(
            LineProblem(
                1,
                f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (expected {expected})",
            )
        )
    if duplicated:
        problems.append(LineProblem(1, f"the column {', '.join(duplicated)} appears more than once"))
    if problems:
        return [], problems
    records: list[Record] = []
    line = reader.line_num + 1
    try:
        for fields in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in fields):
                continue
            if len(fields) != len(header):
                problems.append(
                    LineProblem(
                        start,
                        f"expected {len(header)} fields ({', '.join(header)}), found {len(fields)}"
                        + (f" — {hint}" if hint and len(fields) > len(header) else ""),
                    )
                )
                continue
            records.append(Record(start, dict(zip(header, fields, strict=True))))
    except csv.Error as exc:
        problems.append(LineProblem(reader.line_num, f"this line is not valid CSV ({exc})"))
    return records, problems
