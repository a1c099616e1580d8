"""Importing a unit's member roll from a CSV file, for the officer whose office manages the roll; and, for a
large lapse, a second such officer confirming it."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_unit_roll
from commune.federation.models import Member, Organisation, RollImportPending
from commune.federation.roll import RollReport, roll_import, roll_import_confirm, roll_import_withdraw
from commune.federation.selectors import roll_imports_awaiting
from commune.web.edge import member_page, page_context
from commune.web.forms import Form

MAX_ROLL_BYTES = 20 * 1024 * 1024


class RollForm(Form):
    roll = forms.FileField(label=gettext_lazy("Roll (CSV file)"))
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Dry run: check the file and show what would change, without changing anything"),
    )
    # The code a dry run gave for exactly the members it would lapse; sent back only when the officer ticks
    # the confirmation, so that no lapse happens unseen.
    lapse_code = forms.CharField(required=False, widget=forms.HiddenInput, max_length=16)
    confirm_lapses = forms.BooleanField(
        required=False, label=gettext_lazy("I have checked the list: these members lapse")
    )

    def clean_roll(self) -> str:
        """The file's text. Spreadsheets save UTF-8 (often with a byte-order mark, which the import drops)."""
        upload = self.cleaned_data["roll"]
        if upload.size > MAX_ROLL_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": MAX_ROLL_BYTES // (1024 * 1024)}
            )
        try:
            text: str = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again.")
            ) from exc
        return text


@require_http_methods(["GET", "POST"])
@member_page
def roll_upload(request: HttpRequest, organisation: Organisation, member: Member, code: str) -> HttpResponse:
    """Upload a roll, by default as a dry run, and see the line-numbered report with every member it would
    lapse; then import it, confirming those lapses."""
    person = request_person(request)
    unit = access_unit_roll(person, organisation, code)
    report: RollReport | None = None
    if request.method == "POST":
        form = RollForm(request.POST, request.FILES)
        if form.is_valid():
            report = roll_import(
                unit=unit,
                csv_text=form.cleaned_data["roll"],
                dry_run=form.cleaned_data["dry_run"],
                actor=Actor.of(person, role=f"member {member.number}, roll officer of {unit.name}"),
                officer=member,
                confirm_lapses=form.cleaned_data["lapse_code"] if form.cleaned_data["confirm_lapses"] else "",
            )
            # After a clean dry run the natural next step is the real import of the same file.
            form = RollForm(
                initial={
                    "dry_run": not (report.ok and report.dry_run) and not report.lapse_code,
                    "lapse_code": report.lapse_code,
                }
            )
    else:
        form = RollForm()
    return render(
        request,
        "federation/roll.html",
        page_context(
            organisation,
            member,
            unit=unit,
            form=form,
            report=report,
            awaiting=roll_imports_awaiting(unit=unit),
            member_id=member.pk,
        ),
        status=400 if form.errors else 200,
    )


@require_POST
@member_page
def roll_pending_decide(
    request: HttpRequest, organisation: Organisation, member: Member, code: str, pending_id: int
) -> HttpResponse:
    """Another roll officer confirms (or any roll officer withdraws) an import awaiting a second officer."""
    person = request_person(request)
    unit = access_unit_roll(person, organisation, code)
    pending = get_object_or_404(RollImportPending, pk=pending_id, unit=unit)
    actor = Actor.of(person, role=f"member {member.number}, roll officer of {unit.name}")
    report: RollReport | None = None
    if request.POST.get("decision") == "confirm":
        report = roll_import_confirm(pending=pending, officer=member, actor=actor)
    else:
        roll_import_withdraw(pending=pending, officer=member, actor=actor)
    return render(
        request,
        "federation/roll.html",
        page_context(
            organisation,
            member,
            unit=unit,
            form=RollForm(),
            report=report,
            awaiting=roll_imports_awaiting(unit=unit),
            member_id=member.pk,
            decided=pending,
        ),
    )
