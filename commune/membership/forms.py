"""The forms of joining, moving and leaving."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from commune.federation.models import Body
from commune.membership.models import ContactVisibility
from commune.membership.services import NAME_MAX, STATEMENT_MAX, WAGE_BAND_MAX
from commune.web.forms import Form


class ApplicationForm(Form):
    unit = forms.ChoiceField(label="Your workplace (unit)")
    name = forms.CharField(label="Your name", max_length=NAME_MAX)
    email = forms.EmailField(
        label="Your email address", help_text="We send a link to it: follow it to confirm."
    )
    wage_band = forms.CharField(
        label="Wage band (if you know its code)", max_length=WAGE_BAND_MAX, required=False
    )
    statement = forms.CharField(
        label="A few words on why you are joining",
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: object, units: Iterable[Body] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = [("", "Choose…")] + [  # type: ignore[attr-defined]
            (u.code, f"{u.name} ({u.unit_type})" if u.unit_type else u.name) for u in units
        ]


class DecisionForm(Form):
    """An officer's decision on one application or request to move: admit, or refuse with a reason (the
    service requires it); for a request to move, its member may withdraw it."""

    decision = forms.ChoiceField(choices=[("admit", "Admit"), ("refuse", "Refuse")])
    reason = forms.CharField(label="Reason (sent to the applicant)", required=False, max_length=1000)

    def __init__(self, *args: object, withdraw: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if withdraw:
            self.fields["decision"].choices = [  # type: ignore[attr-defined]
                ("admit", "Admit"),
                ("refuse", "Refuse"),
                ("withdraw", "Withdraw"),
            ]


class TransferForm(Form):
    unit = forms.ChoiceField(label="The unit you are moving to")
    statement = forms.CharField(
        label="Why (a new job, a new depot…)",
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, units: Iterable[Body] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = [("", "Choose…")] + [  # type: ignore[attr-defined]
            (u.code, f"{u.name} ({u.unit_type})" if u.unit_type else u.name) for u in units
        ]


class ResignForm(Form):
    confirm = forms.BooleanField(
        label="I resign my membership: it ends now, with every seat and office I hold",
        error_messages={"required": "tick the box to resign"},
    )
    statement = forms.CharField(
        label="Anything you want to say (recorded in the log)",
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactForm(Form):
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="Email address to be reached at", required=False)
    visible_to = forms.ChoiceField(label="Who may see them", choices=ContactVisibility.choices)
