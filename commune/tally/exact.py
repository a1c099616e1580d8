"""Decimal figures, made without the ambient decimal context.

``decimal.getcontext()`` belongs to the caller: an application may set a short precision or another
rounding for its own sums. A count must come out the same whatever they set, so every ``Decimal`` the
library computes goes through ``CONTEXT``, and everything that is rounded is rounded here, from exact
integers or fractions, by a rule stated with it.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

__all__ = ["CONTEXT", "fixed", "percent", "rounded"]

#: The context of every decimal operation in ``commune.tally``: no operation under it may round (an
#: inexact result is an error, never a silent change), and no figure is too large or too small for it.
CONTEXT = decimal.Context(
    prec=decimal.MAX_PREC,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)


def fixed(units: int, places: int) -> Decimal:
    """``units`` of ``10**-places`` as an exact ``Decimal`` with that many places (``fixed(5, 2)``: 0.05)."""
    return Decimal(units).scaleb(-places, context=CONTEXT)


def rounded(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimal places, halves to even, as a ``Decimal`` with that many places."""
    scaled = value * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (twice == scaled.denominator and whole % 2):
        whole += 1
    return fixed(whole, places)


def percent(share: Fraction) -> str:
    """A share as a percentage to two places at most, halves to even: ``Fraction(2, 3)`` is ``66.67%``."""
    return f"{rounded(share * 100, 2).normalize(context=CONTEXT):f}%"
