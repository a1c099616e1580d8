"""The form that launches a pledge campaign on the pages (the API takes the same fields)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from commune.pledges.models import PledgeCondition
from commune.web.forms import Form


class PledgeLaunchForm(Form):
    body = forms.CharField(
        max_length=40,
        label=_("Body (code)"),
        help_text=_("The council or unit launching it: it covers the units below."),
    )
    motion = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Adopted motion (number)"),
        help_text=_(
            "The motion of that body that launches the campaign. Leave empty to launch it as the body's "
            "officer, where the constitution allows."
        ),
    )
    action = forms.CharField(max_length=200, label=_("Action"), help_text=_("What those who pledge will do."))
    text = forms.CharField(
        required=False, max_length=8000, label=_("Text"), widget=forms.Textarea(attrs={"rows": 4})
    )
    condition = forms.ChoiceField(choices=PledgeCondition.choices, label=_("Condition"))
    threshold = forms.DecimalField(
        label=_("Threshold"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text=_("A share of each unit's members (per cent), or a number of members across the campaign."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("In UTC."),
    )
