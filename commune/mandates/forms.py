"""Forms of the mandate pages: proposing a mandate to one's constituency, and a delegate's seat vote."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from commune.mandates.models import MandateKind
from commune.motions.forms import DURATIONS
from commune.motions.models import Choice
from commune.web.forms import Form


class MandateForm(Form):
    constituency = forms.ChoiceField(label=gettext_lazy("Your constituency"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of mandate"),
        choices=MandateKind.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Binding: the vote can only be cast as instructed. Instructed: the delegate may depart, "
            "giving a reason that is published to you at once. Free: the delegate judges for themselves."
        ),
    )
    instruction = forms.ChoiceField(
        label=gettext_lazy("How to vote"),
        choices=[("", gettext_lazy("— (a free mandate gives no instruction)")), *Choice.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the delegates (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.TypedChoiceField(
        label=gettext_lazy("The constituency votes for"), choices=DURATIONS, coerce=int, initial=60 * 24
    )

    def __init__(self, *args: object, constituencies: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["constituency"].choices = constituencies  # type: ignore[attr-defined]


class SeatVoteForm(Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("The seat's vote"), choices=Choice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Your reason, if you depart from an instructed mandate"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Published at once, with your vote, to the constituents who gave the mandate."
        ),
    )
