"""A pledge count in the reader's language: ``{% load pledge_words %}{{ figure|said }}``.

The count's words are kept in the source language by ``commune.pledges.disclosure`` (pure arithmetic, read
by the log and the API); a page says them again here, in the language it is made in.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from commune.pledges.disclosure import Figure

register = template.Library()


@register.filter
def said(figure: Figure) -> str:
    if figure.wording == "small-unit":
        return _("not shown (fewer than %(n)s members)") % {"n": figure.limit}
    if figure.wording == "fewer":
        return _("fewer than %(n)s") % {"n": figure.limit}
    if figure.wording == "more":
        return _("more than %(n)s") % {"n": figure.limit}
    if figure.wording == "hidden":
        return _("not shown to you")
    if figure.wording == "between":
        return _("between %(low)s and %(high)s") % {"low": figure.low, "high": figure.high}
    return figure.text
