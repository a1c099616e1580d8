"""Forms of the governance pages. They check shape only; the services check the rules."""

from __future__ import annotations

import contextlib
import json

from django import forms

from commune.governance.services.tendencies import PLATFORM_MAX

REASON_MAX = 5000


class TendencyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    platform = forms.CharField(
        label="Platform",
        max_length=PLATFORM_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the tendency stands for. It is public to every member.",
    )


class CallInForm(forms.Form):
    reason = forms.CharField(
        label="Why the council should reconsider it",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AmendmentForm(forms.Form):
    """One rule changed per proposal from this page (the API takes several at once)."""

    body = forms.ChoiceField(label="Propose it in", help_text="A body you sit in moves it as a motion.")
    rule = forms.ChoiceField(label="Rule to change")
    value = forms.CharField(
        label="New value",
        max_length=2000,
        help_text="As the rule is written: a number, a fraction such as 2/3, yes or no, or a method's name; "
        'the powers a council may delegate as {"power-name": "what it lets an executive do", …}.',
    )
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: object, bodies: list[tuple[str, str]], rules: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["body"].choices = bodies  # type: ignore[attr-defined]
        self.fields["rule"].choices = rules  # type: ignore[attr-defined]

    def changes(self) -> dict[str, object]:
        """The change as the service takes it; words the reader may type for yes and no become booleans."""
        value: object = self.cleaned_data["value"].strip()
        if isinstance(value, str) and value.lower() in ("yes", "no", "true", "false"):
            value = value.lower() in ("yes", "true")
        elif isinstance(value, str) and value.startswith("{"):
            # Text that is not JSON goes on as it is: the constitution's validator says what is wrong with it.
            with contextlib.suppress(json.JSONDecodeError):
                value = json.loads(value)
        return {self.cleaned_data["rule"]: value}
