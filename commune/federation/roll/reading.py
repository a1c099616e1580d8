"""Reading a roll file: its columns, its rows with their line numbers, and every problem in its shape."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

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
#: Each column as a reader names it, in the language of the page.
COLUMN_WORDS = {
    "number": lambda: _("number"),
    "name": lambda: _("name"),
    "email": lambda: _("email"),
    "wage_band": lambda: _("wage band"),
}


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
        hint=_("is there an unquoted comma in a name?"),
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
        str(missing)
        for missing, value in (
            (_("the member number is missing"), row.number),
            (_("the name is missing"), row.name),
            (_("the email address is missing"), row.email),
        )
        if not value
    ]
    for column, limit in MAX_LENGTHS.items():
        value = getattr(row, column)
        if value and len(value) > limit:
            messages.append(
                _("the %(column)s is longer than %(limit)d characters")
                % {
                    "column": COLUMN_WORDS[column](),
                    "limit": limit,
                }
            )
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            messages.append(_("%(email)r is not a valid email address") % {"email": row.email})
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
                    _(
                        "member number %(number)s is also on line %(line)d (%(first)s and %(name)s); each number "
                        "must appear once"
                    )
                    % {"number": row.number, "line": first.line, "first": first.name, "name": row.name},
                )
            )
        if row.email and (first := email_lines.setdefault(row.email, row)) is not row:
            problems.append(
                RollProblem(
                    row.line,
                    _(
                        "the address %(email)s is also on line %(line)d (%(first)s and %(name)s); each member "
                        "needs an address of their own"
                    )
                    % {"email": row.email, "line": first.line, "first": first.name, "name": row.name},
                )
            )
    return problems
