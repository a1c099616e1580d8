"""The forms of joining, moving and leaving."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body
from commune.membership.models import ContactVisibility
from commune.membership.services import NAME_MAX, STATEMENT_MAX, WAGE_BAND_MAX
from commune.web.forms import Form


class ApplicationForm(Form):
    unit = forms.ChoiceField(label=_("Your workplace (unit)"))
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    email = forms.EmailField(
        label=_("Your email address"), help_text=_("We send a link to it: follow it to confirm.")
    )
    wage_band = forms.CharField(
        label=_("Wage band (if you know its code)"), max_length=WAGE_BAND_MAX, required=False
    )
    statement = forms.CharField(
        label=_("A few words on why you are joining"),
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: object, units: Iterable[Body] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = [("", _("Choose…"))] + [  # type: ignore[attr-defined]
            (u.code, f"{u.name} ({u.unit_type})" if u.unit_type else u.name) for u in units
        ]


class DecisionForm(Form):
    """An officer's decision on one application or request to move: admit, or refuse with a reason (the
    service requires it); for a request to move, its member may withdraw it."""

    decision = forms.ChoiceField(choices=[("admit", _("Admit")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason (sent to the applicant)"), required=False, max_length=1000)

    def __init__(self, *args: object, withdraw: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if withdraw:
            self.fields["decision"].choices = [  # type: ignore[attr-defined]
                ("admit", _("Admit")),
                ("refuse", _("Refuse")),
                ("withdraw", _("Withdraw")),
            ]


class TransferForm(Form):
    unit = forms.ChoiceField(label=_("The unit you are moving to"))
    statement = forms.CharField(
        label=_("Why (a new job, a new depot…)"),
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, units: Iterable[Body] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = [("", _("Choose…"))] + [  # type: ignore[attr-defined]
            (u.code, f"{u.name} ({u.unit_type})" if u.unit_type else u.name) for u in units
        ]


class ResignForm(Form):
    confirm = forms.BooleanField(
        label=_("I resign my membership: it ends now, with every seat and office I hold"),
        error_messages={"required": _("tick the box to resign")},
    )
    statement = forms.CharField(
        label=_("Anything you want to say (recorded in the log)"),
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactForm(Form):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email address to be reached at"), required=False)
    visible_to = forms.ChoiceField(label=_("Who may see them"), choices=ContactVisibility.choices)
