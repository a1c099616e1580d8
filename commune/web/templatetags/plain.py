"""Plain words for what the system keeps as codes, for templates: ``{% load plain %}``.

Each vocabulary is defined once, beside the code it names, and every page reads it through these filters;
the API keeps the codes.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from commune.federation.currency import money as money_words

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """``{{ pay.weekly|money:organisation.currency }}``: "£612.50", or "612.50 EUR"."""
    return "" if amount is None else money_words(amount, currency)
