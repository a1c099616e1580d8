"""Forms of the election pages: standing for election."""

from __future__ import annotations

from django import forms

from commune.elections.services.nominations import STATEMENT_MAX
from commune.web.forms import Form


class NominationForm(Form):
    statement = forms.CharField(
        label="Your statement",
        required=False,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you stand for, shown beside your name to every elector. "
        f"At most {STATEMENT_MAX:,} characters.",
    )
    tendency = forms.CharField(
        label="Tendency (optional)",
        required=False,
        max_length=120,
        help_text="If you stand as part of a tendency, its name; it is shown as your affiliation.",
    )
