"""Forms of the motion, vote and session pages. They check shape only; the services check the rules."""

from __future__ import annotations

import re
from typing import Any

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
    statutory = forms.BooleanField(
        label=_("Hold it as a statutory industrial-action ballot"),
        required=False,
        help_text=_(
            "A referendum on a motion that calls industrial action, run as the law requires where it does."
        ),
    )
    strike = forms.BooleanField(
        label=_("Ask: are you prepared to take part in a strike?"), required=False, initial=True
    )
    short_of_strike = forms.BooleanField(
        label=_("Ask: are you prepared to take part in industrial action short of a strike?"), required=False
    )
    employer = forms.CharField(label=_("Employer"), required=False, max_length=200)
    employer_email = forms.EmailField(
        label=_("Employer's email address (optional)"), required=False, max_length=254
    )
    scrutineer_email = forms.EmailField(
        label=_("The independent scrutineer's email"),
        required=False,
        max_length=254,
        help_text=_("Of their account on this server; not a member of the organisation."),
    )
    tellers = forms.CharField(
        label=_("Tellers' membership numbers"),
        required=False,
        max_length=2000,
        help_text=_("At least three, separated by commas or spaces."),
    )
    opens_on = forms.DateField(
        label=_("Day the ballot opens (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "If set, the ballot waits for the notice of the ballot to the employer and opens at least seven days after it."
        ),
    )
    return_instructions = forms.CharField(
        label=_("Return instructions printed on each paper (optional)"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    #: The statutory terms, in the order the form shows them.
    TERMS = (
        "strike",
        "short_of_strike",
        "employer",
        "employer_email",
        "scrutineer_email",
        "tellers",
        "opens_on",
        "return_instructions",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("statutory"):
            if data.get("to") != ReferralKind.REFERENDUM:
                self.add_error("to", _("A statutory ballot is a referendum of the members."))
            if not (data.get("strike") or data.get("short_of_strike")):
                self.add_error("strike", _("Ask about a strike, action short of a strike, or both."))
            if not data.get("employer", "").strip():
                self.add_error("employer", _("Name the employer."))
            if not data.get("scrutineer_email") and "scrutineer_email" not in self.errors:
                self.add_error("scrutineer_email", _("Name the independent scrutineer."))
            if len(self.teller_numbers()) < 3 and "tellers" not in self.errors:
                self.add_error("tellers", _("Name at least three tellers."))
        return data

    def teller_numbers(self) -> list[str]:
        return [n for n in re.split(r"[\s,;]+", self.cleaned_data.get("tellers") or "") if n]

    def statutory_terms(self) -> dict[str, Any] | None:
        """The terms as the service takes them, or None for an ordinary referral."""
        data = self.cleaned_data
        if not data.get("statutory"):
            return None
        terms = {key: data.get(key) for key in self.TERMS}
        terms["tellers"] = self.teller_numbers()
        terms["employer_email"] = terms["employer_email"] or ""
        terms["return_instructions"] = terms["return_instructions"] or ""
        return terms


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
