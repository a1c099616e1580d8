"""Recording payments of dues: one at a time by an officer of the member's unit, or a whole payment file
(a bank or payroll export) for the unit, every line or none.

A file is read and every line checked before anything is written: each problem is named by its line, and
a file with any problem imports nothing; a dry run checks it and imports nothing either. A file is
imported once per unit (its SHA-256 is kept), and a line's reference, when given, names one payment of a
member, so an export overlapping an earlier one is refused by line rather than counted twice. An import
is one act by one officer: one ``dues.imported`` log entry, carrying the import's row and a digest of every
payment it made (their ids and fields), which ``commune audit verify`` recomputes from the table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.selectors import rows_digest_read
from commune.audit.services import Actor, log_entry_record
from commune.audit.state import STATE_KEY
from commune.csvfile import LineProblem, read_table
from commune.dues.errors import DuesConflict, DuesInvalid, NotYourUnit
from commune.dues.models import DuesImport, DuesPayment, PaymentSource
from commune.dues.services.common import (
    REFERENCE_MAX,
    amount_read,
    amount_words,
    date_words,
    dues_link,
    officer_actor,
    officer_check,
    paid_on_check,
)
from commune.dues.services.lapsing import notices_settle
from commune.federation.models import Body, Member
from commune.notifications.services import notification_send
from commune.translation import deferred

#: ``progress(done, total)``: told as the lines are checked and as the payments are written.
Progress = Callable[[int, int], None]

REQUIRED_COLUMNS = ("number", "amount", "paid_on")
OPTIONAL_COLUMNS = ("reference",)
COLUMN_ALIASES = {
    "member_number": "number",
    "membership_number": "number",
    "membership_no": "number",
    "member": "number",
    "no": "number",
    "paid": "amount",
    "value": "amount",
    "date": "paid_on",
    "paid_date": "paid_on",
    "payment_date": "paid_on",
    "ref": "reference",
    "transaction_reference": "reference",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")
BATCH = 5000


@transaction.atomic
def dues_payment_record(
    *, officer: Member, member: Member, amount: str | Decimal, paid_on: date, reference: str = ""
) -> DuesPayment:
    """An officer of the member's own unit who keeps its roll records one payment of the member's."""
    member = Member.objects.select_related("current_unit", "person").get(pk=member.pk)
    unit = member.current_unit
    if unit is None:
        raise DuesInvalid(_("member %(number)s is not a current member") % {"number": member.number})
    officer_check(officer=officer, unit=unit)
    value = amount_read(amount)
    paid_on_check(paid_on, timezone.localdate())
    reference = reference.strip()
    if len(reference) > REFERENCE_MAX:
        raise DuesInvalid(_("a reference is at most %(max)s characters") % {"max": REFERENCE_MAX})
    now = timezone.now()
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                organisation_id=member.organisation_id,
                member=member,
                amount=value,
                paid_on=paid_on,
                reference=reference,
                source=PaymentSource.OFFICER,
                recorded_by=officer,
                recorded_at=now,
            )
    except IntegrityError:
        raise DuesConflict(
            _("a payment of member %(number)s with the reference %(reference)s is already recorded")
            % {"number": member.number, "reference": repr(reference)}
        ) from None
    log_entry_record(
        organisation=unit.organisation,
        action="dues.payment_recorded",
        body_id=unit.pk,
        actor=officer_actor(officer, unit),
        summary=f"Payment of {value} from member {member.number} on {paid_on:%Y-%m-%d} recorded in {unit.name}",
        payload={
            "member": member.number,
            "amount": str(value),
            "paid_on": paid_on.isoformat(),
            "reference": reference,
            "recorded_by": officer.number,
        },
    )
    notification_send(
        people=[member.person],
        kind="dues.payment",
        subject=deferred(
            gettext_lazy("Your payment of %(amount)s is recorded"), amount=amount_words(value, 2)
        ),
        body=deferred(
            gettext_lazy("An officer of %(unit)s recorded your payment of %(amount)s made on %(date)s."),
            unit=unit.name,
            amount=amount_words(value, 2),
            date=date_words(paid_on, "DATE_FORMAT"),
        ),
        link=dues_link(member),
    )
    notices_settle(organisation=unit.organisation, member_ids=[member.pk], actor=officer_actor(officer, unit))
    return payment


@dataclass
class DuesImportReport:
    """What an import did (or, for a dry run, would do)."""

    rows: int = 0
    total: Decimal = Decimal(0)
    members: int = 0
    dry_run: bool = False
    imported: bool = False
    errors: list[LineProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Line:
    line: int
    member_id: int
    amount: Decimal
    paid_on: date
    reference: str


def _date_read(text: str) -> date:
    text = text.strip()
    if len(text) == 10 and text[4] == "-":
        try:  # the ISO form banks and payrolls mostly export, read without strptime's cost
            return date.fromisoformat(text)
        except ValueError:
            pass
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    if not text:
        raise DuesInvalid(_("the date is missing: give one such as 2026-11-30 or 30/11/2026"))
    raise DuesInvalid(_("%(text)s is not a date such as 2026-11-30 or 30/11/2026") % {"text": repr(text)})


def _lines_check(
    unit: Body, csv_text: str, progress: Progress | None
) -> tuple[list[_Line], list[LineProblem]]:
    records, problems = read_table(
        csv_text,
        required=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        aliases=COLUMN_ALIASES,
        hint=_("is there a thousands separator (1,000.00) not in quotes?"),
    )
    if problems and not records:
        return [], problems
    numbers = {
        number: (pk, unit_id)
        for number, pk, unit_id in Member.objects.filter(organisation_id=unit.organisation_id).values_list(
            "number", "pk", "current_unit_id"
        )
    }
    known_references = set(
        DuesPayment.objects.filter(member__current_unit=unit)
        .exclude(reference="")
        .values_list("member_id", "reference")
    )
    today = timezone.localdate()
    seen: dict[tuple[int, str], int] = {}
    lines: list[_Line] = []
    for done, record in enumerate(records, 1):
        if progress is not None and (done % 1000 == 0 or done == len(records)):
            progress(done, len(records))
        cells, messages = record.cells, []
        number = cells["number"].strip()
        found = numbers.get(number)
        if not number:
            messages.append(_("the member number is missing"))
        elif found is None:
            messages.append(_("no member has the number %(number)s") % {"number": number})
        elif found[1] != unit.pk:
            messages.append(
                _(
                    "member %(number)s is not a current member of %(unit)s: an officer of their own unit records "
                    "their dues"
                )
                % {"number": number, "unit": unit.name}
            )
        amount = paid_on = None
        try:
            amount = amount_read(cells["amount"])
        except DuesInvalid as exc:
            messages.append(str(exc))
        try:
            paid_on = _date_read(cells["paid_on"])
            paid_on_check(paid_on, today)
        except DuesInvalid as exc:
            messages.append(str(exc))
        reference = cells.get("reference", "").strip()
        if len(reference) > REFERENCE_MAX:
            messages.append(_("the reference is longer than %(max)s characters") % {"max": REFERENCE_MAX})
        elif reference and found is not None:
            key = (found[0], reference)
            if key in known_references:
                messages.append(
                    _("member %(number)s's payment with the reference %(reference)s is already recorded")
                    % {"number": number, "reference": repr(reference)}
                )
            elif key in seen:
                messages.append(
                    _("member %(number)s's reference %(reference)s is also on line %(line)s")
                    % {"number": number, "reference": repr(reference), "line": seen[key]}
                )
            else:
                seen[key] = record.line
        if messages:
            problems.extend(LineProblem(record.line, m) for m in messages)
            continue
        assert found is not None and amount is not None and paid_on is not None
        lines.append(_Line(record.line, found[0], amount, paid_on, reference))
    problems.sort(key=lambda p: p.line)
    return lines, problems


def dues_import(
    *,
    unit: Body,
    csv_text: str,
    dry_run: bool,
    actor: Actor,
    officer: Member | None = None,
    progress: Progress | None = None,
    write_progress: Progress | None = None,
) -> DuesImportReport:
    """Check a payment file for ``unit`` and, unless ``dry_run`` or any line has a problem, record every
    payment in it. ``officer`` (from a page or the API) must keep the unit's roll; the operator's command
    line passes none. The file has a header naming ``number``, ``amount``, ``paid_on`` and optionally
    ``reference``. ``progress`` is told as the lines are checked, ``write_progress`` as the payments are
    written."""
    if officer is not None:
        officer_check(officer=officer, unit=unit)
    if not unit.is_unit:
        raise NotYourUnit(_("%(body)s is a council: dues are paid to units") % {"body": unit.name})
    digest = hashlib.sha256(csv_text.encode()).hexdigest()
    report = DuesImportReport(dry_run=dry_run)
    earlier = DuesImport.objects.filter(unit=unit, file_sha256=digest).first()
    if earlier is not None:
        report.errors.append(
            LineProblem(
                1,
                _("this file was already imported on %(at)s UTC by %(by)s; nothing was imported again")
                % {"at": f"{earlier.imported_at:%Y-%m-%d %H:%M}", "by": earlier.imported_by_label},
            )
        )
        return report
    lines, problems = _lines_check(unit, csv_text, progress)
    report.rows, report.errors = len(lines), problems
    report.total = sum((line.amount for line in lines), Decimal(0))
    report.members = len({line.member_id for line in lines})
    if problems:
        report.rows = 0
        return report
    if not lines:
        report.errors.append(LineProblem(2, _("the file lists no payments")))
        return report
    if dry_run:
        return report
    _import_write(unit, lines, digest, report, actor, officer, write_progress)
    report.imported = True
    return report


_COLUMNS = (
    "organisation_id",
    "member_id",
    "amount",
    "paid_on",
    "reference",
    "source",
    "dues_import_id",
    "recorded_by_id",
    "recorded_at",
)


def _payments_insert(rows: list[tuple[object, ...]], progress: Progress | None) -> None:
    """Write a file's payments (``_COLUMNS``, in order): on PostgreSQL by ``COPY``, its fastest way in;
    elsewhere in batches. No signal is sent: the file's entry holds them as one digest."""
    if connection.vendor != "postgresql":
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            DuesPayment.objects.bulk_create(
                [DuesPayment(**dict(zip(_COLUMNS, row, strict=True))) for row in chunk]
            )
            if progress is not None:
                progress(start + len(chunk), len(rows))
        return
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(DuesPayment._meta.db_table)} ({', '.join(quote(c) for c in _COLUMNS)}) FROM STDIN"
    )
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(statement) as copy,
    ):
        for done, row in enumerate(rows, 1):
            copy.write_row(row)
            if progress is not None and (done % BATCH == 0 or done == len(rows)):
                progress(done, len(rows))


