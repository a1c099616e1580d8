"""Reading a roll file: its columns, its rows with their line numbers, and every problem in its shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from commune.csvfile import LineProblem, read_table

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


#: One problem in the file; ``line`` is the line of the file it is on (the header is line 1).
RollProblem = LineProblem


@dataclass(frozen=True)
class Row:
    line: int
    number: str
    name: str
    email: str
    wage_band: str | None  # None when the file has no wage band column: the band is left as it is


def read_rows(csv_text: str) -> tuple[list[Row], list[RollProblem]]:
    """Parse the file into rows with their line numbers; problems with the shape of the file or a row."""
    records, problems = read_table(
        csv_text,
        required=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        aliases=COLUMN_ALIASES,
        hint="is there an unquoted comma in a name?",
    )
    rows = [
        Row(
            line=r.line,
            number=r.cells["number"].strip(),
            name=" ".join(r.cells["name"].split()),
            email=r.cells["email"].strip().lower(),
            wage_band=r.cells["wage_band"].strip() if "wage_band" in r.cells else None,
        )
        for r in records
    ]
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
