"""Executives: created by a council's motion, acting within its stated powers, called in, dissolved.

A package because the whole is long; each module owns one part: ``charters`` (establishing and dissolving
an executive), ``decisions`` (what it decides under its powers), ``call_ins`` (the council's delegates
putting a decision to the council) and ``reversals`` (a reversed decision binding until the council
consents to it again).
"""

from commune.governance.services.executives.call_ins import (
    call_in_open,
    call_in_settle,
    call_in_sign,
    call_in_threshold,
)
from commune.governance.services.executives.charters import (
    executive_dissolution_propose,
    executive_propose,
    executive_settle,
)
from commune.governance.services.executives.decisions import executive_decision_record
from commune.governance.services.executives.reversals import decision_effect, decision_retake_consent_propose

__all__ = [
    "call_in_open",
    "call_in_settle",
    "call_in_sign",
    "call_in_threshold",
    "decision_effect",
    "decision_retake_consent_propose",
    "executive_decision_record",
    "executive_dissolution_propose",
    "executive_propose",
    "executive_settle",
]
