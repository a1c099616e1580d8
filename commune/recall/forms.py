"""Forms of the recall pages: opening a petition against a seat one helped elect, and the recall ballot."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commune.motions.models import Choice
from commune.web.forms import Form


class RecallOpenForm(Form):
    seat = forms.TypedChoiceField(
        label=_("Whom to recall"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a seat.")},
    )
    grounds = forms.CharField(
        label=_("Grounds (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why the electorate should take the seat back. Shown on the petition to every member; your name is not."
        ),
    )

    def __init__(self, *args: object, seats: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["seat"].choices = seats  # type: ignore[attr-defined]


class RecallBallotForm(Form):
    choice = forms.ChoiceField(
        label=_("Recall them?"),
        choices=[
            (Choice.YES, _("Yes: recall them")),
            (Choice.NO, _("No: keep them")),
            (Choice.ABSTAIN, _("Abstain")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes, no or abstain.")},
    )
