"""Powers as data: what an executive may be given, and what no body may ever hold.

An executive's powers are a list of short names (``"book-venues"``, ``"pay-strike-pay"``) stated in the
council's motion that creates it. A council may delegate only the powers its constitution lists
(``executives.delegable_powers``, changed only by a referendum of the membership); a charter naming any
other is refused, and so is a decision under a power the constitution no longer lists. The reserved powers
below belong to the members and their constituencies alone, and are refused by name with the reason; the
constitution itself refuses to list any power whose words fill, suspend or remove a seat or office, set
pay, create bodies, overrule a council, admit or expel members, touch tendencies or change the rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from commune.federation.constitution import POWER_NAME, power_undelegable_reason
from commune.federation.constitution_words import power_label, powers_label

__all__ = [
    "POWER_NAME",
    "RESERVED_POWERS",
    "power_label",
    "power_not_delegable_reason",
    "power_reserved_reason",
    "power_words",
    "powers_label",
    "powers_words",
]

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


def power_reserved_reason(power: str) -> str | None:
    """Why no body may hold ``power`` under any constitution, or ``None``."""
    return RESERVED_POWERS.get(power)


def power_not_delegable_reason(power: str, delegable: Mapping[str, str]) -> str | None:
    """Why a council may not delegate ``power`` under a constitution listing ``delegable``, or ``None`` if it
    may. The message names the list, so whoever drafts a charter sees what they can ask for."""
    if power in delegable:
        return None
    listed = ", ".join(sorted(delegable)) or "none at all"
    why = power_undelegable_reason(power)
    return (
        f"the constitution lists the only powers a council may delegate ({listed}), and {power!r} is not "
        "among them"
        + (f"; nor could it be: {why}" if why else "; only a referendum of the membership can add a power")
    )


def power_words(power: str) -> str:
    """A power in English, after "the power to", for text that is stored or signed as written (a charter's
    motion, the log): ``pay-strike-pay`` is "pay strike pay". Pages say it with ``power_label``."""
    return power.replace("-", " ")


def powers_words(powers: list[str]) -> str:
    """A charter's powers in one English sentence, for stored text: "to pay strike pay, to make hardship
    grants and to manage fund account". Pages say them with ``powers_label``."""
    said = [f"to {power_words(p)}" for p in powers]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
