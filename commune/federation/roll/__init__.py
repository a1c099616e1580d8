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

Lapses are the dangerous part, so they are guarded (``commune.federation.roll.safeguards``): every member
who would lapse is named and must be confirmed, a roll never lapses the officer importing it, a large
lapse waits for a second officer, and an officer with a recall or an election of their own open cannot
change the roll that decides who takes part in it.

Provenance: an import is one act by one officer, so it is recorded as one ``roll.imported`` log entry
whose payload names every member admitted, re-admitted, updated (with the fields changed) and lapsed. This
keeps each member's trail in the log while an import of ten thousand rows appends one entry instead of
ten thousand, which would take minutes behind the chain's row lock and bury every other act in the log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commune.audit.services import Actor, log_entry_record
from commune.federation.access import member_manages_roll
from commune.federation.models import Body, BodyKind, Member, RollImportPending, RollImportStatus
from commune.federation.roll.applying import plan_apply
from commune.federation.roll.planning import Plan, Progress, plan_make
from commune.federation.roll.reading import RollProblem, Row, check_duplicates, check_fields, read_rows
from commune.federation.roll.safeguards import (
    lapse_code,
    needs_second_officer,
    roll_conflict_check_register,
    roll_conflicts,
)
from commune.federation.selectors import constitution_in_force

__all__ = [
    "Progress",
    "RollProblem",
    "RollReport",
    "roll_conflict_check_register",
    "roll_import",
    "roll_import_confirm",
    "roll_import_withdraw",
]


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
    #: (number, name) of every member the roll lapses, and the code that confirms exactly those lapses.
    lapsing: list[tuple[str, str]] = field(default_factory=list)
    lapse_code: str = ""
    #: Why a valid file was not imported (a lapse unconfirmed, the officer's own, a conflict), if it was not.
    refusal: str = ""
    #: Set when the import waits for a second officer's confirmation.
    pending: RollImportPending | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refusal

    @property
    def changed(self) -> bool:
        return bool(self.admitted or self.readmitted or self.updated or self.lapsed)


def _plan_report(report: RollReport, unit: Body, plan: Plan) -> None:
    report.admitted = len(plan.new_people) + len(plan.new_members)
    report.readmitted = len(plan.readmit)
    report.updated = len(plan.update)
    report.lapsed = len(plan.lapse)
    report.unchanged = plan.unchanged
    report.warnings = plan.warnings
    report.lapsing = [(m.number, m.person.name) for m in plan.lapse]
    report.lapse_code = (
        lapse_code(unit_id=unit.pk, numbers=[m.number for m in plan.lapse]) if plan.lapse else ""
    )


def _officer_refusal(unit: Body, plan: Plan, officer: Member | None) -> str:
    """Why this officer may not apply this plan to this unit's roll, or ''."""
    if officer is None:
        return ""
    if not member_manages_roll(member=officer, unit=unit):
        return _("%(name)s holds no office of %(unit)s that manages its roll") % {
            "name": officer.person.name,
            "unit": unit.name,
        }
    if any(m.pk == officer.pk for m in plan.lapse):
        return _(
            "this roll would lapse you (%(number)s), the officer importing it: a roll can never lapse "
            "the officer who imports or confirms it. Add your line, or ask another officer"
        ) % {"number": officer.number}
    conflicts = roll_conflicts(unit=unit, officer=officer)
    if conflicts:
        return _(
            "you cannot change the roll of %(unit)s while %(conflicts)s: the roll decides who "
            "takes part. Another officer can import it"
        ) % {"unit": unit.name, "conflicts": "; ".join(conflicts)}
    return ""


def _read(csv_text: str, report: RollReport) -> list[Row]:
    """The file's rows; every problem with the file goes into ``report.errors``."""
    rows, problems = read_rows(csv_text)
    report.rows = len(rows)
    problems += [RollProblem(r.line, msg) for r in rows for msg in check_fields(r)] + check_duplicates(rows)
    if not problems and not rows:
        problems.append(
            RollProblem(2, _("the roll lists no members; importing it would lapse every member of the unit"))
        )
    report.errors = sorted(problems, key=lambda p: p.line)
    return rows


