"""Writes for governance: executives and call-ins, constitutional amendments, office pay, tendencies.

A package because the whole is long; each module owns one part.
"""

from commune.governance.services.constitution import (
    constitution_amendment_enact,
    constitution_amendment_propose,
    proposal_referendum,
    rules_with_changes,
)
from commune.governance.services.executives import (
    call_in_open,
    call_in_settle,
    call_in_sign,
    call_in_threshold,
    decision_retake_consent_propose,
    executive_decision_record,
    executive_dissolution_propose,
    executive_propose,
    executive_settle,
)
from commune.governance.services.offices import (
    PayCap,
    median,
    office_pay_propose,
    office_pay_settle,
    pay_cap,
    pay_interest_applies_sql,
    pay_interest_bar,
    wage_bands_body,
    wage_bands_propose,
    wage_bands_settle,
)
from commune.governance.services.tendencies import (
    tendency_admit,
    tendency_dissolution_vote,
    tendency_found,
    tendency_join,
    tendency_leave,
    tendency_members_count,
    tendency_refound,
)

__all__ = [
    "PayCap",
    "call_in_open",
    "call_in_settle",
    "call_in_sign",
    "call_in_threshold",
    "constitution_amendment_enact",
    "constitution_amendment_propose",
    "decision_retake_consent_propose",
    "executive_decision_record",
    "executive_dissolution_propose",
    "executive_propose",
    "executive_settle",
    "median",
    "office_pay_propose",
    "office_pay_settle",
    "pay_cap",
    "pay_interest_applies_sql",
    "pay_interest_bar",
    "proposal_referendum",
    "rules_with_changes",
    "tendency_admit",
    "tendency_dissolution_vote",
    "tendency_found",
    "tendency_join",
    "tendency_leave",
    "tendency_members_count",
    "tendency_refound",
    "wage_bands_body",
    "wage_bands_propose",
    "wage_bands_settle",
]
