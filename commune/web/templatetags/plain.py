"""Plain words for what the system keeps as codes, for templates: ``{% load plain %}``.

Each vocabulary is defined once, beside the code it names; every page reads it through these filters, and
the API keeps the codes.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats, translation

from commune.federation import constitution_words
from commune.federation.currency import SYMBOLS
from commune.federation.currency import money as money_words
from commune.federation.models import BodyKind
from commune.governance import powers
from commune.mandates.models import mandate_kind_words
from commune.motions.models import choice_words
from commune.web import vocabulary

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """``{{ pay.weekly|money:organisation.currency }}``, as the reader's language writes money: "£612.50" or
    "612.50 EUR" in English; "612,50 £" or "1.234,00 EUR" in Spanish (the figure, then the currency)."""
    if amount is None:
        return ""
    if (translation.get_language() or "en").split("-")[0] == "en":
        return money_words(amount, currency)
    figure = formats.number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    sign = "-" if amount < 0 else ""
    return f"{sign}{figure}\N{NO-BREAK SPACE}{SYMBOLS.get(currency, currency)}"


@register.filter
def method(code: str) -> str:
    """A counting method: ``irv`` is "the instant-runoff vote"."""
    return constitution_words.method_words(code)


@register.filter
def power(code: str) -> str:
    """An executive's power, to follow "the power to", in the reader's language: ``pay-strike-pay`` is "pay
    strike pay"."""
    return powers.power_label(code)


@register.filter
def powers_in_words(codes: list[str]) -> str:
    """A charter's powers: "to pay strike pay, to make hardship grants and to manage fund account"."""
    return powers.powers_label(list(codes))


@register.filter
def body_kind(code: str) -> str:
    """A body's kind: ``unit`` is "Unit"; a kind this release does not know is shown as stored."""
    return str(BodyKind(code).label) if code in BodyKind.values else code


@register.filter
def mandate_kind(code: str) -> str:
    """A mandate's kind within a sentence: ``binding`` is "binding"."""
    return mandate_kind_words(code)


@register.filter
def choice(code: str) -> str:
    """A vote's choice within a sentence ("vote yes"): ``abstain`` is "abstain"."""
    return choice_words(code)


@register.filter
def tie_purpose(code: str) -> str:
    return vocabulary.tie_purpose_words(code)


@register.filter
def tie_rule(code: str) -> str:
    return vocabulary.tie_rule_words(code)


@register.filter
def provenance_kind(code: str) -> str:
    return vocabulary.provenance_kind_words(code)


@register.filter
def action(code: str) -> str:
    """A log entry's action: ``council.vote_cast`` is "council vote cast"."""
    return vocabulary.action_words(code)
