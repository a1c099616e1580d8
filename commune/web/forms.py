"""What every form of the web app shares: a NUL character in any field is that field's error.

A NUL ("\\x00") cannot be stored in PostgreSQL's text and no one types one (see ``commune.web.middleware``).
Posted in a page's form, it is refused where the person can fix it: the form comes back with the error on
the field that held it and everything else they typed still in place. Django's ``CharField`` already refuses
one with its own words, but a choice, a number or a date would only say the value is not valid; here every
field says the same, whatever its kind, before any other check of it is shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

NUL = "\x00"
#: In English; each form shows it in the reader's language.
NUL_FIELD_ERROR = gettext_noop(
    "This must not contain a NUL character (an invisible control character, usually pasted from a file)."
)


def _holds_nul(data: Any) -> bool:
    values = data if isinstance(data, list | tuple) else [data]
    return any(isinstance(value, str) and NUL in value for value in values)


class RefusesNul:
    """Mix into a form before Django's form class: each field whose posted value holds a NUL has that as
    its only error, and is left out of ``cleaned_data``."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: Any = self
        if not form.is_bound:
            return
        for name in form.fields:
            if _holds_nul(form[name].data):
                form._errors[name] = form.error_class([_(NUL_FIELD_ERROR)])
                form.cleaned_data.pop(name, None)


class Form(RefusesNul, forms.Form):
    """The base of every form of the web app."""
