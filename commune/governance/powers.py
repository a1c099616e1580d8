"""Powers as data: what an executive may be given, and what no body may ever hold.

An executive's powers are a list of short names (``"negotiate-pay"``, ``"book-venues"``) stated in the
council's motion that creates it. The reserved powers below belong to the members and their
constituencies alone; a charter naming one is refused, and a decision claiming one is refused whatever
the charter says.
"""

from __future__ import annotations

import re

RESERVED_POWERS: dict[str, str] = {
    "appoint-delegates": "every seat is held by an election of its own constituency",
    "refuse-credentials": "a duly elected delegate's credentials are not any body's to refuse",
    "suspend-delegates": "only a delegate's own constituency can remove them, by recall",
    "replace-delegates": "only a delegate's own constituency can replace them, by election or countback",
    "impose-candidates": "any member of a constituency may stand; no body imposes or strikes candidates",
    "strike-candidates": "any member of a constituency may stand; no body imposes or strikes candidates",
    "ban-tendencies": "tendencies are dissolved only by their own members",
    "dissolve-tendencies": "tendencies are dissolved only by their own members",
    "create-bodies": "only a council creates executives, by its own vote; executives create none",
    "override-council": "an executive answers to its council and cannot overrule it",
    "amend-constitution": "the constitution changes only by a referendum of the membership",
}

POWER_NAME = re.compile(r"^[a-z][a-z0-9-]{1,59}$")


def power_reserved_reason(power: str) -> str | None:
    """Why no body may hold ``power``, or ``None`` if a council may delegate it."""
    return RESERVED_POWERS.get(power)


def power_words(power: str) -> str:
    """A power as members read it, after "the power to": ``pay-strike-pay`` is "pay strike pay"."""
    return power.replace("-", " ")


def powers_words(powers: list[str]) -> str:
    """A charter's powers in one sentence: "to pay strike pay, to make hardship grants and to manage fund
    account"."""
    said = [f"to {power_words(p)}" for p in powers]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
