"""Reading a roll file: its columns, its rows with their line numbers, and every problem in its shape."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

REQUIRED_COLUMNS = ("number", "name", "email")
OPTIONAL_COLUMNS = ("wage_band",)
# Spellings spreadsheets commonly use for the same columns (after lower-casing and spaces to underscores).
COLUMN_ALIASES = {
    "member_number": "number",
    "membership_number": "number",
    "membership_no": "number",
    "no": "number",
    "full_name": "name",
    "e_mail": "email",
    "email_address": "email",
    "wageband": "wage_band",
    "band": "wage_band",
}
MAX_LENGTHS = {"number": 40, "name": 200, "email": 254, "wage_band": 40}


@dataclass(frozen=True)
class RollProblem:
    """One problem in the file; ``line`` is the line of the file it is on (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Row:
    line: int
    number: str
    name: str
    email: str
    wage_band: str | None  # None when the file has no wage band column: the band is left as it is


def _column_name(raw: str) -> str:
    name = raw.strip().lower().replace(" ", "_").replace("-", "_")
    return COLUMN_ALIASES.get(name, name)


def _delimiter(first_line: str) -> str:
    """Comma, unless the header plainly uses semicolons or tabs (as some spreadsheet locales export)."""
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


def read_rows(csv_text: str) -> tuple[list[Row], list[RollProblem]]:
    """Parse the file into rows with their line numbers; problems with the shape of the file or a row."""
    text = csv_text.removeprefix("\ufeff")
    if "\x00" in text:
        return [], [RollProblem(1, "this is not a CSV text file (it contains binary data)")]
    if not text.strip():
        return [], [
            RollProblem(1, "the file is empty; the first line must name the columns number,name,email")
        ]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    problems: list[RollProblem] = []
    try:
        header = [_column_name(h) for h in next(reader)]
    except csv.Error as exc:
        return [], [RollProblem(1, f"the header row is not valid CSV ({exc})")]
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    expected = "number, name, email and optionally wage_band"
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in known]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(
            RollProblem(
                1,
                f"the header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(expected {expected}; found {', '.join(header) or 'nothing'})",
            )
        )
    if unknown:
        problems.append(
            RollProblem(
                1,
                f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (expected {expected})",
            )
        )
    if duplicated:
        problems.append(RollProblem(1, f"the column {', '.join(duplicated)} appears more than once"))
    if problems:
        return [], problems
    position = {name: i for i, name in enumerate(header)}
    has_band = "wage_band" in position
    rows: list[Row] = []
    line = reader.line_num + 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(
                    RollProblem(
                        start,
                        f"expected {len(header)} fields ({', '.join(header)}), found {len(record)}"
                        + (" — is there an unquoted comma in a name?" if len(record) > len(header) else ""),
                    )
                )
                continue
            rows.append(
                Row(
                    line=start,
                    number=record[position["number"]].strip(),
                    name=" ".join(record[position["name"]].split()),
                    email=record[position["email"]].strip().lower(),
                    wage_band=record[position["wage_band"]].strip() if has_band else None,
                )
            )
    except csv.Error as exc:
        problems.append(RollProblem(reader.line_num, f"this line is not valid CSV ({exc})"))
    return rows, problems


def check_fields(row: Row) -> list[str]:
    messages = [
        f"the {label} is missing"
        for label, value in (("member number", row.number), ("name", row.name), ("email address", row.email))
        if not value
    ]
    for column, limit in MAX_LENGTHS.items():
        value = getattr(row, column)
        if value and len(value) > limit:
            messages.append(f"the {column.replace('_', ' ')} is longer than {limit} characters")
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            messages.append(f"{row.email!r} is not a valid email address")
    return messages


def check_duplicates(rows: Iterable[Row]) -> list[RollProblem]:
    problems = []
    number_lines: dict[str, Row] = {}
    email_lines: dict[str, Row] = {}
    for row in rows:
        if row.number and (first := number_lines.setdefault(row.number, row)) is not row:
            problems.append(
                RollProblem(
                    row.line,
                    f"member number {row.number} is also on line {first.line} "
                    f"({first.name} and {row.name}); each number must appear once",
                )
            )
        if row.email and (first := email_lines.setdefault(row.email, row)) is not row:
            problems.append(
                RollProblem(
                    row.line,
                    f"the address {row.email} is also on line {first.line} "
                    f"({first.name} and {row.name}); each member needs an address of their own",
                )
            )
    return problems
