"""Plain words for the codes only pages show: how a tie in a count was settled, the links of a decision's
provenance, and the actions of the log. (The constitution's words are ``commune.federation.constitution_words``,
powers' ``commune.governance.powers``; templates reach them all through ``commune.web.templatetags.plain``.)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: What a tie in a count was settled for (``TieBreak.purpose``), and how (``TieBreak.rule``).
TIE_PURPOSES = {
    "surplus": _("which surplus to transfer first"),
    "exclusion": _("whom to exclude"),
    "election": _("whom to elect"),
    "ranking": _("the order of the ranking"),
}
TIE_RULES = {
    "lot": _("lot"),
    "earlier-stage": _("their votes at the most recent earlier stage at which they differed"),
}

#: The links of a decision's provenance (``ProvenanceNode.kind``).
PROVENANCE_KINDS = {
    "vote": pgettext_lazy("a link of a decision's provenance", "Vote"),
    "seat": pgettext_lazy("a link of a decision's provenance", "Seat"),
    "election": pgettext_lazy("a link of a decision's provenance", "Election"),
    "bulletin": pgettext_lazy("a link of a decision's provenance", "Bulletin"),
    "apportionment": pgettext_lazy("a link of a decision's provenance", "Seats"),
    "referral": pgettext_lazy("a link of a decision's provenance", "Question referred down"),
    "motion": pgettext_lazy("a link of a decision's provenance", "Motion"),
    "body": pgettext_lazy("a link of a decision's provenance", "Body"),
    "electorate": pgettext_lazy("a link of a decision's provenance", "Electorate"),
    "constituency": pgettext_lazy("a link of a decision's provenance", "Constituency"),
    "executive": pgettext_lazy("a link of a decision's provenance", "Charter"),
    "executive-decision": pgettext_lazy("a link of a decision's provenance", "Executive decision"),
    "power": pgettext_lazy("a link of a decision's provenance", "Power"),
    "call-in": pgettext_lazy("a link of a decision's provenance", "Call-in"),
    "structural-change": pgettext_lazy("a link of a decision's provenance", "Structural change"),
}


def tie_purpose_words(purpose: str) -> str:
    return str(TIE_PURPOSES.get(purpose, purpose))


def tie_rule_words(rule: str) -> str:
    return str(TIE_RULES.get(rule, rule.replace("-", " ")))


def provenance_kind_words(kind: str) -> str:
    return str(PROVENANCE_KINDS.get(kind, kind.replace("-", " ").capitalize()))


def action_words(action: str) -> str:
    """A log entry's action as words: ``council.vote_cast`` is "council vote cast"."""
    return action.replace(".", " ").replace("_", " ")