@transaction.atomic
def _import_write(
    unit: Body,
    lines: list[_Line],
    digest: str,
    report: DuesImportReport,
    actor: Actor,
    officer: Member | None,
    progress: Progress | None,
) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            batch = DuesImport.objects.create(
                organisation_id=unit.organisation_id,
                unit=unit,
                file_sha256=digest,
                rows=len(lines),
                total=report.total,
                imported_by=officer,
                imported_by_label=actor.label,
                imported_at=now,
            )
    except IntegrityError:
        raise DuesConflict(_("this file was imported a moment ago: nothing was imported again")) from None
    rows: list[tuple[object, ...]] = [
        (
            unit.organisation_id,
            line.member_id,
            line.amount,
            line.paid_on,
            line.reference,
            PaymentSource.IMPORT.value,
            batch.pk,
            officer.pk if officer else None,
            now,
        )
        for line in lines
    ]
    try:
        _payments_insert(rows, progress)
    except IntegrityError:  # a payment with one of the file's references was recorded a moment ago
        raise DuesConflict(
            _("a payment in this file was recorded a moment ago: nothing was imported; check the file again")
        ) from None
    log_entry_record(
        organisation=unit.organisation,
        action="dues.imported",
        body_id=unit.pk,
        actor=actor,
        summary=f"{len(lines)} payments of dues totalling {report.total} imported for {unit.name} "
        f"({report.members} members)",
        payload={
            "unit": unit.code,
            "import": batch.pk,
            "file_sha256": digest,
            "payments": len(lines),
            "total": str(report.total),
            "members": report.members,
            "imported_by": officer.number if officer else None,
            # Every payment of the file, held to the log as one digest rather than row by row.
            STATE_KEY: [rows_digest_read("dues.duespayment", field="dues_import_id", value=batch.pk)],
        },
    )
    notices_settle(
        organisation=unit.organisation, member_ids=sorted({line.member_id for line in lines}), actor=actor
    )
