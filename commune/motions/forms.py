"""Forms of the motion, vote and session pages. They check shape only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commune.motions.models import Choice, ReferralKind
from commune.web.forms import Form

TEXT_MAX = 20000


class MoveForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the motion"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What the body is asked to decide, in full. Amendments propose a new version of this text."
        ),
    )
    constitutional = forms.BooleanField(
        label=_("It changes the constitution (needs the constitutional majority)"), required=False
    )
    industrial_action = forms.BooleanField(
        label=_("It calls industrial action (a referendum on it meets the constitution's preset)"),
        required=False,
    )


class AmendForm(Form):
    text = forms.CharField(
        label=_("The motion as amended"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Edit the whole text as you want it to read; the page shows everyone what changed."),
    )
    reason = forms.CharField(
        label=_("Your reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChoiceForm(Form):
    NONE = _("Choose Yes, No or Abstain, then cast your vote.")

    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": NONE},
    )


class ReferForm(Form):
    to = forms.ChoiceField(
        label=_("Refer it"),
        choices=ReferralKind.choices,
        widget=forms.RadioSelect,
        initial=ReferralKind.REFERENDUM,
    )
    referral_days = forms.IntegerField(
        label=_("Days the membership has to decide"), min_value=1, max_value=90, initial=14
    )


class SessionForm(Form):
    title = forms.CharField(label=_("Title of the session (optional)"), required=False, max_length=200)


#: How long a vote stays open, offered as choices (in minutes).
DURATIONS = (
    (15, _("15 minutes")),
    (60, _("1 hour")),
    (60 * 24, _("1 day")),
    (60 * 24 * 3, _("3 days")),
    (60 * 24 * 7, _("7 days")),
)


class PutForm(Form):
    minutes = forms.TypedChoiceField(
        label=_("Voting stays open for"), choices=DURATIONS, coerce=int, initial=60 * 24
    )
