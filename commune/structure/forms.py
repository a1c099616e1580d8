"""The structured form a delegate fills in to move a structural change: one kind, and the fields that kind
needs (the API takes the same proposal as JSON, with any number of new units in a split)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commune.structure.models import ChangeKind
from commune.web.forms import RefusesNul

_SEPARATORS = re.compile(r"[\s,;]+")


def _list(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text.strip()) if part]


class ChangeForm(RefusesNul, forms.Form):
    kind = forms.ChoiceField(choices=ChangeKind.choices, label=_("The change"))
    unit = forms.CharField(
        required=False,
        max_length=40,
        label=_("The unit (its code)"),
        help_text=_(
            "Merge: the unit the others merge into. Split, move, dissolve: the unit split, moved or dissolved."
        ),
    )
    units = forms.CharField(
        required=False, max_length=2000, label=_("Units merged into it (codes)"), help_text=_("Merge only.")
    )
    council = forms.CharField(
        required=False,
        max_length=40,
        label=_("Council (its code)"),
        help_text=_("Add: the council the new unit is under. Move: the council it moves under."),
    )
    code = forms.CharField(
        required=False, max_length=40, label=_("New unit's code"), help_text=_("Add and split.")
    )
    name = forms.CharField(
        required=False,
        max_length=200,
        label=_("New unit's name"),
        help_text=_("Add and split; for a merge, a new name for the merged unit (blank keeps its name)."),
    )
    unit_type = forms.CharField(required=False, max_length=40, label=_("Kind of unit (workplace, depot…)"))
    members = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        label=_("Members who move into the new unit (membership numbers)"),
        help_text=_("Add and split. Separated by spaces, commas or new lines."),
    )
    offices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label=_("The new unit's offices (one title a line)"),
    )
    roll_office = forms.CharField(
        required=False, max_length=120, label=_("Which of those offices keeps the member roll (its title)")
    )
    members_to = forms.CharField(
        required=False,
        max_length=40,
        label=_("Unit its members move to (code)"),
        help_text=_(
            "Dissolve: needed while it has members; nobody's membership ends by a structural decision."
        ),
    )
    title = forms.CharField(
        required=False, max_length=200, label=_("Motion's title (blank: made from the change)")
    )
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label=_("Why")
    )

    def proposal(self) -> dict[str, Any]:
        """The proposal as the API takes it; the service checks it and names every problem."""
        data = self.cleaned_data
        kind = data["kind"]
        titles = [t.strip() for t in data["offices"].splitlines() if t.strip()]
        new_unit = {
            "code": data["code"],
            "name": data["name"],
            "unit_type": data["unit_type"],
            "members": _list(data["members"]),
            "offices": [{"title": t, "manages_roll": t == data["roll_office"].strip()} for t in titles],
        }
        if kind == ChangeKind.ADD:
            return {"kind": kind, "parent": data["council"], **new_unit}
        if kind == ChangeKind.MERGE:
            return {"kind": kind, "into": data["unit"], "units": _list(data["units"]), "name": data["name"]}
        if kind == ChangeKind.SPLIT:
            return {"kind": kind, "unit": data["unit"], "new_units": [new_unit]}
        if kind == ChangeKind.MOVE:
            return {"kind": kind, "unit": data["unit"], "to": data["council"]}
        return {
            "kind": kind,
            "unit": data["unit"],
            "members_to": data["members_to"],
            "reason": data["reason"][:300],
        }
