"""Plain words for the codes only pages show: how a tie in a count was settled, the links of a decision's
provenance, and the actions of the log. (The constitution's words are ``commune.federation.constitution_words``,
powers' ``commune.governance.powers``; templates reach them all through ``commune.web.templatetags.plain``.)
"""

from __future__ import annotations

#: What a tie in a count was settled for (``TieBreak.purpose``), and how (``TieBreak.rule``).
TIE_PURPOSES = {
    "surplus": "which surplus to transfer first",
    "exclusion": "whom to exclude",
    "election": "whom to elect",
    "ranking": "the order of the ranking",
}
TIE_RULES = {
    "lot": "lot",
    "earlier-stage": "their votes at the most recent earlier stage at which they differed",
}

#: The links of a decision's provenance (``ProvenanceNode.kind``).
PROVENANCE_KINDS = {
    "vote": "Vote",
    "seat": "Seat",
    "election": "Election",
    "bulletin": "Bulletin",
    "apportionment": "Seats",
    "referral": "Question referred down",
    "motion": "Motion",
    "body": "Body",
    "electorate": "Electorate",
    "constituency": "Constituency",
    "executive": "Charter",
    "executive-decision": "Executive decision",
    "power": "Power",
    "call-in": "Call-in",
    "structural-change": "Structural change",
}


def tie_purpose_words(purpose: str) -> str:
    return TIE_PURPOSES.get(purpose, purpose)


def tie_rule_words(rule: str) -> str:
    return TIE_RULES.get(rule, rule.replace("-", " "))


def provenance_kind_words(kind: str) -> str:
    return PROVENANCE_KINDS.get(kind, kind.replace("-", " ").capitalize())


def action_words(action: str) -> str:
    """A log entry's action as words: ``council.vote_cast`` is "council vote cast"."""
    return action.replace(".", " ").replace("_", " ")
