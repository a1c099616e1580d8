"""The officers' forms: a payment, a payment file, a hardship exemption, arrears brought forward. The
services check what matters (a reason given, an amount, a member of the unit); the forms only parse."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.web.forms import Form

MAX_FILE_BYTES = 20 * 1024 * 1024


class PaymentForm(Form):
    number = forms.CharField(label=gettext_lazy("Membership number"), max_length=40)
    amount = forms.CharField(label=gettext_lazy("Amount"), max_length=20)
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=gettext_lazy("Reference (optional)"), max_length=80, required=False)


class ImportForm(Form):
    payments = forms.FileField(label=gettext_lazy("Payment file (CSV)"))
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Dry run: check the file and show what it holds, importing nothing"),
    )

    def clean_payments(self) -> str:
        upload = self.cleaned_data["payments"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        try:
            text: str = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again.")
            ) from exc
        return text


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (what ``<input type="month">`` sends), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value: object) -> date | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                _("%(text)s is not a month such as 2026-11") % {"text": repr(text)}
            ) from None


class ExemptionForm(Form):
    first_month = MonthField(label=gettext_lazy("From the month"))
    last_month = MonthField(label=gettext_lazy("To the month (included)"))
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the member and kept on the log)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BroughtForwardForm(Form):
    months = forms.IntegerField(
        label=gettext_lazy("Months owed under the books kept before"), min_value=1, max_value=120
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the member and kept on the log)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectionForm(Form):
    payment = forms.IntegerField(label=gettext_lazy("Payment"), widget=forms.Select)
    amount = forms.CharField(
        label=gettext_lazy("What the payment really was (0 if it was never made)"), max_length=20
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the member and kept on the log)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, payments: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payment"].widget.choices = payments or []


class RefundForm(Form):
    amount = forms.CharField(label=gettext_lazy("Amount refunded"), max_length=20)
    refunded_on = forms.DateField(
        label=gettext_lazy("Paid back on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the member and kept on the log)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WageBandForm(Form):
    band = forms.CharField(label=gettext_lazy("New wage band"), max_length=40)
    from_month = MonthField(label=gettext_lazy("From the month"))
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the member and kept on the log)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