def roll_import(
    *,
    unit: Body,
    csv_text: str,
    dry_run: bool,
    actor: Actor,
    officer: Member | None = None,
    confirm_lapses: str = "",
    progress: Progress | None = None,
) -> RollReport:
    """Make the unit's membership match the roll in ``csv_text`` (see the module docstring).

    ``officer`` is the roll officer importing it (None for the operator's command line). Returns a report;
    problems with the file are in ``report.errors`` (with line numbers) and mean nothing was changed. With
    ``dry_run`` the report says what would happen — who would lapse, and the code that confirms it — and
    nothing is changed either way. A real import that lapses anyone needs ``confirm_lapses`` equal to that
    code; one that lapses more of the unit than one officer may alone is kept for a second officer
    (``report.pending``). ``progress(done, total)`` is called for every row checked.
    """
    report = RollReport(dry_run=dry_run)
    if unit.kind != BodyKind.UNIT:
        report.errors.append(
            RollProblem(1, _("%(unit)s is a council; member rolls belong to units") % {"unit": unit.name})
        )
        return report
    rows = _read(csv_text, report)
    if report.errors:
        return report
    with transaction.atomic():
        # Lock the unit so two imports of the same roll cannot interleave between check and write.
        unit = Body.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=unit.pk)
        plan, report.errors = plan_make(unit, rows, progress)
        _plan_report(report, unit, plan)
        if report.errors:
            return report
        report.refusal = _officer_refusal(unit, plan, officer)
        if report.refusal or dry_run or not report.changed:
            return report
        if plan.lapse and confirm_lapses.strip().lower() != report.lapse_code:
            report.refusal = (
                ngettext(
                    "this roll lapses %(count)d member; check the list and confirm exactly these lapses to "
                    "import it (the members who would lapse changed since the code was given)",
                    "this roll lapses %(count)d members; check the list and confirm exactly these lapses to "
                    "import it (the members who would lapse changed since the code was given)",
                    len(plan.lapse),
                )
                if confirm_lapses
                else ngettext(
                    "this roll lapses %(count)d member; check the list and confirm exactly these lapses to "
                    "import it",
                    "this roll lapses %(count)d members; check the list and confirm exactly these lapses to "
                    "import it",
                    len(plan.lapse),
                )
            ) % {"count": len(plan.lapse)}
            return report
        digest = hashlib.sha256(csv_text.encode()).hexdigest()
        percent = constitution_in_force(
            organisation_id=unit.organisation_id
        ).roll.second_officer_lapse_percent
        if needs_second_officer(lapsing=len(plan.lapse), unit_members=unit.member_count, percent=percent):
            if officer is None:
                report.refusal = _(
                    "this roll lapses more than %(percent)s%% of %(unit)s, which needs two of its roll "
                    "officers: import it from the unit's roll page, where a second officer confirms it"
                ) % {"percent": f"{percent:g}", "unit": unit.name}
            elif RollImportPending.objects.filter(unit=unit, status=RollImportStatus.AWAITING).exists():
                report.refusal = _(
                    "another import of this roll already awaits a second officer: confirm or withdraw it first"
                )
            else:
                report.pending = _keep_for_second_officer(
                    unit=unit, csv_text=csv_text, digest=digest, report=report, officer=officer, actor=actor
                )
            return report
        plan_apply(unit=unit, plan=plan, actor=actor, digest=digest, rows=len(rows), proposed_by=officer)
    return report


def _keep_for_second_officer(
    *, unit: Body, csv_text: str, digest: str, report: RollReport, officer: Member, actor: Actor
) -> RollImportPending:
    pending = RollImportPending.objects.create(
        unit=unit,
        csv_text=csv_text,
        file_sha256=digest,
        lapse_code=report.lapse_code,
        lapsing=[number for number, _ in report.lapsing],
        proposed_by=officer,
        proposed_at=timezone.now(),
    )
    log_entry_record(
        organisation=unit.organisation,
        action="roll.import_proposed",
        body_id=unit.pk,
        actor=actor,
        summary=f"Roll of {unit.name} proposed, lapsing {len(report.lapsing)}: it awaits a second officer",
        payload={"unit": unit.code, "file_sha256": digest, "lapsing": pending.lapsing, "pending": pending.pk},
    )
    return pending


def roll_import_confirm(*, pending: RollImportPending, officer: Member, actor: Actor) -> RollReport:
    """A second roll officer of the unit confirms an import that awaits them, and it is applied — if the
    members it lapses are still exactly those proposed."""
    report = RollReport()
    with transaction.atomic():
        pending = RollImportPending.objects.select_for_update().select_related("unit").get(pk=pending.pk)
        unit = (
            Body.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=pending.unit_id)
        )
        if pending.status != RollImportStatus.AWAITING:
            report.refusal = _("this import is no longer awaiting confirmation (%(status)s)") % {
                "status": pending.get_status_display().lower()
            }
            return report
        if pending.proposed_by_id == officer.pk:
            report.refusal = _("the officer who proposed an import cannot also be its second officer")
            return report
        rows = _read(pending.csv_text, report)
        if report.errors:
            return report
        plan, report.errors = plan_make(unit, rows, None)
        _plan_report(report, unit, plan)
        report.refusal = _officer_refusal(unit, plan, officer) or (
            _(
                "the members this roll would lapse are no longer those proposed; withdraw it and import it afresh"
            )
            if report.lapse_code != pending.lapse_code
            else ""
        )
        if report.errors or report.refusal:
            return report
        pending.status, pending.decided_by, pending.decided_at = (
            RollImportStatus.APPLIED,
            officer,
            timezone.now(),
        )
        pending.save(update_fields=["status", "decided_by", "decided_at"])
        plan_apply(
            unit=unit,
            plan=plan,
            actor=actor,
            digest=pending.file_sha256,
            rows=len(rows),
            confirmed_by=officer,
            proposed_by=pending.proposed_by,
        )
    return report


def roll_import_withdraw(*, pending: RollImportPending, officer: Member, actor: Actor) -> RollImportPending:
    """Any roll officer of the unit withdraws an import awaiting confirmation; nothing of it is applied."""
    with transaction.atomic():
        pending = (
            RollImportPending.objects.select_for_update()
            .select_related("unit__organisation")
            .get(pk=pending.pk)
        )
        if pending.status == RollImportStatus.AWAITING and member_manages_roll(
            member=officer, unit=pending.unit
        ):
            pending.status, pending.decided_by, pending.decided_at = (
                RollImportStatus.WITHDRAWN,
                officer,
                timezone.now(),
            )
            pending.save(update_fields=["status", "decided_by", "decided_at"])
            log_entry_record(
                organisation=pending.unit.organisation,
                action="roll.import_withdrawn",
                body_id=pending.unit_id,
                actor=actor,
                summary=f"Proposed roll of {pending.unit.name} withdrawn",
                payload={"unit": pending.unit.code, "pending": pending.pk},
            )
    return pending
