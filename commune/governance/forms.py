"""Forms of the governance pages. They check shape only; the services check the rules."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.governance.services.tendencies import PLATFORM_MAX
from commune.web.forms import Form

REASON_MAX = 5000


class TendencyForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    platform = forms.CharField(
        label=gettext_lazy("Platform"),
        max_length=PLATFORM_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("What the tendency stands for. It is public to every member."),
    )


class CallInForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the council should reconsider it"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AmendmentForm(Form):
    """One rule changed per proposal from this page (the API takes several at once)."""

    body = forms.ChoiceField(
        label=gettext_lazy("Propose it in"), help_text=gettext_lazy("A body you sit in moves it as a motion.")
    )
    rule = forms.ChoiceField(label=gettext_lazy("Rule to change"))
    value = forms.CharField(
        label=gettext_lazy("New value"),
        max_length=2000,
        help_text=gettext_lazy(
            "As the rule is written: a number, a fraction such as 2/3, yes or no, or a method's name; "
            'the powers a council may delegate as {"power-name": "what it lets an executive do", …}; '
            'dues by wage band as {"Band 1": "9.50", …}.'
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
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


def _figure_lines(text: str, *, what: str) -> list[tuple[int, str, str]]:
    """Each non-blank line of ``text`` as (line number, first word, second word); a line of any other shape
    is refused, naming it."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.replace(",", " ").replace("\t", " ").split()
        if not words:
            continue
        if len(words) != 2:
            raise forms.ValidationError(
                _("line %(number)s: write %(what)s, not %(line)s")
                % {"number": number, "what": what, "line": repr(line.strip())}
            )
        lines.append((number, words[0], words[1]))
    return lines


class WageBandsForm(Form):
    """The wage bands a motion would set, one band a line, and optionally members moved to a band."""

    bands = forms.CharField(
        label=gettext_lazy("Wage bands"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One band a line: its code and its weekly wage, e.g. <code>B 640.00</code>."),
    )
    members = forms.CharField(
        label=gettext_lazy("Members moved to a band (optional)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One member a line: their membership number and the band's code, e.g. <code>TWF00012 B</code>."
        ),
    )

    def clean_bands(self) -> dict[str, Decimal]:
        figures: dict[str, Decimal] = {}
        for number, code, weekly in _figure_lines(
            self.cleaned_data["bands"], what=_("a band's code and its weekly wage")
        ):
            try:
                figures[code] = Decimal(weekly.lstrip("£€$"))
            except InvalidOperation:
                raise forms.ValidationError(
                    _("line %(number)s: %(weekly)s is not an amount of money")
                    % {"number": number, "weekly": repr(weekly)}
                ) from None
            if not figures[code].is_finite():
                raise forms.ValidationError(
                    _("line %(number)s: %(weekly)s is not an amount of money")
                    % {"number": number, "weekly": repr(weekly)}
                )
        return figures

    def clean_members(self) -> dict[str, str]:
        lines = _figure_lines(self.cleaned_data["members"], what=_("a membership number and a band's code"))
        return {member: band for _, member, band in lines}


class OfficePayForm(Form):
    office = forms.ChoiceField(label=gettext_lazy("Office"))
    weekly = forms.DecimalField(
        label=gettext_lazy("Weekly pay"), min_value=0, max_digits=10, decimal_places=2
    )

    def __init__(self, *args: object, offices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["office"].choices = offices  # type: ignore[attr-defined]
