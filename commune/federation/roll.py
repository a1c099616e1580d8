"""Importing a unit's member roll from CSV.

The roll is the unit's list of current members, as its officers keep it (usually a spreadsheet). Importing
it makes the unit's membership match the file: numbers not yet members are admitted (a person is created
for each new address; they sign in after a password reset), existing members get their name, email and
wage band updated, lapsed members listed again are re-admitted, and current members missing from the file
lapse. History is kept: lapses end a membership period, they delete nothing. A member who lapses loses
their council seats and offices, exactly as by ``member_lapse``.

An address is a member's sign-in, so the roll never changes the address of a member who has set a
password: otherwise a roll officer could give a member's account their own address, reset its password and
sign in as that member. Such lines are imported without the new address and reported as warnings; the
member changes their own sign-in address. Members who have never signed in (no usable password) still get
the roll's address, which is how a mistyped address on an earlier roll is corrected.

The whole file is checked before anything is written, and any problem stops the import: a roll is one
document and is applied all at once or not at all.

Provenance: an import is one act by one officer, so it is recorded as one ``roll.imported`` log entry
whose payload names every member admitted, re-admitted, updated (with the fields changed) and lapsed. This
keeps each member's trail in the log while an import of ten thousand rows appends one entry instead of
ten thousand, which would take minutes behind the chain's row lock and bury every other act in the log.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commune.accounts.models import User
from commune.audit.services import Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Member, Membership, MembershipEnd
from commune.federation.services import END_LAPSED, member_power_end

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
# Rows per query when looking up numbers and addresses, well under every database's parameter limit.
LOOKUP_CHUNK = 500

Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class RollProblem:
    """One problem in the file; ``line`` is the line of the file it is on (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class RollReport:
    """What an import did (or, for a dry run, would do)."""

    rows: int = 0
    admitted: int = 0
    readmitted: int = 0
    updated: int = 0
    lapsed: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[RollProblem] = field(default_factory=list)
    # Lines imported in part: what was left out and why. They do not stop the import.
    warnings: list[RollProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.admitted or self.readmitted or self.updated or self.lapsed)


@dataclass(frozen=True)
class _Row:
    line: int
    number: str
    name: str
    email: str
    wage_band: str | None  # None when the file has no wage band column: the band is left as it is


@dataclass
class _Plan:
    new_people: list[_Row] = field(default_factory=list)  # admitted with a new account
    new_members: list[tuple[_Row, User]] = field(default_factory=list)  # admitted, person already known
    readmit: list[tuple[_Row, Member, list[str]]] = field(default_factory=list)
    update: list[tuple[_Row, Member, list[str]]] = field(default_factory=list)
    lapse: list[Member] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[RollProblem] = field(default_factory=list)


def _chunks(items: list[T], size: int = LOOKUP_CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


def _read_rows(csv_text: str) -> tuple[list[_Row], list[RollProblem]]:
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
    rows: list[_Row] = []
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
                _Row(
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


def _check_fields(row: _Row) -> list[str]:
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


def _check_duplicates(rows: Iterable[_Row]) -> list[RollProblem]:
    problems = []
    number_lines: dict[str, _Row] = {}
    email_lines: dict[str, _Row] = {}
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


def _plan(unit: Body, rows: list[_Row], progress: Progress | None) -> tuple[_Plan, list[RollProblem]]:
    """Compare the file with the database and decide what happens to every row and member."""
    org_id = unit.organisation_id
    members_by_number: dict[str, Member] = {}
    for chunk in _chunks([r.number for r in rows]):
        for m in Member.objects.filter(organisation_id=org_id, number__in=chunk).select_related(
            "person", "current_unit"
        ):
            members_by_number[m.number] = m
    users_by_email: dict[str, User] = {}
    for chunk in _chunks([r.email for r in rows]):
        for u in User.objects.filter(email__in=chunk):
            users_by_email[u.email.lower()] = u
    member_by_person: dict[int, Member] = {}
    for ids in _chunks([u.pk for u in users_by_email.values()]):
        for m in Member.objects.filter(organisation_id=org_id, person_id__in=ids):
            member_by_person[m.person_id] = m

    plan = _Plan()
    problems: list[RollProblem] = []
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        if progress is not None:
            progress(done, total)
        member = members_by_number.get(row.number)
        account = users_by_email.get(row.email)
        if member is not None and member.current_unit_id not in (None, unit.pk):
            assert member.current_unit is not None
            problems.append(
                RollProblem(
                    row.line,
                    f"member number {row.number} ({member.person.name}) is a current member of "
                    f"{member.current_unit.name} ({member.current_unit.code}), another unit; transfer them "
                    f"to {unit.code} first (a member belongs to one unit at a time), or remove this line",
                )
            )
            continue
        if account is not None:
            holder = member_by_person.get(account.pk)
            if holder is not None and holder.number != row.number:
                state = "" if holder.current_unit_id else ", a former member"
                problems.append(
                    RollProblem(
                        row.line,
                        f"the address {row.email} belongs to member number {holder.number} "
                        f"({account.name}{state}), not {row.number}; each member needs an address of their own",
                    )
                )
                continue
            if member is not None and account.pk != member.person_id:
                problems.append(
                    RollProblem(
                        row.line,
                        f"the address {row.email} is already used by another person's account, so member "
                        f"{row.number} cannot be given it",
                    )
                )
                continue
        if member is None:
            if account is None:
                plan.new_people.append(row)
            else:
                plan.new_members.append((row, account))
            continue
        changes = _changes(row, member)
        if "email" in changes and member.person.has_usable_password():
            changes.remove("email")
            plan.warnings.append(
                RollProblem(
                    row.line,
                    f"member number {row.number} ({member.person.name}) signs in with another address, so "
                    f"{row.email} is not applied: the member changes their own sign-in address",
                )
            )
        if member.current_unit_id is None:
            plan.readmit.append((row, member, changes))
        elif changes:
            plan.update.append((row, member, changes))
        else:
            plan.unchanged += 1
    listed = {r.number for r in rows}
    plan.lapse = [
        m for m in Member.objects.filter(current_unit=unit).order_by("number") if m.number not in listed
    ]
    return plan, problems


def _changes(row: _Row, member: Member) -> list[str]:
    """The fields the row would change, before the sign-in address rule is applied."""
    changed = []
    if member.person.name != row.name:
        changed.append("name")
    if member.person.email.lower() != row.email:
        changed.append("email")
    if row.wage_band is not None and member.wage_band != row.wage_band:
        changed.append("wage_band")
    return changed


def _person_apply(row: _Row, person: User, fields: list[str]) -> bool:
    """Give ``person`` the row's name and address where ``fields`` says so; whether anything changed."""
    if "name" in fields:
        person.name = row.name
    if "email" in fields:
        person.email = row.email
    return "name" in fields or "email" in fields


def _apply(*, unit: Body, plan: _Plan, actor: Actor, digest: str, rows: int) -> None:
    now = timezone.now()
    people = [
        User(email=r.email, name=r.name, password=make_password(None), date_joined=now)
        for r in plan.new_people
    ]
    User.objects.bulk_create(people, batch_size=LOOKUP_CHUNK)
    admissions = [(r, person) for r, person in zip(plan.new_people, people, strict=True)]
    admissions += plan.new_members
    new_members = [
        Member(
            organisation_id=unit.organisation_id,
            person=person,
            number=r.number,
            wage_band=r.wage_band or "",
            current_unit=unit,
        )
        for r, person in admissions
    ]
    Member.objects.bulk_create(new_members, batch_size=LOOKUP_CHUNK)

    people_changed: list[User] = []
    for r, member, fields in plan.readmit:
        member.current_unit = unit
        if r.wage_band is not None:
            member.wage_band = r.wage_band
        if _person_apply(r, member.person, fields):
            people_changed.append(member.person)
    Member.objects.bulk_update(
        [m for _, m, _ in plan.readmit], ["current_unit", "wage_band"], batch_size=LOOKUP_CHUNK
    )
    Membership.objects.bulk_create(
        [
            Membership(member=m, unit=unit, started_at=now)
            for m in [*new_members, *(m for _, m, _ in plan.readmit)]
        ],
        batch_size=LOOKUP_CHUNK,
    )

    for r, member, fields in plan.update:
        if _person_apply(r, member.person, fields):
            people_changed.append(member.person)
        if r.wage_band is not None:
            member.wage_band = r.wage_band
    User.objects.bulk_update(people_changed, ["name", "email"], batch_size=LOOKUP_CHUNK)
    Member.objects.bulk_update([m for _, m, _ in plan.update], ["wage_band"], batch_size=LOOKUP_CHUNK)

    for chunk in _chunks([m.pk for m in plan.lapse]):
        Membership.objects.filter(member_id__in=chunk, ended_at__isnull=True).update(
            ended_at=now, end_reason=MembershipEnd.LAPSE
        )
        Member.objects.filter(pk__in=chunk).update(current_unit=None)

    delta = len(new_members) + len(plan.readmit) - len(plan.lapse)
    if delta:
        Body.objects.filter(pk__in=[*unit.ancestor_ids, unit.pk]).update(
            member_count=F("member_count") + delta
        )

    counts = {
        "admitted": len(new_members),
        "readmitted": len(plan.readmit),
        "updated": len(plan.update),
        "lapsed": len(plan.lapse),
        "unchanged": plan.unchanged,
    }
    log_entry_record(
        organisation=unit.organisation,
        action="roll.imported",
        body_id=unit.pk,
        actor=actor,
        summary=f"Roll of {unit.name} imported: "
        + ", ".join(f"{n} {what}" for what, n in counts.items() if n and what != "unchanged")
        + f" ({rows} on the roll)",
        payload={
            "unit": unit.code,
            "rows": rows,
            "file_sha256": digest,
            "counts": counts,
            "admitted": [m.number for m in new_members],
            "readmitted": [m.number for _, m, _ in plan.readmit],
            "updated": {m.number: fields for _, m, fields in plan.update},
            "lapsed": [m.number for m in plan.lapse],
        },
    )
    # Recorded after the import itself, as the seats and offices end because of it.
    for chunk in _chunks([m.pk for m in plan.lapse]):
        member_power_end(
            organisation=unit.organisation, member_ids=chunk, end_reason=END_LAPSED, actor=actor, at=now
        )


def roll_import(
    *,
    unit: Body,
    csv_text: str,
    dry_run: bool,
    actor: Actor,
    progress: Progress | None = None,
) -> RollReport:
    """Make the unit's membership match the roll in ``csv_text`` (see the module docstring).

    Returns a report; problems with the file are in ``report.errors`` (with line numbers) and mean nothing
    was changed. With ``dry_run`` the report says what would happen and nothing is changed either way.
    ``progress(done, total)`` is called for every row checked.
    """
    report = RollReport(dry_run=dry_run)
    if unit.kind != BodyKind.UNIT:
        report.errors.append(RollProblem(1, f"{unit.name} is a council; member rolls belong to units"))
        return report
    rows, problems = _read_rows(csv_text)
    report.rows = len(rows)
    field_problems = [RollProblem(r.line, msg) for r in rows for msg in _check_fields(r)]
    problems += field_problems + _check_duplicates(rows)
    if not problems and not rows:
        problems.append(
            RollProblem(2, "the roll lists no members; importing it would lapse every member of the unit")
        )
    if problems:
        report.errors = sorted(problems, key=lambda p: p.line)
        return report
    with transaction.atomic():
        # Lock the unit so two imports of the same roll cannot interleave between check and write.
        unit = Body.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=unit.pk)
        plan, problems = _plan(unit, rows, progress)
        report.errors = problems
        report.admitted = len(plan.new_people) + len(plan.new_members)
        report.readmitted = len(plan.readmit)
        report.updated = len(plan.update)
        report.lapsed = len(plan.lapse)
        report.unchanged = plan.unchanged
        report.warnings = plan.warnings
        if problems or dry_run or not report.changed:
            return report
        digest = hashlib.sha256(csv_text.encode()).hexdigest()
        _apply(unit=unit, plan=plan, actor=actor, digest=digest, rows=len(rows))
    return report
