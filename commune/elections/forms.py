"""Forms of the election pages: standing for election, and the ranking ballot.

The ranking ballot is a plain HTML form: a numbered choice beside each candidate.

It works without JavaScript: the voter numbers the candidates they want, 1 for their first preference,
2 for their next, and so on, leaving the rest blank. The numbers must start at 1 and run on without a gap
or a repeat, so that what is counted is exactly the order the voter meant.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.elections.models import Candidacy
from commune.elections.services.nominations import STATEMENT_MAX
from commune.translation import deferred
from commune.web.forms import Form


class NominationForm(Form):
    statement = forms.CharField(
        label=gettext_lazy("Your statement"),
        required=False,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=deferred(
            gettext_lazy(
                "What you stand for, shown beside your name to every elector. At most %(most)s characters."
            ),
            most=STATEMENT_MAX,
        ),
    )
    tendency = forms.CharField(
        label=gettext_lazy("Tendency (optional)"),
        required=False,
        max_length=120,
        help_text=gettext_lazy(
            "If you stand as part of a tendency, its name; it is shown as your affiliation."
        ),
    )


def _field_name(candidacy: Candidacy) -> str:
    return f"rank_{candidacy.pk}"


class RankingForm(Form):
    #: Why a ranking is refused. The page's script shows the same words before the ballot is sent, read
    #: from the page (``%(name)s`` filled in by the script as by the server).
    NONE = gettext_lazy("Number at least one candidate: 1 for your first preference.")
    REPEAT = gettext_lazy(
        "You gave the number %(number)s to %(names)s. Give each number to one candidate only."
    )
    GAP = gettext_lazy("Your numbers skip %(missing)s. Number your choices 1, 2, 3 and so on without a gap.")
    #: Two names of a clash joined, and the note beside each clashing number (the script's words).
    AND = gettext_lazy("%(first)s and %(second)s")
    CLASH = gettext_lazy("Number %(number)s is also given to another candidate")

    email_receipt = forms.BooleanField(
        label=gettext_lazy("Also email my tracker to me"),
        required=False,
        help_text=gettext_lazy("Sent to your own address only. Nobody else can tell which ballot is yours."),
    )

    def __init__(self, *args: object, candidates: Sequence[Candidacy], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.candidates = list(candidates)
        numbers = [("", "—")] + [(str(n), str(n)) for n in range(1, len(self.candidates) + 1)]
        for candidacy in self.candidates:
            self.fields[_field_name(candidacy)] = forms.TypedChoiceField(
                label=_("Preference for %(name)s") % {"name": candidacy.ballot_label},
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
        for _candidacy, field in fields:
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
            raise forms.ValidationError(str(self.NONE))
        by_number: dict[int, list[Candidacy]] = {}
        for number, candidacy in numbered:
            by_number.setdefault(number, []).append(candidacy)
        repeated = sorted(n for n, cs in by_number.items() if len(cs) > 1)
        if repeated:
            names = functools.reduce(
                lambda first, second: str(self.AND) % {"first": first, "second": second},
                [c.ballot_label for c in by_number[repeated[0]]],
            )
            raise forms.ValidationError(str(self.REPEAT) % {"number": repeated[0], "names": names})
        numbers = sorted(by_number)
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            missing = next(n for n in expected if n not in by_number)
            raise forms.ValidationError(str(self.GAP) % {"missing": missing})
        cleaned["ranking"] = [by_number[n][0].pk for n in numbers]
        return cleaned


def _preference_name(candidacy: Candidacy) -> str:
    return f"pref_{candidacy.pk}"


class PaperReadingForm(Form):
    """A teller's reading of a returned election paper: its code, and the number written against each
    candidate in the order printed (blank where none is); with ``resolving``, also how a third teller
    settles the dispute (``reasons``: key and label), the numbers left blank to reject it."""

    code = forms.CharField(label=gettext_lazy("Paper code"), max_length=40)

    def __init__(
        self,
        *args: object,
        candidates: Sequence[Candidacy],
        reasons: Sequence[tuple[str, str]] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.candidates = list(candidates)
        for candidacy in self.candidates:
            self.fields[_preference_name(candidacy)] = forms.IntegerField(
                label=candidacy.ballot_label or candidacy.member.person.name,
                required=False,
                min_value=1,
                max_value=999,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 3}),
            )
        if reasons:
            self.fields["reason"] = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=list(reasons))

    def preference_fields(self) -> list[forms.BoundField]:
        return [self[_preference_name(c)] for c in self.candidates]

    def preferences(self) -> list[str]:
        """The numbers as read, one per candidate in order, ``""`` where none."""
        marks = (self.cleaned_data.get(_preference_name(c)) for c in self.candidates)
        return ["" if m is None else str(m) for m in marks]
