"""Forms of the election pages: standing for election, and the ranking ballot.

The ranking ballot is a plain HTML form: a numbered choice beside each candidate.

It works without JavaScript: the voter numbers the candidates they want, 1 for their first preference,
2 for their next, and so on, leaving the rest blank. The numbers must start at 1 and run on without a gap
or a repeat, so that what is counted is exactly the order the voter meant.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from commune.elections.models import Candidacy
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


def _field_name(candidacy: Candidacy) -> str:
    return f"rank_{candidacy.pk}"


class RankingForm(Form):
    #: Why a ranking is refused. The page's script shows the same words before the ballot is sent.
    NONE = "Number at least one candidate: 1 for your first preference."
    REPEAT = "You gave the number {number} to {names}. Give each number to one candidate only."
    GAP = "Your numbers skip {missing}. Number your choices 1, 2, 3 and so on without a gap."

    email_receipt = forms.BooleanField(
        label="Also email my tracker to me",
        required=False,
        help_text="Sent to your own address only. Nobody else can tell which ballot is yours.",
    )

    def __init__(self, *args: object, candidates: Sequence[Candidacy], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.candidates = list(candidates)
        numbers = [("", "—")] + [(str(n), str(n)) for n in range(1, len(self.candidates) + 1)]
        for candidacy in self.candidates:
            self.fields[_field_name(candidacy)] = forms.TypedChoiceField(
                label=f"Preference for {candidacy.ballot_label}",
                choices=numbers,
                coerce=int,
                empty_value=None,
                required=False,
            )
        # The email choice comes after the candidates, as it does on the page.
        self.order_fields([_field_name(c) for c in self.candidates] + ["email_receipt"])

    def rank_fields(self) -> list[tuple[Candidacy, forms.BoundField]]:
        """Each candidate with its number's field. Once a ranking has been refused, every field is marked
        invalid and described by the reason (``#ballot-errors`` on the page, and a number's own error
        beside it), so a screen reader reads it on whichever number the voter goes back to."""
        refused = self.is_bound and bool(self.non_field_errors())
        fields = [(c, self[_field_name(c)]) for c in self.candidates]
        for _, field in fields:
            reasons = [f"{field.auto_id}_error"] if field.errors else []
            reasons += ["ballot-errors"] if refused else []
            if reasons:
                field.field.widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": " ".join(reasons)}
                )
        return fields

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        numbered = [
            (number, candidacy)
            for candidacy in self.candidates
            if (number := cleaned.get(_field_name(candidacy))) is not None
        ]
        if not numbered:
            raise forms.ValidationError(self.NONE)
        by_number: dict[int, list[Candidacy]] = {}
        for number, candidacy in numbered:
            by_number.setdefault(number, []).append(candidacy)
        repeated = sorted(n for n, cs in by_number.items() if len(cs) > 1)
        if repeated:
            names = " and ".join(c.ballot_label for c in by_number[repeated[0]])
            raise forms.ValidationError(self.REPEAT.format(number=repeated[0], names=names))
        numbers = sorted(by_number)
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            missing = next(n for n in expected if n not in by_number)
            raise forms.ValidationError(self.GAP.format(missing=missing))
        cleaned["ranking"] = [by_number[n][0].pk for n in numbers]
        return cleaned
